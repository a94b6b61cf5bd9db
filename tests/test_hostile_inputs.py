"""Hostile or broken inputs that `check` once called ready or that hung or crashed a command: each gives one
line naming the file and what to do, exit 2, in bounded time and memory."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from design_support import MINIMAL, ROOT, run_cli

from briefgen import figures

# A bound, not a benchmark: each of these commands took minutes or forever before its fix.
BOUND_S = 60


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "briefgen", *args], capture_output=True, text=True,
                          timeout=BOUND_S, env=env, cwd=cwd)


def _record_with(tmp_path: Path, old: str, new: str) -> Path:
    text = MINIMAL.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "minimal.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _one_line_error(err: str, *needles: str) -> None:
    assert "Traceback" not in err
    first = err.strip().splitlines()[0]
    for needle in needles:
        assert needle in first, first


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_record_glossary_or_memory_import_is_refused_before_it_is_read(device: str,
                                                                                  tmp_path: Path) -> None:
    for args in (["check", device], ["glossary", "check", device], ["memory", "import", device]):
        done = _cli(*args)
        assert done.returncode == 2, (args, done.stderr)
        # check and glossary check report on stdout (a list of problems), the others on stderr
        _one_line_error(done.stdout + done.stderr, device, "is a device, not a file")


def test_a_fifo_as_record_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "record.yaml"
    os.mkfifo(fifo)     # nobody writes to it: opening it for reading would block forever
    for args in (["check", str(fifo)], ["build", str(fifo), "--out", str(tmp_path / "out"), "--backend", "pseudo"]):
        done = _cli(*args)
        assert done.returncode == 2, done.stderr
        _one_line_error(done.stdout + done.stderr, str(fifo), "named pipe")


def test_a_record_nested_fifty_thousand_deep_is_one_error(tmp_path: Path) -> None:
    record = tmp_path / "deep.yaml"
    record.write_text("id: deep\nsource_lang: fr\nnotes: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    code, out, err = run_cli(["check", str(record)])
    assert code == 2
    _one_line_error(out + err, f"{record}:3:", "nested more than")


def test_a_manifest_nested_a_hundred_thousand_deep_is_reported_by_verify_and_replaced_by_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    folder = out / "minimal"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text('{"record_id": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    code, _, err = run_cli(["verify", str(folder)])
    assert code == 2
    _one_line_error(err, "manifest.json", "nested too deeply")
    # a build that finds it in its --out: the folder is not one a build wrote, so it is left alone, not a crash
    code, _, err = run_cli(["build", str(MINIMAL), "--out", str(out), "--backend", "pseudo", "--no-memory"])
    assert "Traceback" not in err and "RecursionError" not in err
    assert code == 2, err
    assert (folder / "manifest.json").stat().st_size > 200_000      # the user's folder is untouched


def test_a_number_longer_than_a_brief_prints_is_refused_by_check(tmp_path: Path) -> None:
    for digits in (20, 29, 40):
        record = _record_with(tmp_path, "Promouvoir la coopération.", f"Un budget de {'7' * digits} livres.")
        code, out, err = run_cli(["check", str(record)])
        assert code == 2, err
        _one_line_error(out + err, str(record), f"more than the {figures.MAX_DIGITS} digits")


def test_numbers_up_to_the_limit_are_written_in_every_locale() -> None:
    from babel import Locale

    value = "7" * figures.MAX_DIGITS
    for lang in ("fr", "ru", "ar"):
        printed = str(figures.localize(f"Un budget de {value} livres.", "fr", Locale.parse(lang)))
        assert figures.numbers(printed, "fr") == figures.numbers(value, "fr")   # the words stay French
    # and past it, a value is still written exactly (the digits of a 29-digit number are not rounded away)
    assert figures.write_number(figures.Decimal("1" * 29), Locale.parse("ru")) == "1" * 29
    assert figures.value_key(figures.Decimal("1" * 29)) == "1" * 29


def test_a_lone_surrogate_is_refused_by_check(tmp_path: Path) -> None:
    record = _record_with(tmp_path, "{fr: Promouvoir la coopération.,", '{fr: "Promouvoir \\ud800 la coopération.",')
    code, out, err = run_cli(["check", str(record)])
    assert code == 2, err
    _one_line_error(out + err, str(record), "U+D800", "lone surrogate")


@pytest.mark.parametrize("word", ["A" * 20_000, "Ab" * 10_000, "A1" * 10_000, "ж1" * 10_000, "a." * 10_000 + "@x.fr",
                                  "A1-" * 6_000 + "го"])
def test_figure_and_identifier_scanning_of_one_huge_word_is_linear(word: str) -> None:
    # run in a subprocess with a bound: before, the backtracking patterns took ~110 s on such a word
    code = ("from briefgen import figures\n"
            f"t = 'Le mot ' + {word!r} + ' et 12 000 dollars.'\n"
            "for lang in ('fr', 'ru', 'ar'):\n"
            "    figures.scan(t, lang); figures.identifiers(t, lang); figures.too_many_digits(t, lang)\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=20, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_json_the_build_reads_back_is_bounded(tmp_path: Path) -> None:
    from briefgen.errors import InputError
    from briefgen.files import read_json

    big = tmp_path / "manifest.json"
    with big.open("w") as fh:
        fh.write('{"a": "')
        fh.write("x" * (17 * 1024 * 1024))
        fh.write('"}')
    with pytest.raises(InputError, match="larger than"):
        read_json(big)
    small = tmp_path / "ok.json"
    small.write_text('{"a": 1}', encoding="utf-8")
    assert read_json(small) == json.loads('{"a": 1}')


def _bomb(path: Path, files: dict[str, int]) -> Path:
    """A .tar.gz declaring ``files`` (name: size in bytes of zeros) under one model folder, listed honestly."""
    import gzip
    import hashlib
    import tarfile

    from briefgen.translate.models import BUNDLE_FORMAT

    manifest = {"format": BUNDLE_FORMAT, "models": {"evil--bomb": {}}, "files": {}}
    for name, size in files.items():
        h = hashlib.sha256()
        left = size
        while left:
            n = min(left, 1 << 20)
            h.update(bytes(n))
            left -= n
        manifest["files"][f"evil--bomb/{name}"] = {"bytes": size, "sha256": h.hexdigest()}
    with gzip.open(path, "wb", compresslevel=1) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        for name, size in files.items():
            info = tarfile.TarInfo(f"evil--bomb/{name}")
            info.size = size
            tar.addfile(info, _Zeros(size))
    return path


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.left)
        buffer[:n] = bytes(n)
        self.left -= n
        return n


def test_a_small_bundle_that_unpacks_to_gigabytes_is_refused_before_a_byte_is_written(tmp_path: Path) -> None:
    from briefgen.errors import ExchangeError
    from briefgen.translate.models import install_bundle

    bundle = _bomb(tmp_path / "bomb.tar.gz", {"model.bin": 300 << 20})
    assert bundle.stat().st_size < 2 << 20
    models = tmp_path / "models"
    with pytest.raises(ExchangeError, match="unpacks to more than 20 times its own size"):
        install_bundle(bundle, models)
    assert sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file()) < 3 << 20


def test_a_bundle_of_too_many_files_is_refused(tmp_path: Path) -> None:
    from briefgen.errors import ExchangeError
    from briefgen.translate.models import MAX_BUNDLE_FILES, install_bundle

    bundle = _bomb(tmp_path / "many.tar.gz", {f"f{i}": 0 for i in range(MAX_BUNDLE_FILES + 1)})
    with pytest.raises(ExchangeError, match=f"more than {MAX_BUNDLE_FILES} entries"):
        install_bundle(bundle, tmp_path / "models")
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").rglob("f*"))


def test_a_users_folder_named_like_a_staging_folder_is_never_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    mine = out / ".minimal.building-4194303-notes"     # a pid no process has: a "killed build" by its name
    mine.mkdir(parents=True)
    (mine / "draft.pdf").write_bytes(b"%PDF- my own draft")
    (mine / "letter.odt").write_bytes(b"mine")
    code, _, err = run_cli(["build", str(MINIMAL), "--out", str(out), "--backend", "pseudo", "--no-memory"])
    assert code in (0, 1), err
    assert (mine / "draft.pdf").read_bytes() == b"%PDF- my own draft" and (mine / "letter.odt").exists()
    assert (out / "minimal" / "manifest.json").is_file()


def test_a_killed_builds_staging_folder_is_cleared_but_only_of_its_own_files(tmp_path: Path) -> None:
    from briefgen.render.output import STAGE_MARK

    out = tmp_path / "out"
    left = out / ".minimal.building-4194303-abcd"
    left.mkdir(parents=True)
    (left / STAGE_MARK).write_text("briefgen staging folder for record minimal\n")
    (left / "minimal-ru.pdf").write_bytes(b"%PDF-half")
    code, _, err = run_cli(["build", str(MINIMAL), "--out", str(out), "--backend", "pseudo", "--no-memory"])
    assert code in (0, 1), err
    assert not left.exists()


def test_duplicate_xliff_units_with_different_targets_are_refused(tmp_path: Path) -> None:
    from lxml import etree

    from briefgen.memory.xliff import read_xliff

    record = tmp_path / MINIMAL.name      # a copy: an import writes the .tmx beside the record
    shutil.copy(MINIMAL, record)
    xlf = tmp_path / "ru.xlf"
    assert run_cli(["review", "export", str(record), "--lang", "ru", "-o", str(xlf)])[0] == 0
    tree = etree.parse(str(xlf))
    ns = "{urn:oasis:names:tc:xliff:document:1.2}"
    unit = tree.find(f".//{ns}trans-unit")
    assert unit is not None
    twin = etree.fromstring(etree.tostring(unit))
    unit.getparent().append(twin)
    for tu, text in ((unit, "Первый вариант."), (twin, "Второй вариант.")):
        target = tu.find(f"{ns}target")
        if target is None:
            target = etree.SubElement(tu, f"{ns}target")
        target.text = text
        target.set("state", "final")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    code, _, err = run_cli(["review", "import", str(xlf), "--record", str(record)])
    assert code == 2
    _one_line_error(err, str(xlf), f"unit {unit.get('id')} appears twice with different content")
    with pytest.raises(Exception, match="appears twice"):
        read_xliff(xlf)


def test_a_review_export_that_fails_midway_leaves_the_earlier_export_whole(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    out = tmp_path / "exports"
    out.mkdir()
    xlf = out / "ru.xlf"
    assert run_cli(["review", "export", str(MINIMAL), "--lang", "ru", "-o", str(xlf)])[0] == 0
    before = xlf.read_bytes()
    real = Path.write_bytes

    def full_disk(self: Path, data: bytes) -> int:
        real(self, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    code, _, err = run_cli(["review", "export", str(MINIMAL), "--lang", "ru", "-o", str(xlf), "--force"])
    monkeypatch.undo()
    assert code == 2 and "No space left on device" in err, err
    assert xlf.read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["ru.xlf"]


def test_two_records_with_one_id_in_one_build_are_refused_before_building(tmp_path: Path) -> None:
    other = tmp_path / "copy.yaml"
    shutil.copy(MINIMAL, other)
    out = tmp_path / "out"
    code, _, err = run_cli(["build", str(MINIMAL), str(other), "--out", str(out), "--backend", "pseudo",
                                   "--no-memory"])
    assert code == 2
    _one_line_error(err, str(other), "id 'minimal' is also the id of")
    assert not out.exists() or not any(out.iterdir())


def test_an_empty_file_named_as_the_memory_is_refused_and_left_empty(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "memory.sqlite"
    empty.write_bytes(b"")
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(empty))
    code, _, err = run_cli(["build", str(MINIMAL), "--out", str(tmp_path / "out"), "--backend", "pseudo"])
    assert code == 2
    _one_line_error(err, str(empty), "this file is empty, not a translation memory")
    assert empty.read_bytes() == b""


"""Hostile or broken inputs that `check` once called ready or that hung or crashed a command: each gives one
line naming the file and what to do, exit 2, in bounded time and memory."""

from __future__ import annotations

import json
import os
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

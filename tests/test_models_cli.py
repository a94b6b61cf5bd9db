"""The `briefgen models` commands and `briefgen build` with model backends, through the real CLI."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from conftest import ROOT
from tinymodels import MARIAN_ID, TinyModels, uncovered_record

from briefgen.cli import main

MARIAN_SLUG = MARIAN_ID.replace("/", "--")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def assert_one_line_error(err: str, *needles: str) -> None:
    lines = [line for line in err.splitlines() if line.startswith("briefgen: error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_models_list_names_every_direction_its_model_status_and_size(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, out, _ = run("models", "list")          # the packaged registry, nothing installed
    assert code == 0
    for direction in ("fr-ru", "fr-ar", "ru-fr", "ru-ar", "ar-fr", "ar-ru"):
        assert f"\n{direction} " in out
    assert "Helsinki-NLP/opus-mt-tc-big-fr-zle" in out and "missing" in out and "download 479 MB" in out
    assert "via en: fr-en + en-ar" in out and "fr-en (pivot leg)" in out

    tiny_models.use(monkeypatch)
    code, out, _ = run("models", "list")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("fr-ar "))
    assert f"{MARIAN_ID}@0000000000" in row and "installed" in row and "MB" in row
    assert "via fr: ru-fr + fr-ar" in out


@pytest.mark.parametrize("backend", [[], ["--backend", "ct2"]], ids=["no-backend", "ct2"])
def test_a_build_needing_models_that_are_not_installed_exits_2_and_says_how_to_get_them(
        tmp_path: Path, backend: list[str]) -> None:
    record = uncovered_record(tmp_path)
    code, _, err = run("build", str(record), "--out", str(tmp_path / "out"), *backend)
    assert code == 2
    # one error: the texts by direction, then the three ways to get them (the first is installing models)
    assert err.count("briefgen: error:") == 1 and "Traceback" not in err, err
    for needle in ("fr→ar: 1 text(s)", "fr→ru: 1 text(s)", "`make models`", "`briefgen models install BUNDLE.tar`",
                   "briefgen review export"):
        assert needle in err, (needle, err)
    assert not (tmp_path / "out" / "minimal").exists()


def test_a_build_fully_covered_by_the_record_needs_no_model_even_with_ct2(tmp_path: Path) -> None:
    code, _, err = run("build", str(ROOT / "tests" / "data" / "minimal.yaml"), "--out", str(tmp_path / "out"),
                       "--backend", "ct2", "--pdf-variant", "none")
    assert code == 0, err


@pytest.mark.parametrize("backend", ["ct2", "hf"])
def test_with_the_tiny_models_installed_the_build_completes_and_writes_the_pdfs(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, backend: str) -> None:
    tiny_models.use(monkeypatch)
    record = uncovered_record(tmp_path)
    # random-weight models draft nonsense, with QA errors: accepted, so the set is what is tested
    code, _, err = run("build", str(record), "--out", str(tmp_path / "out"), "--backend", backend,
                         "--beam-size", "2", "--threads", "1", "--accept-qa-errors")
    assert code == 0, err
    folder = tmp_path / "out" / "minimal"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert sorted(p.name for p in folder.glob("*.pdf")) == [
        "minimal.eg.ar.pdf", "minimal.master.fr.pdf", "minimal.ru.ru.pdf"]
    assert all((folder / f["file"]).read_bytes().startswith(b"%PDF") for f in manifest["files"])
    assert manifest["translation"]["ar"]["machine"] == manifest["translation"]["ru"]["machine"] == 1
    assert all(e.startswith(f"{backend}:{MARIAN_ID}@") for e in manifest["engines"])


def test_a_ct2_build_never_imports_torch_or_transformers(
        tiny_models: TinyModels, tmp_path: Path) -> None:
    record = uncovered_record(tmp_path)
    script = ("import json, sys\nfrom briefgen.cli import main\n"
              f"code = main(['build', {str(record)!r}, '--out', {str(tmp_path / 'out')!r}, '--backend', 'ct2',"
              " '--threads', '1', '--accept-qa-errors'])\n"
              "print(json.dumps({'code': code, 'heavy': sorted(m for m in sys.modules"
              " if m.split('.')[0] in ('torch', 'transformers'))}))\n")
    env = {**os.environ, "BRIEFGEN_MODELS": str(tiny_models.models), "BRIEFGEN_REGISTRY": str(tiny_models.registry),
           "BRIEFGEN_MEMORY": str(tmp_path / "memory.sqlite"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result == {"code": 0, "heavy": []}
    assert (tmp_path / "out" / "minimal" / "minimal.eg.ar.pdf").is_file()


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100])


def _garble(path: Path) -> None:
    path.write_bytes(b"\0" * path.stat().st_size)


@pytest.mark.parametrize(("damage", "needle"), [
    (lambda m: _truncate(m / "ct2" / "model.bin"), "model.bin has 100 bytes"),
    (lambda m: _garble(m / "ct2" / "model.bin"), "cannot load the model"),
    (lambda m: (m / "ct2" / "source.spm").unlink(), "source.spm is missing"),
    (lambda m: (m / "manifest.json").write_text("{not json"), "manifest is unreadable"),
], ids=["truncated", "garbage", "file-missing", "bad-manifest"])
def test_a_damaged_model_folder_gives_one_clear_line_and_exit_2(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, damage, needle: str) -> None:
    models = tiny_models.use(monkeypatch, tmp_path / "models")
    damage(models / MARIAN_SLUG)
    code, _, err = run("build", str(uncovered_record(tmp_path)), "--out", str(tmp_path / "out"),
                       "--backend", "ct2")
    assert code == 2
    assert_one_line_error(err, needle, "damaged")
    code, out, _ = run("models", "list")
    assert code == 0 and "damaged" in out


def test_fetch_converts_installs_and_can_leave_out_the_hf_files(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import briefgen.translate.models as store

    models = tmp_path / "models"
    monkeypatch.setenv("BRIEFGEN_MODELS", str(models))
    monkeypatch.setenv("BRIEFGEN_REGISTRY", str(tiny_models.registry))
    asked: list[tuple[str, str]] = []

    def fake_hub(hub_id: str, revision: str, dest: Path, progress: bool) -> str:   # no network in tests
        asked.append((hub_id, revision))
        shutil.copytree(tiny_models.hf[hub_id], dest)
        return "f" * 40

    monkeypatch.setattr(store, "hub_download", fake_hub)
    code, out, err = run("models", "fetch", "fr-ar", "fr-ru", "--ct2-only")
    assert code == 0, err
    assert asked == [(MARIAN_ID, "main")]                  # one checkpoint serves both directions
    assert f"{MARIAN_ID}@ffffffffff: installed" in out
    manifest = json.loads((models / MARIAN_SLUG / "manifest.json").read_text())
    assert manifest["commit"] == "f" * 40 and manifest["quantization"] == "int8"
    assert not (models / MARIAN_SLUG / "hf").exists()
    assert "installed (ct2 only)" in run("models", "list")[1]

    record = uncovered_record(tmp_path)
    code, _, err = run("build", str(record), "--out", str(tmp_path / "out"), "--backend", "hf")
    assert code == 2
    assert_one_line_error(err, "no hf files", "--ct2-only")
    code, _, err = run("build", str(record), "--out", str(tmp_path / "out"), "--backend", "ct2", "--threads", "1",
                       "--pdf-variant", "none", "--accept-qa-errors")
    assert code == 0, err


def test_fetch_refuses_a_registry_token_the_model_does_not_know(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import briefgen.translate.models as store

    registry = tmp_path / "registry.toml"
    registry.write_text(f'[directions.fr-ar]\nfamily = "marian"\nhub_id = "{MARIAN_ID}"\nprefix = ">>deu<<"\n')
    monkeypatch.setenv("BRIEFGEN_MODELS", str(tmp_path / "models"))
    monkeypatch.setenv("BRIEFGEN_REGISTRY", str(registry))
    monkeypatch.setattr(store, "hub_download",
                        lambda hub_id, revision, dest, progress: shutil.copytree(tiny_models.hf[hub_id], dest) and "x")
    code, _, err = run("models", "fetch", "fr-ar")
    assert code == 2
    assert_one_line_error(err, "does not know the token(s) >>deu<<")
    assert not (tmp_path / "models" / MARIAN_SLUG).exists()


def test_unknown_directions_are_refused(tmp_path: Path) -> None:
    code, _, err = run("models", "fetch", "fr-de")
    assert code == 2
    assert_one_line_error(err, "no model is registered for fr-de")


def test_pack_and_install_through_the_cli_and_a_tampered_bundle_exits_2(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    tiny_models.use(monkeypatch)
    bundle = tmp_path / "bundle.tar"
    code, out, err = run("models", "pack", str(bundle), "fr-ar")
    assert code == 0, err
    assert "1 model(s)" in out and "briefgen models install bundle.tar --sha256 " in out
    digest = out.split("--sha256 ")[1].split("`")[0]
    assert digest == hashlib.sha256(bundle.read_bytes()).hexdigest()

    monkeypatch.setenv("BRIEFGEN_MODELS", str(tmp_path / "offline"))
    code, out, err = run("models", "install", str(bundle), "--sha256", digest)
    assert code == 0, err
    assert f"installed {MARIAN_SLUG}" in out

    with tarfile.open(bundle) as tar:
        member = tar.getmember(f"{MARIAN_SLUG}/ct2/shared_vocabulary.json")
    data = bytearray(bundle.read_bytes())
    data[member.offset_data] ^= 0x01
    bundle.write_bytes(bytes(data))
    monkeypatch.setenv("BRIEFGEN_MODELS", str(tmp_path / "other"))
    code, _, err = run("models", "install", str(bundle))
    assert code == 2
    assert_one_line_error(err, "checksum mismatch", "Nothing was installed")
    assert list((tmp_path / "other").iterdir()) == []
    code, _, err = run("models", "install", str(bundle), "--sha256", digest)   # the whole file was altered
    assert code == 2
    assert_one_line_error(err, "the bundle's sha256 is not the one given")
    assert list((tmp_path / "other").iterdir()) == []

"""`briefgen models check`: a model that does not translate is found, and fetch and install refuse it."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from tinymodels import BROKEN_ID, COMMIT, MARIAN_ID, TinyModels

from briefgen.cli import main
from briefgen.translate.check import SENTENCES, check_model, judge
from briefgen.translate.models import fetch
from briefgen.translate.registry import load_registry

MARIAN_SLUG = MARIAN_ID.replace("/", "--")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def broken_hub(tiny: TinyModels):
    """A hub whose tiny-marian files are those of the broken conversion."""
    def download(hub_id: str, revision: str, dest: Path, progress: bool) -> str:
        shutil.copytree(tiny.hf[BROKEN_ID if hub_id == MARIAN_ID else hub_id], dest)
        return "b" * 40
    return download


def test_judge_names_empty_repeating_and_wrong_script_output() -> None:
    src = list(SENTENCES["fr"])
    assert judge(src, list(SENTENCES["ru"]), "ru") == []
    problems = judge(src, ["", "консультации консультации консультации консультации консультации",
                           "The next meeting will be held in Moscow."], "ru")
    assert [p.split(":")[0] for p in problems] == ["empty output", "repeats itself",
                                                   "not in the ru script (0% of its letters)"]
    # names and acronyms in Latin letters inside Russian do not make it the wrong script
    assert judge([SENTENCES["fr"][2]], ["Встреча МСЭ и ITU прошла в Женеве."], "ru") == []


def test_the_tiny_models_pass_with_both_backends_through_the_cli(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny_models.use(monkeypatch)
    code, out, err = run("models", "check")
    assert code == 0, err
    lines = out.splitlines()
    for direction, hub_id in (("fr-ru", MARIAN_ID), ("ru-fr", "briefgen-tests/tiny-m2m100")):
        for backend in ("ct2", "hf"):
            line = next(x for x in lines if x.startswith(f"{direction}  {hub_id}  {backend}:"))
            assert " ok (chrF " in line
    code, out, _ = run("models", "check", "fr-ar", "--backend", "ct2")
    assert code == 0 and out.count("ok") == 1 and "  ct2: ok" in out


def test_fetch_refuses_a_broken_conversion_and_the_installed_model_stays(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import briefgen.translate.models as store

    models = tiny_models.use(monkeypatch, tmp_path / "models")
    before = (models / MARIAN_SLUG / "manifest.json").read_bytes()
    monkeypatch.setattr(store, "hub_download", broken_hub(tiny_models))
    code, _, err = run("models", "fetch", "fr-ru")
    assert code == 2
    [line] = [x for x in err.splitlines() if x.startswith("briefgen: error:")]
    assert MARIAN_ID in line and "does not translate" in line and "stays in place" in line
    assert "far from the expected translations" in line or "script" in line or "repeats itself" in line
    assert (models / MARIAN_SLUG / "manifest.json").read_bytes() == before       # the good model is untouched
    assert not [p for p in models.iterdir() if p.name.startswith(".")]             # no staging left behind
    code, out, _ = run("models", "check", "fr-ru")
    assert code == 0 and "ok" in out


def test_models_check_fails_a_broken_model_installed_without_a_check(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    models = tiny_models.use(monkeypatch, tmp_path / "models")
    registry = load_registry(models, packaged=tiny_models.registry)
    fetch([registry.routes["fr-ru"].model], models, download=broken_hub(tiny_models))   # as an old briefgen did
    code, out, _ = run("models", "check", "fr-ru", "fr-ar")
    assert code == 1
    failed = [x for x in out.splitlines() if "FAILED" in x]
    assert {x.split()[0] for x in failed} == {"fr-ru"} and len(failed) == 2            # ct2 and hf both caught
    code, _, err = run("models", "check", "ar-ru")
    assert code == 0, err                                                             # other models are fine


def test_output_far_from_the_cards_published_example_fails(tiny_models: TinyModels) -> None:
    registry = load_registry(tiny_models.models, packaged=tiny_models.registry)
    entry = registry.routes["fr-ru"].model
    assert entry is not None and entry.check_reference
    [good] = check_model(tiny_models.models, entry, registry, ["ct2"])
    assert good.ok and good.chrf is not None and good.chrf > 80
    other = replace(entry, check_reference="Погода в Женеве сегодня солнечная и тёплая.")
    [bad] = check_model(tiny_models.models, other, registry, ["ct2"])
    assert not bad.ok and "far from the output its card publishes" in bad.problems[0]


def test_installing_a_bundle_checks_every_model_before_putting_any_in_place(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    models = tmp_path / "networked"
    registry = load_registry(models, packaged=tiny_models.registry)
    fetch([registry.routes["fr-ru"].model], models, download=broken_hub(tiny_models))
    monkeypatch.setenv("BRIEFGEN_REGISTRY", str(tiny_models.registry))
    monkeypatch.setenv("BRIEFGEN_MODELS", str(models))
    assert run("models", "pack", str(tmp_path / "b.tar"))[0] == 0
    manifest_models = json.loads((models / MARIAN_SLUG / "manifest.json").read_text())
    assert manifest_models["licence"] == "CC-BY-4.0"
    monkeypatch.setenv("BRIEFGEN_MODELS", str(tmp_path / "offline"))
    code, _, err = run("models", "install", str(tmp_path / "b.tar"))
    assert code == 2 and "does not translate" in err
    assert [p for p in (tmp_path / "offline").iterdir() if not p.name.startswith(".")] == []


def test_installed_folders_and_bundles_carry_the_licence_and_attribution(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import tarfile

    text = (tiny_models.models / MARIAN_SLUG / "LICENCE.txt").read_text(encoding="utf-8")
    assert f"Model: {MARIAN_ID} (commit {COMMIT})" in text
    assert "Licence: CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)" in text
    assert "Attribution: briefgen test suite" in text and "int8" in text
    tiny_models.use(monkeypatch)
    assert run("models", "pack", str(tmp_path / "b.tar"))[0] == 0
    with tarfile.open(tmp_path / "b.tar") as tar:
        assert f"{MARIAN_SLUG}/LICENCE.txt" in tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))   # type: ignore[arg-type]
    assert manifest["models"][MARIAN_SLUG]["licence"] == "CC-BY-4.0"
    code, out, _ = run("models", "list")
    assert code == 0 and "LICENCE" in out.splitlines()[2]
    row = next(x for x in out.splitlines() if x.startswith("fr-ru "))
    assert "CC-BY-4.0" in row

"""`briefgen doctor` says what this machine has for building briefs and what to install when it lacks it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from design_support import run_cli
from tinymodels import TinyModels

from briefgen.doctor import APT_FONTS, _fontconfig_match, installed_fonts, run_checks

ALL_FONTS = {"Noto Serif": {"Regular", "Bold"}, "Amiri": {"Regular", "Bold"}}


def test_doctor_reports_versions_memory_and_folders_that_are_not_models(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    models = tmp_path / "models"
    (models / "fr-ar").mkdir(parents=True)
    (models / "fr-ru").mkdir()
    monkeypatch.setenv("BRIEFGEN_MODELS", str(models))
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(tmp_path / "memory.sqlite"))
    code, out, err = run_cli(["doctor"])
    assert err == ""
    for name in ("Python", "WeasyPrint", "Pango", "font Noto Serif", "font Arabic", "translation memory", "models"):
        assert any(line.split(maxsplit=1)[1].startswith(name) for line in out.splitlines()[:-1]), (name, out)
    assert f"{models}: none installed, no translation direction available; other folders: fr-ar, fr-ru" in out
    assert str(tmp_path / "memory.sqlite") in out
    fonts = installed_fonts()
    complete = all(any(f in fonts for f in group) for group in (("Noto Serif",), ("Amiri", "Noto Naskh Arabic")))
    assert code == (0 if complete else 2), out


def test_a_machine_without_the_fonts_gets_exit_2_and_the_apt_get_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import briefgen.doctor as doctor

    monkeypatch.setattr(doctor, "installed_fonts", lambda: {"DejaVu Sans": {"Book"}})
    code, out, _ = run_cli(["doctor"])
    assert code == 2
    assert "MISSING  font Noto Serif" in out and "MISSING  font Arabic" in out
    assert out.strip().splitlines()[-1] == f"to fix: {APT_FONTS}"


def test_arabic_falls_back_to_noto_naskh_and_a_missing_bold_is_reported() -> None:
    checks = {c.name: c for c in run_checks(fonts=lambda: {"Noto Serif": {"Regular"},
                                                           "Noto Naskh Arabic": {"Regular", "Bold"}})}
    assert checks["font Arabic"].ok and "fallback" in checks["font Arabic"].detail
    assert not checks["font Noto Serif"].ok and "bold missing" in checks["font Noto Serif"].detail


def test_models_and_memory_are_information_not_requirements(tmp_path: Path) -> None:
    checks = {c.name: c for c in run_checks(fonts=lambda: ALL_FONTS, memory=tmp_path / "none.sqlite",
                                            models=tmp_path / "no-models")}
    assert not checks["models"].required and "none installed" in checks["models"].detail
    assert not checks["translation memory"].required and "not created yet" in checks["translation memory"].detail
    assert all(c.ok for c in checks.values() if c.required)


def test_doctor_names_the_installed_directions_and_says_records_needing_others_stop(
        tiny_models: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefgen.doctor as doctor

    monkeypatch.setattr(doctor, "installed_fonts", lambda: ALL_FONTS)
    folder = tiny_models.use(monkeypatch, tmp_path / "models")
    shutil.rmtree(folder / "briefgen-tests--tiny-m2m100")      # keep the Marian model: fr→ru and fr→ar only
    code, out, _ = run_cli(["doctor"])
    assert code == 0
    line = next(x for x in out.splitlines() if x.split()[1:2] == ["models"])
    assert line.startswith("note") and f"{folder}: installed: fr→ru, fr→ar; not installed: " in line
    assert {"ru→fr", "ar→fr", "ar→ru", "ru→ar"} <= set(line.split("not installed: ")[1].split(", "))
    assert out.splitlines()[-1] == (
        "everything `make briefs` needs to render is here; but models are installed for fr→ru, fr→ar only: a "
        "record needing another direction stops unless the record, its .tmx or the memory covers its texts "
        "(`briefgen check RECORD` says which)")

    tiny_models.use(monkeypatch)                              # all six directions (ru→ar through French)
    code, out, _ = run_cli(["doctor"])
    assert code == 0 and out.splitlines()[-1] == "everything `make briefs` needs is here"
    assert "not installed" not in out


def test_with_no_model_doctor_says_a_record_stops_unless_covered(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import briefgen.doctor as doctor

    monkeypatch.setattr(doctor, "installed_fonts", lambda: ALL_FONTS)
    monkeypatch.setenv("BRIEFGEN_MODELS", str(tmp_path / "none"))
    code, out, _ = run_cli(["doctor"])
    assert code == 0
    assert "everything `make briefs` needs is here" not in out
    assert out.splitlines()[-1].startswith("everything `make briefs` needs to render is here; but no translation "
                                           "model is installed: a record needing a translation stops unless")


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="compares with fc-list")
def test_fontconfig_is_asked_directly_when_fc_list_is_absent() -> None:
    listed = installed_fonts()
    found = _fontconfig_match(("Amiri", "Noto Serif", "No Such Face Anywhere"))
    assert "No Such Face Anywhere" not in found
    assert set(found) == {f for f in ("Amiri", "Noto Serif") if f in listed}

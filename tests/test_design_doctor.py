"""`briefgen doctor` says what this machine has for building briefs and what to install when it lacks it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from design_support import run_cli

from briefgen.doctor import APT_FONTS, _fontconfig_match, installed_fonts, run_checks

ALL_FONTS = {"Noto Serif": {"Regular", "Bold"}, "Amiri": {"Regular", "Bold"}}


def test_doctor_reports_versions_memory_and_installed_model_folders(tmp_path: Path,
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
    assert f"{models}: fr-ar, fr-ru" in out and str(tmp_path / "memory.sqlite") in out
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


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="compares with fc-list")
def test_fontconfig_is_asked_directly_when_fc_list_is_absent() -> None:
    listed = installed_fonts()
    found = _fontconfig_match(("Amiri", "Noto Serif", "No Such Face Anywhere"))
    assert "No Such Face Anywhere" not in found
    assert set(found) == {f for f in ("Amiri", "Noto Serif") if f in listed}

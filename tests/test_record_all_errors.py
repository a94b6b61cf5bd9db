"""A new user's record makes several mistakes at once: every one is named in one run, in plain words with the
fix (YAML syntax errors stop at the first, since the rest cannot be read), and names are never machine-
translated: a name lacking a language the set needs stops the build even when a model could translate it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import ROOT

from briefgen.cli import main

MULTI = ROOT / "tests" / "data" / "bad" / "multi"
CASES = sorted(MULTI.glob("*.yaml"))
DOSSIER = ROOT / "tests" / "data" / "records" / "tn-ru-2024-06-05" / "tn-ru-2024-06-05.yaml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def expected(case: Path) -> list[str]:
    lines = case.with_suffix(".errors").read_text(encoding="utf-8").splitlines()
    return [f"{case.parent}/{line}" for line in lines if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_build_names_every_mistake_of_the_record_at_once(case: Path, tmp_path: Path) -> None:
    code, out, err = run("build", str(case), "--out", str(tmp_path / "out"))
    assert code == 2 and out == "" and "Traceback" not in err
    want = expected(case)
    lines = err.splitlines()
    assert lines[: len(want)] == [f"briefgen: error: {line}" for line in want]
    summary = [f"briefgen: {len(want)} problems in {case}: fix them all, then run again"] if len(want) > 1 else []
    assert lines[len(want):] == summary
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_check_prints_the_same_lines_and_says_not_ready(case: Path) -> None:
    code, out, err = run("check", str(case))
    assert code == 2 and err == ""
    want = expected(case)
    assert out.splitlines() == [*want, f"{case}: not ready: {len(want)} problem(s) in the record"]


def test_the_officers_three_runs_tabs_then_indentation_then_all_the_rest() -> None:
    """The same record at three stages: syntax stops at the first kind of problem; the schema has nine."""
    counts = [len(expected(MULTI / f"tn-ru-{n}.yaml")) for n in ("1-tabs", "2-indent", "3-schema")]
    assert counts == [3, 1, 9]


def _record_with(tmp_path: Path, old: str, new: str) -> Path:
    text = DOSSIER.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / DOSSIER.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_name_without_the_arabic_form_stops_the_build_even_with_a_translation_backend(tmp_path: Path) -> None:
    record = _record_with(tmp_path, "name: {ru: Максут Шадаев, ar: مقصود شادايف, fr: Maksout Chadaïev}",
                          "name: {ru: Максут Шадаев, fr: Maksout Chadaïev}")
    code, _, err = run("build", str(record), "--out", str(tmp_path / "out"), "--backend", "pseudo")
    assert code == 2
    assert err.splitlines() == [
        f"briefgen: error: {record}:34: delegations[1].head.name: no Arabic (ar) form of this name, which the tn "
        "delegation's brief needs; names are never machine-translated: write it as {ru: Максут Шадаев, fr: Maksout "
        "Chadaïev, ar: …}"]
    assert not (tmp_path / "out").exists()


def test_a_plain_string_name_is_in_the_records_language_and_lacks_every_other(tmp_path: Path) -> None:
    record = _record_with(tmp_path, "name: {ru: Сами Тлили, ar: سامي التليلي}", "name: Сами Тлили")
    code, out, _ = run("check", str(record))
    assert code == 2
    assert out.splitlines()[0] == (
        f"{record}:28: delegations[0].members[0].name: no Arabic (ar) form of this name, which the tn delegation's "
        "brief needs; names are never machine-translated: write it as {ru: Сами Тлили, ar: …}")


def test_a_name_missing_the_records_own_language_is_needed_by_the_master_copy(tmp_path: Path) -> None:
    record = _record_with(tmp_path, "name: {ru: Сами Тлили, ar: سامي التليلي}", "name: {ar: سامي التليلي}")
    code, out, _ = run("check", str(record))
    assert code == 2
    assert ("no Russian (ru) form of this name, which the master copy and the ru delegation's brief need; "
            "names are never machine-translated: write it as {ar: سامي التليلي, ru: …}") in out.splitlines()[0]


def test_a_name_in_every_language_of_the_set_is_enough_french_is_not_needed(tmp_path: Path) -> None:
    # the head of the Tunisian delegation has no French form: no brief of this set is in French
    record = _record_with(tmp_path, "name: {ru: Низар Бен Наджи, ar: نزار بن ناجي, fr: Nizar Ben Néji}",
                          "name: {ru: Низар Бен Наджи, ar: نزار بن ناجي}")
    code, out, _ = run("check", str(record), "--backend", "pseudo")
    assert code == 0, out


def test_a_date_given_as_a_number_is_refused_not_read_as_a_unix_time(tmp_path: Path) -> None:
    record = _record_with(tmp_path, "date: 2024-06-05", "date: 1717545600")
    code, out, _ = run("check", str(record))
    assert code == 2
    assert f"{record}:9: date: write dates as YYYY-MM-DD, e.g. 2024-06-05 (not '1717545600')" in out.splitlines()


def test_a_duplicate_key_is_reported_with_the_schema_errors_not_alone(tmp_path: Path) -> None:
    record = _record_with(tmp_path, "venue: Санкт-Петербург\ncountry: RU\n",
                          "venue: Санкт-Петербург\nvenue: Москва\ncountry: Russia\n")
    code, out, _ = run("check", str(record))
    assert code == 2
    assert out.splitlines() == [
        f"{record}:11: venue: duplicate key 'venue' (also on line 10): keep one",
        f"{record}:12: country: use the two-letter ISO 3166-1 country code in capitals: RU for 'Russia'",
        f"{record}: not ready: 2 problem(s) in the record"]

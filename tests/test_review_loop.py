"""QA on every build, XLIFF review round trip, and a memory that learns from review."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, pdf_text
from design_support import qa_rows, run
from lxml import etree

from briefgen.config import Settings
from briefgen.pipeline import build
from briefgen.translate.base import Translator

XLF = "{urn:oasis:names:tc:xliff:document:1.2}"






@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    """A copy of the example record and its reviewed translations, so tests may edit them."""
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    shutil.copy(EXAMPLE.with_suffix(".tmx"), tmp_path / EXAMPLE.with_suffix(".tmx").name)
    return tmp_path


def _set_tmx(tmx: Path, seg_id: str, lang: str, text: str) -> None:
    tree = etree.parse(str(tmx))
    tu = tree.find(f".//tu[@tuid='{seg_id}']")
    tuv = next(t for t in tu.findall("tuv") if t.get("{http://www.w3.org/XML/1998/namespace}lang") == lang)
    tuv.find("seg").text = text
    tree.write(str(tmx), encoding="UTF-8", xml_declaration=True)


def test_qa_report_is_written_on_every_build(example_build: Path) -> None:
    html = (example_build / "qa.html").read_text(encoding="utf-8")
    assert "<h1>QA report — eg-ru-2019-06-09</h1>" in html and "Review status" in html
    rows = qa_rows(example_build)
    assert all(r["severity"] != "error" for r in rows)
    manifest = json.loads((example_build / "manifest.json").read_text())
    assert manifest["translation"]["ar"]["reviewed_share"] == 1.0


def test_number_mismatch_and_untranslated_segment_are_errors_and_fail_on_qa_exits_1(workdir: Path) -> None:
    tmx = workdir / "eg-ru-2019-06-09.tmx"
    _set_tmx(tmx, "occasion", "ar", "على هامش الاجتماع الوزاري لمجموعة العشرين (٨-١٠ يونيو ٢٠١٩)")
    _set_tmx(tmx, "agenda.ict-cooperation.outcomes.1", "ru",
             "Examen des moyens d’améliorer la coopération dans le domaine des TIC.")
    record = workdir / EXAMPLE.name
    code, out, _ = run("build", str(record), "--out", str(workdir / "out"), "--fail-on-qa", "error")
    assert code == 1
    assert "ar 1 error(s)" in out and "ru 1 error(s)" in out
    rows = qa_rows(workdir / "out" / "eg-ru-2019-06-09")
    number = next(r for r in rows if r["code"] == "number")
    assert (number["lang"], number["segment_id"], number["para"]) == ("ar", "occasion", "")
    assert number["message"] == "numbers differ from the source: missing 9; unexpected 10"
    same = next(r for r in rows if r["code"] == "untranslated")
    assert (same["lang"], same["segment_id"], same["para"]) == ("ru", "agenda.ict-cooperation.outcomes.1", "12")
    # without --fail-on-qa too (QA errors fail a build by default); accepted by flag, the build succeeds
    code, out, _ = run("build", str(record), "--out", str(workdir / "out"))
    assert code == 1 and "QA: ar 1 error(s)" in out
    code, out, _ = run("build", str(record), "--out", str(workdir / "out"), "--accept-qa-errors")
    assert code == 0 and "QA: ar 1 error(s)" in out


class TermDroppingTranslator(Translator):
    """Translates into 'ru' by echoing, but never writes the cybersecurity term: in a sentence it writes
    «защита», alone «охрана» (so the glossary's repair cannot find its rendering), and it breaks placeholders."""

    name = "drop"

    def _translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        alone = re.compile(r"(^|; )cybersécurité(?= ;|$)")          # the term alone, or an item of a list
        return [alone.sub(r"\1охрана", t).replace("cybersécurité", "защита").replace("кибербезопасность", "защита")
                .replace("<t", "<x") for t in texts]

    def signature(self, src: str, tgt: str) -> str:
        return "drop:1"


def test_a_missing_glossary_term_in_a_machine_translation_is_an_error(tmp_path: Path) -> None:
    record = tmp_path / "m.yaml"
    text = (ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
    record.write_text(text + "    outcomes:\n      - Coopérer dans le domaine de la cybersécurité.\n", encoding="utf-8")
    result = build(record, Settings(out_dir=tmp_path / "out", memory=tmp_path / "m.sqlite"),
                   translator=TermDroppingTranslator())
    rows = qa_rows(result.out_dir)
    term = [r for r in rows if r["code"] == "term" and r["lang"] == "ru"]
    assert term and term[0]["segment_id"] == "agenda.ai.outcomes.1" and term[0]["severity"] == "error"
    unrepaired = result.manifest["glossary"]["terms"]["ru"]["unrepaired"]
    assert [u["segment"] for u in unrepaired] == ["agenda.ai.outcomes.1"]
    assert "cybersecurity" in unrepaired[0]["concepts"]


def test_review_round_trip_puts_the_translators_edit_in_the_arabic_brief_only(workdir: Path) -> None:
    record = workdir / EXAMPLE.name
    out = workdir / "out"
    assert run("build", str(record), "--out", str(out))[0] == 0
    before = {p.name: pdf_text(p) for p in (out / "eg-ru-2019-06-09").glob("*.pdf")}
    xlf = workdir / "ar.xlf"
    assert run("review", "export", str(record), "--lang", "ar", "-o", str(xlf))[0] == 0
    tree = etree.parse(str(xlf))
    unit = tree.find(f".//{XLF}trans-unit[@id='agenda.artificial-intelligence.title']")
    assert unit.find(f"{XLF}note").get("from") == "glossary"
    edit = "الذكاء الاصطناعي وتطبيقاته"
    unit.find(f"{XLF}target").text = edit
    unit.find(f"{XLF}target").set("state", "translated")
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    code, printed, _ = run("review", "import", str(xlf), "--reviewer", "amina")
    assert code == 0 and "imported 1 reviewed segment(s)" in printed
    assert run("build", str(record), "--out", str(out))[0] == 0
    after = {p.name: pdf_text(p) for p in (out / "eg-ru-2019-06-09").glob("*.pdf")}
    assert edit in after["eg-ru-2019-06-09.eg.ar.pdf"] and edit not in before["eg-ru-2019-06-09.eg.ar.pdf"]

    def content(text: str) -> str:   # the build signature changes on every PDF of a new set; the text does not
        return re.sub(r"\b[0-9a-f]{12}\b|briefgen-\S+", "", text)

    for name in ("eg-ru-2019-06-09.ru.ru.pdf", "eg-ru-2019-06-09.master.fr.pdf"):
        assert content(after[name]) == content(before[name])
    manifest = json.loads((out / "eg-ru-2019-06-09" / "manifest.json").read_text())
    assert manifest["translation"]["ar"]["reviewed"] >= 1


def test_every_exported_unit_has_a_target_and_missing_exports_only_the_texts_still_to_translate(
        workdir: Path) -> None:
    """A translator without a CAT tool types into <target>: empty for a missing text (needs-translation),
    final for a reviewed one; --missing leaves the covered texts out, and typing into the empty target and
    importing it covers the text."""
    record, tmx = workdir / EXAMPLE.name, workdir / EXAMPLE.with_suffix(".tmx").name
    tree = etree.parse(str(tmx))
    for seg_id in ("agenda.electronics.title", "previous.1"):
        tu = tree.find(f".//tu[@tuid='{seg_id}']")
        tu.getparent().remove(tu)
    tree.write(str(tmx), encoding="UTF-8", xml_declaration=True)
    xlf = workdir / "ar.xlf"
    code, printed, _ = run("review", "export", str(record), "--lang", "ar", "-o", str(xlf))
    assert code == 0
    units = etree.parse(str(xlf)).findall(f".//{XLF}trans-unit")
    assert units and all(u.find(f"{XLF}target") is not None for u in units)
    states = {u.get("id"): (u.find(f"{XLF}target").get("state"), u.find(f"{XLF}target").text) for u in units}
    assert states["previous.1"] == states["agenda.electronics.title"] == ("needs-translation", None)
    assert states["agenda.cybersecurity.title"] == ("final", "التعاون في مجال الأمن السيبراني")
    # a second export over the first needs --force, and says so
    code, _, err = run("review", "export", str(record), "--lang", "ar", "--missing", "-o", str(xlf))
    assert code == 2 and "add --force to replace it" in err
    code, printed, _ = run("review", "export", str(record), "--lang", "ar", "--missing", "--force", "-o", str(xlf))
    assert code == 0 and printed == f"{xlf}: 2 segments to translate\n"
    tree = etree.parse(str(xlf))
    units = tree.findall(f".//{XLF}trans-unit")
    assert [u.get("id") for u in units] == ["agenda.electronics.title", "previous.1"]
    units[0].find(f"{XLF}target").text = "تصميم المنتجات الإلكترونية وتصنيعها"   # typed by hand, state untouched
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    code, printed, _ = run("review", "import", str(xlf), "--reviewer", "amina")
    assert code == 0 and "imported 1 reviewed segment(s)" in printed
    code, printed, _ = run("review", "export", str(record), "--lang", "ar", "--missing", "--force", "-o", str(xlf))
    assert printed == f"{xlf}: 1 segments to translate\n"


def test_a_segment_whose_source_changed_since_export_is_stale_and_not_imported(workdir: Path) -> None:
    record = workdir / EXAMPLE.name
    xlf = workdir / "ru.xlf"
    assert run("review", "export", str(record), "--lang", "ru", "-o", str(xlf))[0] == 0
    tree = etree.parse(str(xlf))
    for seg_id in ("venue", "classification"):
        target = tree.find(f".//{XLF}trans-unit[@id='{seg_id}']/{XLF}target")
        target.text = "ИЗМЕНЕНО"
        target.set("state", "final")
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    record.write_text(record.read_text(encoding="utf-8").replace("venue: Préfecture d’Ibaraki, Japon",
                                                                 "venue: Tsukuba, préfecture d’Ibaraki"),
                      encoding="utf-8")
    code, printed, err = run("review", "import", str(xlf), "--record", str(record))
    assert code == 0
    assert "imported 1 reviewed segment(s)" in printed and "1 stale" in printed
    assert "stale (the source changed since export; not imported, export again): venue" in err


def test_a_file_for_another_language_or_record_is_refused(workdir: Path, tmp_path: Path) -> None:
    record = workdir / EXAMPLE.name
    xlf = workdir / "ru.xlf"
    assert run("review", "export", str(record), "--lang", "ru", "-o", str(xlf))[0] == 0
    code, _, err = run("review", "import", str(xlf), "--lang", "ar")
    assert code == 2 and f"{xlf}: this file is in 'ru', not 'ar'" in err
    other = tmp_path / "other.yaml"
    other.write_text((ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = run("review", "import", str(xlf), "--record", str(other))
    assert code == 2 and "this file is for record 'eg-ru-2019-06-09', not 'minimal'" in err


def test_an_xliff_with_an_external_entity_is_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.xlf"
    evil.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
                    '<xliff version="1.2"><file><body><trans-unit id="a"><source>&e;</source></trans-unit>'
                    '</body></file></xliff>', encoding="utf-8")
    code, _, err = run("review", "import", str(evil))
    assert code == 2 and f"{evil}:2: DOCTYPE and entity declarations are not allowed" in err


def test_memory_tmx_export_and_import_round_trip(workdir: Path, tmp_path: Path, monkeypatch) -> None:
    # a build reads the record's .tmx where it is; only an import puts its units into the memory
    assert run("build", str(workdir / EXAMPLE.name), "--out", str(workdir / "out"))[0] == 0
    assert run("memory", "export", "-o", str(tmp_path / "empty.tmx"))[1].endswith(": 0 translation units\n")
    assert run("memory", "import", str(workdir / EXAMPLE.with_suffix(".tmx").name))[0] == 0
    tmx = tmp_path / "all.tmx"
    code, out, _ = run("memory", "export", "-o", str(tmx))
    assert code == 0
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(tmp_path / "fresh.sqlite"))
    code, out, _ = run("memory", "import", str(tmx))
    # 28 shared segments × (ru, ar); each side's own points and notes in its language only: 9 ar, 7 ru
    assert code == 0 and "82 translations added" in out
    assert run("build", str(workdir / EXAMPLE.name), "--out", str(tmp_path / "out2"))[0] == 0

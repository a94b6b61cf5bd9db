"""The dossier travels: a record, its .tmx and its .glossary.tsv side by side are everything a build needs.

The Tunisia–Russia record (Russian source, an Arabic-reading delegation) goes the way that works without any
model: `review export` → the translator fills in the XLIFF → `review import`, which writes the reviewed units
into the record's .tmx; the folder copied to a machine with an empty memory then checks ready and builds.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT
from lxml import etree

from briefgen.cli import main
from briefgen.memory.store import Memory
from briefgen.memory.tmx import read_tmx

DOSSIER = ROOT / "tests" / "data" / "records" / "tn-ru-2024-06-05"
NS = "urn:oasis:names:tc:xliff:document:1.2"
X = f"{{{NS}}}"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def translator(xliff: Path, done: Path, edits: dict[str, str] | None = None) -> int:
    """What the translator does in the CAT tool: the Arabic of translator.ru-ar.tsv in every unit to translate."""
    rows = (DOSSIER / "translator.ru-ar.tsv").read_text(encoding="utf-8").splitlines()[1:]
    arabic = dict(row.split("\t") for row in rows)
    tree = etree.parse(str(xliff))
    filled = 0
    for tu in tree.iter(f"{X}trans-unit"):
        if tu.get("translate") == "no":
            continue
        source = tu.find(f"{X}source").text
        target = tu.find(f"{X}target")
        if target is None:
            target = etree.Element(f"{X}target")
            tu.find(f"{X}source").addnext(target)
        target.text = (edits or {}).get(tu.get("id"), arabic.get(source, target.text))
        target.set("state", "translated")
        filled += 1
    tree.write(str(done), xml_declaration=True, encoding="UTF-8")
    return filled


@pytest.fixture()
def reviewed(tmp_path: Path) -> Path:
    """The record in meetings/, its Arabic reviewed by a translator through XLIFF; returns the record."""
    record = tmp_path / "meetings" / "tn-ru-2024-06-05.yaml"
    record.parent.mkdir()
    shutil.copy(DOSSIER / record.name, record)
    code, out, _ = run("review", "export", str(record), "--lang", "ar", "-o", str(tmp_path / "tn.ar.xlf"))
    # 21: the Russian officer's own talking points and the assessment of Tunisia's position are for no
    # brief in Arabic, so they are not in the Arabic translator's file
    assert code == 0 and out == f"{tmp_path / 'tn.ar.xlf'}: 21 segments for review\n"
    (tmp_path / "mail").mkdir()
    assert translator(tmp_path / "tn.ar.xlf", tmp_path / "mail" / "tn.ar.xlf") == 18
    code, out, err = run("review", "import", str(tmp_path / "mail" / "tn.ar.xlf"), "--reviewer", "amina")
    assert code == 0, err
    assert out == (f"tn-ru-2024-06-05 ar: imported 18 reviewed segment(s), 0 unchanged, 0 stale; "
                   f"{record.with_suffix('.tmx')} now holds 18 reviewed translation(s) (keep it beside the record)\n")
    return record


def test_review_import_writes_the_reviewed_units_into_the_records_tmx(reviewed: Path) -> None:
    sidecar = reviewed.with_suffix(".tmx")
    root = etree.parse(str(sidecar)).getroot()
    assert root.find("header").get("creationtool") == "briefgen"
    assert root.find("header/prop[@type='x-briefgen-record']").text == "tn-ru-2024-06-05"
    tuids = [tu.get("tuid") for tu in root.iter("tu")]
    assert len(tuids) == len(set(tuids)) == 18
    assert tuids[:3] == ["title", "venue", "occasion"]                       # in the record's order
    units = read_tmx(sidecar, "tn-ru-2024-06-05")
    assert {(u.status, u.signature, u.tgt_lang) for u in units} == {("reviewed", "review:amina", "ar")}
    outcome = next(u for u in units if u.segment_id == "agenda.e-government.outcomes.1")
    assert outcome.tgt_text == "اتفق الجانبان على إعداد برنامج لتبادل الخبرات في مجال الحكومة الإلكترونية."


def test_the_copied_folder_builds_on_a_machine_with_an_empty_memory(reviewed: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run("check", str(reviewed))
    assert code == 0 and out.splitlines()[-1] == f"{reviewed}: ready to build"
    colleague = tmp_path / "colleague"
    shutil.copytree(reviewed.parent, colleague / "meetings")
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(colleague / "empty-memory.sqlite"))
    record = colleague / "meetings" / reviewed.name
    code, out, _ = run("check", str(record))
    assert code == 0, out
    assert f"{record}: ru→ar: 21 texts: 3 in the record, 18 reviewed, 0 machine drafts; all covered" in out
    code, out, err = run("build", str(record), "--out", str(colleague / "out"), "--backend", "none",
                         "--pdf-variant", "none")
    assert code == 0, err
    manifest = json.loads((colleague / "out" / "tn-ru-2024-06-05" / "manifest.json").read_text())
    assert manifest["translation"]["ar"] == {"given": 3, "reviewed": 18, "reused": 0, "machine": 0,
                                             "reviewed_share": 1.0, "reused_share": 0.0}
    assert sorted(f["file"] for f in manifest["files"]) == [
        "tn-ru-2024-06-05.master.ru.pdf", "tn-ru-2024-06-05.ru.ru.pdf", "tn-ru-2024-06-05.tn.ar.pdf"]


def test_a_second_review_replaces_the_units_it_changes_and_keeps_the_others(reviewed: Path, tmp_path: Path) -> None:
    run("review", "export", str(reviewed), "--lang", "ar", "-o", str(tmp_path / "again.xlf"))
    better = "اتفق الجانبان على إعداد برنامج مشترك لتبادل الخبرات في مجال الحكومة الإلكترونية."
    translator(tmp_path / "again.xlf", tmp_path / "again.done.xlf", {"agenda.e-government.outcomes.1": better})
    # the file has moved away from where it was exported: --record names the record
    shutil.move(tmp_path / "again.done.xlf", tmp_path / "mail" / "again.xlf")
    code, out, _ = run("review", "import", str(tmp_path / "mail" / "again.xlf"), "--record", str(reviewed))
    assert code == 0 and "imported 1 reviewed segment(s), 17 unchanged" in out
    units = read_tmx(reviewed.with_suffix(".tmx"), "tn-ru-2024-06-05")
    assert len(units) == 18
    assert next(u.tgt_text for u in units if u.segment_id == "agenda.e-government.outcomes.1") == better


def test_after_a_source_edit_the_export_offers_the_previous_translation_not_an_empty_unit(
        reviewed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = reviewed.read_text(encoding="utf-8")
    reviewed.write_text(text.replace("Подготовить проект программы обмена опытом.",
                                     "Подготовить проект программы обмена опытом и стажировок."), encoding="utf-8")
    # on another machine: only the folder, an empty memory
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(tmp_path / "other-memory.sqlite"))
    assert run("review", "export", str(reviewed), "--lang", "ar", "-o", str(tmp_path / "stale.xlf"))[0] == 0
    tu = next(t for t in etree.parse(str(tmp_path / "stale.xlf")).iter(f"{X}trans-unit")
              if t.get("id") == "agenda.e-government.actions.1")
    assert tu.find(f"{X}source").text == "Подготовить проект программы обмена опытом и стажировок."
    assert tu.find(f"{X}target") is None                 # never a target: an untouched unit is not a review
    alt = tu.find(f"{X}alt-trans")
    assert alt.get("origin") == "briefgen:previous-translation" and alt.get("match-quality") == "87"
    assert alt.find(f"{X}source").text == "Подготовить проект программы обмена опытом."
    assert alt.find(f"{X}target").text == "إعداد مشروع برنامج لتبادل الخبرات."
    notes = [n.text for n in tu.findall(f"{X}note") if n.get("from") == "briefgen"]
    assert notes == ["the source changed; the previous translation was: إعداد مشروع برنامج لتبادل الخبرات. "
                     "(for: Подготовить проект программы обмена опытом.)"]
    # returned untouched, nothing is imported for it; the check still names it
    code, out, _ = run("review", "import", str(tmp_path / "stale.xlf"))
    assert code == 0 and "imported 0 reviewed segment(s)" in out
    code, out, _ = run("check", str(reviewed))
    assert code == 2 and "  agenda.e-government.actions.1" in out.splitlines()


def test_memory_export_of_one_record_has_its_units_only_with_ids_that_cannot_collide(
        reviewed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the example's .tmx, exported as one record's file, goes into the same memory (only an import puts it there)
    assert run("memory", "export", "--record", str(EXAMPLE), "-o", str(tmp_path / "eg.tmx"))[0] == 0
    assert run("memory", "import", str(tmp_path / "eg.tmx"))[0] == 0
    code, out, _ = run("memory", "export", "--record", str(reviewed), "-o", str(tmp_path / "tn.tmx"))
    assert code == 0 and out == f"{tmp_path / 'tn.tmx'}: 18 translation units\n"
    root = etree.parse(str(tmp_path / "tn.tmx")).getroot()
    assert root.find("header/prop[@type='x-briefgen-record']").text == "tn-ru-2024-06-05"
    assert {tu.get("srclang") for tu in root.iter("tu")} == {"ru"}
    tuids = [tu.get("tuid") for tu in root.iter("tu")]
    assert len(set(tuids)) == 18 and "title" in tuids

    code, _, _ = run("memory", "export", "-o", str(tmp_path / "all.tmx"))
    assert code == 0
    tuids = [tu.get("tuid") for tu in etree.parse(str(tmp_path / "all.tmx")).getroot().iter("tu")]
    assert len(tuids) == len(set(tuids))                   # "title" is in both records
    assert {"tn-ru-2024-06-05/title", "eg-ru-2019-06-09/title"} <= set(tuids)
    # and back into an empty memory, each unit keeps its record and segment
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(tmp_path / "fresh.sqlite"))
    assert run("memory", "import", str(tmp_path / "all.tmx"))[0] == 0
    with Memory(tmp_path / "fresh.sqlite") as memory:
        keys = {(u.record_id, u.segment_id, u.tgt_lang) for u in memory.units()}
    assert ("tn-ru-2024-06-05", "title", "ar") in keys and ("eg-ru-2019-06-09", "title", "ru") in keys


def test_a_tmx_beside_the_record_that_briefgen_did_not_write_is_not_rewritten(tmp_path: Path) -> None:
    record = tmp_path / "tn-ru-2024-06-05.yaml"
    shutil.copy(DOSSIER / record.name, record)
    theirs = ('<?xml version="1.0"?>\n<tmx version="1.4"><header creationtool="SDL Trados" srclang="ru" '
              'segtype="sentence" adminlang="en" datatype="plaintext" o-tmf="x" creationtoolversion="1"/>'
              '<body/></tmx>\n')
    record.with_suffix(".tmx").write_text(theirs, encoding="utf-8")
    run("review", "export", str(record), "--lang", "ar", "-o", str(tmp_path / "a.xlf"))
    translator(tmp_path / "a.xlf", tmp_path / "b.xlf")
    code, _, err = run("review", "import", str(tmp_path / "b.xlf"))
    assert code == 2 and f"{record.with_suffix('.tmx')}: exists and was not written by briefgen" in err
    assert record.with_suffix(".tmx").read_text(encoding="utf-8") == theirs
    with Memory(Path(__import__("os").environ["BRIEFGEN_MEMORY"])) as memory:   # nothing imported either
        assert not [u for u in memory.units() if u.record_id == "tn-ru-2024-06-05" and u.status == "reviewed"]

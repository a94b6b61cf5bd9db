"""Where a printed translation comes from: the record's dossier (its own texts, the .tmx beside it) is the
authority for that record; the memory fills in, with reviewed translations made for other records counted
apart (manifest ``reused_share``) and listed in QA; two reviewed translations that disagree are a QA error
naming both sources."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, pdf_text
from design_support import qa_rows, run
from lxml import etree

XLF = "{urn:oasis:names:tc:xliff:document:1.2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SEG = "agenda.cybersecurity.title"
OWN_AR = "التعاون في مجال الأمن السيبراني"       # what the example's .tmx says for SEG in Arabic
TEST_PHRASE = "عبارة تجريبية للاختبار فقط"          # a reviewer's test edit, imported for copy A only
ARABIC_PDF = "eg-ru-2019-06-09.eg.ar.pdf"






def copy_of_example(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    shutil.copy(EXAMPLE.with_suffix(".tmx"), folder / EXAMPLE.with_suffix(".tmx").name)
    return folder / EXAMPLE.name


def drop_from_tmx(record: Path, seg_id: str, lang: str) -> None:
    """The record's .tmx without its ``lang`` translation of ``seg_id``."""
    tmx = record.with_suffix(".tmx")
    tree = etree.parse(str(tmx))
    tu = tree.find(f".//tu[@tuid='{seg_id}']")
    tu.remove(next(t for t in tu.findall("tuv") if t.get(XML_LANG) == lang))
    tree.write(str(tmx), encoding="UTF-8", xml_declaration=True)


def _edited_xliff(record: Path, lang: str, seg_id: str, text: str, out: Path) -> Path:
    """``record``'s review export for ``lang`` with one segment translated, written to ``out``."""
    xlf = out.with_name(f"export.{out.name}")
    assert run("review", "export", str(record), "--lang", lang, "-o", str(xlf))[0] == 0
    tree = etree.parse(str(xlf))
    target = tree.find(f".//{XLF}trans-unit[@id='{seg_id}']/{XLF}target")
    target.text = text
    target.set("state", "translated")
    tree.write(str(out), encoding="UTF-8", xml_declaration=True)
    return out


def review_for(record: Path, seg_id: str, lang: str, text: str, work: Path) -> None:
    """A translator's edit of one segment, imported through XLIFF for ``record`` (memory and its .tmx)."""
    xlf = _edited_xliff(record, lang, seg_id, text, work / f"{record.parent.name}.{lang}.xlf")
    code, out, err = run("review", "import", str(xlf), "--reviewer", "amina")
    assert code == 0 and "imported 1 reviewed segment(s)" in out, err


@pytest.fixture()
def copies(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the example record in their own folders; a review of copy A imported (memory, A's .tmx)."""
    a, b = copy_of_example(tmp_path / "a"), copy_of_example(tmp_path / "b")
    review_for(a, SEG, "ar", TEST_PHRASE, tmp_path)
    return a, b


def test_a_review_imported_for_one_copy_does_not_override_another_copys_own_tmx(copies: tuple[Path, Path],
                                                                                 tmp_path: Path) -> None:
    a, b = copies
    code, _, err = run("build", str(b), "--out", str(tmp_path / "out-b"))
    assert code == 0, err
    text = pdf_text(tmp_path / "out-b" / "eg-ru-2019-06-09" / ARABIC_PDF)
    assert OWN_AR in text and TEST_PHRASE not in text
    manifest = json.loads((tmp_path / "out-b" / "eg-ru-2019-06-09" / "manifest.json").read_text())
    assert manifest["translation"]["ar"]["reused"] == 0 and manifest["translation"]["ar"]["reused_share"] == 0
    assert not [r for r in qa_rows(tmp_path / "out-b" / "eg-ru-2019-06-09") if r["code"] == "reused"]
    # copy A's own dossier has the edit: A prints it, as its own reviewed text
    assert run("build", str(a), "--out", str(tmp_path / "out-a"))[0] == 0
    assert TEST_PHRASE in pdf_text(tmp_path / "out-a" / "eg-ru-2019-06-09" / ARABIC_PDF)


def test_a_reviewed_translation_from_the_memory_fills_a_gap_in_the_dossier_counted_apart_and_listed(
        copies: tuple[Path, Path], tmp_path: Path) -> None:
    _, b = copies
    drop_from_tmx(b, SEG, "ar")
    code, _, err = run("build", str(b), "--out", str(tmp_path / "out"))
    assert code == 0, err
    folder = tmp_path / "out" / "eg-ru-2019-06-09"
    assert TEST_PHRASE in pdf_text(folder / ARABIC_PDF)
    manifest = json.loads((folder / "manifest.json").read_text())
    ar = manifest["translation"]["ar"]
    assert ar["reused"] == 1 and ar["reused_share"] == round(1 / sum(ar[k] for k in
                                                                   ("given", "reviewed", "reused", "machine")), 4)
    assert manifest["translation"]["ru"]["reused"] == 0
    reused = [r for r in qa_rows(folder) if r["code"] == "reused"]
    assert [(r["lang"], r["severity"], r["segment_id"], r["origin"]) for r in reused] == [
        ("ar", "warning", SEG, "reused")]
    assert "review:amina" in reused[0]["message"] and "record eg-ru-2019-06-09" in reused[0]["message"]
    assert reused[0]["target"] == TEST_PHRASE
    # the translator is offered it for review, with where it came from
    assert run("review", "export", str(b), "--lang", "ar", "-o", str(tmp_path / "b.ar.xlf"))[0] == 0
    unit = etree.parse(str(tmp_path / "b.ar.xlf")).find(f".//{XLF}trans-unit[@id='{SEG}']")
    assert unit.find(f"{XLF}target").get("state") == "needs-review-translation"
    assert any("warning: reused:" in (n.text or "") and "review:amina" in n.text for n in unit.iter(f"{XLF}note"))
    # confirmed by the translator, it becomes the record's own: into its .tmx, no longer reused
    unit.find(f"{XLF}target").set("state", "translated")
    unit.getroottree().write(str(tmp_path / "b.ar.xlf"), encoding="UTF-8", xml_declaration=True)
    code, out, _ = run("review", "import", str(tmp_path / "b.ar.xlf"), "--reviewer", "omar")
    assert code == 0 and "imported 1 reviewed segment(s)" in out
    assert TEST_PHRASE in b.with_suffix(".tmx").read_text(encoding="utf-8")
    assert run("build", str(b), "--out", str(tmp_path / "out"))[0] == 0
    assert json.loads((folder / "manifest.json").read_text())["translation"]["ar"]["reused"] == 0


def _tmx(path: Path, units: list[tuple[str, str, str]]) -> Path:
    """A TMX of reviewed fr→ar units (tuid, French, Arabic) made by another tool."""
    body = "".join(f'<tu tuid="{tuid}"><tuv xml:lang="fr"><seg>{fr}</seg></tuv>'
                   f'<tuv xml:lang="ar"><seg>{ar}</seg></tuv></tu>' for tuid, fr, ar in units)
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="fr" '
                    f'creationtool="other" segtype="paragraph" o-tmf="x" adminlang="en" datatype="plaintext"/>'
                    f'<body>{body}</body></tmx>', encoding="utf-8")
    return path


def test_two_reviewed_translations_from_the_memory_that_disagree_are_an_error_naming_both(tmp_path: Path) -> None:
    b = copy_of_example(tmp_path / "b")
    drop_from_tmx(b, SEG, "ar")
    source = "Coopération dans le domaine de la cybersécurité"
    tmx = _tmx(tmp_path / "dept.tmx", [("rec-x/item1", source, "التعاون السيبراني"),
                                        ("rec-y/item9", source, "تعاون في الأمن السيبراني")])
    assert run("memory", "import", str(tmx), "--reviewed")[0] == 0
    _, _, err = run("build", str(b), "--out", str(tmp_path / "out"))   # written for the reviewer, with QA errors
    folder = tmp_path / "out" / "eg-ru-2019-06-09"
    conflict = [r for r in qa_rows(folder) if r["code"] == "conflict"]
    assert [(r["lang"], r["severity"], r["segment_id"]) for r in conflict] == [("ar", "error", SEG)], err
    message = conflict[0]["message"]
    assert "record rec-x" in message and "record rec-y" in message
    assert "التعاون السيبراني" in message and "تعاون في الأمن السيبراني" in message
    assert json.loads((folder / "manifest.json").read_text())["qa"]["ar"]["error"] >= 1
    code, out, _ = run("check", str(b))
    assert code == 2 and f"{b}: {SEG} (ar): {message}" in out.splitlines()
    assert f"{b}: not ready: 1 segment(s) with two reviewed translations that disagree" in out.splitlines()


def test_two_units_of_the_dossier_that_disagree_are_an_error_naming_both_lines(tmp_path: Path) -> None:
    b = copy_of_example(tmp_path / "b")
    tmx = b.with_suffix(".tmx")
    tree = etree.parse(str(tmx))
    tu = tree.find(f".//tu[@tuid='{SEG}']")
    twin = etree.fromstring(etree.tostring(tu))
    next(t for t in twin.findall("tuv") if t.get(XML_LANG) == "ar").find("seg").text = TEST_PHRASE
    tu.addnext(twin)
    tree.write(str(tmx), encoding="UTF-8", xml_declaration=True)
    lines = [i for i, line in enumerate(tmx.read_text(encoding="utf-8").splitlines(), 1)
             if f'tuid="{SEG}"' in line]
    _, _, err = run("build", str(b), "--out", str(tmp_path / "out"))   # written for the reviewer, with QA errors
    folder = tmp_path / "out" / "eg-ru-2019-06-09"
    conflict = [r for r in qa_rows(folder) if r["code"] == "conflict"]
    assert [(r["lang"], r["severity"], r["segment_id"]) for r in conflict] == [("ar", "error", SEG)], err
    assert all(f"{tmx.name}:{line}" in conflict[0]["message"] for line in lines), conflict[0]["message"]


# --- read-only commands never write the memory; --no-memory still reads the record's .tmx ------------------

def _state(memory: Path) -> tuple[bytes, int, list[str]]:
    return memory.read_bytes(), memory.stat().st_mtime_ns, sorted(p.name for p in memory.parent.iterdir())


def test_read_only_commands_leave_the_memory_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = copy_of_example(tmp_path / "rec")
    mark = "ТОЛЬКО ДЛЯ ПРОВЕРКИ"      # this copy's .tmx prints another classification mark in Russian
    tmx = record.with_suffix(".tmx")
    tmx.write_text(tmx.read_text(encoding="utf-8").replace("<seg>Для служебного пользования</seg>",
                                                           f"<seg>{mark}</seg>"), encoding="utf-8")
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(tmp_path / "other-memory.sqlite"))
    assert run("build", str(record), "--out", str(tmp_path / "out"))[0] == 0
    folder = tmp_path / "out" / "eg-ru-2019-06-09"
    memory = tmp_path / "mem" / "memory.sqlite"
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(memory))
    source = "Coopération dans le domaine de la cybersécurité"
    assert run("memory", "import", str(_tmx(tmp_path / "dept.tmx", [("rec-x/item1", source, "نص")])),
               "--reviewed")[0] == 0
    before = _state(memory)
    commands = [("check", str(record)), ("verify", str(folder)), ("verify", str(folder), "--record", str(record)),
                ("review", "export", str(record), "--lang", "ar", "-o", str(tmp_path / "ar.xlf")),
                ("memory", "export", "-o", str(tmp_path / "all.tmx")),
                ("memory", "export", "--record", str(record), "-o", str(tmp_path / "rec.tmx")),
                ("schema",), ("schema", "-o", str(tmp_path / "record.schema.json")), ("doctor",)]
    for argv in commands:
        code, _, err = run(*argv)
        assert code in (0, 1), (argv, err)
        assert _state(memory) == before, argv
    # another copy, whose .tmx has no Russian classification mark, is not given this one's
    other = copy_of_example(tmp_path / "other")
    drop_from_tmx(other, "classification", "ru")
    assert run("build", str(other), "--out", str(tmp_path / "out-other"), "--backend", "pseudo")[0] == 0
    assert mark not in pdf_text(tmp_path / "out-other" / "eg-ru-2019-06-09" / "eg-ru-2019-06-09.ru.ru.pdf")


def test_read_only_commands_create_no_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    memory = tmp_path / "mem" / "memory.sqlite"
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(memory))
    record = copy_of_example(tmp_path / "rec")
    assert run("check", str(record))[0] == 0
    assert run("review", "export", str(record), "--lang", "ru", "-o", str(tmp_path / "ru.xlf"))[0] == 0
    assert run("memory", "export", "--record", str(record), "-o", str(tmp_path / "rec.tmx"))[0] == 0
    assert not memory.parent.exists()


def test_build_without_memory_prints_the_records_own_tmx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    memory = tmp_path / "mem" / "memory.sqlite"
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(memory))
    record = copy_of_example(tmp_path / "rec")
    tmx = record.with_suffix(".tmx")
    tmx.write_text(tmx.read_text(encoding="utf-8").replace(OWN_AR, TEST_PHRASE), encoding="utf-8")
    code, _, err = run("build", str(record), "--out", str(tmp_path / "out"), "--no-memory", "--backend", "none")
    assert code == 0, err
    assert TEST_PHRASE in pdf_text(tmp_path / "out" / "eg-ru-2019-06-09" / ARABIC_PDF)
    assert not memory.parent.exists()


# --- the record's .tmx: one import at a time, only its own record's, never an export's output -------------


def test_concurrent_review_imports_lose_nothing(tmp_path: Path) -> None:
    import fcntl
    import os
    import subprocess
    import sys
    import time

    record = copy_of_example(tmp_path / "rec")
    tmx = record.with_suffix(".tmx")
    edits = {"ru": ("venue", "ПРАВКА РУССКОГО ПЕРЕВОДЧИКА"), "ar": (SEG, TEST_PHRASE)}
    files = [_edited_xliff(record, lang, seg, text, tmp_path / f"{lang}.xlf") for lang, (seg, text) in edits.items()]
    before = tmx.read_bytes()
    import briefgen  # the processes run the briefgen this test imports

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(briefgen.__file__).parents[1]),
                                                                     os.environ.get("PYTHONPATH")]))}
    with open(record, "rb") as held:            # another import holds the record's dossier
        fcntl.flock(held, fcntl.LOCK_EX)
        procs = [subprocess.Popen([sys.executable, "-m", "briefgen", "review", "import", str(f)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
        time.sleep(4)
        assert all(p.poll() is None for p in procs) and tmx.read_bytes() == before   # they wait for it
    results = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), results
    text = tmx.read_text(encoding="utf-8")
    assert all(edit in text for _, edit in edits.values())          # neither import lost the other's edit


def test_review_import_refuses_another_records_tmx_beside_the_record(tmp_path: Path) -> None:
    record = copy_of_example(tmp_path / "rec")
    xlf = _edited_xliff(record, "ar", SEG, TEST_PHRASE, tmp_path / "ar.xlf")
    tmx = record.with_suffix(".tmx")
    tmx.write_text(tmx.read_text(encoding="utf-8").replace(
        'datatype="plaintext"/>', 'datatype="plaintext"><prop type="x-briefgen-record">tn-ru-2024-06-05</prop>'
                                  '</header>'), encoding="utf-8")
    before = tmx.read_bytes()
    code, out, err = run("review", "import", str(xlf))
    assert code == 2 and out == ""
    assert err == (f"briefgen: error: {tmx}:3: this file holds the translations of record 'tn-ru-2024-06-05', not "
                   "of 'eg-ru-2019-06-09', the record beside it; name it after its own record or move it away\n")
    assert tmx.read_bytes() == before


@pytest.mark.parametrize("force", [False, True])
def test_memory_export_never_writes_over_a_records_tmx(tmp_path: Path, force: bool) -> None:
    record = copy_of_example(tmp_path / "rec")
    tmx = record.with_suffix(".tmx")
    before = tmx.read_bytes()
    for argv in (["memory", "export", "-o", str(tmx)], ["memory", "export", "--reviewed-only", "-o", str(tmx)]):
        code, out, err = run(*argv, *(["--force"] if force else []))
        assert (code, out) == (2, "")
        assert err == (f"briefgen: error: {tmx}: this is the .tmx of the record {record.name}, which only "
                       "`briefgen review import` writes: write the output to another file\n")
    assert tmx.read_bytes() == before

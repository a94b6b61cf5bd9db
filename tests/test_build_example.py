"""The example record becomes a matched set: three PDFs and a manifest, names in every script."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import EXAMPLE, pdf_text

from briefgen.record.load import load_record
from briefgen.record.segments import segments

RID = "eg-ru-2019-06-09"


def test_set_has_one_pdf_per_delegation_plus_master_and_a_manifest(example_build: Path) -> None:
    names = sorted(p.name for p in example_build.iterdir())
    assert names == sorted([f"{RID}.eg.ar.pdf", f"{RID}.ru.ru.pdf", f"{RID}.master.fr.pdf", "manifest.json",
                            f"{RID}.eg.ar.html", f"{RID}.ru.ru.html", f"{RID}.master.fr.html", "qa.html", "qa.tsv"])


def test_each_brief_names_the_ministers_in_its_own_script(example_build: Path) -> None:
    assert "Носков" in pdf_text(example_build / f"{RID}.ru.ru.pdf")
    assert "Талаат" in pdf_text(example_build / f"{RID}.ru.ru.pdf")
    arabic = pdf_text(example_build / f"{RID}.eg.ar.pdf")
    assert "طلعت" in arabic and "نوسكوف" in arabic
    assert "Noskov" in pdf_text(example_build / f"{RID}.master.fr.pdf")


def test_briefs_carry_the_reviewed_translations_of_the_shipped_tmx(example_build: Path) -> None:
    assert "кибербезопасност" in pdf_text(example_build / f"{RID}.ru.ru.pdf")
    assert "مركز التميز" in pdf_text(example_build / f"{RID}.eg.ar.pdf")


def test_manifest_lists_every_file_with_its_hash_language_and_the_segment_ids(example_build: Path) -> None:
    import hashlib

    manifest = json.loads((example_build / "manifest.json").read_text())
    assert manifest["record_id"] == RID
    langs = {f["file"]: f["lang"] for f in manifest["files"]}
    assert langs == {f"{RID}.eg.ar.pdf": "ar", f"{RID}.ru.ru.pdf": "ru", f"{RID}.master.fr.pdf": "fr"}
    for f in manifest["files"]:
        assert hashlib.sha256((example_build / f["file"]).read_bytes()).hexdigest() == f["sha256"]
    expected = [s.id for s in segments(load_record(EXAMPLE).record)]
    assert manifest["segments"] == expected
    assert manifest["translation"]["ar"]["machine"] == 0


def test_paragraph_numbers_and_anchors_line_up_across_languages(example_build: Path) -> None:
    from pypdf import PdfReader

    manifest = json.loads((example_build / "manifest.json").read_text())
    numbered = list(manifest["paragraphs"].values())
    for f in manifest["files"]:
        # each brief's numbered paragraphs (a delegation's leaves out its own side's expected position), in the
        # record's order, each with its anchor
        printed = [manifest["paragraphs"][n] for n in f["paragraphs"]]
        assert printed == [s for s in numbered if s in f["segments"]], f["file"]
        anchors = set(PdfReader(example_build / f["file"]).named_destinations)
        assert set(printed) <= anchors, f["file"]
        html = (example_build / f["file"].replace(".pdf", ".html")).read_text()
        assert re.findall(r'<p class="para" id="([^"]+)"', html) == printed, f["file"]
    by_delegation = {f["delegation"]: set(f["segments"]) for f in manifest["files"]}
    assert set(numbered) <= by_delegation[None]
    assert {s for s in numbered if ".positions." not in s} <= by_delegation["eg"] & by_delegation["ru"]


def test_pdf_declares_language_title_and_signature(example_build: Path) -> None:
    from pypdf import PdfReader

    manifest = json.loads((example_build / "manifest.json").read_text())
    for f in manifest["files"]:
        reader = PdfReader(example_build / f["file"])
        assert reader.trailer["/Root"]["/Lang"] == f["lang"]
        assert reader.metadata["/briefgensignature"] == manifest["signature"]
        assert reader.metadata.title


def test_arabic_brief_uses_arabic_indic_digits_for_egypt(example_build: Path) -> None:
    text = pdf_text(example_build / f"{RID}.eg.ar.pdf")
    assert "يونيو" in text and "٩" in text
    assert "صفحة" in text

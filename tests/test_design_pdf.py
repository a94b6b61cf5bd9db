"""The PDFs are accessible and archivable: tagged PDF/UA-1 (or PDF/A-3u), their language declared, every
character drawn by an embedded, subset font; the parallel edition pairs the languages row by row."""

from __future__ import annotations

import html as htmllib
import io
import itertools
import json
import re
import unicodedata
from pathlib import Path

import pytest
from design_support import RID, pdf_text

from briefgen.config import templates_dir
from briefgen.render.pdf import Renderer
from briefgen.render.readback import _operations, _to_unicode


def _pdfs(folder: Path) -> list[tuple[Path, dict]]:
    manifest = json.loads((folder / "manifest.json").read_text())
    return [(folder / f["file"], f) for f in manifest["files"]]


def _xmp(reader: object) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()  # type: ignore[attr-defined]


def test_every_pdf_is_tagged_pdf_ua_1_with_its_language_and_title_shown(example_build: Path) -> None:
    from pypdf import PdfReader

    for path, entry in _pdfs(example_build):
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert 'pdfuaid:part="1"' in _xmp(reader), path.name
        assert bool(root["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in root
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
        assert root["/Lang"] == entry["lang"]
        title = re.search(r"<title>(.*?)</title>", path.with_suffix(".html").read_text()).group(1)
        assert reader.metadata.title == htmllib.unescape(title) != ""


def test_pdf_a_3u_on_request_still_tagged(parallel_pdfa_build: Path) -> None:
    from pypdf import PdfReader

    for path, entry in _pdfs(parallel_pdfa_build):
        reader = PdfReader(path)
        xmp = _xmp(reader)
        assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp, path.name
        root = reader.trailer["/Root"]
        assert "/OutputIntents" in root and "/StructTreeRoot" in root and root["/Lang"] == entry["lang"]
        assert reader.pdf_header == "%PDF-1.7"


def font_problems(pdf: Path) -> tuple[list[str], set[str]]:
    """Fonts not embedded or not subset, and glyphs drawn that the embedded font lacks (.notdef, an id past
    its glyphs, an empty outline for a visible character); also the characters the drawn glyphs stand for."""
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    problems: list[str] = []
    covered: set[str] = set()
    programs: dict[int, TTFont] = {}
    for number, page in enumerate(reader.pages, 1):
        fonts = page["/Resources"]["/Font"]
        used: dict[str, set[int]] = {}
        current = None
        for operands, op in _operations(page.get_contents().get_data()):
            if op == b"Tf":
                current = str(operands[0])
            elif op in (b"TJ", b"Tj"):
                for part in operands[0] if op == b"TJ" else [operands[0]]:
                    raw = part if isinstance(part, bytes) else None
                    if raw:
                        used.setdefault(current, set()).update(
                            int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw) - 1, 2))
        for name, codes in used.items():
            font = fonts[name].get_object()
            base = str(font["/BaseFont"])
            descendant = font["/DescendantFonts"][0].get_object()
            assert descendant.get("/CIDToGIDMap") == "/Identity", base
            descriptor = descendant["/FontDescriptor"].get_object()
            stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            if stream is None:
                problems.append(f"page {number}: {base} is not embedded")
                continue
            if not re.match(r"^/[A-Z]{6}\+", base):
                problems.append(f"{base} is embedded whole, not subset")
            key = stream.indirect_reference.idnum if stream.indirect_reference else id(stream)
            if key not in programs:
                programs[key] = TTFont(io.BytesIO(stream.get_object().get_data()))
            tt = programs[key]
            order = tt.getGlyphOrder()
            glyf = tt.get("glyf")
            cmap, _ = _to_unicode(font)
            for code in sorted(codes):
                text = cmap.get(code, "")
                if code == 0:
                    problems.append(f"page {number}: {base} draws .notdef")
                elif code >= len(order):
                    problems.append(f"page {number}: {base} has no glyph for {text!r} (glyph {code})")
                elif glyf is not None and text.strip() and glyf[order[code]].numberOfContours == 0:
                    problems.append(f"page {number}: {base} draws an empty glyph for {text!r}")
                else:
                    covered.update(text)
    return problems, covered


def _body_text(html_file: Path) -> str:
    """The visible text of the brief's body, as the HTML preview gives it."""
    body = html_file.read_text(encoding="utf-8").split("<body", 1)[1].split(">", 1)[1]
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", body))


def _printed_characters(html_file: Path) -> set[str]:
    return {c for c in unicodedata.normalize("NFC", _body_text(html_file)) if not c.isspace()}


def test_every_character_is_drawn_by_an_embedded_subset_font(parallel_pdfa_build: Path) -> None:
    for path, _entry in _pdfs(parallel_pdfa_build):
        problems, covered = font_problems(path)
        assert not problems, (path.name, problems[:5])
        expected = _printed_characters(path.with_suffix(".html"))
        folded = {c.casefold() for c in covered}
        missing = sorted(c for c in expected if c not in covered and c.casefold() not in folded)
        assert not missing, (path.name, missing)   # headings in capitals still cover their letters


def test_font_check_fails_on_a_character_no_font_has(tmp_path: Path) -> None:
    renderer = Renderer(templates_dir(), "none")
    pdf = tmp_path / "missing.pdf"
    pdf.write_bytes(renderer.pdf('<html lang="fr"><body><p>Texte \U0010fffd ici</p></body></html>'))
    problems, _ = font_problems(pdf)
    assert problems and "no glyph" in problems[0]


def test_arabic_text_layer_holds_every_word_as_written(example_build: Path, parallel_pdfa_build: Path) -> None:
    """Screen readers and search use the text layer: each Arabic word of the brief extracts as itself."""
    letters = r"[\u0621-\u065f\u0670-\u06d3]+"
    for folder, name in ((example_build, f"{RID}.eg.ar"), (parallel_pdfa_build, f"{RID}.eg.fr-ar.parallel")):
        words = set(re.findall(letters, _body_text(folder / f"{name}.html")))
        extracted = pdf_text(folder / f"{name}.pdf")   # words of adjacent boxes may run together: substrings
        assert len(words) > 150
        assert sorted(w for w in words if w not in extracted) == [], name


def test_parallel_edition_pairs_source_and_delegation_language_row_by_row(parallel_pdfa_build: Path) -> None:
    manifest = json.loads((parallel_pdfa_build / "manifest.json").read_text())
    parallel = {f["edition"]: f for f in manifest["files"] if f["edition"].endswith("-parallel")}
    assert set(parallel) == {"eg-parallel", "ru-parallel"}
    assert parallel["eg-parallel"]["file"] == f"{RID}.eg.fr-ar.parallel.pdf"
    assert parallel["ru-parallel"]["file"] == f"{RID}.ru.fr-ru.parallel.pdf"
    assert parallel["eg-parallel"]["lang"] == "ar" and parallel["eg-parallel"]["source_lang"] == "fr"
    html = (parallel_pdfa_build / f"{RID}.eg.fr-ar.parallel.html").read_text()
    rows = re.findall(r'<tr class="row-para" id="([^"]+)"><td class="num"[^>]*>([^<]*)</td>'
                      r'<td lang="fr" dir="ltr">(.*?)</td><td lang="ar" dir="rtl">(.*?)</td></tr>', html)
    # one row per paragraph it prints, in order: the numbered ones and Egypt's own lettered points and notes
    numbered = set(manifest["paragraphs"].values())
    assert [r[0] for r in rows] == [s for s in parallel["eg-parallel"]["segments"]
                                    if s in numbered or ".points." in s or ".notes." in s]
    plain = [re.sub("<[^>]+>", "", cell) for cell in rows[0][2:]]   # words marked not to hyphenate aside
    assert rows[0][1].startswith("١") and plain[0].startswith("Convenir") and plain[1].startswith("الاتفاق")
    point = next(r for r in rows if r[0] == "agenda.cybersecurity.points.eg.2")
    assert point[1] == "(ب)" and re.sub("<[^>]+>", "", point[2]).startswith("Souligner")
    assert re.sub("<[^>]+>", "", point[3]).startswith("التأكيد")
    text = pdf_text(parallel_pdfa_build / f"{RID}.ru.fr-ru.parallel.pdf")
    assert "Convenir d’une coopération" in text and "Договориться о сотрудничестве" in text


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3u", "none"])
def test_every_pdf_variant_renders(variant: str) -> None:
    from pypdf import PdfReader

    pdf = Renderer(templates_dir(), variant).pdf('<html lang="ru"><head><title>T</title></head>'
                                                 '<body><p>Текст</p></body></html>')
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "ru"
    assert ("/Metadata" in reader.trailer["/Root"]) == (variant != "none")



def _lines(pdf: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [line for page in doc.pages for line in (page.extract_text() or "").split("\n")]


@pytest.mark.parametrize("brief", [f"{RID}.ru.ru.pdf", f"{RID}.master.fr.pdf"])
def test_no_name_no_term_of_the_annex_and_no_lone_word_end_is_hyphenated(example_build: Path, brief: str) -> None:
    from briefgen.render.labels import LABELS

    lines = _lines(example_build / brief)
    # (line index, the line's end, the next line's start) for each word the layout cut with a hyphen (U+2010)
    breaks = [(i, a, b) for i, (a, b) in enumerate(itertools.pairwise(lines)) if re.search(r"\w\u2010$", a)]
    assert breaks, "the body is justified and hyphenated: some words are cut, and this check must see them"
    for _, end, start in breaks:
        word = re.search(r"(\w+)\u2010$", end).group(1)
        assert not word[0].isupper(), f"a name cut: {end!r} / {start!r}"          # «Россий‐ской Федерации»
        # the rest of a cut word alone on its line: the paragraph's last word, or a cell's («обоснова‐ / ние»)
        assert len(start.split()) > 1, f"a word cut, its end alone on a line: {end!r} / {start!r}"
    heading = LABELS[brief.split(".")[-2]]["terms"].replace("\u00a0", " ").upper()
    annex = next(i for i, line in enumerate(lines) if heading in line.replace("\u00a0", " ").upper())
    assert not [b for b in breaks if b[0] >= annex], "a term of the annex is cut"


def test_a_paragraph_read_back_holds_no_running_header_or_footer(example_build: Path) -> None:
    from briefgen.render.readback import read_pdf

    back = read_pdf((example_build / f"{RID}.ru.ru.pdf").read_bytes())
    read = back.paragraphs(list(back.anchors))
    later = [name for name, (page, _) in back.anchors.items() if page > 0]
    assert later   # paragraphs on the pages that carry the running header
    assert not [n for n, p in read.items() if f"{RID}/v1" in p["text"] or "Страница" in p["text"]]



@pytest.mark.parametrize("brief", [f"{RID}.master.fr.pdf", f"{RID}.eg.ar.pdf", f"{RID}.ru.ru.pdf"])
def test_each_annex_column_is_set_from_its_own_script_side_under_its_header(example_build: Path, brief: str) -> None:
    """The annex's columns have equal widths, so alignment shows: Arabic terms are set from the right, French
    and Russian ones from the left, in every brief, and each header stands at its column's set edge."""
    import pdfplumber

    columns: dict[int, dict] = {}                     # by column: its header words, and its cells' edges by line
    with pdfplumber.open(example_build / brief) as doc:
        for number, page in enumerate(doc.pages):     # every page of the annex: its header row repeats
            heads = sorted((r for r in page.rects if r["height"] > 5 and r.get("non_stroking_color")
                            and min(r["non_stroking_color"]) > 0.85 and max(r["non_stroking_color"]) < 0.99),
                           key=lambda r: r["x0"])
            widths = [h["width"] for h in heads]
            if len(heads) != 3 or max(widths) - min(widths) > 1:   # the annex: one equal column per language
                continue                                            # (not the actions table)
            last = max(line["bottom"] for line in page.lines if line["width"] > 50)   # the last cell's border
            words = page.extract_words()
            for k, head in enumerate(heads):
                column = [w for w in words if head["x0"] <= w["x0"] and w["x1"] <= head["x1"]]
                entry = columns.setdefault(k, {"header": [], "cells": []})
                entry["header"] += [w for w in column
                                    if head["top"] - 1 <= w["top"] and w["bottom"] <= head["bottom"] + 1]
                entry["cells"] += [(number, w) for w in column if head["bottom"] < w["top"] < last]
    assert len(columns) == 3, brief
    sides = set()
    for entry in columns.values():
        header, cells = entry["header"], entry["cells"]
        rtl = sum(bool(re.search("[\u0600-\u06ff]", w["text"])) for _, w in cells) > len(cells) / 2
        edges: dict[tuple[int, int], float] = {}      # per line of the column: the edge it is set from
        for number, w in cells:
            line = (number, round(w["top"]))
            edges[line] = max(edges.get(line, 0), w["x1"]) if rtl else min(edges.get(line, 1e9), w["x0"])
        assert len(edges) > 10 and max(edges.values()) - min(edges.values()) < 1.0, \
            f"{brief}: the {'Arabic' if rtl else 'left-to-right'} terms of a column are not aligned"
        edge = edges[min(edges)]
        stands = max(w["x1"] for w in header) if rtl else min(w["x0"] for w in header)
        assert abs(stands - edge) < 1.0, f"{brief}: a header is not at the edge its column's terms are set from"
        sides.add(rtl)
    assert sides == {True, False}

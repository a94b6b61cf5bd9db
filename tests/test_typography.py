"""Typography read back from the PDFs' glyph positions (issue 26): the word-spaces of justified lines, where
URLs and document symbols break, URLs inside Arabic text, and the parallel edition's read-back.

The record tests/data/records/typography-dz-ru.yaml is written to provoke every fault: long Russian words and
compounds, long last words, names, figures bound to their units, the symbol DZ-RU/2024/17 and long URLs in the
three languages, years in Arabic text. It is built once, with --parallel.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from design_support import build, qa_rows

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tests" / "data" / "records" / "typography-dz-ru.yaml"
RID = "typography-dz-ru"
SYMBOL = "DZ-RU/2024/17"
URLS = ("https://www.mpt.gov.dz/fr/documents/protocoles/2024/cooperation-russie-algerie-interoperabilite.pdf",
        "https://digital.gov.ru/ru/documents/protocols/algeria/2024/interoperability-annex-technical.pdf",
        "https://digital.gov.ru/ru/events/2025/03/")
JUSTIFIED = {f"{RID}.master.fr.pdf": "fr", f"{RID}.ru.ru.pdf": "ru"}
ALL_PDFS = (*JUSTIFIED, f"{RID}.dz.ar.pdf", f"{RID}.ru.fr-ru.parallel.pdf", f"{RID}.dz.fr-ar.parallel.pdf")


@pytest.fixture(scope="module")
def typo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(RECORD, tmp_path_factory.mktemp("typography"), "--backend", "none", "--parallel")


def _read(path: Path) -> Any:
    from briefgen.render.readback import read_pdf

    return read_pdf(path.read_bytes())


def _paragraph_ids(back: Any) -> list[str]:
    """Anchors of the numbered and lettered paragraphs (not table rows: actions, the parallel edition's rows)."""
    return [a for a in back.anchors if re.match(r"(purpose|previous|agenda)\.", a) and ".actions." not in a
            and a.count(".") >= 1 and not a.endswith(".title")]


def _justified_lines(path: Path) -> list[tuple[str, float, str]]:
    back = _read(path)
    paragraphs = back.paragraphs(_paragraph_ids(back))
    return [(pid, line["widest"], line["text"]) for pid, p in paragraphs.items() for line in p["lines"]
            if line["full"]]




# --- word-spaces ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("brief", sorted(JUSTIFIED))
def test_no_justified_line_spaces_its_words_wider_than_its_language_tolerates(typo_build: Path, brief: str) -> None:
    from briefgen.render.typography import WORD_SPACE_LIMIT

    lines = _justified_lines(typo_build / brief)
    assert len(lines) >= 8, "the record's paragraphs run over several justified lines"
    limit = WORD_SPACE_LIMIT[JUSTIFIED[brief]]
    assert [(pid, w, text) for pid, w, text in lines if w > limit] == []
    # the measure is real: a justified line's spaces are at least the font's own (Noto Serif: 0.26 em)
    assert min(w for _, w, _ in lines) >= 0.25


@pytest.mark.parametrize("brief", sorted(JUSTIFIED))
def test_a_loose_paragraph_is_set_ragged_with_the_same_lines(typo_build: Path, brief: str) -> None:
    """Rendered justified, the record's brief has lines far over the limit; the renderer sets those paragraphs
    ragged, and they keep their lines (so the pages do not move)."""
    from briefgen.record.load import load_record
    from briefgen.record.segments import segments
    from briefgen.render.readback import read_pdf
    from briefgen.render.typography import WORD_SPACE_LIMIT, loose_paragraphs, set_ragged
    from briefgen.render.worker import Job, render

    lang = JUSTIFIED[brief]
    html = _brief_html(typo_build, brief)
    ids = tuple(s.id for s in segments(load_record(RECORD).record) if s.para is not None or s.owner is not None)
    assets = str(ROOT / "templates")
    plain = render(assets, "none", Job(html, ids, False))               # justified, no limit held
    loose = loose_paragraphs(plain.paragraphs, ids, WORD_SPACE_LIMIT[lang])
    assert loose, "the record provokes loose justified lines"
    held = render(assets, "none", Job(html, ids, False, None, ids, WORD_SPACE_LIMIT[lang]))
    assert held.ragged == loose
    for pid in loose:
        assert [ln["text"].split() for ln in held.paragraphs[pid]["lines"]] == \
               [ln["text"].split() for ln in plain.paragraphs[pid]["lines"]]
    assert len(read_pdf(held.pdf).pages) == len(read_pdf(plain.pdf).pages)
    assert set_ragged(html, loose).count(" ragged\"") == len(loose)


def _brief_html(folder: Path, brief: str) -> str:
    """The HTML briefgen renders for one brief of the typography record (built again, same texts)."""
    from briefgen.record.load import load_record
    from briefgen.record.segments import segments
    from briefgen.render.editions import editions
    from briefgen.render.html import render_html
    from briefgen.render.view import BriefContext

    rec = load_record(RECORD).record
    segs = segments(rec)
    texts = {lang: {s.id: s.given[lang] for s in segs if lang in s.given} for lang in ("fr", "ru", "ar")}
    ctx = BriefContext(record=rec, segments=segs, texts=texts, signature="test", version="0")
    ed = next(e for e in editions(rec) if e.filename(rec.id) == brief)
    return render_html(ctx, ed)


def test_qa_names_a_loose_justified_line_read_back_from_the_pdf(typo_build: Path) -> None:
    """The QA check sees what the read-back measures: the Russian brief rendered without the limit has lines
    that QA reports, one error per loose paragraph, naming the file and the width in ems."""
    from briefgen.qa.checks import rendered
    from briefgen.record.load import load_record
    from briefgen.record.segments import segments
    from briefgen.render.typography import WORD_SPACE_LIMIT
    from briefgen.render.worker import Job, render

    rec = load_record(RECORD).record
    segs = segments(rec)
    ids = tuple(s.id for s in segs if s.para is not None or s.owner is not None)
    plain = render(str(ROOT / "templates"), "none", Job(_brief_html(typo_build, f"{RID}.ru.ru.pdf"), ids, False))
    texts = {"ru": {s.id: s.given["ru"] for s in segs}}
    issues = rendered(rec, segs, texts, [{"file": "x.ru.pdf", "lang": "ru", "rtl": False,
                                          "paragraphs": plain.paragraphs, "word_space": WORD_SPACE_LIMIT["ru"],
                                          "justified": ids, "ragged": []}])
    spaced = [i for i in issues if i.code == "word-space"]
    assert spaced and all(i.severity == "error" and i.message.startswith("x.ru.pdf: a justified line") for i in spaced)
    assert re.search(r"spaces its words \d\.\d\d em apart, over the 0\.75 em allowed", spaced[0].message)


def test_russian_is_hyphenated_with_russian_patterns(typo_build: Path) -> None:
    """WeasyPrint hyphenates the Russian brief (lang="ru", hyphens: auto) where pyphen's Russian patterns allow:
    every word cut at a line's end is cut at one of their points."""
    import pyphen

    points = pyphen.Pyphen(lang="ru")
    back = _read(typo_build / f"{RID}.ru.ru.pdf")
    lines = [ln["text"] for p in back.paragraphs(_paragraph_ids(back)).values() for ln in p["lines"]]
    cuts = []
    for a, b in itertools.pairwise(lines):
        m = re.search(r"([а-яё]+)\u2010$", a)
        if m and b:
            cuts.append((m.group(1), re.match(r"[а-яё]+", b).group()))
    assert len(cuts) >= 3, lines
    for head, tail in cuts:
        assert len(head) in {len(a) for a, _ in points.iterate(head + tail)}, (head, tail)


# --- URLs and symbols -------------------------------------------------------------------------------------

def _lines_of(path: Path) -> list[list[str]]:
    """Each line's runs in reading order, every paragraph and table row of the PDF (the parallel edition: its
    target column, as the build reads it)."""
    from briefgen.config import RTL_LANGUAGES
    from briefgen.render.readback import _lines
    from briefgen.render.worker import PARALLEL_COLUMN

    back = _read(path)
    rtl = back.lang in RTL_LANGUAGES
    column = back.column_at(PARALLEL_COLUMN) if "parallel" in path.name else None
    runs = [r for r in back.runs if r.text and back.in_text_area(r) and (column is None or r.x0 >= column - 0.5)]
    out = []
    for page in range(len(back.pages)):
        out.extend([r.text for r in line] for line in _lines([r for r in runs if r.page == page], rtl))
    return out


@pytest.mark.parametrize("pdf", ALL_PDFS)
def test_a_document_symbol_never_breaks(typo_build: Path, pdf: str) -> None:
    runs = [run for line in _lines_of(typo_build / pdf) for run in line]
    assert any(SYMBOL in run for run in runs)
    assert not [run for run in runs if SYMBOL not in run and re.search(r"DZ-(RU)?/?$|^/?2024/17", run.strip())]


@pytest.mark.parametrize("pdf", ALL_PDFS)
def test_a_url_breaks_only_after_a_slash_or_before_a_dot_or_hyphen(typo_build: Path, pdf: str) -> None:
    """Each URL's pieces, line after line, make up the URL; a line ends inside it only after a '/' of its path
    (never after the scheme alone) or, in a step too long for the line, before '.', '-' or '_'."""
    lines = [[run.strip() for run in line if run.strip()] for line in _lines_of(typo_build / pdf)]
    for url in URLS:
        printed = [breaks for i, line in enumerate(lines) for k, run in enumerate(line)
                   if run.startswith("https://") and (breaks := _url_at(url, lines, i, k)) is not None]
        assert len(printed) == 1, f"{pdf}: {url} printed {len(printed)} time(s)"
        for head in printed[0]:             # what each line holds of the URL, up to the break
            assert not re.fullmatch(r"https?://", head), f"{pdf}: the scheme alone ends a line"
            assert head.endswith("/") or url[len(head)] in ".-_~", f"{pdf}: {url} broken after {head!r}"


def _url_at(url: str, lines: list[list[str]], i: int, k: int) -> list[str] | None:
    """Where ``url`` breaks, if it is printed from run ``k`` of line ``i`` on (its pieces in reading order, and
    at the start of the next lines): the URL up to each break; None when these runs are not that URL."""
    got, breaks, runs = "", [], lines[i][k:]
    while True:
        taken = 0
        for run in runs:
            if not url[len(got):].startswith(run):
                break
            got, taken = got + run, taken + 1
        if got == url:
            return breaks
        # not this URL: nothing of it here, or something else before the line's end, or no next line
        if not taken or taken < len(runs) or i + 1 == len(lines):
            return None
        breaks.append(got)
        i, runs = i + 1, lines[i + 1]


@pytest.mark.parametrize("pdf", [f"{RID}.dz.ar.pdf", f"{RID}.dz.fr-ar.parallel.pdf"])
def test_a_url_in_arabic_text_reads_left_to_right(typo_build: Path, pdf: str) -> None:
    """Drawn left to right, the glyphs of each line hold every URL piece as written: no slash moved to the
    left of "https" by the bidi algorithm, no piece reversed."""
    back = _read(typo_build / pdf)
    visual = []
    for _, runs in itertools.groupby(sorted((r for r in back.runs if r.text),
                                                    key=lambda r: (r.page, -round(r.y), r.x0)),
                                             key=lambda r: (r.page, round(r.y))):
        drawn = list(runs)
        visual.append("".join(r.text if i == 0 or r.x0 - drawn[i - 1].x1 < 0.15 * r.size else " " + r.text
                              for i, r in enumerate(drawn)))
    urlish = [line for line in visual if "https" in line]
    assert len(urlish) >= 3
    for line in urlish:
        assert "/https" not in line and "https://" in line, line
        head = re.search(r"https://\S+", line).group()
        assert any(url.startswith(head) or head.startswith(url) for url in URLS), line


# --- the parallel edition's read-back -----------------------------------------------------------------------

def test_the_typography_record_built_with_parallel_has_no_qa_error(typo_build: Path) -> None:
    """Years in the Arabic column ("2025"), symbols and URLs are read back in that column, in its direction:
    no false printed-number or printed-identifier error, and no loose line."""
    assert [r for r in qa_rows(typo_build) if r["severity"] == "error"] == []


def test_the_example_built_with_parallel_has_no_qa_error(parallel_pdfa_build: Path) -> None:
    assert [(r["segment_id"], r["code"], r["message"]) for r in qa_rows(parallel_pdfa_build)
            if r["severity"] == "error"] == []

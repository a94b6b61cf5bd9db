"""What the page prints is what the record says (issue 17), on the stress records of tests/data/records/:
numbers read right in every locale (glyph order by x position, not an extractor's guess), identifiers keep
their Latin digits, nothing leaves the page, the PDF/UA claim holds under an outside checker, and the build's
own rendered-text check catches a page that prints a number wrongly.

The three stress records are built once, in one `briefgen build` with two render processes."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
import yaml
from design_support import EXAMPLE, memory_at, run_cli

RECORDS = Path(__file__).parent / "data" / "records"
STRESS = sorted(RECORDS.glob("stress-*.yaml"))
INDIC = "٠١٢٣٤٥٦٧٨٩"


@pytest.fixture(scope="session")
def stress_builds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """out/ with the three stress records built in one run (--jobs 2: sets render side by side)."""
    home = tmp_path_factory.mktemp("stress")
    with memory_at(home / "memory.sqlite"):
        code, out, err = run_cli(["build", *map(str, STRESS), "--out", str(home / "out"), "--backend", "none",
                                  "--jobs", "2"])
    assert code == 0, out + err
    assert out.count("3 PDFs") == 3, out
    return home / "out"


def _pdfs(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.pdf"))


def _lines(pdf: Path, page: int) -> list[str]:
    """Each line of a page as its glyphs stand from left to right (pdfplumber's per-character boxes)."""
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[page].chars
    rows: dict[int, list[dict]] = {}
    for c in chars:
        rows.setdefault(round(c["bottom"] / 3), []).append(c)
    return ["".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])) for _, row in sorted(rows.items())]


def _all_lines(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        pages = len(doc.pages)
    return [line for page in range(pages) for line in _lines(pdf, page)]


def test_no_glyph_leaves_the_page(stress_builds: Path) -> None:
    pdfs = _pdfs(stress_builds)
    assert len(pdfs) == 9
    for pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            for number, page in enumerate(doc.pages, 1):
                out = [c["text"] for c in page.chars
                       if c["x0"] < 0 or c["x1"] > page.width or c["top"] < 0 or c["bottom"] > page.height]
                assert not out, f"{pdf.name} page {number}: {''.join(out)[:60]}"


def test_the_follow_up_table_keeps_its_columns_on_the_page(stress_builds: Path) -> None:
    """The long reference code breaks inside its cell; owner and due date stay in their columns."""
    pdf = stress_builds / "stress-eg-ru" / "stress-eg-ru.ru.ru.pdf"
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = page.extract_words()
            owner = [w for w in words if w["text"] == "Египет"]
            code = [w for w in words if w["text"].startswith("EGRU")]
            if code:
                assert owner and owner[0]["x0"] > code[0]["x1"]          # the owner column, right of the code
                assert max(w["x1"] for w in words) <= page.width - 50     # within the right margin
                return
    pytest.fail("the follow-up table was not found")


def test_arabic_indic_figures_read_left_to_right_with_arabic_separators(stress_builds: Path) -> None:
    lines = _all_lines(stress_builds / "stress-eg-ru" / "stress-eg-ru.eg.ar.pdf")
    text = "\n".join(lines)
    assert "٧٬٣٤٠٬٩١٢" in text          # 7 340 912: groups in order, Arabic thousands separator
    assert "٩١٢ ٣٤٠ ٧" not in text and "٩١٢٬٣٤٠٬٧" not in text
    assert "٣٫٢٥" in text and "٣٫١٤" in text and "٠٫٥٠" in text   # Arabic decimal separator, decimals kept
    assert "٪١٢٫٥" in text              # the percent sign on the left of the figure, as Arabic reads it
    assert "١٬٢٥٠٫٥" in text
    assert "٢٠٢٥–٢٠٢٤" in text          # the range 2024–2025, starting on the right
    for latin in ("CVE-2019-0708", "Windows\u00a010", "ISO\u00a027001", "A/RES/73/27", "cert2019@mcit.gov.eg",
                  "+20\u00a02\u00a03534\u00a01300", "2.4.1"):
        assert latin in text, latin
    assert not any(ch in line for line in lines if "CVE" in line or "RES" in line for ch in "٢٠١٩٧٣")


def test_latin_digit_locales_use_their_own_separators(stress_builds: Path) -> None:
    dz = "\n".join(_all_lines(stress_builds / "stress-dz-fr" / "stress-dz-fr.dz.ar.pdf"))
    assert "7.340.912" in dz and "1.250,5" in dz and "98,7%" in dz and "3,25" in dz
    assert not any(ch in dz for ch in INDIC[1:])
    ma = "\n".join(_all_lines(stress_builds / "stress-ma-ru" / "stress-ma-ru.ma.ar.pdf"))
    assert "7.340.912" in ma and "12,5%" in ma and "1.250,5" in ma
    fr = "\n".join(_all_lines(stress_builds / "stress-dz-fr" / "stress-dz-fr.fr.fr.pdf"))
    assert "7\u202f340\u202f912" in fr and "12,5\u00a0%" in fr and "8–9" in fr and "GOST\u00a0R\u00a057580.1-2017" in fr
    ru = "\n".join(_all_lines(stress_builds / "stress-ma-ru" / "stress-ma-ru.ru.ru.pdf"))
    assert "7\u00a0340\u00a0912" in ru and "2024–2026" in ru


def test_the_build_reads_back_every_number_and_finds_nothing_wrong(stress_builds: Path) -> None:
    for record in STRESS:
        folder = stress_builds / yaml.safe_load(record.read_text(encoding="utf-8"))["id"]
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert all(c["error"] == 0 for c in manifest["qa"].values()), (folder.name, manifest["qa"])
        qa = (folder / "qa.tsv").read_text(encoding="utf-8")
        assert "printed-" not in qa and "off-page" not in qa


def test_the_cover_reads_as_a_diplomat_expects(stress_builds: Path) -> None:
    ru = _lines(stress_builds / "stress-eg-ru" / "stress-eg-ru.ru.ru.pdf", 0)
    cover = "\n".join(ru)
    assert "Москва, Российская Федерация" in cover and "Федерация, Россия" not in cover
    assert "(8–9\u00a0октября\u00a02023\u00a0года)" in cover
    manifest = json.loads((stress_builds / "stress-eg-ru" / "manifest.json").read_text(encoding="utf-8"))
    from briefgen.render.view import short_signature

    assert short_signature(manifest["signature"]) in cover and manifest["signature"] not in cover
    # the Russian brief is issued by the Russian ministry the record names for it; the Egyptian one by the host
    assert "МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ" in cover.upper()
    ar = "\n".join(_lines(stress_builds / "stress-eg-ru" / "stress-eg-ru.eg.ar.pdf", 0))
    assert "ايجولونكتو تالاصتالا ةرازو" in ar   # the host, glyphs as drawn (right to left)


def test_a_brief_without_its_own_position_says_so_once(stress_builds: Path) -> None:
    from pypdf import PdfReader

    pdf = stress_builds / "stress-eg-ru" / "stress-eg-ru.ru.ru.pdf"
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]
    note = ("Нумерация пунктов в записках обеих делегаций единая; пункт 6 (ожидаемая позиция вашей делегации) "
            "в настоящую записку не включен.")
    # once, on the cover, where it speaks of the whole brief rather than of a section
    assert note in pages[0] and " ".join(pages).count(note) == 1
    master_pdf = stress_builds / "stress-eg-ru" / "stress-eg-ru.master.fr.pdf"
    master = " ".join(p.extract_text() for p in PdfReader(master_pdf).pages)
    assert "ne figure pas" not in master and "ne figurent pas" not in master


def test_pdfua_finds_no_error_in_any_brief(stress_builds: Path, example_build: Path) -> None:
    """pdfua (PyPI, pikepdf-based): no ERROR on any PDF of the example and the stress records (before: tables
    without /TH, header cells without /Scope on every brief)."""
    pdfua = shutil.which("pdfua") or str(Path(sys.executable).parent / "pdfua")
    pdfs = _pdfs(stress_builds) + _pdfs(example_build)
    assert len(pdfs) == 12
    result = subprocess.run([pdfua, "check", "--min-severity", "error", *map(str, pdfs)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]   # 1: an ERROR was found
    assert result.stdout.count("errors=0") == len(pdfs)


def test_a_number_printed_wrongly_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo the isolation and the localisation of numbers (the defect of issue 17): the Arabic brief prints
    "7 340 912" with its groups reversed, and the build's read-back says so, naming the file and paragraph."""
    from markupsafe import Markup

    import briefgen.figures as figures
    import briefgen.render.html as html

    monkeypatch.setattr(html, "_FIGURE", Markup("{1}"))
    monkeypatch.setattr(figures, "write", lambda fig, locale: figures.native_digits(fig.raw, locale))
    record = tmp_path / "numbers.yaml"
    data = yaml.safe_load((RECORDS / "stress-eg-ru.yaml").read_text(encoding="utf-8"))
    data["agenda"] = data["agenda"][:1]
    data.pop("previous_contacts")
    record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with memory_at(tmp_path / "memory.sqlite"):
        code, out, err = run_cli(["build", str(record), "--out", str(tmp_path / "out"), "--backend", "none",
                                  "--jobs", "1", "--fail-on-qa", "error"])
    assert code == 1, out + err
    qa = (tmp_path / "out" / "stress-eg-ru" / "qa.tsv").read_text(encoding="utf-8")
    line = next(row for row in qa.splitlines() if "printed-number" in row and "7340912" in row)
    assert "stress-eg-ru.eg.ar.pdf" in line and "agenda.figures.background.1" in line


def test_a_field_too_long_for_its_place_is_refused_with_its_name(tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["title"] = "Réunion " * 250
    record = tmp_path / "long.yaml"
    record.write_text(yaml.safe_dump(data, allow_unicode=True, width=10000), encoding="utf-8")
    code, _, err = run_cli(["build", str(record), "--out", str(tmp_path / "out"), "--backend", "none"])
    assert code == 2
    assert err.strip().endswith("title: the fr version has 1,999 characters; this field is printed on the cover and "
                                "may have at most 400: shorten it"), err
    assert not (tmp_path / "out").exists()


def test_rendering_in_one_or_two_processes_gives_the_same_set(tmp_path: Path) -> None:
    record = RECORDS / "stress-ma-ru.yaml"
    hashes = []
    for jobs in ("1", "2"):
        with memory_at(tmp_path / "memory.sqlite"):
            code, out, err = run_cli(["build", str(record), "--out", str(tmp_path / jobs), "--backend", "none",
                                      "--jobs", jobs])
        assert code == 0, out + err
        manifest = json.loads((tmp_path / jobs / "stress-ma-ru" / "manifest.json").read_text(encoding="utf-8"))
        hashes.append({f["file"]: f["sha256"] for f in manifest["files"]})
    assert hashes[0] == hashes[1]


def test_readback_places_runs_where_pdfplumber_puts_the_glyphs(stress_builds: Path) -> None:
    """Our own reader (used by verify and the build's check) agrees with pdfplumber on where text is."""
    from briefgen.render.readback import read_pdf

    pdf = stress_builds / "stress-eg-ru" / "stress-eg-ru.eg.ar.pdf"
    back = read_pdf(pdf.read_bytes())
    with pdfplumber.open(io.BytesIO(pdf.read_bytes())) as doc:
        for index, page in enumerate(doc.pages):
            runs = [r for r in back.runs if r.page == index and r.text.strip()]
            if not page.chars:
                continue
            assert abs(min(r.x0 for r in runs) - min(c["x0"] for c in page.chars)) < 1.5
            assert abs(max(r.x1 for r in runs) - max(c["x1"] for c in page.chars)) < 1.5



def _glyph_rows(pdf: Path) -> list[list[dict]]:
    """The visible glyphs of every page, by line (pdfplumber's per-character boxes)."""
    rows: list[list[dict]] = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            lines: dict[int, list[dict]] = {}
            for c in page.chars:
                if c["text"].strip():
                    lines.setdefault(round(c["bottom"] / 3), []).append(c)
            rows += lines.values()
    return rows


def _numbered_lines(pdf: Path, rtl: bool) -> dict[int, tuple[float, float]]:
    """Per paragraph number: where its number's glyphs end and its text's begin, on its first line (x, in
    reading order: from the left, or from the right in a right-to-left brief)."""
    found: dict[int, tuple[float, float]] = {}
    for row in _glyph_rows(pdf):
        line = sorted(row, key=lambda c: -c["x1"] if rtl else c["x0"])
        k = next((i for i, c in enumerate(line) if not c["text"].isdigit()), 0)
        if k == 0 or line[k]["text"] not in ".-" or k + 1 >= len(line) or not line[k + 1]["text"].isalpha():
            continue
        digits = sorted(line[:k], key=lambda c: c["x0"])      # a number's digits run left to right
        n = int("".join(c["text"] for c in digits))
        if rtl:
            found[n] = (-min(c["x0"] for c in line[:k + 1]), -max(c["x1"] for c in line[k + 1:]))
        else:
            found[n] = (max(c["x1"] for c in line[:k + 1]), min(c["x0"] for c in line[k + 1:]))
    return found


def _lettered_gaps(pdf: Path) -> list[tuple[str, float]]:
    """(mark, space between the mark's ")" and the text) of every lettered paragraph of a left-to-right PDF."""
    gaps = []
    for row in _glyph_rows(pdf):
        line = sorted(row, key=lambda c: c["x0"])
        k = next((i for i, c in enumerate(line) if not c["text"].isalpha()), 0)
        if k and line[k]["text"] == ")" and k + 1 < len(line) and line[k + 1]["text"].isalpha():
            gaps.append(("".join(c["text"] for c in line[:k + 1]), line[k + 1]["x0"] - line[k]["x1"]))
    return gaps


def test_paragraph_numbers_keep_their_column_and_never_touch_the_text(tmp_path: Path) -> None:
    """Numbers 1–99 and single-letter marks sit in a column of fixed width (cheaper to lay out than one sized
    to each number); 100 and over, and doubled marks past the alphabet ("mm)", "жж)"), which that column
    cannot hold, are sized to themselves: no number or mark runs into its paragraph's text."""
    record = yaml.safe_load((Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8"))
    record["agenda"][0]["background"] = [{"fr": "Texte du paragraphe.", "ru": "Текст абзаца.", "ar": "نص الفقرة."}
                                         for _ in range(105)]
    point = {"fr": "Promouvoir la coopération.", "ru": "Содействовать сотрудничеству.", "ar": "تعزيز التعاون."}
    record["agenda"][0]["points"] = {"eg": [dict(point) for _ in range(52)], "ru": [dict(point) for _ in range(52)]}
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    code, out, err = run_cli(["build", str(path), "--out", str(tmp_path / "out"), "--backend", "none"])
    assert code == 0, out + err
    folder = tmp_path / "out" / "minimal"
    for pdf, rtl in ((next(folder.glob("*.master.fr.pdf")), False), (next(folder.glob("*.eg.ar.pdf")), True)):
        lines = _numbered_lines(pdf, rtl)
        assert {9, 10, 99, 100, 105} <= set(lines), (pdf.name, sorted(lines))
        for n, (number_end, text_start) in sorted(lines.items()):
            assert text_start - number_end > 1.0, f"{pdf.name}: paragraph {n}'s number touches its text"
        # the column: every number below 100 leaves its text at one place
        assert len({round(lines[n][1], 1) for n in range(1, 100) if n in lines}) == 1, pdf.name
    for pdf, marks in ((next(folder.glob("*.master.fr.pdf")), {"a)", "z)", "mm)", "zz)"}),
                      (next(folder.glob("*.ru.ru.pdf")), {"а)", "я)", "жж)", "шш)", "щщ)", "юю)"})):
        gaps = _lettered_gaps(pdf)
        assert marks <= {mark for mark, _ in gaps}, (pdf.name, gaps[:5])
        assert not [(mark, gap) for mark, gap in gaps if gap <= 1.0], f"{pdf.name}: a mark touches its text"

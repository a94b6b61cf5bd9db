"""The briefs have the structure ministries brief with, in each language; sections the record lacks are absent."""

from __future__ import annotations

import json
import re
from pathlib import Path

from design_support import POSITIONS, RID, minimal_context, pdf_text

from briefgen.render.editions import editions
from briefgen.render.html import render_html
from briefgen.render.labels import LABELS

HEADINGS = ("purpose", "participants", "agenda", "background", "points", "outcomes", "actions", "previous")
COVER = ("doc_kind", "date", "venue", "symbol")


def _has(text: str, label: str) -> bool:
    """A label in extracted text: case-insensitive (headings are set in capitals), without its colon."""
    return label.replace("\u00a0", " ").rstrip(": ").casefold() in text.replace("\u00a0", " ").casefold()


def _files(folder: Path) -> dict[str, dict]:
    manifest = json.loads((folder / "manifest.json").read_text())
    return {f["edition"]: f for f in manifest["files"]}


def test_every_brief_prints_the_cover_and_section_headings_in_its_language(example_build: Path) -> None:
    for entry in _files(example_build).values():
        text = pdf_text(example_build / entry["file"])
        labels = LABELS[entry["lang"]]
        missing = [key for key in (*HEADINGS, *COVER, "action", "owner", "due") if not _has(text, labels[key])]
        assert not missing, (entry["file"], missing)
        other = "ru" if entry["lang"] != "ru" else "fr"
        assert not _has(text, LABELS[other]["participants"]), entry["file"]


def test_cover_names_the_recipient_classification_and_symbol(example_build: Path) -> None:
    ru = pdf_text(example_build / f"{RID}.ru.ru.pdf")
    # the delegation as running text names it, in the case the sentence needs («Для российской делегации»)
    assert _has(ru, LABELS["ru"]["prepared_for_named"].format(who="российской делегации"))
    assert "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ" in ru.upper()
    assert f"{RID}/v1" in ru
    ar = pdf_text(example_build / f"{RID}.eg.ar.pdf")
    # li- + al- is written lil-; pypdf drops the space where the bold part begins (pdftotext keeps it)
    assert re.search("أعدت ?للوفد المصري", ar) and "للاستخدام الرسمي" in ar and f"{RID}/v1" in ar
    # the master prints both sides' notes: the protocol service's internal master, not an issued brief
    master = pdf_text(example_build / f"{RID}.master.fr.pdf")
    flat = " ".join(master.split())
    assert "Exemplaire de référence, version originale (français) : éléments de langage et notes de toutes les " \
           "délégations" in flat
    assert flat.upper().startswith("SERVICE DU PROTOCOLE EXEMPLAIRE INTERNE")   # no ministry's letterhead
    assert flat.upper().count("EXEMPLAIRE INTERNE — NE PAS REMETTRE AUX DÉLÉGATIONS") >= 2   # cover and every page
    assert "USAGE OFFICIEL" not in flat.upper()


def test_each_delegation_sees_its_own_side_listed_first(example_build: Path) -> None:
    ru = pdf_text(example_build / f"{RID}.ru.ru.pdf")
    assert ru.index("Носков") < ru.index("Талаат")
    ar = pdf_text(example_build / f"{RID}.eg.ar.pdf")
    assert ar.index("طلعت") < ar.index("نوسكوف")
    master = pdf_text(example_build / f"{RID}.master.fr.pdf")
    assert master.index("Talaat") < master.index("Noskov")  # the record's order


def test_agenda_items_are_counted_apart_from_the_paragraph_numbers(example_build: Path) -> None:
    ru = (example_build / f"{RID}.ru.ru.html").read_text()
    assert '<span class="item-no">I. </span>Сотрудничество' in ru
    assert '<span class="item-no">VI. </span>' in ru
    ar = (example_build / f"{RID}.eg.ar.html").read_text()
    assert '<span class="item-no">أولا: </span>' in ar and '<span class="item-no">سادسا: </span>' in ar
    assert '<span class="num">١٢\u00a0-&nbsp;</span>' in ar   # "١٢ -": a full stop would read as a zero


def test_a_record_without_optional_sections_leaves_them_out(variant_build: Path) -> None:
    for entry in _files(variant_build).values():
        text = pdf_text(variant_build / entry["file"])
        html = (variant_build / entry["file"].replace(".pdf", ".html")).read_text()
        labels = LABELS[entry["lang"]]
        for key in ("purpose", "actions", "previous"):
            assert not _has(text, labels[key]), (entry["file"], key)
        for section in ('class="purpose"', 'class="actions"', 'class="previous"', 'class="occasion"'):
            assert section not in html, (entry["file"], section)
        # no classification in the record: none on a delegation's brief; the master keeps its internal marking
        marking = re.findall(r'<p class="marking"><span class="classification">([^<]*)</span>', html)
        assert marking == ([labels["master_marking"]] if entry["delegation"] is None else []), entry["file"]
        assert _has(text, labels["agenda"]) and _has(text, labels["outcomes"])
    assert "En marge" not in pdf_text(variant_build / "eg-ru-variant.master.fr.pdf")


def test_a_delegation_brief_gives_the_other_sides_expected_position_the_master_both(variant_build: Path) -> None:
    files = _files(variant_build)
    ru = pdf_text(variant_build / files["ru"]["file"])
    assert POSITIONS["eg"]["ru"][:30] in ru and POSITIONS["ru"]["ru"][:30] not in ru
    assert _has(ru, LABELS["ru"]["position"].format(who="Египет"))
    ar = pdf_text(variant_build / files["eg"]["file"])
    assert "روسيا مستعدة لتبادل خبرتها" in ar and "تأمل مصر" not in ar
    master = pdf_text(variant_build / files["master"]["file"])
    assert POSITIONS["eg"]["fr"][:30] in master and POSITIONS["ru"]["fr"][:30] in master


def test_paragraph_numbers_stay_the_records_when_a_brief_leaves_a_position_out(variant_build: Path) -> None:
    manifest = json.loads((variant_build / "manifest.json").read_text())
    by_id = {v: int(k) for k, v in manifest["paragraphs"].items()}
    eg_pos, ru_pos = by_id["agenda.cybersecurity.positions.eg.1"], by_id["agenda.cybersecurity.positions.ru.1"]
    files = _files(variant_build)
    printed = {key: [int(n) for n in f["paragraphs"]] for key, f in files.items()}
    assert ru_pos not in printed["ru"] and eg_pos in printed["ru"]
    assert eg_pos not in printed["eg"] and ru_pos in printed["eg"]
    assert printed["master"] == sorted(by_id.values())
    html = (variant_build / files["ru"]["file"].replace(".pdf", ".html")).read_text()
    shown = re.findall(r'<p class="para" id="([^"]+)">', html)
    assert [by_id[s] for s in shown] == printed["ru"]   # a gap where its own position would be


def test_key_terms_annex_lists_the_briefs_language_first_headed_in_that_language() -> None:
    rows = [{"fr": "cybersécurité", "ru": "кибербезопасность", "ar": "الأمن السيبراني"},
            {"fr": "centre d'excellence", "ru": "центр передового опыта", "ar": "مركز التميز"}]
    ctx = minimal_context(terms={"eg": rows, "ru": rows})   # by edition: each brief's own annex
    eds = {e.key: e for e in editions(ctx.record)}
    ar = render_html(ctx, eds["eg"])
    annex = ar[ar.index('<section class="terms">'):]
    assert re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', annex) == ["العربية", "الفرنسية", "الروسية"]
    assert annex.index("الأمن السيبراني") < annex.index("cybersécurité") < annex.index("кибербезопасность")
    assert '<td lang="fr" dir="ltr">centre d’excellence</td>' in annex   # typographic apostrophe, own direction
    ru = render_html(ctx, eds["ru"])
    assert re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', ru[ru.index('class="terms"'):]) == [
        "Русский", "Французский", "Арабский"]
    assert 'class="terms"' not in render_html(ctx, eds["master"])   # no rows for French: no annex


def test_html_preview_carries_its_stylesheets_inline(example_build: Path) -> None:
    html = (example_build / f"{RID}.eg.ar.html").read_text()
    assert "<link" not in html
    assert "@page" in html and "direction: rtl" in html and "Amiri" in html

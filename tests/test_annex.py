"""The key-terms annex: the note's domain concepts only (no phraseology, no country names), each once, the
same scope in every language, in the variant the text itself used (issue 26)."""

from __future__ import annotations

from pathlib import Path

from conftest import pdf_text

from briefgen.record.segments import Segment
from briefgen.terms.layers import base_glossaries, load_glossary
from briefgen.terms.score import annex_rows

GLOSSARY = load_glossary(base_glossaries())
RID = "eg-ru-2019-06-09"


def _rows(texts: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    segs = [Segment(seg_id, text) for seg_id, text in texts["fr"].items()]
    return annex_rows(GLOSSARY, segs, "fr", texts)


def test_phraseology_and_countries_are_left_out_and_a_concept_is_listed_once() -> None:
    rows = _rows({
        "fr": {"a": "La coopération bilatérale entre la délégation du Japon et la Fédération de Russie.",
               "b": "Une étude de faisabilité sur la cybersécurité.",
               "c": "La cybersécurité et une nouvelle étude de faisabilité."},
        "ru": {}, "ar": {}})
    assert [r["fr"] for r in rows] == ["étude de faisabilité", "cybersécurité"]
    assert rows[0] == {"fr": "étude de faisabilité", "ru": "технико-экономическое обоснование",
                       "ar": "دراسة الجدوى"}


def test_the_annex_gives_the_variant_the_text_used_in_every_language() -> None:
    rows = _rows({"fr": {"a": "Un projet conjoint, financé conjointement, du ministère du Développement numérique, "
                              "des Communications et des Médias de masse de la Fédération de Russie."},
                  "ru": {"a": "Совместный проект Министерства цифрового развития, связи и массовых коммуникаций "
                              "Российской Федерации, совместно финансируемый."},
                  "ar": {"a": "مشروع مشترك بتمويل مشترك من وزارة التنمية الرقمية والاتصالات والإعلام في الاتحاد "
                              "الروسي."}})
    by_fr = {r["fr"]: r for r in rows}
    assert "projet conjoint" in by_fr and "projet commun" not in by_fr        # the text's own form
    assert by_fr["financé conjointement"] == {"fr": "financé conjointement", "ru": "совместно финансируемый",
                                              "ar": "بتمويل مشترك"}        # paired variants
    # the ministry named with its country in the text: with the country in every language, not in one only
    ministry = next(r for r in rows if r["fr"].startswith("ministère du Développement"))
    assert ministry["fr"].endswith("de la Fédération de Russie")
    assert ministry["ru"].endswith("Российской Федерации") and ministry["ar"].endswith("في الاتحاد الروسي")


def test_the_examples_annex_lists_domain_terms_only(example_build: Path) -> None:
    master = " ".join(pdf_text(example_build / f"{RID}.master.fr.pdf").split())
    annex = master[master.index("ANNEXE"):] if "ANNEXE" in master else master[master.index("Annexe"):]
    for phrase in ("coopération bilatérale", "délégation de haut niveau", "Japon", "Fédération de Russie Российская",
                   "entretien bilatéral", "partenariat партнерство", "coopération сотрудничество"):
        assert phrase not in annex, phrase
    assert "dans les trois langues dans lesquelles elle est établie" in annex
    assert "centre d’excellence pour la cybersécurité" in annex and "étude de faisabilité" in annex
    # «protection informatique» is what the note says (its dossier admits it), so the annex says it too
    assert "protection informatique защита информации" in annex


def test_a_phrase_another_row_spells_out_whole_is_not_listed_again() -> None:
    rows = _rows({"fr": {"a": "La conception et la fabrication de produits électroniques.",
                         "b": "La fabrication de produits électroniques et la cybersécurité.",
                         "c": "Un centre d’excellence pour la cybersécurité."},
                  "ru": {}, "ar": {}})
    assert [r["fr"] for r in rows] == ["conception et la fabrication de produits électroniques", "cybersécurité",
                                       "centre d'excellence pour la cybersécurité"]


def test_each_annex_lists_the_ministry_its_own_cover_names_only(example_build: Path) -> None:
    def annex(name: str) -> str:
        html = (example_build / name).read_text(encoding="utf-8")
        return html[html.index('<section class="terms">'):]

    eg, ru, master = annex(f"{RID}.eg.ar.html"), annex(f"{RID}.ru.ru.html"), annex(f"{RID}.master.fr.html")
    assert "وزارة الاتصالات وتكنولوجيا المعلومات" in eg and "وزارة التنمية الرقمية" not in eg
    assert "Министерство цифрового развития" in ru and "Министерство связи" not in ru
    assert "ministère" not in master      # headed by the protocol service: no ministry on its cover


def test_an_arabic_broken_plural_gives_its_singular_and_a_concept_sharing_words_is_listed_too() -> None:
    # the reviewer's correction C1: the text says برامج التدريب (the broken plural, a form of the termbase),
    # the annex prints the term, برنامج التدريب; and « formation spécialisée », which shares « formation » with
    # « programmes de formation », is a concept of the note as well (C2)
    rows = _rows({"fr": {"a": "Des programmes de formation spécialisée en informatique."},
                  "ru": {"a": "Специализированные программы подготовки в области информатики."},
                  "ar": {"a": "برامج التدريب المتخصص في علوم الحاسب."}})
    by_fr = {r["fr"]: r for r in rows}
    assert list(by_fr) == ["programme de formation", "formation spécialisée"]
    assert by_fr["programme de formation"]["ar"] == "برنامج التدريب"
    assert by_fr["formation spécialisée"]["ar"] == "التدريب المتخصص"

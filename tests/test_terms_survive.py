"""Terminology that survives a real model (issue 13): the honest double fails toward terms as a Marian
model does, and the glossary still carries the terms through, by repair first and protection after."""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path

import pytest
from conftest import PSEUDO_RECORDS, pdf_text

from briefgen.terms.layers import base_glossaries, load_glossary
from briefgen.terms.match import index_for
from briefgen.translate.glossed import GlossaryTranslator
from briefgen.translate.pseudo import PseudoTranslator

GLOSSARY = load_glossary(base_glossaries())
DIRECTIONS = {"eg-ru-2019-06-09": ("fr", ["ar", "ru"]), "ru-dz-2024-05-14": ("ru", ["fr"]),
              "eg-ru-sn-2024-11-20": ("ar", ["fr", "ru"])}
REMNANTS = ("<unk>", "\u2047", "\u2581", "<t", "< t", "<T", "t1>", "[t", "[ t", "[T", "t1]")


def test_the_double_loses_words_in_a_script_the_source_model_does_not_read(caplog) -> None:
    with caplog.at_level(logging.WARNING):
        out = PseudoTranslator().translate(["Le centre кибербезопасности ouvrira."], "fr", "ru")[0]
    assert "кибербезопасности" not in out and "<unk>" not in out
    assert "could not read (<unk>)" in caplog.text
    # Latin in a Russian source is read: a name or acronym is copied
    assert "2Africa" in PseudoTranslator().translate(["Кабель 2Africa проложен."], "ru", "fr")[0]


@pytest.mark.parametrize(("direction", "token"), [("fr-ru", "[t1]"), ("fr-en", "<t1>")])
def test_the_double_mangles_placeholders_part_of_the_time_and_always_the_same_way(direction: str,
                                                                                  token: str) -> None:
    src, tgt = direction.split("-")
    o, c = token[0], token[-1]
    texts = [f"Phrase {i} sur {token} et la suite." for i in range(400)]
    double = PseudoTranslator()
    assert double.placeholder_form(src, tgt).format(n=1) == token      # tc-big fr→ru: [t1]; base fr→en: <t1>
    out = double.translate(texts, src, tgt)
    assert out == PseudoTranslator().translate(texts, src, tgt)            # seeded: reproducible
    fates = Counter("duplicated" if x.count(token) == 2 else "kept" if f" {token} " in x else "spaced"
                    if f"{o} t1 {c}" in x else "recased" if f"{o}T1{c}" in x else "moved" if x.endswith(token) else
                    "cut" if f"{o}t1" in x else "dropped" for x in out)
    assert set(fates) == {"kept", "spaced", "recased", "duplicated", "moved", "cut", "dropped"}
    assert 0.45 < fates["kept"] / len(out) < 0.65 and fates["dropped"] > 20
    assert PseudoTranslator(seed=1).translate(texts, src, tgt) != out


def test_a_lt_placeholder_given_to_a_tc_big_leg_never_comes_back() -> None:
    # tc-big has no "<" (tests/test_real_vocab.py): <t1> reaches it as <unk> t 1 >
    out = PseudoTranslator().translate([f"Phrase {i} sur <t1> et la suite." for i in range(100)], "fr", "ru")
    assert not [x for x in out if "<t1>" in x or "< t1" in x or "<T1" in x]


def test_a_foreign_word_is_lost_on_tc_big_and_sometimes_copied_when_a_base_model_spells_it() -> None:
    texts = [f"Phrase {i} avec кибербезопасность dedans." for i in range(200)]
    tc_big = PseudoTranslator().translate(texts, "fr", "ru")            # opus-mt-tc-big-fr-zle
    base = PseudoTranslator().translate(texts, "fr", "en")              # opus-mt-fr-en (2020)
    assert not [x for x in tc_big if "кибербезопасность" in x]
    assert 0.2 < sum("кибербезопасность" in x for x in base) / len(base) < 0.4


def test_the_double_renders_unprotected_terms_its_own_way_in_the_nominative() -> None:
    double = PseudoTranslator()
    # an avoid form of the concept (персональная информация), in the nominative even where a case is due
    out = double.translate(["La loi encadre les données personnelles."], "fr", "ru")[0]
    assert "персональная информация" in out and "персональные данные" not in out
    assert double.translate(["données personnelles"], "fr", "ru") == ["персональная информация"]   # alone: the same
    assert double.pivot("fr", "ar") == "en" and double.pivot("ru", "ar") == "en" and double.pivot("fr", "ru") is None


def test_an_arabic_term_is_enforced_on_the_english_leg_never_written_into_french() -> None:
    inner = PseudoTranslator()
    tr = GlossaryTranslator(inner, GLOSSARY)
    out = tr.translate(["Les deux ministres ont convenu de coopérer dans le domaine de la cybersécurité."], "fr", "ar")
    assert "cybersecurity" in index_for(GLOSSARY, "ar").present(out[0])   # definite or not, as its place needs
    legs = tr.outcomes["fr", "ar"]
    assert list(legs) == ["fr-en", "en-ar"]
    firsts = [t for purpose in ("own", "retry") for (a, b, t, _) in tr.work[purpose].texts if a == "fr"]
    assert firsts and not any(ch >= "\u0600" for t in firsts for ch in t)   # no Arabic in what French reads


def _given_occurrences(record: str, lang: str) -> int:
    """Glossary concepts in the texts the record itself gives in ``lang`` (counted as the manifest counts)."""
    from briefgen import load_record
    from briefgen.record.segments import segments
    from briefgen.terms.score import score

    rec = load_record(next(p for p in PSEUDO_RECORDS if p.stem == record)).record
    given = [(s.id, s.source, s.supplied(lang)) for s in segments(rec) if s.needed_in(lang) and s.supplied(lang)]
    return score(given, index_for(GLOSSARY, rec.source_lang), index_for(GLOSSARY, lang)).occurred


@pytest.mark.parametrize("record", list(DIRECTIONS))
def test_with_the_double_and_no_memory_every_language_reaches_098(pseudo_builds: dict[str, Path],
                                                                  record: str) -> None:
    manifest = json.loads((pseudo_builds[record] / "manifest.json").read_text(encoding="utf-8"))
    _, langs = DIRECTIONS[record]
    for lang in langs:
        terms = manifest["glossary"]["terms"][lang]
        # enough occurrences to measure (0.98 then allows no miss under 50): a delegation's own talking points
        # are translated into its language only, so the test records' host points reach one target language
        assert terms["occurred"] >= 40
        assert terms["accuracy"] >= 0.98, terms["misses"]
        enforcement = terms["enforcement"]
        # every occurrence in a machine draft is accounted for, by how it came through (texts the record
        # gives are not drafted); the double made repair necessary
        assert sum(enforcement[k] for k in ("as_is", "repaired", "inline", "placeholder", "failed")) >= \
            terms["occurred"] - _given_occurrences(record, lang)
        assert enforcement["repaired"] > enforcement["as_is"] > 0
        assert enforcement["failed"] == len([c for u in terms["unrepaired"] for c in u["concepts"]])


def test_the_fr_ar_pivot_reports_both_legs(pseudo_builds: dict[str, Path]) -> None:
    manifest = json.loads((pseudo_builds["eg-ru-2019-06-09"] / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["glossary"]["terms"]["ar"]["enforcement"]["legs"]) == ["fr-en", "en-ar"]
    assert list(manifest["glossary"]["terms"]["ru"]["enforcement"]["legs"]) == ["fr-ru"]


@pytest.mark.parametrize("record", list(DIRECTIONS))
def test_no_placeholder_or_unknown_mark_reaches_any_pdf(pseudo_builds: dict[str, Path], record: str) -> None:
    pdfs = sorted(pseudo_builds[record].glob("*.pdf"))
    assert len(pdfs) >= 3
    for pdf in pdfs:
        text = pdf_text(pdf)
        assert not [r for r in REMNANTS if r in text], pdf.name


def test_qa_lists_the_terms_the_glossary_could_not_enforce_by_segment(pseudo_builds: dict[str, Path]) -> None:
    rows = []
    for out in pseudo_builds.values():
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        unrepaired = {(lang, u["segment"]) for lang, t in manifest["glossary"]["terms"].items()
                      for u in t["unrepaired"]}
        lines = (out / "qa.tsv").read_text(encoding="utf-8").splitlines()
        header = lines[0].split("\t")
        listed = {(r["lang"], r["segment_id"]) for r in (dict(zip(header, line.split("\t"), strict=False))
                                                          for line in lines[1:]) if r["code"] == "term-unenforced"}
        assert listed == unrepaired
        rows += listed
    assert rows, "the double loses some terms for good: QA must list them"


def test_a_placeholder_remnant_is_removed_but_the_same_text_in_the_source_is_kept() -> None:
    from briefgen.terms.protect import clean_remnants

    assert clean_remnants("Скорость канала < t1 выросла.") == "Скорость канала выросла."
    assert clean_remnants("Скорость T1 > выросла.") == "Скорость выросла."
    # a comparison the source wrote is text: the model copied it, and it stays
    assert clean_remnants("Скорость T1 > T2.", source="Débit T1 > T2.") == "Скорость T1 > T2."

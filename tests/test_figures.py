"""Numbers in texts (briefgen/figures.py) against the labelled set in tests/data/numbers/: figures found
(precision and recall per source language), values, and each figure as every target locale prints it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from babel import Locale

from briefgen.figures import differences, localize, missing_identifiers, numbers, scan, write
from briefgen.render.localize import month_year, names_country, typeset

DATA = Path(__file__).parent / "data" / "numbers"
LOCALES = ("fr_FR", "ru_RU", "ar_EG", "ar_DZ", "ar_MA")


def _cases(lang: str) -> list[dict]:
    return yaml.safe_load((DATA / f"{lang}.yaml").read_text(encoding="utf-8"))


def _expected(fig: dict) -> tuple:
    values: tuple = ()
    if fig["kind"] in ("number", "percent"):
        values = (Decimal(fig["value"]),)
    elif fig["kind"] == "range":
        values = tuple(Decimal(v) for v in fig["value"].split(".."))
    elif fig["kind"] == "ambiguous":
        values = tuple(sorted(Decimal(v) for v in fig["readings"]))
    return fig["raw"], fig["kind"], values


def _found(fig) -> tuple:
    values = () if fig.kind in ("identifier", "ordinal") else tuple(sorted(fig.values)) \
        if fig.kind == "ambiguous" else fig.values
    return fig.raw, fig.kind, values


@pytest.mark.parametrize("lang", ["fr", "ru", "ar"])
def test_labelled_set_precision_and_recall(lang: str) -> None:
    """A figure counts as found when its text, its kind and its value(s) are all right."""
    tp = fp = fn = 0
    wrong = []
    for case in _cases(lang):
        hints = [Decimal(v) for v in case.get("source_values", [])]
        expected = [_expected(f) for f in case["figures"]]
        found = [_found(f) for f in scan(case["text"], lang, hints)]
        tp += sum(1 for e in expected if e in found)
        fn += sum(1 for e in expected if e not in found)
        fp += sum(1 for f in found if f not in expected)
        wrong += [(case["id"], e) for e in expected if e not in found]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"figures {lang}: precision {precision:.3f} recall {recall:.3f} ({tp + fn} labelled)")
    assert tp + fn >= 35
    assert (precision, recall) == (1.0, 1.0), wrong


@pytest.mark.parametrize("lang", ["fr", "ru", "ar"])
def test_every_locale_prints_every_number_as_labelled(lang: str) -> None:
    locales = {code: Locale.parse(code) for code in LOCALES}
    checked = 0
    for case in _cases(lang):
        hints = [Decimal(v) for v in case.get("source_values", [])]
        found = {f.raw: f for f in scan(case["text"], lang, hints)}
        for fig in case["figures"]:
            for code, want in fig.get("render", {}).items():
                assert write(found[fig["raw"]], locales[code]) == want, (case["id"], code)
                checked += 1
    assert checked >= 60


def test_identifiers_keep_their_latin_digits_in_an_arabic_indic_locale() -> None:
    text = "إصلاح CVE-2019-0708 وفق ISO 27001 في Windows 10 والقرار A/RES/73/27 وعدد 7 340 912 و3,25 و12,5 %"
    out = localize(text, "ar", Locale.parse("ar_EG"))
    kinds = [(p.kind, p.text) for p in out.pieces if p.kind != "text"]
    # codes stay on one line: their spaces become no-break spaces
    assert kinds == [("code", "CVE-2019-0708"), ("code", "ISO\u00a027001"), ("code", "Windows\u00a010"),
                     ("code", "A/RES/73/27"), ("number", "٧٬٣٤٠٬٩١٢"), ("number", "٣٫٢٥"), ("number", "١٢٫٥٪")]
    # Arabic-Indic figures are isolated right to left (percent sign on the left), Latin ones left to right
    assert {p.dir for p in out.pieces if p.kind == "number"} == {"rtl"}
    assert {p.dir for p in localize("12,5 %", "fr", Locale.parse("ar_DZ")).pieces if p.kind == "number"} == {"ltr"}


def test_values_compare_across_conventions_and_ambiguity_follows_the_source() -> None:
    assert numbers("1 250,5 et 3.14", "fr") == numbers("1,250.5 و ٣٫١٤", "ar")
    # groups printed in reversed order are another number
    assert differences(numbers("7 340 912", "fr"), numbers("٩١٢ ٣٤٠ ٧", "ar")) == (["7340912"], ["7", "912340"])
    # "1,250" in an Arabic translation of the French "1,250" (= 1.25) is read as the source has it
    assert numbers("1,250", "ar", {Decimal("1.25")}) == numbers("1,250", "fr")
    assert differences(numbers("1.250", "fr"), numbers("1 250", "ru")) == ([], [])   # ambiguous matches either


def test_identifiers_must_be_printed_exactly() -> None:
    assert missing_identifiers(["CVE-2019-0708"], "CVE-٢٠١٩-٠٧٠٨") == ["CVE-2019-0708"]
    # broken across two lines of a table row, with another cell between the pieces
    assert missing_identifiers(["EGRU-ICT-2023-CYBER-3FF6"], "x EGRU-ICT-2023- Égypte CYBER-3FF6.",
                               ["x ", "EGRU-ICT-2023-", "Égypte", "CYBER-3FF6", "."]) == []


def test_typography_binds_figures_to_months_and_acronyms_to_words() -> None:
    ar = Locale.parse("ar_EG")
    out = str(typeset(localize("زيارة في مارس 2019 ضمن مبادرة Next Technology Leaders (NTL).", "ar", ar), "ar", ar))
    assert "مارس\u00a0٢٠١٩" in out and "Leaders\u00a0(NTL)." in out
    ru = Locale.parse("ru_RU")
    assert str(typeset(localize("на полях совещания (8-9 июня 2019 года)", "ru", ru), "ru", ru)) == \
        "на полях совещания (8\u20139\u00a0июня\u00a02019\u00a0года)"
    # the last word of a paragraph and proper names are not hyphenated
    pieces = typeset(localize("Визит в Египет российского министра.", "ru", ru), "ru", ru, paragraph=True).pieces
    assert [p.text for p in pieces if p.kind == "keep"] == ["Визит", "Египет", "министра."]


def test_russian_month_and_year_read_as_the_ministry_writes_them() -> None:
    assert month_year("2023-10", Locale.parse("ru_RU")) == "октябрь\u00a02023\u00a0г."
    assert month_year("2019-03", Locale.parse("ar_EG")) == "مارس\u00a0٢٠١٩"


def test_a_venue_that_names_its_country_gets_no_second_one() -> None:
    assert names_country("Москва, Российская Федерация", "Россия")
    assert names_country("موسكو، الاتحاد الروسي", "روسيا")
    assert names_country("Alger, République algérienne démocratique et populaire", "Algérie")
    assert not names_country("Préfecture d'Ibaraki", "Japon")
    assert not names_country("Москва", "Россия")

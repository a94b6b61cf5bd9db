"""Dates, numbers and country names as each delegation's CLDR locale writes them (Babel)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal

from ..figures import DIGITS


@lru_cache(maxsize=64)
def locale_for(lang: str, country: str | None = None, explicit: str | None = None) -> Locale:
    """The explicit locale, else lang_COUNTRY when CLDR knows it (ar_EG, ru_RU), else the language."""
    for code in (explicit, f"{lang}_{country}" if country else None, lang):
        if code:
            try:
                return Locale.parse(code.replace("-", "_"))
            except (ValueError, UnknownLocaleError):
                continue
    return Locale.parse(lang)


def numbering_system(locale: Locale) -> str:
    return getattr(locale, "default_numbering_system", "latn") or "latn"


def number(value: int, locale: Locale) -> str:
    return digits(format_decimal(value, locale=locale, group_separator=False), locale)


# A run of digits that is not part of a Latin-script word (G20, 5G and e-mail addresses keep theirs).
_DIGIT_RUN = re.compile(r"(?<![A-Za-z0-9@_.])[0-9]+(?:[.,][0-9]+)*(?![A-Za-z0-9@_])")


def digits(text: str, locale: Locale) -> str:
    """Latin digits in ``text`` written in the locale's own digits (e.g. Arabic-Indic for ar_EG)."""
    system = numbering_system(locale)
    if system == "latn" or system not in DIGITS:
        return text
    table = str.maketrans("0123456789", DIGITS[system])
    return _DIGIT_RUN.sub(lambda m: m.group().translate(table), text)


def long_date(value: dt.date, locale: Locale) -> str:
    return format_date(value, "long", locale=locale)


def month_year(value: str, locale: Locale) -> str:
    """'2019-03' → 'mars 2019'; a full date → the long date."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return long_date(dt.date(*parts), locale)
    from babel.dates import format_skeleton
    return format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1), locale=locale)


def country_name(code: str, locale: Locale) -> str:
    return locale.territories.get(code, code)


def css_counter_style(locale: Locale) -> str:
    return {"arab": "arabic-indic", "arabext": "persian"}.get(numbering_system(locale), "decimal")


def language_name(code: str, locale: Locale) -> str:
    """The name of a language as ``locale`` writes it ('arabe', 'арабский', 'العربية')."""
    return locale.languages.get(code, code)


def capitalized(text: str) -> str:
    """First letter in capitals, for names used as column headings ('français' → 'Français')."""
    return text[:1].upper() + text[1:]

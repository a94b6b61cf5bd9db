"""Dates, numbers, country names and typography as each delegation's CLDR locale writes them (Babel).

Numbers inside texts are read and written by ``briefgen.figures``; this module adds what a page needs around
them: no-break spaces that keep a figure with its month or unit ("9 juin", "2019 г.", "مارس ٢٠١٩") and a
parenthesised acronym with its word ("(NTL)."), and the words a page must not hyphenate (proper names, so
country names, and the last word of a paragraph).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.lists import format_list

from ..figures import Localized, Piece, native_digits, numbering_system, write_number

NBSP = "\u00a0"


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


def number(value: int, locale: Locale) -> str:
    """A paragraph or item number: the locale's digits, never grouped."""
    return write_number(value, locale)


def number_list(values: list[int], locale: Locale) -> str:
    """'7 et 9', '7, 9 и 11', '٧ و٩'."""
    return format_list([number(v, locale) for v in values], locale=locale)


def long_date(value: dt.date, locale: Locale) -> str:
    """'9 juin 2019', '9 июня 2019 г.', '٩ يونيو ٢٠١٩': day, month and year held together."""
    return _bound(native_digits(format_date(value, "long", locale=locale), locale))


def month_year(value: str, locale: Locale) -> str:
    """'2019-03' → 'mars 2019', 'март 2019 г.', 'مارس ٢٠١٩'; a full date → the long date."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return long_date(dt.date(*parts), locale)
    return _bound(native_digits(format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1), locale=locale), locale))


def _bound(date: str) -> str:
    """A date never breaks across lines."""
    return re.sub(r"\s", NBSP, date)


def country_name(code: str, locale: Locale) -> str:
    return locale.territories.get(code, code)


def names_country(text: str, country: str) -> bool:
    """Whether ``text`` (a venue) already names ``country``, in any of its forms: 'Москва, Российская Федерация'
    names Россия, 'موسكو، الاتحاد الروسي' names روسيا, 'Alger, République algérienne' names Algérie. Every
    significant word of the country's name must begin a word of the text (compared on their first letters)."""
    words = [_stem(w) for w in re.findall(r"\w+", country.casefold()) if len(w) >= 3]
    found = [_plain(w) for w in re.findall(r"\w+", text.casefold())]
    return bool(words) and all(any(f.startswith(w) for f in found) for w in words)


def _plain(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


def _stem(word: str) -> str:
    word = _plain(word)
    return word if len(word) <= 4 else word[: max(4, len(word) - 2)]


def css_counter_style(locale: Locale) -> str:
    return {"arab": "arabic-indic", "arabext": "persian"}.get(numbering_system(locale), "decimal")


def language_name(code: str, locale: Locale) -> str:
    """The name of a language as ``locale`` writes it ('arabe', 'арабский', 'العربية')."""
    return locale.languages.get(code, code)


def capitalized(text: str) -> str:
    """First letter in capitals, for names used as column headings ('français' → 'Français')."""
    return text[:1].upper() + text[1:]


# --- typography ---------------------------------------------------------------------------------------

# Words a figure is not left alone on a line without, besides the months: units and magnitudes.
_UNITS = {
    "fr": ("million", "millions", "milliard", "milliards", "millier", "milliers", "h", "km", "Mo", "Go"),
    "ru": ("г.", "гг.", "год", "года", "году", "годы", "годах", "годов", "млн", "млрд", "тыс.", "руб.", "ч"),
    "ar": ("مليون", "مليار", "ألف", "آلاف", "عام", "سنة"),
}
_OTHER_LOCALES = {"ar": ("ar", "ar_EG", "ar_DZ", "ar_MA", "ar_LB", "ar_SA"), "fr": ("fr",), "ru": ("ru",)}
_ACRONYM_AFTER = re.compile(r"[ ]+(\([^\s()]{2,12}\)[.,;:»]?)")
_PROPER = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’\-]*")
_LAST_WORD = re.compile(r"[\w'’\-]+[^\w\s]*\s*$")
HYPHENATED = frozenset({"fr", "ru"})   # Arabic is never hyphenated (rtl.css)


@lru_cache(maxsize=16)
def _bound_words(lang: str, locale: Locale) -> frozenset[str]:
    words: set[str] = set(_UNITS.get(lang, ()))
    for code in {str(locale), *_OTHER_LOCALES.get(lang, (lang,))}:
        loc = locale_for(lang, explicit=code)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                words.update(m.casefold() for m in loc.months[context][width].values())
    return frozenset(words)


def typeset(text: Localized, lang: str, locale: Locale, paragraph: bool = False) -> Localized:
    """No-break spaces where a figure belongs to its neighbour; for a paragraph in a hyphenated language,
    proper names and the last word as pieces not to hyphenate (kind "keep")."""
    bound = _bound_words(lang, locale)
    pieces = list(text.pieces)
    for i, p in enumerate(pieces):
        if p.kind != "text":
            continue
        t = _ACRONYM_AFTER.sub(NBSP + r"\1", p.text)
        if i > 0 and pieces[i - 1].kind == "number":
            m = re.match(r" (\S+)", t)
            if m and m.group(1).casefold().rstrip(",;:)") in bound:
                t = NBSP + t[1:]
        if i + 1 < len(pieces) and pieces[i + 1].kind == "number":
            m = re.search(r"(\S+) $", t)
            if m and m.group(1).casefold().lstrip("(") in bound:
                t = t[:-1] + NBSP
        pieces[i] = Piece(t)
    if paragraph and lang in HYPHENATED:
        pieces = _keep_whole(pieces)
    return Localized(tuple(pieces))


def _keep_whole(pieces: list[Piece]) -> list[Piece]:
    last = max((i for i, p in enumerate(pieces) if p.kind == "text" and p.text.strip()), default=None)
    out: list[Piece] = []
    for i, p in enumerate(pieces):
        if p.kind != "text":
            out.append(p)
            continue
        text, tail = p.text, ""
        if i == last and i == len(pieces) - 1:
            m = _LAST_WORD.search(text)
            if m:
                text, tail = text[:m.start()], m.group()
        pos = 0
        for m in _PROPER.finditer(text):
            if m.start() > pos:
                out.append(Piece(text[pos:m.start()]))
            out.append(Piece(m.group(), "keep"))
            pos = m.end()
        if pos < len(text):
            out.append(Piece(text[pos:]))
        if tail:
            out.append(Piece(tail, "keep"))
    return out

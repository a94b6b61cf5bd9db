"""Figures in texts: numbers read as values in the conventions of the language a text is written in, written
in a target locale's conventions (CLDR, through Babel), and identifiers that are never localised.

``scan`` cuts a text into figures:

- identifiers, kept exactly as written in every language: URLs, e-mail addresses, telephone numbers,
  document symbols and references with a slash (A/RES/73/27, 2016/679), codes joining letters and digits
  (CVE-2019-0708, G20, 5G, IPv6, 802.11ax), a name or acronym with its number (ISO 27001, Windows 10,
  TLS 1.3, ГОСТ Р 57580.1-2017), section and version numbers (paragraphe 3.2, 2.4.1), ISO dates, decree
  numbers (2019-123), times;
- ordinals written with figures (1er, 2e, 1-й), kept as written;
- numbers (the exact value, whether the text groups its digits, how many decimals it writes, an explicit
  sign: "+20 %"), percentages and ranges ("8-9", "10 000-20 000", "7,5–8 %"): a range is read first, as two
  whole numbers in the language's conventions, so the hyphen in "10 000-20 000" never cuts a grouped number;
- ambiguous numbers ("1.250" in French, "1,250" in Arabic: thousands, or a decimal?): the reading found among
  the source segment's values (``hints``) is taken; with none, the figure is kept as written.

``localize`` writes a text for a locale: each number in the locale's digits and separators (grouped only where
the text grouped it, so years stay "2019"), a written sign with the locale's plus or minus sign, ranges
with an en dash, identifiers as they are; numbers and
identifiers are pieces of their own, so the renderer isolates each for the bidi algorithm and it reads left
to right. QA compares texts with ``differences`` (values, whatever the digits and separators) and
``missing_identifiers``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import lru_cache
from typing import Any

# Digits of the CLDR numbering systems our locales use.
DIGITS = {"latn": "0123456789", "arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}
_TO_LATN = str.maketrans({d: str(i) for sys_ in ("arab", "arabext") for i, d in enumerate(DIGITS[sys_])})
# CLDR puts bidi marks into some symbols (ar: "٪؜", "‎%‎", "؜-"); a printed figure is isolated as a whole
# instead, and the marks stay out of the PDF's text.
_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))

SPACES = " \u00a0\u202f\u2009"
_LETTER = "A-Za-z\u00c0-\u024f\u0400-\u04ff"
_DEC_AR, _GRP_AR = "\u066b", "\u066c"
EN_DASH = "\u2013"

NUMERIC = ("number", "percent", "range")


@dataclass(frozen=True)
class Figure:
    """One figure of a text: where it is, what it is and, for numbers, its value(s)."""

    start: int
    end: int
    raw: str
    kind: str                          # number | percent | range | identifier | ordinal | ambiguous
    values: tuple[Decimal, ...] = ()   # number, percent: (value,); range: (low, high); ambiguous: its readings
    grouped: bool = False              # the text groups the digits (7 340 912): printed grouped
    decimals: tuple[int, ...] = ()     # fraction digits as written, one per value
    key: str | None = None             # identifier: what every translation must carry verbatim (None: free)
    signs: tuple[str, ...] = ()        # "+", "-" or "" per value: the sign as written, printed back
    percent: bool = False              # a range of percentages (7,5–8 %)


# --- reading ------------------------------------------------------------------------------------------

def to_latin_digits(text: str) -> str:
    return text.translate(_TO_LATN)


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"«»]+", re.IGNORECASE)
_URL_TAIL = ".,;:!?»\"'،؛…"
# anchored at the start of the name part: unanchored, every letter of a long word started a failing scan
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]++@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PHONE_INTL = re.compile(r"(?<![\w+])\+\d[\d \u00a0().\-]{5,}\d")
_PHONE_LOCAL = re.compile(rf"(?<![\w.,])\d{{1,4}}(?:[{SPACES}]\d{{1,4}})*(?:-\d{{2}}){{2}}(?![\w-])")
_NUMTOK = r"\d+(?:[.:/\-–]\d+)*"
# An acronym (ISO, ISO/IEC, TLS, CVE) or a standard's name (ГОСТ Р) and its number. Letters are taken
# possessively (*+, ++): a backtracking [A-Z]{2,}[A-Z0-9]* tries every split of a long capitalised word, which
# made one 20,000-letter word cost minutes.
_ACRONYM = re.compile(
    rf"(?<![\w])(?:[A-Z]{{2}}[A-Z0-9]*+(?:[/-][A-Z0-9]++)*+|ГОСТ|СТО|СНиП|СП|ОСТ|РД|ТУ)(?:[ \u00a0][A-ZА-ЯЁ](?![\w]))?"
    rf"[ \u00a0]({_NUMTOK})(?![\w])")
# A product's or protocol's name and its version: "Windows 10", "Android 12" (any Latin word in Cyrillic or
# Arabic text; in Latin text a capitalised word that does not start a sentence).
_TITLE_NAME = re.compile(rf"(?<![\w])[A-Z][a-z]++(?:[A-Z][a-z]*+)*+[ \u00a0]({_NUMTOK})(?![\w])")
_LATIN_NAME = re.compile(rf"(?<![\w])[A-Za-z]++[ \u00a0]({_NUMTOK})(?![\w])")
# A section, article or version number: "paragraphe 3.2", "пункт 3.2", "الفقرة 3.2" (not the decimal 3,2).
_SECTION = re.compile(
    r"(?:(?<![\w])(?:paragraphes?|articles?|sections?|points?|chapitres?|annexes?|versions?|"
    r"пункт[аеуы]?|пунктом|стать(?:я|и|е|ей)|раздел[аеу]?|глав[аеыу]|верси[яиюей]|параграф[аеу]?|"
    r"الفقرة|الفقرات|المادة|البند|القسم|الإصدار|النسخة|الفصل)|§)[ \u00a0]+(\d+(?:\.\d+)+)(?![\d\w])",
    re.IGNORECASE)
_TOKEN = re.compile(rf"[{_LETTER}0-9]++(?:[-–./:_][{_LETTER}0-9]++)*+")
_FR_ORDINAL = re.compile(r"\d+(?:er|re|e|ème|eme|nde?)s?")
_RU_ENDING = re.compile(r"[а-яё]+")
_NUMBER = re.compile(rf"(?<![{_LETTER}0-9.,\u066b\u066c\-–/])(?:[-+\u2212](?=\d))?\d+"
                     rf"(?:(?:[.,\u066b\u066c]|[{SPACES}](?=\d{{3}}(?!\d)))\d+)*")
_PERCENT_SIGN = re.compile(rf"[{SPACES}]?[%\u066a]")
# A range: two whole numbers, each with its sign, grouping and decimals, joined by a hyphen or a dash with no
# space. It starts where no number, word or separator goes on before it, and a grouped number is matched whole
# ("10 000-20 000", never "000-20"); it ends where no other part of a date, reference or code follows
# ("2019-09-30", "123-45-67" are no ranges).
_SIDE = (rf"\d{{1,3}}(?:[{SPACES}.,\u066c]\d{{3}})+(?:[.,\u066b]\d+)?(?![\d{SPACES}]\d)"
         rf"|\d+(?:[.,\u066b]\d+)?")
_RANGE = re.compile(rf"(?<![{_LETTER}0-9.,\u066b\u066c\-–—/+\u2212])(?P<low>[-+\u2212]?(?:{_SIDE}))[-–—]"
                    rf"(?P<high>[+\u2212]?(?:{_SIDE}))(?![{_LETTER}0-9_]|[-–—/.,:\u066b\u066c]\d)")
# the tail of a grouped number: "10 000" before "000-20" when the whole was no range
_GROUP_TAIL = re.compile(rf"(?<![0-9])\d{{1,3}}[{SPACES}.,\u066c]$")


def scan(text: str, lang: str | None = None, hints: Iterable[Decimal] = ()) -> list[Figure]:
    """Every figure of ``text`` (written in ``lang``), in order; ``hints`` are the values of the source
    segment, which settle an ambiguous number."""
    norm = to_latin_digits(text)
    found: list[Figure] = []
    taken = [False] * len(norm)

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def claim(fig: Figure) -> None:
        found.append(fig)
        for i in range(fig.start, fig.end):
            taken[i] = True

    def code(start: int, end: int, key: bool = True) -> None:
        if free(start, end):
            raw = text[start:end]
            claim(Figure(start, end, raw, "identifier", key=raw if key else None))

    for m in _URL.finditer(norm):
        end = m.end()
        while end > m.start() and (norm[end - 1] in _URL_TAIL or
                                   (norm[end - 1] == ")" and norm.count("(", m.start(), end) <
                                    norm.count(")", m.start(), end))):
            end -= 1
        code(m.start(), end)
    for m in _EMAIL.finditer(norm):
        code(m.start(), m.end())
    for pattern in (_PHONE_INTL, _PHONE_LOCAL):
        for m in pattern.finditer(norm):
            if sum(ch.isdigit() for ch in m.group()) >= 7:
                code(m.start(), m.end())
    for m in _SECTION.finditer(norm):
        code(m.start(1), m.end(1))
    for m in _ACRONYM.finditer(norm):
        code(m.start(), m.end())
    names = _TITLE_NAME if _latin_script(lang, norm) else _LATIN_NAME
    for m in names.finditer(norm):
        # "ISO 27001" may be written "ИСО 27001" in a translation: only its number must stay as it is
        if not (names is _TITLE_NAME and _starts_sentence(norm, m.start())) and free(m.start(), m.end()):
            claim(Figure(m.start(), m.end(), text[m.start():m.end()], "identifier", key=m.group(1)))
    pos, known = 0, set(hints)
    for m in _RANGE.finditer(norm):
        if free(m.start(), m.end()) and not _GROUP_TAIL.search(norm, 0, m.start()):
            _range(m, text, norm, lang, known, claim, free)
    for m in _TOKEN.finditer(norm):
        if free(m.start(), m.end()) and any(ch.isdigit() for ch in m.group()):
            _token(m.start(), m.group(), text, lang, claim)
    while (m := _NUMBER.search(norm, pos)) is not None:
        pos = _number(m.start(), m.group(), text, norm, lang, known, claim, free) if free(m.start(), m.end()) \
            else m.end()
    return sorted(found, key=lambda f: f.start)


def _latin_script(lang: str | None, norm: str) -> bool:
    if lang is not None:
        return lang == "fr"
    letters = [ch for ch in norm if ch.isalpha()]
    return not letters or sum(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in letters) > len(letters) / 2


def _starts_sentence(norm: str, start: int) -> bool:
    before = norm[:start].rstrip(SPACES)
    return not before or before[-1] in ".!?:;«(\"—–"


def _ru_suffixed(tok: str) -> str | None:
    """What comes before a Russian ending joined by a hyphen ("5G" of "5G-сетей", "3" of "3-го") when that part
    holds a digit. The ending has no hyphen, so it follows the last one: one split, where a backtracking
    pattern tried every digit of a long token against every later position."""
    head, sep, tail = tok.rpartition("-")
    if sep and _RU_ENDING.fullmatch(tail) and any(ch.isdigit() for ch in head):
        return head
    return None


def _token(start: int, tok: str, text: str, lang: str | None, claim: Any) -> None:
    """A run of letters and digits joined by - . / : _ (no spaces): an identifier, an ordinal or a range."""
    end = start + len(tok)
    raw = text[start:end]
    has_letter = any(ch.isalpha() for ch in tok)
    if has_letter:
        if _FR_ORDINAL.fullmatch(tok):
            claim(Figure(start, end, raw, "ordinal"))
            return
        head = _ru_suffixed(tok)
        if head is not None and not any(ch.isalpha() for ch in head):
            claim(Figure(start, end, raw, "ordinal"))        # 1-й, 3-го, 10-летие
            return
        if head is not None:                                 # 5G-сетей: the code is 5G
            tok, end = head, start + len(head)
            raw = text[start:end]
        # short codes (G20, 5G, IPv6, COVID-19, v2.0) may be translated (مجموعة العشرين); long ones may not
        claim(Figure(start, end, raw, "identifier", key=raw if len(tok) > 8 or "/" in tok else None))
        return
    if "/" in tok:
        claim(Figure(start, end, raw, "identifier", key=raw))
        return
    if ":" in tok:
        claim(Figure(start, end, raw, "identifier", key=None if re.fullmatch(r"\d{1,2}:\d{2}", tok) else raw))
        return
    parts = re.split("[-–]", tok)
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        low, high = int(parts[0]), int(parts[1])
        if low < high:
            claim(Figure(start, end, raw, "range", (Decimal(low), Decimal(high)), False, (0, 0)))
        else:                                                # a decree number: 2019-123
            claim(Figure(start, end, raw, "identifier", key=raw))
        return
    if len(parts) > 1:                                       # an ISO date, a reference: 2019-09-30
        claim(Figure(start, end, raw, "identifier", key=raw))
    # digits and dots only: a number (3.14, 7.340.912) or a version (2.4.1), read by _number


def _range(m: re.Match[str], text: str, norm: str, lang: str | None, hints: set[Decimal], claim: Any,
           free: Any) -> None:
    """Claim the range ``m`` matched: low < high, each side a number; a side that reads two ways or a range
    that goes down leaves its numbers to be read one by one, the dash as text ("2019-123" to the token pass)."""
    sides = [(m.start(k), m.group(k)) for k in ("low", "high")]
    readings = [_read(tok, lang, hints) for _, tok in sides]
    if all(r is not None and r[0] == "number" for r in readings):
        (_, (low,), g1, (d1,)), (_, (high,), g2, (d2,)) = readings    # type: ignore[misc]
        if low < high:
            end = m.end()
            sign = _PERCENT_SIGN.match(norm, end)
            percent = bool(sign and free(end, sign.end()))
            if sign and percent:
                end = sign.end()
            claim(Figure(m.start(), end, text[m.start():end], "range", (low, high), g1 or g2, (d1, d2),
                         signs=tuple(_sign_of(tok) for _, tok in sides), percent=percent))
            return
    if all(re.fullmatch(r"\d+", tok) for _, tok in sides):
        return                                               # a decree number (2019-123): read as a token
    for start, tok in sides:
        if free(start, start + len(tok)):
            _number(start, tok, text, norm, lang, hints, claim, free)


def _sign_of(tok: str) -> str:
    return "+" if tok[0] == "+" else "-" if tok[0] in "-\u2212" else ""


def _number(start: int, tok: str, text: str, norm: str, lang: str | None, hints: set[Decimal],
            claim: Any, free: Any) -> int:
    """Claim the number at ``start``; returns where reading goes on."""
    # "En 2019 3 000 personnes": a group of four figures cannot start a grouping by spaces
    first = re.match(r"[-+\u2212]?\d+", tok)
    assert first is not None
    if len(tok) > first.end() and tok[first.end()] in SPACES and len(first.group().lstrip("-+\u2212")) > 3:
        tok = first.group()
    end = start + len(tok)
    reading = _read(tok, lang, hints)
    if reading is None:                                      # 2.4.1: a version
        claim(Figure(start, end, text[start:end], "identifier", key=text[start:end]))
        return end
    kind, values, grouped, decimals = reading
    sign = _PERCENT_SIGN.match(norm, end)
    if kind == "number" and sign and free(end, sign.end()):
        kind, end = "percent", sign.end()
    claim(Figure(start, end, text[start:end], kind, values, grouped, decimals, signs=(_sign_of(tok),)))
    return end


def _read(tok: str, lang: str | None,
          hints: set[Decimal]) -> tuple[str, tuple[Decimal, ...], bool, tuple[int, ...]] | None:
    """How a number token reads: (kind, values, grouped, decimals); None when it is no number (2.4.1)."""
    negative = tok[0] in "-\u2212"
    body = tok.lstrip("-+\u2212")
    seps = [(i, ch) for i, ch in enumerate(body) if not ch.isdigit()]
    if not seps:
        return "number", (_signed(Decimal(body), negative),), False, (0,)
    marks = {ch for _, ch in seps}
    decimal_at: int | None = None
    if _DEC_AR in marks:
        decimal_at = body.index(_DEC_AR)
    else:
        points = [(i, ch) for i, ch in seps if ch in ".,"]
        kinds = {ch for _, ch in points}
        if len(kinds) == 2:
            decimal_at = points[-1][0]                       # 1,250.5 or 1.250,5: the last one is the decimal
        elif len(points) == 1:
            i, ch = points[0]
            fraction = body[i + 1:]
            if (marks & set(SPACES + _GRP_AR)) or len(fraction) != 3 or body.startswith("0"):
                decimal_at = i
            elif ch == "," and lang in ("fr", "ru"):
                decimal_at = i                               # French and Russian write decimals with a comma
            else:
                return _ambiguous(body, i, negative, hints)
    integer = body if decimal_at is None else body[:decimal_at]
    fraction = "" if decimal_at is None else body[decimal_at + 1:]
    if not fraction.isdigit() and fraction:
        return None
    groups = re.split(rf"[.,{SPACES}{_GRP_AR}]", integer)
    grouped = len(groups) > 1
    if grouped and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        return None
    value = Decimal("".join(groups) + ("." + fraction if fraction else ""))
    return "number", (_signed(value, negative),), grouped, (len(fraction),)


def _ambiguous(body: str, at: int, negative: bool,
               hints: set[Decimal]) -> tuple[str, tuple[Decimal, ...], bool, tuple[int, ...]]:
    thousands = _signed(Decimal(body[:at] + body[at + 1:]), negative)
    decimal = _signed(Decimal(body[:at] + "." + body[at + 1:]), negative)
    if thousands in hints and decimal not in hints:
        return "number", (thousands,), True, (0,)
    if decimal in hints and thousands not in hints:
        return "number", (decimal,), False, (3,)
    return "ambiguous", (thousands, decimal), False, (0, 3)


def _signed(value: Decimal, negative: bool) -> Decimal:
    return -value if negative else value


# --- values, for QA -----------------------------------------------------------------------------------

def value_key(value: Decimal) -> str:
    """A value as compared and shown: 3.250 = 3.25, 7340912 (never 7.340912E+6)."""
    with localcontext() as ctx:       # normalize() rounds to the context's 28 digits
        ctx.prec = max(ctx.prec, len(value.as_tuple().digits))
        return format(value.normalize(), "f")


# A brief prints amounts, years and counts; a number of more digits than this is a typing slip or a code, and
# the PDF read-back, CLDR formatting and the cross-language comparison are only checked up to it.
MAX_DIGITS = 18


def too_many_digits(text: str, lang: str | None = None) -> str | None:
    """Why a number of ``text`` is too long to be printed and checked, or None."""
    for fig in scan(text, lang):
        if fig.kind in (*NUMERIC, "ambiguous") and any(len(v.as_tuple().digits) > MAX_DIGITS for v in fig.values):
            shown = fig.raw if len(fig.raw) <= 24 else fig.raw[:20] + "…"
            return (f"the number {shown} has more than the {MAX_DIGITS} digits a brief prints and checks; "
                    "check it, or write it as a reference with letters (e.g. No. A-…)")
    return None


def hints_of(text: str, lang: str | None = None) -> frozenset[Decimal]:
    """The values of a source text, to settle ambiguous numbers in its translation."""
    return frozenset(v for f in scan(text, lang) if f.kind in NUMERIC for v in f.values)


def numbers(text: str, lang: str | None = None, hints: Iterable[Decimal] = ()) -> Counter[str]:
    """The numeric values in a text (a range counts both ends); an ambiguous one as 'a|b'."""
    out: Counter[str] = Counter()
    for f in scan(text, lang, hints):
        if f.kind in NUMERIC:
            out.update(value_key(v) for v in f.values)
        elif f.kind == "ambiguous":
            out["|".join(sorted(value_key(v) for v in f.values))] += 1
    return out


def differences(expected: Counter[str], found: Counter[str]) -> tuple[list[str], list[str]]:
    """(missing, unexpected) values; an ambiguous 'a|b' on one side matches a or b on the other."""
    missing, extra = expected - found, found - expected
    for amb in [k for k in missing.elements() if "|" in k]:
        hit = next((r for r in amb.split("|") if extra[r] > 0), None)
        if hit is not None:
            missing[amb] -= 1
            extra[hit] -= 1
    for amb in [k for k in extra.elements() if "|" in k]:
        hit = next((r for r in amb.split("|") if missing[r] > 0), None)
        if hit is not None:
            extra[amb] -= 1
            missing[hit] -= 1
    return sorted(missing.elements()), sorted(extra.elements())


def identifiers(text: str, lang: str | None = None) -> list[str]:
    """What every translation of ``text`` must carry verbatim (URLs, e-mails, symbols, codes, versions)."""
    return [f.key for f in scan(text, lang) if f.kind == "identifier" and f.key]


def missing_identifiers(keys: Sequence[str], text: str, pieces: Sequence[str] = ()) -> list[str]:
    """The ``keys`` not in ``text`` exactly as written (digits included; spaces and line breaks aside).
    ``pieces``: the text as printed runs, in reading order; a key broken across lines counts when the runs
    that are parts of it make it up."""
    flat = "".join(text.split())
    missing = []
    for key in keys:
        want = "".join(key.split())
        if want in flat:
            continue
        parts = ["".join(p.split()) for p in pieces]
        if want not in "".join(p for p in parts if p and p in want):
            missing.append(key)
    return missing


# --- writing ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """Part of a localised text: plain text, a number or an identifier (each of the last two to be isolated
    for the bidi algorithm in the direction ``dir``)."""

    text: str
    kind: str = "text"      # text | number | code
    dir: str = "ltr"


@dataclass(frozen=True)
class Localized:
    """A text as a locale prints it, in pieces; ``str()`` gives the plain text."""

    pieces: tuple[Piece, ...] = ()

    def __str__(self) -> str:
        return "".join(p.text for p in self.pieces)

    def __bool__(self) -> bool:
        return any(p.text for p in self.pieces)

    def __add__(self, other: object) -> Localized:
        if isinstance(other, Localized):
            return Localized(self.pieces + other.pieces)
        if isinstance(other, str):
            return Localized((*self.pieces, Piece(other)))
        return NotImplemented

    def __radd__(self, other: object) -> Localized:
        if isinstance(other, str):
            return Localized((Piece(other), *self.pieces))
        return NotImplemented


def join(*parts: str | Localized) -> Localized:
    out = Localized()
    for part in parts:
        out = out + part
    return out


def numbering_system(locale: Any) -> str:
    return getattr(locale, "default_numbering_system", "latn") or "latn"


def number_direction(locale: Any) -> str:
    """How a printed figure is isolated: Arabic-Indic figures in a right-to-left island (so "١٢٫٥٪" puts the
    percent sign on the left, and a range starts on the right, as CLDR and Arabic readers have it), Latin
    figures in a left-to-right one."""
    return "rtl" if numbering_system(locale) in ("arab", "arabext") else "ltr"


def native_digits(text: str, locale: Any) -> str:
    """Latin digits of a text we composed (a date, a paragraph number) in the locale's own digits."""
    system = numbering_system(locale)
    if system == "latn" or system not in DIGITS:
        return text
    return text.translate(str.maketrans("0123456789", DIGITS[system]))


@lru_cache(maxsize=32)
def _symbols(locale: Any) -> dict[str, str]:
    system = numbering_system(locale)
    symbols = locale.number_symbols.get(system) or locale.number_symbols["latn"]
    from babel.numbers import parse_pattern

    percent = parse_pattern(locale.percent_formats[None].pattern)
    return {"minus": symbols.get("minusSign", "-").translate(_BIDI_MARKS),
            "plus": symbols.get("plusSign", "+").translate(_BIDI_MARKS),
            "percent_prefix": percent.prefix[0].replace("%", symbols.get("percentSign", "%")).translate(_BIDI_MARKS),
            "percent_suffix": percent.suffix[0].replace("%", symbols.get("percentSign", "%")).translate(_BIDI_MARKS)}


def write_number(value: Decimal | int, locale: Any, grouped: bool = False, decimals: int = 0, sign: str = "") -> str:
    """A value in the locale's digits and separators (CLDR through Babel), with ``decimals`` fraction digits;
    ``sign``: the sign the text wrote ("+" is printed as the locale's plus sign, "-0" keeps its minus)."""
    from babel.numbers import format_decimal

    value = Decimal(value)
    pattern = ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals else "")
    # Babel rounds in the current decimal context, whose default 28 digits cannot hold a 29-digit number
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, len(value.as_tuple().digits) + decimals + 2)
        text = format_decimal(abs(value), format=pattern, locale=locale, numbering_system="default")
    return _with_sign(native_digits(text.translate(_BIDI_MARKS), locale), value, sign, locale)


def _with_sign(text: str, value: Decimal, sign: str, locale: Any) -> str:
    """``text`` (a magnitude) behind the locale's minus sign for a negative value or a written "-", behind its
    plus sign for a written "+"."""
    if value < 0 or sign == "-":
        return _symbols(locale)["minus"] + text
    return _symbols(locale)["plus"] + text if sign == "+" else text


def write(fig: Figure, locale: Any) -> str:
    """A number, percentage or range as the locale prints it; anything else as written."""
    signs = fig.signs or ("",) * len(fig.values)
    if fig.kind == "number":
        return write_number(fig.values[0], locale, fig.grouped, fig.decimals[0], signs[0])
    if fig.kind == "percent":
        s = _symbols(locale)
        value = write_number(abs(fig.values[0]), locale, fig.grouped, fig.decimals[0])
        return _with_sign(s["percent_prefix"] + value + s["percent_suffix"], fig.values[0], signs[0], locale)
    if fig.kind == "range":
        low, high = (write_number(v, locale, fig.grouped, d, sign)
                     for v, d, sign in zip(fig.values, fig.decimals, signs, strict=True))
        if fig.percent:
            s = _symbols(locale)
            return f"{s['percent_prefix']}{low}{EN_DASH}{high}{s['percent_suffix']}"
        return f"{low}{EN_DASH}{high}"
    return fig.raw


def localize(text: str, lang: str | None, locale: Any, hints: Iterable[Decimal] = ()) -> Localized:
    """``text`` (written in ``lang``) as ``locale`` prints it; see the module docstring."""
    pieces: list[Piece] = []
    pos = 0
    direction = number_direction(locale)
    for fig in scan(text, lang, hints):
        if fig.start > pos:
            pieces.append(Piece(text[pos:fig.start]))
        if fig.kind in NUMERIC:
            pieces.append(Piece(write(fig, locale), "number", direction))
        elif fig.kind in ("identifier", "ambiguous"):
            # "ISO 27001", "+20 2 3534 1300" stay on one line (a code longer than a line still breaks)
            pieces.append(Piece(re.sub("[ \u2009]", "\u00a0", fig.raw), "code", "ltr"))
        else:
            pieces.append(Piece(fig.raw))
        pos = fig.end
    if pos < len(text):
        pieces.append(Piece(text[pos:]))
    return Localized(tuple(pieces))

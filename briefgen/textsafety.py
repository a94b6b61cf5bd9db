"""One check for every text that can reach a PDF: the record, reviewed translations (XLIFF, TMX),
glossary terms and machine output.

Format characters (Unicode category Cf: bidi overrides and isolates, LRM/RLM/ALM, zero-width spaces, soft
hyphens, invisible operators) and control characters could make a PDF show text in another order than the
source or hide text in it ("Trojan Source" for documents). Only ZWNJ and ZWJ, which Arabic and Persian
spelling needs, are allowed. Markup is refused too: texts are plain and escaped on the way to the PDF.

Limits with names: one segment's text has at most ``MAX_TEXT_CHARS`` characters and at most
``MAX_MARKS_PER_CHARACTER`` combining marks on one character, counted on the text as given. A 1.4-million-character
paragraph stalls the PDF renderer, and thousands of marks on one letter draw a line across the page; no
briefing paragraph comes near either (a long one has 1,500 characters; fully vowelled Arabic stacks 3 marks:
shadda, vowel, dagger alef; Unicode's stream-safe format allows 30).

Text enters briefgen in NFC (``nfc``), whatever its source, so that the same words are the same string:
a decomposed é would otherwise miss its glossary term and make an unchanged source look edited.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_ALLOWED_FORMAT = {"\u200c", "\u200d"}      # ZWNJ, ZWJ
_ALLOWED_CONTROL = {"\n", "\t"}
MAX_TEXT_CHARS = 20_000
MAX_MARKS_PER_CHARACTER = 8
_MARKS = frozenset({"Mn", "Me"})      # nonspacing and enclosing marks: the ones that stack
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def unsafe_character(text: str) -> str | None:
    """A description of the first character that must not reach a PDF, or None."""
    for ch in text:
        category = unicodedata.category(ch)
        if _unsafe(ch, category):
            return _describe(ch, category)
    return None


def _unsafe(ch: str, category: str) -> bool:
    return (category == "Cs" or (category == "Cf" and ch not in _ALLOWED_FORMAT)
            or (category == "Cc" and ch not in _ALLOWED_CONTROL) or ch in "\u2028\u2029")


def _describe(ch: str, category: str) -> str:
    kind = ("control character" if category == "Cc" else
            "lone surrogate (half of a UTF-16 pair, not a character)" if category == "Cs" else "invisible character")
    name = unicodedata.name(ch, "")
    return f"the {kind} U+{ord(ch):04X}" + (f" ({name})" if name else "")


def too_long(text: str) -> str | None:
    if len(text) <= MAX_TEXT_CHARS:
        return None
    return f"text is {len(text):,} characters long, more than the {MAX_TEXT_CHARS:,} one paragraph may have"


def too_many_marks(text: str) -> str | None:
    """The first run of more than ``MAX_MARKS_PER_CHARACTER`` combining marks, described, or None."""
    return None if text.isascii() else _scan(text, stop_at_unsafe=False)[1]


def _scan(text: str, stop_at_unsafe: bool = True) -> tuple[str | None, str | None]:
    """One pass over ``text`` (a glossary's thousands of cells are checked on every build): the first character
    that must not reach a PDF, and the first run of more than ``MAX_MARKS_PER_CHARACTER`` combining marks."""
    flood, run, start = None, 0, -1
    for i, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category in _MARKS:
            run += 1
            continue
        if run > MAX_MARKS_PER_CHARACTER and flood is None:
            flood = _flood(text, run, start)
        run, start = 0, i
        if stop_at_unsafe and _unsafe(ch, category):
            return _describe(ch, category), flood
    if run > MAX_MARKS_PER_CHARACTER and flood is None:
        flood = _flood(text, run, start)
    return None, flood


def _flood(text: str, run: int, start: int) -> str:
    where = f"('{text[start]}', character {start + 1:,} of the text)" if start >= 0 else "at the start of the text"
    return f"text has {run:,} combining marks on one character {where}; at most {MAX_MARKS_PER_CHARACTER} are allowed"


def limit_problem(text: str) -> str | None:
    """Which named limit ``text`` exceeds, without the fix (which depends on where the text came from)."""
    return too_long(text) or too_many_marks(text)


def text_problem(text: str, allow_markup: bool = False) -> str | None:
    """Why ``text`` may not be used as is, or None."""
    long = too_long(text)   # first: the other checks would scan a huge text to no purpose
    if long:
        return f"{long}: split it into shorter paragraphs"
    if text.isascii():   # no marks, no format characters: only control characters to look for
        control = _ASCII_CONTROL.search(text)
        bad, marks = (_describe(control.group(), "Cc") if control else None), None
    else:
        bad, marks = _scan(text)
    if bad:
        return f"text contains {bad}, which can reorder or hide text in the PDF; delete it"
    tag = None if allow_markup else MARKUP.search(text)
    if tag:
        return f"text contains markup {tag.group()[:40]!r}; texts are plain: remove the tag"
    if marks:
        return f"{marks}: remove the extra marks"
    return None


def nfc(text: str) -> str:
    """``text`` in Unicode normalization form C (composed), the one form briefgen keeps and compares."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def neutralize(text: str) -> str:
    """The text without the characters ``unsafe_character`` finds (for machine output, which is reported)."""
    return "".join(ch for ch in text if unsafe_character(ch) is None)


# Spreadsheets (Excel, LibreOffice Calc, Google Sheets) run a cell that starts with one of these as a formula
# when they open a TSV or CSV file (OWASP "CSV injection"); the full-width forms count in East Asian Excel.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_cell(text: str) -> str:
    """``text`` as a TSV/CSV cell a spreadsheet shows as text: a leading apostrophe when it would start a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def from_spreadsheet_cell(text: str) -> str:
    """The text ``spreadsheet_cell`` wrote (for files briefgen reads back, such as glossary TSV)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def tsv_line(cells: Iterable[object]) -> str:
    """One line of tab-separated text, unquoted, that a spreadsheet opens as text: tabs and line breaks inside
    a cell become spaces, and a cell that would start a formula is marked as text."""
    clean = (" ".join(str(cell).replace("\t", " ").splitlines()) for cell in cells)
    return "\t".join(spreadsheet_cell(cell) for cell in clean) + "\n"

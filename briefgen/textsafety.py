"""One check for every text that can reach a PDF: the record, reviewed translations (XLIFF, TMX),
glossary terms and machine output.

Format characters (Unicode category Cf: bidi overrides and isolates, LRM/RLM/ALM, zero-width spaces, soft
hyphens, invisible operators) and control characters could make a PDF show text in another order than the
source or hide text in it ("Trojan Source" for documents). Only ZWNJ and ZWJ, which Arabic and Persian
spelling needs, are allowed. Markup is refused too: texts are plain and escaped on the way to the PDF.
"""

from __future__ import annotations

import re
import unicodedata

_ALLOWED_FORMAT = {"\u200c", "\u200d"}      # ZWNJ, ZWJ
_ALLOWED_CONTROL = {"\n", "\t"}
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")


def unsafe_character(text: str) -> str | None:
    """A description of the first character that must not reach a PDF, or None."""
    for ch in text:
        category = unicodedata.category(ch)
        if (category == "Cf" and ch not in _ALLOWED_FORMAT) or (category == "Cc" and ch not in _ALLOWED_CONTROL) \
                or ch in "\u2028\u2029":
            kind = "control character" if category == "Cc" else "invisible character"
            name = unicodedata.name(ch, "")
            return f"the {kind} U+{ord(ch):04X}" + (f" ({name})" if name else "")
    return None


def text_problem(text: str, allow_markup: bool = False) -> str | None:
    """Why ``text`` may not be used as is, or None."""
    bad = unsafe_character(text)
    if bad:
        return f"text contains {bad}, which can reorder or hide text in the PDF; delete it"
    tag = None if allow_markup else MARKUP.search(text)
    if tag:
        return f"text contains markup {tag.group()[:40]!r}; texts are plain: remove the tag"
    return None


def neutralize(text: str) -> str:
    """The text without the characters ``unsafe_character`` finds (for machine output, which is reported)."""
    return "".join(ch for ch in text if unsafe_character(ch) is None)

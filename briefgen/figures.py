"""Figures in texts: the digits of each numbering system, and the numeric values a text holds, compared as
values whatever the digits and separators (QA and verify read numbers back with this)."""

from __future__ import annotations

import re
from collections import Counter

# Digits of the CLDR numbering systems our locales use.
DIGITS = {"latn": "0123456789", "arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}
_TO_LATN = str.maketrans({d: str(i) for sys_ in ("arab", "arabext") for i, d in enumerate(DIGITS[sys_])})

# Numbers standing alone (not the 20 of G20 or the 5 of 5G), Arabic-Indic digits included.
_NUMBER = re.compile(r"(?<![^\W_])\d+(?:[.,٫]\d+)?(?![^\W_])")
# A space, no-break space, narrow no-break space or Arabic thousands separator between digit groups.
_GROUPING = re.compile(r"(?<=\d)[ \u00a0\u202f\u066c](?=\d{3}(?!\d))")


def to_latin_digits(text: str) -> str:
    return text.translate(_TO_LATN)


def numbers(text: str) -> Counter[str]:
    """The numeric values in a text, compared as values: Arabic-Indic and Latin digits alike, 09 = 9,
    1 000 (grouped with spaces or ٬) = 1000."""
    out: Counter[str] = Counter()
    for m in _NUMBER.finditer(_GROUPING.sub("", to_latin_digits(text))):
        value = m.group().replace("٫", ".").replace(",", ".")
        out[value.lstrip("0") or "0"] += 1
    return out

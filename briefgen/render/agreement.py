"""Do a set's language versions say the same thing? What each numbered paragraph prints, compared across PDFs.

Each PDF is read back (``render.readback``: the glyph runs as drawn, by paragraph anchor) and, per numbered
paragraph, its numbers (as values, each read in its language's conventions and digits: 13 000 000 in French
and Russian is ١٣ ٠٠٠ ٠٠٠ in an Arabic brief) and identifiers (document symbols, URLs, codes) are found with
the build's own QA readers (``figures``, ``qa.checks``). The master copy, in the record's language and printing
every paragraph, is the reference: a brief printing another value, or missing or adding one, or not
printing an identifier as the master does, is a difference naming the paragraph, the two languages and both
values. QA compares each translation with its source before rendering; this compares what was printed, so a
set sent with QA errors accepted (or a PDF replaced by one from another build) still shows where its
languages disagree.

A parallel edition sets the source and the translation side by side on each line; its translation is the same
text the delegation's own brief prints, which is compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..config import RTL_LANGUAGES
from ..figures import differences, hints_of, identifiers, missing_identifiers, numbers, scan, to_latin_digits, value_key
from ..qa.checks import in_reading_order
from .readback import Readback

# The paragraph number, its own run at the head of the paragraph: "12." (fr, ru) or "١٢ -" (ar).
_PARA_NUMBER = re.compile(r"^\s*(?:[.\-–]\s*)?[0-9\u0660-\u0669]+\s*(?:[.\-–])?\s*$")


@dataclass(frozen=True)
class Printed:
    """One PDF of the set as far as this check needs it."""

    file: str
    lang: str
    readback: Readback


@dataclass(frozen=True)
class Disagreement:
    file: str
    message: str


def compare(master: Printed, others: list[Printed], paragraphs: dict[str, str]) -> list[Disagreement]:
    """Every numbered paragraph (``paragraphs``: number → segment id) of each of ``others`` against what
    ``master`` prints there."""
    ids = list(paragraphs.values())
    number_of = {seg_id: number for number, seg_id in paragraphs.items()}
    reference = _texts(master, ids)
    out = []
    for pdf in others:
        for seg_id, text in _texts(pdf, ids).items():
            if seg_id not in reference:
                continue
            where = f"paragraph {number_of[seg_id]} ({seg_id})"
            out.extend(Disagreement(pdf.file, f"{where}: {m}")
                       for m in _disagreements(reference[seg_id], master.lang, text, pdf.lang))
    return out


def _texts(pdf: Printed, ids: list[str]) -> dict[str, tuple[str, list[str]]]:
    """Segment id → (text in reading order, runs) of each numbered paragraph the PDF prints, its number left out."""
    rtl = pdf.lang in RTL_LANGUAGES
    out = {}
    for seg_id, printed in pdf.readback.paragraphs([i for i in ids if i in pdf.readback.anchors], rtl).items():
        text, runs = printed["text"], list(printed["runs"])
        if runs and _PARA_NUMBER.match(runs[0]) and text.startswith(runs[0]):
            text, runs = text[len(runs[0]):], runs[1:]
        out[seg_id] = (in_reading_order(text, rtl), runs)
    return out


def _disagreements(reference: tuple[str, list[str]], ref_lang: str, printed: tuple[str, list[str]],
                   lang: str) -> list[str]:
    ref_text, _ = reference
    text, runs = printed
    hints = hints_of(ref_text, ref_lang)
    expected, found = numbers(ref_text, ref_lang), numbers(text, lang, hints)
    ref_ids, ids = identifiers(ref_text, ref_lang), identifiers(text, lang)
    lost, extra = differences(expected, found)
    # "пункт 3.2" is a section number (an identifier) where «الفقرة 3.2», read in visual order, is a number
    lost = [k for k in lost if _skeleton(k) not in map(_skeleton, ids)]
    extra = [k for k in extra if _skeleton(k) not in map(_skeleton, ref_ids)]
    out = []
    if lost and extra:
        out.append(f"prints {_shown(text, lang, hints, extra)} ({lang}) where the master copy prints "
                   f"{_shown(ref_text, ref_lang, (), lost)} ({ref_lang})")
    elif lost:
        out.append(f"does not print {_shown(ref_text, ref_lang, (), lost)}, which the master copy prints "
                   f"({ref_lang}; here {lang})")
    elif extra:
        out.append(f"prints {_shown(text, lang, hints, extra)} ({lang}), which the master copy does not "
                   f"({ref_lang})")
    for key in missing_identifiers(ref_ids, text, runs):
        # a record may give a code in each script (ГОСТ Р 57580.1-2017, GOST R 57580.1-2017): its figures
        # must agree, its letters may be transliterated
        if _skeleton(key) not in map(_skeleton, ids):
            out.append(f"does not print «{key}» as the master copy does ({ref_lang}; here {lang})")
    return out


def _skeleton(key: str) -> str:
    """An identifier's or a value's figures, in order (its letters, spaces and punctuation aside)."""
    return "".join(ch for ch in to_latin_digits(key) if ch.isdigit())


def _shown(text: str, lang: str, hints: tuple | frozenset[Decimal], keys: list[str]) -> str:
    """The figures of ``text`` with these values, as printed there (its own digits and separators)."""
    wanted = set(keys)
    raw = [f.raw for f in scan(text, lang, hints)
           if any(value_key(v) in wanted for v in f.values) or "|".join(sorted(map(value_key, f.values))) in wanted]
    return ", ".join(f"«{r}»" for r in dict.fromkeys(raw)) or ", ".join(keys)

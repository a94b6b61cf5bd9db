"""Word keys that survive inflection, per language.

A word matches a glossary word when their key sets intersect: Russian lemmas (pymorphy3's bundled
dictionary, offline), French forms without plural -s/-x, Arabic forms without diacritics, alef variants,
taa marbuta, and the clitics و ف ب ل ك ال and common suffixes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Letters and digits, with Arabic diacritics and tatweel inside words (they are not \w), and hyphens.
_W = "(?:[^\\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u0640])"
WORD = re.compile(f"{_W}+(?:-{_W}+)*")

_AR_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_AR_PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال", "و", "ف", "ب", "ل", "ك")
# Pronoun, plural and case-ending suffixes. A final ه is not stripped: after normalization it is
# also the taa marbuta, which tells "processing" (معالجة) from "processor" (معالج).
_AR_SUFFIXES = ("ها", "هم", "ات", "ون", "ين", "ان", "ا")


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=65536)
def keys(word: str, lang: str) -> frozenset[str]:
    w = word.casefold()
    if lang == "ru":
        out = {p.normal_form.replace("ё", "е") for p in _morph().parse(w)} | {w.replace("ё", "е")}
        if "-" in w:   # "учреждений-партнеров": the first part is also a word of its own
            out |= keys(w.split("-")[0], lang)
        return frozenset(out)
    if lang == "ar":
        return _arabic_keys(w)
    out = {w}
    if len(w) > 3 and w[-1] in "sx":
        out.add(w[:-1])
    if len(w) > 4 and w.endswith("aux"):
        out.add(w[:-3] + "al")
    return frozenset(out)


def _arabic_keys(word: str) -> frozenset[str]:
    base = _AR_DIACRITICS.sub("", word).translate(_AR_LETTERS)
    stems = {base}
    for prefix in _AR_PREFIXES:
        if base.startswith(prefix) and len(base) - len(prefix) >= 3:
            stems.add(base[len(prefix):])
    out = set(stems)
    for stem in stems:
        for suffix in _AR_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                out.add(stem[: -len(suffix)])
        if stem.endswith("ات") and len(stem) > 4:
            out.add(stem[:-2] + "ه")   # sound feminine plural: شراكات → شراكة
    return frozenset(out)


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Words with their spans; apostrophes split French elision (l', d') from the word."""
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]

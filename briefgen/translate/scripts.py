"""Which scripts a pair model's source side reads. OPUS-MT trains one sentencepiece model per side of the
bitext on that side's text only (OPUS-MT-train, lib/sentencepiece.mk), so a French or English source model
has no Cyrillic or Arabic pieces: such words become ``<unk>``. Russian and Arabic corpora carry Latin
(names, acronyms, addresses), so their source models read Latin too."""

from __future__ import annotations

SCRIPT = {"fr": "Latn", "en": "Latn", "ru": "Cyrl", "ar": "Arab"}
READS = {"fr": ("Latn",), "en": ("Latn",), "ru": ("Cyrl", "Latn"), "ar": ("Arab", "Latn")}


def script(word: str) -> str | None:
    """The script of a word's first letter: Latn, Cyrl, Arab, or None for digits and punctuation."""
    for ch in word:
        if "\u0400" <= ch <= "\u04ff":
            return "Cyrl"
        if "\u0600" <= ch <= "\u06ff":
            return "Arab"
        if ch.isalpha():
            return "Latn"
    return None


def reads(src: str, lang: str) -> bool:
    """Whether a pair model translating from ``src`` reads text in ``lang``'s script (an inline term)."""
    return SCRIPT.get(lang) in READS.get(src, (SCRIPT.get(src),))

"""The input normalisation each model family was trained with, applied to every sentence before encoding.

OPUS-MT (family ``marian``) trained on text passed through Moses ``replace-unicode-punctuation.perl`` and
``remove-non-printing-char.perl`` (OPUS-MT-train ``PRE=simple``; the released models' ``preprocess.sh`` repeats
it on input): ’ became ', “ ” became ", … became ..., full-width forms their ASCII ones, and every Unicode
"Other" character (controls, format characters) a space. A model that never saw ’ in French reads ``l’accord``
as rarer pieces than ``l'accord``: the same text, a worse draft. NFKC is left to the models' own sentencepiece
normaliser (``nmt_nfkc``, inside source.spm).

That script leaves dashes and guillemets, and the real vocabularies cannot read them (tests/test_real_vocab.py,
docs/terminology.md): – and — are ``<unk>`` for every opus-mt model checked (tc-big's source.spm has them, its
vocab.json does not), « » for the base models and for tc-big English, € and U+2010 (what NFKC makes of the
non-breaking hyphen U+2011) for tc-big French; "2019–2024" reached the model as "2019<unk>2024". Step
``unknown-punctuation`` maps them as Moses ``normalize-punctuation.perl`` does (– → -, — → " - ", « » → ")
plus the hyphens and minus to -, „ to " and € to EUR, forms every vocabulary checked reads. The reader gets
the typography back after decoding (translate/typography.py).

Arabic, every family: tatweel (U+0640, a stretching glyph) and the short-vowel marks (harakat) are removed. The
training corpora are overwhelmingly unvowelled, and a vowelled or stretched word is a different, rare piece
sequence. No published recipe does this for OPUS-MT: it is briefgen's addition, and it changes nothing a
translator's draft would keep.

Which steps run for which family is written in the registry (``[families.X]`` in models.toml); the defaults
below apply to a user registry that has no such table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Moses replace-unicode-punctuation.perl as sacremoses.MosesPunctNormalizer.REPLACE_UNICODE_PUNCTUATION has it
# (tests/test_translate_preprocess.py holds this table to that library's); 。 and ． also eat following spaces.
_PUNCT = str.maketrans({
    "，": ",", "、": ",", "”": '"', "“": '"', "∶": ":", "：": ":", "？": "?", "《": '"', "》": '"', "）": ")",
    "！": "!", "（": "(", "；": ";", "」": '"', "「": '"', "～": "~", "’": "'", "…": "...", "━": "-", "〈": "<",
    "〉": ">", "【": "[", "】": "]", "％": "%", **{chr(0xFF10 + d): str(d) for d in range(10)},
})
_FULL_STOPS = re.compile(r"[。．]\s*")
_UNKNOWN_PUNCT = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",
                                "\u2014": " - ", "\u2015": " - ", "\u201e": '"', "€": " EUR "})
_GUILLEMETS = re.compile(r"«[\s\u00a0\u202f]*|[\s\u00a0\u202f]*»")
# Invisible characters that sit inside words: deleted (as OPUS-MT's cleaning step deletes U+200B, U+2060, U+FEFF)
# rather than turned into a space that would cut the word in two.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"\s+")
_ARABIC_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")


def moses_unicode_punctuation(text: str) -> str:
    return _FULL_STOPS.sub(". ", text.translate(_PUNCT))


def unknown_punctuation(text: str) -> str:
    """Dashes, guillemets, hyphens and € as forms every opus-mt vocabulary reads (- " EUR); spaces squeezed
    by the step after."""
    return _GUILLEMETS.sub('"', text).translate(_UNKNOWN_PUNCT)


def non_printing_to_space(text: str) -> str:
    """Moses remove-non-printing-char.perl: every \\p{C} character becomes a space (invisible in-word ones go)."""
    text = text.translate(_INVISIBLE)
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def squeeze_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def arabic_marks(text: str) -> str:
    """Tatweel and harakat (fathatan … sukun, the Quranic marks after them, superscript alef) removed."""
    return _ARABIC_MARKS.sub("", text)


STEPS: dict[str, Callable[[str], str]] = {
    "moses-unicode-punctuation": moses_unicode_punctuation,
    "unknown-punctuation": unknown_punctuation,
    "non-printing-to-space": non_printing_to_space,
    "squeeze-spaces": squeeze_spaces,
    "arabic-marks": arabic_marks,
}


@dataclass(frozen=True)
class Preprocessing:
    """The steps run on every source sentence, and the extra ones run first on Arabic source text."""

    steps: tuple[str, ...]
    arabic: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = [s for s in (*self.steps, *self.arabic) if s not in STEPS]
        if unknown:
            raise ValueError(f"unknown preprocessing step(s) {', '.join(unknown)}; known: {', '.join(STEPS)}")

    def apply(self, text: str, lang: str) -> str:
        for name in (*self.arabic, *self.steps) if lang == "ar" else self.steps:
            text = STEPS[name](text)
        return text

    def apply_all(self, texts: Sequence[str], lang: str) -> list[str]:
        return [self.apply(t, lang) for t in texts]

    def tag(self) -> str:
        """For the engine signature: other steps, other drafts."""
        return "+".join(self.steps) + (f"|ar:{'+'.join(self.arabic)}" if self.arabic else "")


_BASIC = ("non-printing-to-space", "squeeze-spaces")
DEFAULTS = {
    "marian": Preprocessing(("moses-unicode-punctuation", "unknown-punctuation", *_BASIC), ("arabic-marks",)),
    "m2m100": Preprocessing(_BASIC, ("arabic-marks",)),
    "nllb": Preprocessing(_BASIC, ("arabic-marks",)),
}

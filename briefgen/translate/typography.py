"""Each language's typography put back into a model's output, so the brief prints what a translator writes.

The models read and write the plain forms preprocessing gives them (translate/preprocess.py: - " EUR): an
opus-mt vocabulary has no en or em dash, the base ones no guillemets. After decoding:

- French: « » with narrow no-break spaces inside (« texte »), a spaced hyphen between words as the spaced en
  dash of an incise ( – ), EUR after a number as €;
- Russian: «ёлочки» without inner spaces, a spaced hyphen as the spaced em dash ( — ), EUR as €;
- Arabic: «» quotes, and the Arabic comma, semicolon and question mark (، ؛ ؟) where the model wrote Latin
  ones (a comma between digits, a decimal separator, stays);
- every language: a range of years 2019-2024 with an en dash.

English is a pivot's middle language, never printed: left as the model wrote it.

``tidy`` runs on the glossary's final text: a preferred term that carries its own guillemets («Цифровой
Египет») put where the model quoted its own rendering must not print ««…»».
"""

from __future__ import annotations

import re

NNBSP = "\u202f"
NBSP = "\u00a0"
_QUOTED = re.compile(r'"\s*([^"\n]+?)\s*"')
_SPACED_HYPHEN = re.compile(r"(?<=\S) +- +(?=\S)")
_YEARS = re.compile(r"\b((?:1[89]|20)\d\d) ?- ?((?:1[89]|20)\d\d)\b")
_EURO = re.compile(r"(\d)[ \u00a0]?EUR\b")
_LATIN_COMMA = re.compile(r"(?<!\d),|,(?!\d)")

_DOUBLED = re.compile(r"«[\s\u00a0\u202f]*(?=«)|(?<=»)[\s\u00a0\u202f]*»")

QUOTES = {"fr": ("«" + NNBSP, NNBSP + "»"), "ru": ("«", "»"), "ar": ("«", "»")}
DASH = {"fr": " – ", "ru": " — ", "ar": " – "}


def restore(text: str, lang: str) -> str:
    if lang not in QUOTES or not text:
        return text
    opening, closing = QUOTES[lang]
    text = _QUOTED.sub(lambda m: f"{opening}{m.group(1)}{closing}", text)
    text = _YEARS.sub("\\1–\\2", text)
    text = _SPACED_HYPHEN.sub(DASH[lang], text)
    text = _EURO.sub(f"\\1{NBSP}€", text)
    if lang == "ar":
        text = _LATIN_COMMA.sub("،", text).replace(";", "؛").replace("?", "؟")
    return text


def tidy(text: str) -> str:
    """Guillemets doubled around a quoted term («« … »») once."""
    return _DOUBLED.sub("", text) if "«" in text else text

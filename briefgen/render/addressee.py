"""The cover line that says whose brief it is, in each language's own grammar.

«Для российской делегации», «أعدت للوفد المصري», «À l'intention de la délégation égyptienne»: the delegation
named as running text names it. CLDR has country names but no nationality adjectives, so the record gives
that noun phrase (``delegations[].designation``, nominative, no article). Without it the line is built on
the country name: «Для делегации Египта» (genitive by pymorphy3), «أعدت لوفد مصر» (construct state), and in
French a labelled field, «Délégation destinataire : Égypte», since French country names take articles
(de l'Égypte, du Maroc, des Émirats) that CLDR does not give.
"""

from __future__ import annotations

from ..terms.forms import inflect_ru
from ..terms.morph import tokens
from .labels import LABELS


def addressee(lang: str, designation: str | None, country: str) -> dict[str, str]:
    """The line in three parts, ``who`` being the part set in bold: {"before", "who", "after"}."""
    if designation:
        label, who = LABELS[lang]["prepared_for_named"], named(lang, designation)
    else:
        label, who = LABELS[lang]["prepared_for"], genitive(country) if lang == "ru" else country
    before, after = label.split("{who}")
    return {"before": before, "who": who, "after": after}


def named(lang: str, designation: str) -> str:
    """A noun phrase after a label that governs it: genitive in Russian, li- in Arabic, as given in French."""
    if lang == "ru":
        return genitive(designation)
    if lang == "ar":
        # The preposition li- is written on the word, and li- + al- is written lil-: للوفد المصري.
        return "ل" + (designation[1:] if designation.startswith("ال") else designation)
    return designation


def genitive(phrase: str) -> str:
    """A Russian noun phrase in the genitive («российская делегация» → «российской делегации»).

    pymorphy3 writes ё and loses the capitals after a hyphen, and it declines only the first part of a
    hyphenated noun («Кот-д’Ивуар» → «Кота-д’Ивуар»): the spelling of the phrase as given is kept, and a
    hyphenated word whose last part would not change stays as it is."""
    inflected = inflect_ru(phrase, "gent")
    old, new = tokens(phrase), tokens(inflected)
    if len(old) != len(new):
        return phrase
    out, pos = [], 0
    for (word, _, _), (form, start, end) in zip(old, new, strict=True):
        out.append(inflected[pos:start])
        out.append(_as_written(word, form))
        pos = end
    out.append(inflected[pos:])
    return "".join(out)


def _as_written(word: str, form: str) -> str:
    if "ё" not in word.casefold():
        form = form.replace("ё", "е").replace("Ё", "Е")
    parts, new_parts = word.split("-"), form.split("-")
    if len(parts) == 1 or len(parts) != len(new_parts):
        return form
    if new_parts[-1].casefold() == parts[-1].casefold() and new_parts[0].casefold() != parts[0].casefold():
        return word   # only the first part of a hyphenated noun was declined: wrong, keep the word
    return "-".join(n[:1].upper() + n[1:] if p[:1].isupper() else n for p, n in zip(parts, new_parts, strict=True))

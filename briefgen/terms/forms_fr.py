"""French: a preferred term put where a model wrote its own rendering takes the rendering's number, and the
determiner before it agrees with the term: gender of the term's head noun, elision before a vowel or a mute
h (le régulateur → l'autorité de régulation…, du → de l', au → à l', ce → cette, sa → son), none before an
aspirated h (à la large bande → au haut débit).

No French lexicon with genders ships as a Python package usable offline, so the head noun's gender comes
from its ending (-tion, -ité, -ure … feminine; -ment, -age, -eau … masculine) and a list of the exceptions
of this domain; the labelled set in tests/data/inflection/fr.tsv measures the result.
"""

from __future__ import annotations

import re

from .morph import tokens

_PLURAL_DETERMINERS = {"les", "des", "aux", "ces", "ses", "mes", "tes", "nos", "vos", "leurs", "plusieurs",
                       "quelques"}
_PREPOSED = {"grand", "grande", "petit", "petite", "haut", "haute", "large", "jeune", "nouveau", "nouvel",
             "nouvelle", "premier", "première", "principal", "principale", "bon", "bonne", "seul", "seule"}
_PREPOSITIONS = {"de", "d", "du", "des", "à", "au", "aux", "en", "par", "pour", "sur", "contre", "sans", "avec"}
_ASPIRATED_H = ("haut", "hausse", "hall", "hameau", "hasard", "hiérarch", "honte", "housse", "hacker",
                "handicap", "hardware", "harcèlement", "hâte", "héros", "hors", "hangar")
_MASCULINE = {"centre", "programme", "système", "modèle", "groupe", "protocole", "câble", "satellite",
              "spectre", "service", "échange", "espace", "cyberespace", "algorithme", "domaine", "comité",
              "traité", "côté", "été", "mémorandum", "commerce", "document", "ministre", "ministère",
              "homologue", "code", "cadre", "téléphone", "volume", "territoire", "musée", "lycée", "génie",
              "incendie", "format", "site", "portefeuille", "processus", "logiciel", "matériel", "graphique",
              "public", "périmètre", "manuscrit", "terme", "thème", "problème", "principe", "organisme",
              "exemple", "siècle", "rôle", "contrôle", "chiffre", "nombre", "membre", "dialogue", "catalogue",
              "registre", "texte", "contexte", "vote", "accès", "progrès", "succès", "pôle", "parc"}
_FEMININE = {"start-up", "fibre", "fin", "main", "fois", "voix", "croix", "souris", "loi", "foi", "paix",
             "part", "mer", "clé", "clef", "forêt", "nuit", "dent", "plupart", "jeune pousse"}
_FEMININE_ENDINGS = ("tion", "sion", "xion", "ité", "té", "ure", "ence", "ance", "ie", "ique", "ade", "ude",
                     "ose", "ise", "euse", "esse", "ette", "elle", "ée", "aison", "ogie", "trice", "ière", "ine",
                     "erie", "ille", "onne", "ule", "ace", "ale", "ude", "ève", "ane")
_MASCULINE_ENDINGS = ("ment", "age", "isme", "eau", "oir", "eur", "et", "ier", "at", "on", "al", "el", "ail",
                      "is", "ème", "ing", "iel", "in", "ent", "ant", "ert", "ord", "ard", "ic", "ou", "eu", "au")

# determiner (lower case) → (kind, elided?): the kind decides the new form, see _determiner
_DETERMINERS = {
    "le": "def", "la": "def", "l'": "def", "les": "def",
    "du": "de-def", "de la": "de-def", "de l'": "de-def", "des": "de-def",
    "au": "a-def", "à la": "a-def", "à l'": "a-def", "aux": "a-def",
    "un": "indef", "une": "indef",
    "ce": "dem", "cet": "dem", "cette": "dem", "ces": "dem",
    "son": "poss3", "sa": "poss3", "ses": "poss3", "mon": "poss1", "ma": "poss1", "mes": "poss1",
    "ton": "poss2", "ta": "poss2", "tes": "poss2",
    "de": "de", "d'": "de",
}
_BEFORE = re.compile(r"(?:^|(?<=[\s(«\"'’]))((?:de |à )?(?:l['’])|(?:de la|à la)\s+|(?:d['’])|"
                     r"(?:le|la|les|du|des|au|aux|un|une|ce|cet|cette|ces|son|sa|ses|mon|ma|mes|ton|ta|tes|de)\s+)$",
                     re.IGNORECASE)


def _head(words: list[str]) -> int:
    return next((i for i, w in enumerate(words) if w.casefold() not in _PREPOSED), 0)


def gender(noun: str) -> str:
    """'m' or 'f' for a French noun (singular or plural), from its ending and this domain's exceptions."""
    w = noun.casefold()
    if w in _MASCULINE or w in _FEMININE:
        return "m" if w in _MASCULINE else "f"
    if len(w) > 3 and w[-1] in "sx" and w[:-1] not in ("proce", "acce"):
        w = w[:-1]
        if w in _MASCULINE or w in _FEMININE:
            return "m" if w in _MASCULINE else "f"
    if w.endswith(_FEMININE_ENDINGS):
        return "f"
    if w.endswith(_MASCULINE_ENDINGS):
        return "m"
    return "f" if w.endswith("e") else "m"


def starts_with_vowel(word: str) -> bool:
    w = word.casefold()
    if w[:1] == "h":
        return not w.startswith(_ASPIRATED_H)
    return w[:1] in "aeiouyàâäéèêëîïôöùûüœ"


def _plural_word(word: str) -> str:
    w = word.casefold()
    if "-" in word or w.endswith(("s", "x", "z")):
        return word
    if w.endswith(("eau", "au", "eu")) and w not in ("pneu", "bleu"):
        return word + "x"
    if w.endswith("al") and w not in ("bal", "carnaval", "festival", "récital", "final", "fatal", "naval", "banal"):
        return word[:-2] + "aux"
    return word + "s"


def pluralize(term: str) -> str:
    """The plural of a French term: its words up to the first preposition (réseaux de neurones)."""
    out = term
    for word, start, end in reversed([t for t in _until_preposition(term)]):
        out = out[:start] + _plural_word(word) + out[end:]
    return out


def _until_preposition(term: str) -> list[tuple[str, int, int]]:
    words = []
    for word, start, end in tokens(term):
        if word.casefold() in _PREPOSITIONS:
            break
        words.append((word, start, end))
    return words


def _determiner(kind: str, g: str, plural: bool, vowel: bool) -> str:
    """The determiner of ``kind`` for a noun of gender ``g``; elided forms end with an apostrophe."""
    if kind == "def":
        return "les" if plural else "l'" if vowel else "le" if g == "m" else "la"
    if kind == "de-def":
        return "des" if plural else "de l'" if vowel else "du" if g == "m" else "de la"
    if kind == "a-def":
        return "aux" if plural else "à l'" if vowel else "au" if g == "m" else "à la"
    if kind == "indef":
        return "des" if plural else "un" if g == "m" else "une"
    if kind == "dem":
        return "ces" if plural else "cette" if g == "f" else "cet" if vowel else "ce"
    if kind.startswith("poss"):
        stem = {"poss1": "m", "poss2": "t", "poss3": "s"}[kind]
        return stem + "es" if plural else stem + ("a" if g == "f" and not vowel else "on")
    return "d'" if vowel else "de"


def put_fr(text: str, start: int, end: int, term: str, found: str | None = None,
           touch_before: bool = True) -> str:
    span = text[start:end]
    span_words = [w for w, _, _ in tokens(span)]
    found_words = [w for w, _, _ in tokens(found or span)]
    before = text[:start]
    m = _BEFORE.search(before)
    det = m.group(1) if m else ""
    det_key = re.sub(r"\s+", " ", det.strip().casefold().replace("’", "'"))
    i = _head(span_words)
    plural = det_key in _PLURAL_DETERMINERS or (
        i < len(span_words) and i < len(found_words) and span_words[i].casefold() != found_words[i].casefold()
        and span_words[i][-1:].casefold() in "sx")
    term_words = [w for w, _, _ in tokens(term)]
    head = term_words[_head(term_words)]
    cited_plural = head[-1:] in "sx" and head.casefold() not in _MASCULINE | _FEMININE   # mégadonnées
    new = pluralize(term) if plural and not cited_plural else term
    if det_key in _DETERMINERS and touch_before:
        kind = _DETERMINERS[det_key]
        new_det = _determiner(kind, gender(head), plural or cited_plural, starts_with_vowel(term_words[0]))
        if det[:1].isupper():
            new_det = new_det[:1].upper() + new_det[1:]
        joined = new_det + ("" if new_det.endswith("'") else " ")
        if det.endswith("’") and joined.endswith("'"):
            joined = joined[:-1] + "’"
        return before[: m.start(1)] + joined + _capitals(span, new, at_start=False) + text[end:]
    at_start = not before.strip() or before.rstrip()[-1] in ".!?:"
    return before + _capitals(span, new, at_start) + text[end:]


def _capitals(span: str, new: str, at_start: bool) -> str:
    letters = [c for c in span if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return new.upper()
    if (at_start or span[:1].isupper()) and not new[:1].isupper():
        return new[:1].upper() + new[1:]
    return new

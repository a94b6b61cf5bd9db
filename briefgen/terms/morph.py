"""Word keys that survive inflection, per language.

A word matches a glossary word when their key sets intersect: Russian lemmas (pymorphy3's bundled
dictionary, offline), French forms without plural -s/-x and feminine -e of participles, Arabic forms
without diacritics, alef variants, taa marbuta, and the clitics و ف ب ل ك ال and common suffixes.
A hyphenated word is one word: its keys are those of the whole compound, never of its first part alone
(«программа-вымогатель» is not «программа»).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product
from typing import Any

# Letters and digits, with Arabic diacritics and tatweel inside words (they are not \w), and hyphens.
_W = "(?:[^\\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u0640])"
WORD = re.compile(f"{_W}+(?:-{_W}+)*")

_AR_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
                                "ء": "ي"})   # a final hamza takes the seat ئ before a suffix: نظراء, نظرائه
_AR_PREFIXES = ("وبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال", "ول", "وب", "فل", "فب", "و", "ف", "ب", "ل", "ك")
# Pronoun, plural and case-ending suffixes. A final ه is stripped only where it was written ه (the
# pronoun: نظيره), never where it is a taa marbuta, which tells "processing" (معالجة) from "processor" (معالج).
_AR_SUFFIXES = ("هما", "ها", "هم", "ات", "ون", "ين", "ان", "ا")
_MAX_COMPOUND_KEYS = 16


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=65536)
def keys(word: str, lang: str) -> frozenset[str]:
    w = word.casefold()
    if lang == "ru":
        return _russian_keys(w.replace("ё", "е"))
    if lang == "ar":
        return _arabic_keys(w)
    return _french_keys(w)


def name_keys(word: str, lang: str) -> frozenset[str]:
    """Keys of a word of a proper name in the termbase: in Arabic only the written form and the form without
    ال, so that the adjective «الروسي» (keys روسي) never meets «روسيا», whose stripped alef would give روسي."""
    if lang != "ar":
        return keys(word, lang)
    base = _ar_normal(word)
    return frozenset({base, _ar_core(base)})


# what a listed Arabic word may carry after its core, and no more: a sound plural, a dual, an accusative alef;
# not a feminine ending, which makes another word of many (الموج, waves; موجه, a router)
_AR_LISTED_ENDINGS = ("ات", "ون", "ين", "ان", "ا")


def without_marks(word: str) -> str:
    """An Arabic word without its short vowels, tanween, shadda and tatweel (إقليميًا → إقليميا)."""
    return _AR_DIACRITICS.sub("", word)


def _ar_normal(word: str) -> str:
    """An Arabic word without its diacritics and tatweel, its hamza seats, taa marbuta and alef maqsura
    written one way (how every key compares)."""
    return _AR_DIACRITICS.sub("", word.casefold()).translate(_AR_LETTERS)


def _ar_core(base: str) -> str:
    """A normalised word without its article, where it has one (الالام -> الام)."""
    return base[2:] if base.startswith("ال") and len(base) >= 5 else base


@lru_cache(maxsize=65536)
def _ar_cores(word: str, short: bool = False) -> frozenset[str]:
    """The cores a text's word may have: its prefixes (و ف, then ب ك ل) taken off or not, for they can be
    the word's own letters (بنك, لغة, فصل), and then the article taken off wherever there is one. ``short``:
    for a core of three letters, which a preposition's letter before another word makes too often (كبار is
    not ك + بار), only the conjunctions are taken off."""
    base = _ar_normal(word)
    out: set[str] = set()
    for conj in ("", "و", "ف"):
        for prep in ("",) if short else ("", "ب", "ك", "ل"):
            head = conj + prep
            if not base.startswith(head) or len(base) - len(head) < 2:
                continue
            rest = base[len(head):]
            if prep == "ل" and rest.startswith("ل") and len(rest) >= 4:
                out.add(rest[1:])   # للمستشفى: ل and the article, whose alef is not written
            out.add(_ar_core(rest))   # للاعبين: ل before لاعبين, with or without the article
    return frozenset(out)


@lru_cache(maxsize=16384)
def _listed_core(listed: str) -> str:
    return _ar_core(_ar_normal(listed))


def arabic_word_as_listed(word: str, listed: str, alone: bool = True) -> bool:
    """Whether an Arabic text's word is the listed word with only clitics before it and an ending after it (a
    field lexicon's word, matched as listed): «بالمستشفيات» is «المستشفى», «الأمين» is not «الآلام» although
    a stem of each (الام) is the same, and «الحسابات» (accounts) is not «الحساب» (arithmetic) only if a
    lexicon lists the plural apart."""
    core = _listed_core(listed)
    # a short core read alone is guarded; inside a phrase the next words say which word it is (لوقف إطلاق النار)
    for c in _ar_cores(word, short=alone and len(core) <= 3):
        if c == core:
            return True
        tail = c[len(core):] if c.startswith(core) else None
        if tail in _AR_LISTED_ENDINGS:
            return True
        if core.endswith("ه") and c.startswith(core[:-1]) and c[len(core) - 1:] in ("ات", "تان", "تين"):
            return True
    return False


@lru_cache(maxsize=65536)
def russian_listed_keys(word: str) -> frozenset[str]:
    """A Russian word as a field lexicon lists it, in dictionary form: its own reading only (the word itself
    where one reading has it as its lemma, else the first parse's lemma), so that «дорога» (a road) is not met by
    «дороже» (dearer), whose lemma «дорогой» the short form «дорога» (is dear) shares; the text's word keeps all
    its lemmas."""
    w = word.casefold().replace("ё", "е")
    lemmas = [p.normal_form.replace("ё", "е") for p in _morph().parse(w)]
    # the listed form is the dictionary form when one reading has it (улей, not the first parse's уля)
    return frozenset({w} if w in lemmas or not lemmas else {lemmas[0]})


@lru_cache(maxsize=65536)
def loose_keys(word: str, lang: str) -> frozenset[str]:
    """Keys for recognising a concept in a translation that must render it (never for finding terms in a
    source): in Russian also the head of a noun-noun compound («учреждений-партнеров» renders «учреждение»)
    and verbs without their reflexive ending («финансироваться» renders «финансируемый»)."""
    out = set(keys(word, lang))
    if lang != "ru":
        return frozenset(out)
    parts = word.casefold().replace("ё", "е").split("-")
    if len(parts) == 2 and all(any("NOUN" in p.tag for p in _morph().parse(part)) for part in parts):
        out |= keys(parts[0], lang)
    out |= {k[:-2] for k in out if len(k) > 4 and k.endswith(("ся", "сь"))}
    return frozenset(out)


@lru_cache(maxsize=65536)
def is_modifier(word: str, lang: str) -> bool:
    """A Russian adjective or participle, which may stand inside a term in a translation
    («программы специализированной подготовки» renders «программа подготовки»)."""
    return lang == "ru" and sum(p.score for p in _morph().parse(word.casefold())
                                if "ADJF" in p.tag or "PRTF" in p.tag) > 0.5


def russian_numbers(word: str) -> frozenset[str]:
    """The grammatical numbers («sing», «plur») a Russian noun or adjective form may have (данных: plur)."""
    return frozenset(p.tag.number for p in _morph().parse(word.casefold())
                     if ("NOUN" in p.tag or "ADJF" in p.tag) and p.tag.number)


def _russian_keys(w: str) -> frozenset[str]:
    out = {p.normal_form.replace("ё", "е") for p in _morph().parse(w)} | {w}
    parts = w.split("-")
    if 1 < len(parts) <= 3:   # pymorphy misses some inflected compounds («программу-вымогатель»)
        lemmas = [sorted({p.normal_form.replace("ё", "е") for p in _morph().parse(part)} | {part})
                  for part in parts]
        for combo in list(product(*lemmas))[:_MAX_COMPOUND_KEYS]:
            out.add("-".join(combo))
    return frozenset(out)


_FR_CONTRACTIONS = {"du": "de", "des": "de", "au": "à", "aux": "à"}   # dans le domaine des TIC


def _french_keys(w: str) -> frozenset[str]:
    out = {w}
    if w in _FR_CONTRACTIONS:
        return frozenset({w, _FR_CONTRACTIONS[w]})
    base = w[:-1] if len(w) > 3 and w[-1] in "sx" else w
    out.add(base)
    if len(w) > 4 and w.endswith("aux"):
        out.add(w[:-3] + "al")
    if len(base) > 4 and base.endswith("ée"):   # financée(s) → financé
        out.add(base[:-1])
    return frozenset(out)


def _arabic_keys(word: str) -> frozenset[str]:
    written = _AR_DIACRITICS.sub("", word)
    base = written.translate(_AR_LETTERS)
    stems = {base}
    for prefix in _AR_PREFIXES:
        rest = base[len(prefix):]
        if base.startswith(prefix) and (len(rest) >= 3 or (len(rest) == 2 and rest.isascii())):
            stems.add(rest)   # a Latin acronym of two: بالـ5G
    out = set(stems)
    for stem in stems:
        for suffix in _AR_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                out.add(stem[: -len(suffix)])
                if suffix in ("هما", "ها", "هم") and stem[-len(suffix) - 1] == "ت":
                    out.add(stem[: -len(suffix) - 1] + "ه")   # a taa marbuta before a pronoun: منصتها → منصة
        if stem.endswith("ات") and len(stem) > 4:
            out.add(stem[:-2] + "ه")   # sound feminine plural: شراكات → شراكة
        if stem.endswith(("تان", "تين")) and len(stem) > 5:
            out.add(stem[:-3] + "ه")   # feminine dual: الجامعتان, اتفاقيتين → جامعة, اتفاقية
        if written.endswith("ه") and len(stem) > 3:
            out.add(stem[:-1])          # the pronoun: نظيره → نظير
        if written.endswith("ة") and stem.endswith("يه") and len(stem) > 4:
            out.add(stem[:-1])          # feminine of a nisba adjective: السيبرانية → السيبراني
        if stem.endswith("و") and len(stem) > 3:
            out.add(stem[:-1])          # plural in construct: مزودو خدمة → مزود
    return frozenset(out)


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Words with their spans; apostrophes split French elision (l', d') from the word."""
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]


# nouns of two written letters (a doubled radical, the shadda unwritten) that head a term: their construct dual
# (خطي) is read as them; any other three-letter word ending in ي (رأي, سعي, علي) is not cut down
_AR_GEMINATE = frozenset({"خط", "حق", "فن"})


@lru_cache(maxsize=65536)
def construct_keys(word: str) -> frozenset[str]:
    """Extra keys of an Arabic noun heading an idafa in a dual or masculine plural construct, which drops
    its ن: «مذكرتي تفاهم» (two memoranda), «فريقي عمل», «مشغلي المحمول», «مقدمي خدمات». Only ever compared
    with a word of a term that another word follows, never a term's last word, where a final ي is a nisba
    adjective (الرقمي is not الرقم)."""
    out: set[str] = set()
    for stem in _arabic_keys(word):
        if stem.endswith("تي") and len(stem) > 4:
            out.add(stem[:-2] + "ه")
        elif stem.endswith("ي") and (len(stem) > 3 or stem[:-1] in _AR_GEMINATE):
            out.add(stem[:-1])   # خطي إنتاج: two production lines
    return frozenset(out)

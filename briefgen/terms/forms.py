"""Target-side word forms: put a preferred glossary term where a model wrote its own rendering, in the form
that place in the sentence needs.

``put_term(text, start, end, term, lang)`` replaces ``text[start:end]``:

- Russian: the case and number of the replaced phrase (pymorphy3 parses of its head noun, narrowed by the
  adjectives agreeing with it), disambiguated by what governs it (preposition, verb, noun, numeral 2–4);
  the paucal after два/две; an adjective just before the phrase follows the new gender; об/о;
- Arabic: clitics and definiteness carried over (``forms_ar``);
- French: the determiner before the phrase re-agreed and elided, plural (``forms_fr``).

The capital of a sentence start or an all-capitals heading is kept. The labelled sets in
``tests/data/inflection/`` measure all three.
"""

from __future__ import annotations

from typing import Any

from .morph import _morph, tokens

CASES = ("nomn", "accs", "gent", "loct", "datv", "ablt")      # also the order of preference when in doubt
_CASE_ALIAS = {"gen1": "gent", "gen2": "gent", "loc1": "loct", "loc2": "loct", "acc2": "accs", "voct": "nomn"}

# Cases a preposition governs, the commonest first (в/на: the locative as in "в области"; с: instrumental).
_PREP = {
    "в": ("loct", "accs"), "во": ("loct", "accs"), "на": ("loct", "accs"), "о": ("loct",), "об": ("loct",),
    "обо": ("loct",), "при": ("loct",), "по": ("datv",), "к": ("datv",), "ко": ("datv",),
    "благодаря": ("datv",), "согласно": ("datv",), "вопреки": ("datv",),
    "с": ("ablt", "gent"), "со": ("ablt", "gent"), "над": ("ablt",), "под": ("ablt", "accs"), "перед": ("ablt",),
    "между": ("ablt",), "за": ("ablt", "accs"), "для": ("gent",), "из": ("gent",), "от": ("gent",),
    "до": ("gent",), "без": ("gent",), "у": ("gent",), "около": ("gent",), "после": ("gent",),
    "среди": ("gent",), "вокруг": ("gent",), "кроме": ("gent",), "вследствие": ("gent",), "против": ("gent",),
    "через": ("accs",), "про": ("accs",), "сквозь": ("accs",),
}
# Verbs (and nouns made from them) governing an oblique case; any other verb takes the accusative.
_GOVERNS = {
    "ablt": ("заниматься", "управлять", "обладать", "располагать", "руководить", "владеть", "пользоваться",
             "являться", "становиться", "стать", "управление", "руководство", "владение", "обладание"),
    "datv": ("способствовать", "содействовать", "уделить", "уделять", "помогать", "помочь", "противодействовать",
             "препятствовать", "угрожать", "содействие", "противодействие", "помощь", "доверять", "следовать"),
    "gent": ("касаться", "достигать", "достичь", "требовать", "добиваться", "избегать", "опасаться"),
}
_GOVERNED = {lemma: case for case, lemmas in _GOVERNS.items() for lemma in lemmas}
_PAUCAL = {"два", "две", "три", "четыре", "оба", "обе", "полтора", "полторы"}


def put_term(text: str, start: int, end: int, term: str, lang: str, found: str | None = None, *,
             touch_before: bool = True) -> str:
    """``text`` with ``text[start:end]`` (a model's rendering of a concept) replaced by ``term`` (the
    glossary's preferred term, in dictionary form) in the form the sentence needs there. ``found``: the
    rendering in dictionary form, when known (it tells an Arabic clitic from the word's own letters).
    ``touch_before=False`` leaves the words before the rendering as they are (they belong to another term)."""
    if lang == "ru":
        return _put_ru(text, start, end, term, touch_before)
    if lang == "ar":
        from .forms_ar import put_ar

        return put_ar(text, start, end, term, found)
    if lang == "fr":
        from .forms_fr import put_fr

        return put_fr(text, start, end, term, found, touch_before)
    return text[:start] + capitals(text, start, end, term) + text[end:]


def same_capitals(model: str, word: str) -> str:
    """``word`` with the capitals of ``model``: all capitals (a heading), or a capital first letter."""
    letters = [c for c in model if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if model[:1].isupper() and not word[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def capitals(text: str, start: int, end: int, new: str) -> str:
    """``new`` written with the capitals that ``text[start:end]`` had for a reason: a heading in capitals
    (two words or more), a sentence start, a capitalised name. An abbreviation's capitals (ЦОД, ИКТ) are
    not a reason: «в ЦОД» → «в центре обработки данных»."""
    span = text[start:end]
    words = [w for w, _, _ in tokens(span)]
    if len(words) > 1 and all(w.isupper() for w in words if any(c.isalpha() for c in w)):
        return new.upper()
    at_start = not sentence_before(text, start).strip()
    if words and is_abbreviation(words[0]):
        return new[:1].upper() + new[1:] if at_start and not new[:1].isupper() else new
    if span[:1].isupper() and not new[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def is_abbreviation(word: str) -> bool:
    """ЦОД, ИКТ, and an abbreviation declined with a lower-case ending (ЦОДа)."""
    caps = len(word) - len(word.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"))
    return caps >= 2 and (caps == len(word) or word[caps:].islower())


def sentence_before(text: str, pos: int) -> str:
    """The part of the sentence (or clause after ; or :) before ``pos``."""
    start = max(text.rfind(p, 0, pos) for p in ".!?;:")
    return text[start + 1: pos]


# --- Russian ----------------------------------------------------------------------------------------------

def _put_ru(text: str, start: int, end: int, term: str, touch_before: bool = True) -> str:
    span = text[start:end]
    before = sentence_before(text, start)
    offset = start - len(before)
    words = [w for w, _, _ in tokens(before)]
    numeral = _numeral(before)
    case, number = ru_form(span, before)
    paucal = numeral is not None and (case, number) == ("gent", "sing") and _is_paucal(numeral[0])
    new = inflect_ru(term, case, number, paucal=paucal)
    head_start = text[:start]
    if paucal and touch_before and numeral is not None:
        word, n_start, n_end = numeral
        head_start = _agree_paucal(head_start, (word, n_start + offset, n_end + offset), term)
    elif words and numeral is None and touch_before:   # an adjective just before agrees with the new head
        head_start = _agree_outer_adjective(head_start, span, term, case, number)
    if touch_before:
        head_start = _o_ob(head_start, new)
    return head_start + capitals(text, start, end, new) + text[end:]


def ru_form(span: str, before: str) -> tuple[str, str]:
    """(case, number) the Russian phrase ``span`` stands in, after ``before`` in its sentence. After два,
    три, четыре, оба in the nominative or accusative (also 22, 33 …, not 12–14) the noun is in the genitive
    singular whatever the model wrote (две нейронные сети: the phrase reads as plural, the noun is not);
    after an oblique numeral (двух, трём, двумя) the phrase is plural in the numeral's case."""
    feasible = _feasible(span)
    numeral = _numeral(before)
    if numeral is not None and _is_paucal(numeral[0]) and (not numeral[0].isdigit() or _paucal_span(feasible)):
        return "gent", "sing"
    allowed, strong = _governed(before)
    plural_only = numeral is not None and not _is_paucal(numeral[0]) and not numeral[0].isdigit()
    if feasible is None:                        # an indeclinable abbreviation: only the context tells
        if numeral is not None and numeral[0].isdigit() and not allowed \
                and not (numeral[0].endswith("1") and not numeral[0].endswith("11")):
            return "gent", "plur"               # 12 ЦОД, 25 ЦОД: genitive plural
        return (allowed[0] if allowed else "nomn"), "plur" if plural_only else "sing"
    if plural_only:
        feasible = [f for f in feasible if f[1] == "plur"] or [(c, "plur") for c, _ in feasible]
    if allowed:
        fitting = [f for f in feasible if f[0] in allowed]
        if fitting:
            return min(fitting, key=lambda f: (allowed.index(f[0]), f[1] != "sing"))
        if strong:                              # a preposition beats a rendering left in the nominative
            return allowed[0], "plur" if all(n == "plur" for _, n in feasible) else "sing"
    return min(feasible, key=lambda f: (CASES.index(f[0]), f[1] != "sing"))


def _paucal_span(feasible: list[tuple[str, str]] | None) -> bool:
    """Whether a phrase after a number in digits reads as the paucal construction (2 центра, 22 нейронные
    сети) rather than a plural in an oblique case (в 2 центрах)."""
    return feasible is None or ("gent", "sing") in feasible or ("nomn", "plur") in feasible


def _numeral(before: str) -> tuple[str, int, int] | None:
    """The cardinal numeral (word, start, end in ``before``) that the phrase after ``before`` counts: the last
    word, or the last before the adjectives that precede the phrase («две новые нейросети»)."""
    toks = tokens(before)
    if toks and before[toks[-1][2]:].strip():
        return None
    while toks:
        word = toks[-1][0].casefold()
        if word.isdigit() or any("NUMR" in p.tag for p in _morph().parse(word)[:1]):
            return toks[-1]
        if word in _PREP or not _is_modifier(word):
            return None
        toks = toks[:-1]
    return None


def _feasible(span: str) -> list[tuple[str, str]] | None:
    """The (case, number) pairs the head noun of ``span`` and the adjectives before it all allow."""
    words = [w for w, _, _ in tokens(span)]
    sets: list[set[tuple[str, str]]] = []
    for i, word in enumerate(words):
        if word.isupper() and len(word) >= 2:
            return None if not sets else _ordered(set.intersection(*sets))
        parses = _parses(word)
        nouns = {_cn(p) for p in parses if "NOUN" in p.tag and p.tag.case}
        adjectival = any(("ADJF" in p.tag or "PRTF" in p.tag) for p in parses)
        next_noun = i + 1 < len(words) and any("NOUN" in p.tag for p in _parses(words[i + 1]))
        if nouns and not (adjectival and next_noun):   # рабочих группах: рабочих agrees, it is not the head
            sets.append(nouns)
            break
        adjectives = {_cn(p) for p in parses if ("ADJF" in p.tag or "PRTF" in p.tag) and p.tag.case}
        if not adjectives:
            break
        sets.append(adjectives)
    if not sets:
        return None
    common = set.intersection(*sets)
    return _ordered(common or sets[-1])


def _ordered(pairs: set[tuple[str, str]]) -> list[tuple[str, str]] | None:
    return sorted(pairs, key=lambda f: (CASES.index(f[0]), f[1])) if pairs else None


def _parses(word: str) -> list[Any]:
    """pymorphy3 parses; an abbreviation with a Russian ending (ЦОДа) as the abbreviation declined."""
    upper = len(word) - len(word.lstrip("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"))
    parses = _morph().parse(word.casefold())
    if upper >= 2 and upper < len(word):
        stem = word[:upper].casefold()
        parses = [p for p in parses if p.normal_form == stem] or parses
    return parses


def _cn(p: Any) -> tuple[str, str]:
    case = _CASE_ALIAS.get(p.tag.case, p.tag.case)
    return case, p.tag.number or "sing"


def _is_paucal(word: str) -> bool:
    w = word.casefold()
    if w.isdigit():
        return w[-1] in "234" and not w.endswith(("12", "13", "14"))
    return w in _PAUCAL


def _governed(before: str) -> tuple[tuple[str, ...], bool]:
    """Cases the word before a phrase allows it, commonest first, and whether that word is a preposition
    (a strong signal) rather than a verb or noun (a weak one)."""
    words = [w.casefold() for w, _, _ in tokens(before)]
    while len(words) > 1 and words[-1] not in _PREP and _is_modifier(words[-1]):
        words.pop()      # the adjectives before a phrase do not govern it: «обсудили взаимовыгодный …»
    if not words:
        return (), False
    last = words[-1]
    if last in _PREP:
        return _PREP[last], True
    if _is_paucal(last) and not last.isdigit():
        return ("gent",), True
    parse = _morph().parse(last)[0]
    if "NUMR" in parse.tag:      # двух, трём, пятью: the phrase takes the numeral's case; пять: genitive
        cases = {_CASE_ALIAS.get(p.tag.case, p.tag.case) for p in _morph().parse(last) if "NUMR" in p.tag}
        return (("gent",) if cases <= {"nomn", "accs"} else tuple(c for c in CASES if c in cases)), True
    if parse.normal_form in _GOVERNED:
        return (_GOVERNED[parse.normal_form],), False
    if "NOUN" in parse.tag:
        return ("gent",), False   # a genitive chain: "развитие кибербезопасности"
    if "PRTS" in parse.tag:
        return ("ablt",), False   # the agent of a passive: "защищена межсетевым экраном"
    if {"VERB", "INFN", "GRND"} & set(parse.tag.grammemes) or ("PRTF" in parse.tag and "actv" in parse.tag):
        return ("accs",), False
    return (), False


def _is_modifier(word: str) -> bool:
    p = _morph().parse(word)[0]
    return "ADJF" in p.tag or ("PRTF" in p.tag and "pssv" in p.tag)


def inflect_ru(term: str, case: str, number: str | None = None, *, paucal: bool = False) -> str:
    """Put a Russian term (in dictionary form) in ``case``: the head noun and the adjectives agreeing
    with it change; dependent words after the head (a genitive complement) stay as they are. A term cited
    in the plural (кадры, обучающие данные) stays plural. ``paucal``: after два/три/четыре the noun is in
    the genitive singular and its adjectives in the genitive plural (nominative plural if feminine)."""
    words = tokens(term)
    parses, head = _term_parses([w for w, _, _ in words])
    if head is None:
        return term
    head_tag = parses[head].tag
    cited_plural = head_tag.number == "plur" or "Pltm" in head_tag
    head_number = "plur" if cited_plural else (number or "sing")
    if case == "nomn" and head_number == ("plur" if cited_plural else "sing") and not paucal:
        return term
    out = term
    for i in range(head, -1, -1):
        p = parses[i]
        is_adj = p is not None and ("ADJF" in p.tag or "PRTF" in p.tag)
        if p is None or (i < head and not is_adj):
            break
        want = {case, head_number}
        if i < head:   # adjectives agree with the head noun in gender (singular) and animacy (accusative)
            if paucal and not cited_plural:
                want = {"nomn" if head_tag.gender == "femn" and case in ("nomn", "accs", "gent") else "gent",
                        "plur"}
            elif head_number == "sing" and head_tag.gender:
                want.add(head_tag.gender if head_tag.gender in ("masc", "femn", "neut") else "masc")
            if case == "accs" and head_tag.animacy and (head_number == "plur" or head_tag.gender != "femn"):
                want.add(head_tag.animacy)
        elif "Pltm" in head_tag:
            want.discard("sing")
        new = _inflect(p, want)
        if new is not None:
            word, start, end = words[i]
            out = out[:start] + same_capitals(word, new) + out[end:]
    return out


def cited_plural(term: str) -> bool:
    """Whether a Russian term is cited in the plural (кадры, цифровые навыки): it stays plural."""
    parses, head = _term_parses([w for w, _, _ in tokens(term)])
    return head is not None and (parses[head].tag.number == "plur" or "Pltm" in parses[head].tag)


def _term_parses(words: list[str]) -> tuple[list[Any], int | None]:
    """Nominative parses of a term's words and the index of its head noun: the first word that can be a
    noun and is not an adjective agreeing with a noun after it (рабочая группа: рабочая is an adjective)."""
    options = [[p for p in _morph().parse(w.casefold()) if p.tag.case == "nomn"] for w in words]
    chosen: list[Any] = []
    head = None
    for i, opts in enumerate(options):
        noun = next((p for p in opts if "NOUN" in p.tag), None)
        adj = next((p for p in opts if "ADJF" in p.tag or "PRTF" in p.tag), None)
        next_noun = i + 1 < len(options) and any("NOUN" in p.tag for p in options[i + 1])
        if head is None and adj is not None and next_noun:
            chosen.append(adj)
        elif head is None and noun is not None:
            chosen.append(noun)
            head = i
        else:
            chosen.append(opts[0] if opts else None)
    return chosen, head


def _inflect(p: Any, want: set[str]) -> str | None:
    """The form of ``p``'s lexeme with the grammemes ``want`` that shares the longest beginning with the
    word itself (высшее → высших, not the other superlative высочайших)."""
    forms = [f for f in p.lexeme if want <= set(f.tag.grammemes)]
    if not forms:
        new = p.inflect(want)
        return new.word if new is not None else None

    def shared(f: Any) -> int:
        n = 0
        for a, b in zip(f.word, p.word, strict=False):
            if a != b:
                break
            n += 1
        return n

    return max(forms, key=shared).word


def _agree_paucal(before: str, numeral: tuple[str, int, int], term: str) -> str:
    """After the repair of a paucal phrase, the numeral takes the new head's gender (две нейросети → два
    центра) and adjectives between the numeral and the phrase the paucal form (две новые нейросети → два
    новых центра: genitive plural, nominative plural before a feminine noun)."""
    parses, head = _term_parses([w for w, _, _ in tokens(term)])
    if head is None or parses[head].tag.number == "plur" or "Pltm" in parses[head].tag:
        return before
    gender = {"ms-f": "masc"}.get(parses[head].tag.gender, parses[head].tag.gender) or "masc"
    word, n_start, n_end = numeral
    changes: list[tuple[int, int, str]] = []
    if not word.isdigit():
        num = next((p for p in _morph().parse(word.casefold()) if "NUMR" in p.tag and p.tag.gender), None)
        if num is not None and num.tag.gender != gender and {num.tag.gender, gender} != {"masc", "neut"}:
            new = num.inflect({"femn" if gender == "femn" else "masc"})
            if new is not None:
                changes.append((n_start, n_end, same_capitals(word, new.word)))
    for adj, a_start, a_end in tokens(before)[::-1]:
        if a_start < n_end:
            break
        p = next((p for p in _morph().parse(adj.casefold()) if "ADJF" in p.tag or "PRTF" in p.tag), None)
        if p is None:
            break
        changed = _inflect(p, {"nomn" if gender == "femn" else "gent", "plur"})
        if changed is not None:
            changes.append((a_start, a_end, same_capitals(adj, changed)))
    for a, b, new_word in sorted(changes, reverse=True):
        before = before[:a] + new_word + before[b:]
    return before


def _agree_outer_adjective(before: str, old: str, term: str, case: str, number: str) -> str:
    """When the head noun changes gender (трансфер → передача), the adjective just before it follows:
    взаимовыгодный трансфер → взаимовыгодную передачу."""
    prev = tokens(before)
    if number != "sing" or not prev or before[prev[-1][2]:].strip():
        return before
    adj_word, a_start, a_end = prev[-1]
    old_genders = {p.tag.gender for w, _, _ in tokens(old)[:1] for p in _parses(w) if "NOUN" in p.tag}
    parses, head = _term_parses([w for w, _, _ in tokens(term)])
    if head is None or head != 0 or not old_genders:
        return before
    new_tag = parses[head].tag
    new_gender = {"ms-f": "masc"}.get(new_tag.gender, new_tag.gender)
    if new_tag.number != "sing" or not new_gender or new_gender in old_genders:
        return before
    for p in _morph().parse(adj_word.casefold()):
        if ("ADJF" in p.tag or "PRTF" in p.tag) and _CASE_ALIAS.get(p.tag.case, p.tag.case) == case \
                and p.tag.number == "sing" and p.tag.gender in old_genders:
            want = {case, "sing", new_gender}
            if case == "accs" and new_gender == "masc" and new_tag.animacy:
                want.add(new_tag.animacy)
            changed = _inflect(p, want)
            if changed is not None:
                return before[:a_start] + same_capitals(adj_word, changed) + before[a_end:]
            break
    return before


def _o_ob(before: str, new: str) -> str:
    """The preposition о becomes об before a vowel and об becomes о before a consonant."""
    prev = tokens(before)
    if not prev or before[prev[-1][2]:].strip() or not new:
        return before
    word, start, end = prev[-1]
    vowel = new[0].casefold() in "аоуэиы"
    if word.casefold() == "об" and not vowel:
        return before[:start] + same_capitals(word, "о") + before[end:]
    if word.casefold() == "о" and vowel:
        return before[:start] + same_capitals(word, "об") + before[end:]
    return before


# --- the older interface of protect.restore --------------------------------------------------------------

def case_from_context(before: str) -> str:
    """The case a Russian term needs after ``before`` (the text preceding it in the sentence)."""
    allowed, _ = _governed(before)
    return allowed[0] if allowed else "nomn"


def case_of(span: str) -> tuple[str, str] | None:
    """(case, number) of the head noun of a Russian phrase as written, if it can be told."""
    feasible = _feasible(span)
    return feasible[0] if feasible else None

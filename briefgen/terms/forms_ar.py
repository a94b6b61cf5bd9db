"""Arabic: a preferred term put where a model wrote its own rendering keeps the rendering's clitics and
definiteness.

- proclitics of the rendering's first word (و/ف, then ب/ل/ك) move to the term's first word; ل before ال
  gives لل, and لل + a word in ل gives a single لل (للجنة);
- a definite rendering (ال on its first word, or an idafa ending in a definite noun) makes the term
  definite: ال on a noun and its adjectives (البرنامج التدريبي), on the last word of an idafa (مذكرة
  التفاهم), never on the first word of an idafa (وجدار الحماية, not والجدار الحماية);
- an indefinite rendering makes the term indefinite (حديقة تكنولوجية → منطقة تكنولوجية);
- a sound plural of the same head is kept (شبكات الهاتف المحمول → شبكات المحمول);
- a pronoun suffix on the rendering (جدارهما الناري "their firewall") moves to the term: on the noun of a
  noun + adjective term, which loses ال while its adjectives keep it (أمنها السيبراني); on the last noun of
  an idafa, whose first word has no ال (جدار حمايتهما). Where that cannot be done (a term with a
  preposition, a plural in -ون/-ين, a suffix after a plural ending) the text is left as it was: the caller
  sees no replacement and counts the concept failed, never repaired with the possessor lost.
"""

from __future__ import annotations

from .morph import tokens, without_marks

_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
# Conjunction, then preposition, then article, as they stack on a word.
_PROCLITICS = ("وبال", "وكال", "فبال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل",
               "وب", "ول", "وك", "فب", "فل", "فك", "ال", "و", "ف", "ب", "ل", "ك", "")
# Words that open a complement rather than continue a noun phrase.
PREPOSITIONS = {"في", "على", "عبر", "من", "بين", "إلى", "الى", "عن", "مع", "حول", "لدى", "بشأن", "ضد"}


# Pronoun suffixes, longest first (their, her, his, your, our, my).
_PRONOUNS = ("هما", "كما", "هم", "هن", "كم", "كن", "ها", "نا", "ه", "ك", "ي")


def _fold(word: str) -> str:
    return without_marks(word).translate(_FOLD)


def _without_article(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def split_proclitics(surface: str, stem: str) -> tuple[str, str, bool]:
    """(conjunction + preposition, the word without them and without ال, definite?) for a word whose
    dictionary stem (without ال) is ``stem``: وللموارد, موارد → ('ول', 'موارد', True)."""
    folded, want = _fold(surface), _fold(stem)
    want_root = want[:-1] if want.endswith("ه") else want
    for prefix in _PROCLITICS:
        if not folded.startswith(prefix):
            continue
        rest = surface[len(prefix):]
        rest_f = folded[len(prefix):]
        if rest_f == want or (len(want_root) >= 2 and rest_f.startswith(want_root) and len(rest_f) - len(want) <= 2):
            article = prefix.endswith("ال") or prefix in ("لل", "ولل", "فلل")
            clitics = prefix[:-2] if prefix.endswith("ال") else prefix[:-1] if prefix.endswith("لل") else prefix
            if prefix in ("ل", "ول", "فل") and want.startswith("ل") and stem != surface:
                article = True    # ل + اللجنة is written للجنة
            return clitics, rest, article
    return "", surface, surface.startswith("ال")


def _is_adjective(word: str) -> bool:
    """A nisba or relative adjective (رقمي، تدريبية، السيبراني): the noun phrase goes on."""
    w = _fold(_without_article(word))
    return w.endswith(("ي", "يه", "يين", "يون", "يات"))


def _definite(term_words: list[str]) -> list[str]:
    if term_words[0].startswith("ال"):
        return term_words
    if any(w.startswith("ال") for w in term_words[1:]):
        return term_words                               # an idafa: definite through its last word
    out = list(term_words)
    if len(out) == 1 or all(_is_adjective(w) for w in out[1:]):
        return ["ال" + w for w in out]                  # noun and adjectives
    out[-1] = "ال" + out[-1]                              # an indefinite idafa made definite
    return out


def _indefinite(term_words: list[str]) -> list[str]:
    out = []
    open_phrase = True
    for w in term_words:
        if w in PREPOSITIONS or (w[:1] in "بل" and _fold(w[1:3]) in ("ال", "ل")):
            open_phrase = False                         # a complement keeps its own article
        out.append(_without_article(w) if open_phrase else w)
    return out


def _attach(clitics: str, word: str) -> str:
    if clitics.endswith("ل") and word.startswith("ال"):
        rest = word[2:]
        return clitics + (rest if rest.startswith("ل") else "ل" + rest)
    return clitics + word


def pronoun_suffix(surface: str, stem: str) -> tuple[str, str] | None:
    """(proclitics, pronoun suffix) when ``surface`` is ``stem`` (dictionary form without ال) with a pronoun
    suffix: وجدارهما, جدار → ('و', 'هما'); أمنها, أمن → ('', 'ها'); a taa marbuta written ت before it."""
    folded, want = _fold(surface), _fold(stem)
    stems = {want, want[:-1] + "ت" if want.endswith("ه") else want, want[:-1] + "ا" if want.endswith("ي") else want}
    for prefix in _PROCLITICS:
        if prefix.endswith("ال") or prefix.endswith("لل") or not folded.startswith(prefix):
            continue
        rest = folded[len(prefix):]
        for suffix in _PRONOUNS:
            if rest.endswith(suffix) and rest[: -len(suffix)] in stems and rest[: -len(suffix)] != rest:
                return prefix, suffix
    return None


def _with_suffix(word: str, suffix: str) -> str | None:
    w = _without_article(word)
    if w.endswith(("ون", "ين", "ان")) and len(w) > 4:
        return None                                   # the plural's ن drops before a suffix: not attempted
    if w.endswith("ة"):
        w = w[:-1] + "ت"
    elif w.endswith("ى"):
        w = w[:-1] + "ا"
    return w + suffix


def _suffixed(term_words: list[str], suffix: str) -> list[str] | None:
    """The term with a pronoun suffix: on the noun of noun + adjectives (adjectives keep ال), on the last
    noun of an idafa (the words before it without ال). None where the term has another shape."""
    if any(w in PREPOSITIONS or (w[:1] in "بل" and _fold(w[1:3]) in ("ال", "ل")) for w in term_words[1:]):
        return None
    idafa = not term_words[0].startswith("ال") and (
        any(w.startswith("ال") for w in term_words[1:]) or not all(_is_adjective(w) for w in term_words[1:]))
    # the second word of an idafa is a noun even when it looks like a nisba (جدار الحماية)
    nouns = [i for i, w in enumerate(term_words) if i == 0 or (idafa and (i == 1 or not _is_adjective(w)))]
    last = nouns[-1]
    if idafa and any(not _is_adjective(w) for w in term_words[last + 1:]):
        return None
    out = [_without_article(w) for w in term_words[:last]]
    new = _with_suffix(term_words[last], suffix)
    if new is None:
        return None
    out.append(new)
    out.extend(w if w.startswith("ال") else "ال" + w for w in term_words[last + 1:])
    return out


def put_ar(text: str, start: int, end: int, term: str, found: str | None = None) -> str:
    span = text[start:end]
    span_words = [w for w, _, _ in tokens(span)]
    term_words = term.split()
    if not span_words or not term_words:
        return text[:start] + term + text[end:]
    found_words = (found or span).split()
    for i, (word, dictionary) in enumerate(zip(span_words, found_words, strict=False)):
        possessed = pronoun_suffix(word, _without_article(dictionary))
        if possessed is None or (i > 0 and possessed[0]):
            continue
        words = _suffixed(term_words, possessed[1])
        if words is None:
            return text                               # not done: the caller counts no replacement
        clitics = pronoun_suffix(span_words[0], _without_article(found_words[0]))
        lead = clitics[0] if clitics else split_proclitics(span_words[0], _without_article(found_words[0]))[0]
        words[0] = _attach(lead, words[0])
        return text[:start] + " ".join(words) + text[end:]
    clitics, first, article = split_proclitics(span_words[0], _without_article(found_words[0]))
    definite = article or any(w.startswith("ال") or _fold(w).startswith(("ال", "لل"))
                              for w in span_words[1:])
    words = _definite(term_words) if definite else _indefinite(term_words)
    head = _without_article(words[0])
    if _fold(first) != _fold(head) and _fold(first)[:-2] == _fold(head)[:-1] and _fold(first).endswith("ات"):
        words[0] = words[0][: len(words[0]) - len(head)] + first      # the rendering's sound plural
    words[0] = _attach(clitics, words[0])
    return text[:start] + " ".join(words) + text[end:]

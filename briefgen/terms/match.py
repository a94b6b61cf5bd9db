"""Finding glossary terms in a text whatever their inflection but only where the text means them, and the
target term a source occurrence calls for.

A variant is found where its words occur one after the other in any inflection (``morph.keys``), joined by
what joins them in the term (a space, an apostrophe, ``&``, ``/``, a comma: ``R&D`` is not ``R, D``), with no
``+``, ``#`` or ``&`` glued on that the term lacks (``C`` is not found in ``C++``), acronyms only as written
(``TIC``, not ``tic``), a hyphenated word only whole (``программа-вымогатель`` is not ``программа``) unless it
is coined on an acronym of the termbase (``ИИ-стартапы``: the acronym and the other part's concept), Arabic
proper names never in a derived adjective (``الروسي`` is not ``روسيا``), and where the concept's scope allows
(terms/scope.py): never a reference entry, a ``context`` word elsewhere in the segment, a ``within`` phrase
around the term. Where two concepts claim the same words and both qualify, neither is reported. An
ambiguous term (a ``senses`` cell, or an acronym) is reported only where the passage's evidence supports its
ICT reading (terms/sense.py); the decision and its evidence are kept (``TermIndex.read``) for QA. A concept
elided by a coordination (``apprentissage automatique et profond``) is reported on its own words with
``Match.elided``, a concept that starts inside a term found and runs past it (``formation spécialisée`` in
``programmes de formation spécialisée``) with ``Match.shared``: neither these nor a part of a coined word is a
span a term can be put in place of (``left_as_written``); a translation is checked for them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .forms import sentence_before
from .forms_ar import PREPOSITIONS
from .glossary import Concept, Glossary
from .morph import (
    WORD,
    arabic_word_as_listed,
    construct_keys,
    is_modifier,
    keys,
    loose_keys,
    name_keys,
    russian_listed_keys,
    russian_numbers,
    tokens,
    without_marks,
)
from .names import address_words, other_names
from .scope import WILDCARD
from .sense import (
    DIPLOMACY,
    DIPLOMACY_DOMAINS,
    ICT,
    ICT_DOMAINS,
    SURROUNDINGS,
    Decision,
    decide,
    field_names,
    fields_dir,
    load_fields,
)

EDGE_SYMBOLS = "+#&"   # glued to a word, they make another word: C++, C#, AT&T
CONTEXT_WINDOW = 5     # a context word counts within this many words of the term: its clause, not the next
_APOSTROPHES = str.maketrans({c: "'" for c in "’ʼ‘`´"})
_QUOTES = "«»\"“”„‹›"
_PHRASE_WORD = re.compile(f"{WORD.pattern}|\\{WILDCARD}")


@dataclass(frozen=True)
class Match:
    concept: Concept
    start: int
    end: int
    text: str      # the words as written in the text
    variant: int = 0   # which of the concept's variants in the language searched
    # the concept's other words are shared with the next or previous term by coordination (la protection et la
    # localisation des données: «protection» stands for «protection des données»); its words are not the term's
    elided: bool = False
    # the concept shares its first words with the match before it, which find enforces (programmes de formation
    # spécialisée: specialised training, said with the training programme's «formation»)
    shared: bool = False
    partner: str = ""   # elided or shared: the words of the term it is said with (localisation des données)
    by_pronoun: bool = False   # elided, its complement carried by a possessive pronoun (et leur traitement)

    @property
    def checked_only(self) -> bool:
        """A concept the text says with another term's words: checked in a translation, never enforced."""
        return self.elided or self.shared


@dataclass
class Reading:
    """What a search found: the enforced matches, and every decision taken on an ambiguous term."""
    matches: list[Match]
    decisions: list[Decision]

    @property
    def unenforced(self) -> list[Decision]:
        return [d for d in self.decisions if not d.enforced]


def second_opinion(reading: Reading) -> set[str]:
    """The concepts of a reading on which a machine draft has a say (translate/glossed.py, qa/checks.py): ICT
    terms with other senses that the evidence supports by a single word. A draft that renders one as nothing
    the termbase knows read it in another sense as likely as it lost it, so it is not forced; where the passage
    speaks of ICT more plainly, a draft without the term lost it, and it is enforced."""
    return {d.concept for d in reading.decisions
            if d.enforced and d.kind == "senses" and len(d.support) - len(d.against) <= 1}


@dataclass(frozen=True)
class _Word:
    keys: frozenset[str]
    exact: str | None = None   # an acronym: found only as written, or in a text set in capitals
    capital: bool = False      # a word a proper name capitalises inside it (Groupe des Vingt, not «des vingt»)
    listed: str | None = None  # an Arabic lexicon word: the text's word is it with clitics and an ending
    alone: bool = True         # ... and the whole of its phrase

    def fits(self, word: str, word_keys: frozenset[str]) -> bool:
        if self.listed is not None:
            return arabic_word_as_listed(word, self.listed, self.alone)
        if self.exact is not None:
            word = _latin_in_arabic(word) or word
            return word == self.exact or (word.isupper() and word == self.exact.upper()) \
                or _acronym_part(word, self.exact)
        if self.capital and not word[:1].isupper():
            return False
        return bool(self.keys & word_keys)


# an Arabic article or clitics glued to a Latin acronym, often with a tatweel: الـ5G, بالـIoT, والـFTTH
_AR_BEFORE_LATIN = re.compile(r"^(?:[وف]?[بكل]?الـ?|[وف]?للـ?|[وف]?[بكل]ـ)(?=[A-Za-z0-9])")


def _latin_in_arabic(word: str) -> str | None:
    """The Latin acronym an Arabic word carries after its article or clitics (الـ5G -> 5G), or None."""
    m = _AR_BEFORE_LATIN.match(word)
    return word[m.end():] if m else None


def _acronym_part(word: str, exact: str) -> bool:
    """An acronym of two letters or more as a part of a hyphenated word (ИКТ-сектор, IA-santé, anti-DDoS,
    ИИ-стартапов: the acronym is meant), or a Russian acronym with a case ending (ЦОДа, ЦОДов)."""
    if len(exact) < 2:
        return False
    if "-" in word and "-" not in exact:
        parts = word.split("-")
        return parts[0] == exact or parts[-1] == exact
    if not exact.isupper():
        return False
    rest = word[len(exact):]
    return word.startswith(exact) and 0 < len(rest) <= 3 and rest.isalpha() and rest.islower() \
        and all("а" <= ch <= "я" for ch in rest)


@dataclass(frozen=True)
class _Pattern:
    words: tuple[_Word | None, ...]   # None: the wildcard of a within phrase
    glue: tuple[str, ...] = ()        # what joins each word to the previous one (None: not checked)
    lead: str = ""
    trail: str = ""
    adjectives: frozenset[int] = frozenset()   # Arabic: words that qualify the definite noun before them


class _Text:
    """A text split once into words, their keys, what joins them and the symbols glued to them."""

    def __init__(self, text: str, lang: str, loose: bool = False) -> None:
        toks = tokens(text)
        self.text = text
        self.lang = lang
        self.words = [w for w, _, _ in toks]
        self.spans = [(s, e) for _, s, e in toks]
        self.keys = [(loose_keys if loose else keys)(w, lang) for w in self.words]
        # Arabic construct duals and plurals, for a term's words other than its last (construct_keys)
        self.heads = [construct_keys(w) if lang == "ar" else frozenset() for w in self.words]
        self.first = [k | h | {w.casefold()} | _parts(w) for w, k, h in
                      zip(self.words, self.keys, self.heads, strict=True)]   # index keys
        self.glue = [""] + [_glue(text[toks[i - 1][2]:toks[i][1]]) for i in range(1, len(toks))]
        self.lead = [_edge(text, s - 1, -1) for _, s, _ in toks]
        self.trail = [_edge(text, e, 1) for _, _, e in toks]

    def __len__(self) -> int:
        return len(self.words)

    def words_of(self, start: int, end: int) -> tuple[int, int] | None:
        """(first word, number of words) of the text's start..end, which must start where a word does."""
        i = bisect_left(self.spans, start, key=lambda s: s[0])
        if i == len(self.spans) or self.spans[i][0] != start:
            return None
        return i, bisect_right(self.spans, end, key=lambda s: s[1]) - i

    def at(self, p: _Pattern, i: int, check_glue: bool = True) -> bool:
        n = len(p.words)
        if i < 0 or i + n > len(self.words):
            return False
        if check_glue and (self.lead[i] != p.lead or self.trail[i + n - 1] != p.trail):
            return False
        for j, w in enumerate(p.words):
            word_keys = self.keys[i + j] | self.heads[i + j] if j < n - 1 else self.keys[i + j]
            if w is not None and not w.fits(self.words[i + j], word_keys) \
                    and not (j in p.adjectives and _agrees(w.keys, word_keys)):
                return False
            if check_glue and j and self.glue[i + j] != p.glue[j - 1]:
                return False
        return True

    def at_loosely(self, p: _Pattern, i: int) -> bool:
        """As ``at``, but one adjective may stand between two words of the term, and what joins the words is
        not compared (a translation is being checked, not a source searched): a Russian adjective or participle
        («программы специализированной подготовки»), an Arabic adjective before a genitive with لـ, which lets
        the head take it («مركز إقليمي للبيانات», «مركزين جديدين للبيانات»: data centres)."""
        if self.at(p, i, check_glue=False):
            return True
        if self.lang not in ("ru", "ar") or len(p.words) < 2:
            return False
        for gap in range(1, len(p.words)):
            j = i + gap
            if j + 1 >= len(self) or not self._inserted(j):
                continue
            if self.at(_Pattern(p.words[:gap]), i, False) and self.at(_Pattern(p.words[gap:]), j + 1, False):
                return True
        return False

    def _inserted(self, j: int) -> bool:
        """Whether word j may stand inside a term in a translation (see ``at_loosely``)."""
        word = self.words[j]
        if self.lang == "ru":
            return is_modifier(word, "ru")
        # Arabic: an adjective of the word before, as definite as it is, then the genitive with لـ
        word, head = without_marks(word), without_marks(self.words[j - 1])
        if word in _AR_FUNCTION_WORDS or _AR_CLITIC_ARTICLE.match(word) or not word.isalpha() or len(word) < 3 \
                or not without_marks(self.words[j + 1]).startswith("ل"):
            return False
        if _AR_DEFINITE.match(head):
            return word.startswith("ال")   # after a definite noun a definite word is its adjective, never a verb
        if word.startswith("ال"):
            return False
        # indefinite, an adjective has a shape: a nisba, the head's own ending (dual, plural, feminine, accusative),
        # a participle in م, or فعيل (جديد); a verb (يحتاج), a noun joined by و (ومعهد) has none of them
        return (word.endswith(_AR_NISBA) or any(head.endswith(e) and word.endswith(e) for e in _AR_AGREEING)
                or (word[0] == "م" and len(word) >= 5) or (len(word) == 4 and word[2] == "ي"))

    def near(self, items: list[_Pattern], start: int, end: int, whole: bool = False) -> bool:
        """Whether one of the items starts within CONTEXT_WINDOW words of words start..end-1 (or inside them);
        ``whole``: anywhere in the text, for a term whose other senses the passage's evidence decides already
        («Le régulateur a attribué une licence de télécommunications»: the clause runs past five words)."""
        lo, hi = max(0, start - CONTEXT_WINDOW), min(len(self.words), end + CONTEXT_WINDOW)
        if whole:
            lo, hi = 0, len(self.words)
        return any(self.at(p, i, check_glue=False) for i in range(lo, hi) for p in items)


def _quoted_alone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is all a pair of quotation marks hold (spaces aside)."""
    before, after = text[:start].rstrip(), text[end:].lstrip()
    return bool(before) and bool(after) and before[-1] in "«“„\"" and after[0] in "»”“\""


_ABBREVIATION_DOTS = re.compile(r"\b(?:\w\.)+")   # A.I., U.S.: single letters, each with its full stop
_QUOTED = re.compile(r"[«“„]([^«»“”„]{1,120})[»”“]")


def _quoted_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is all a pair of quotation marks hold, or part of a short quoted name that starts
    with a capital (« Petit Japon »: a shop, a title), not of a quoted statement."""
    if _quoted_alone(text, start, end):
        return True
    spans = _quoted_names(text)
    at = bisect_right([s for s, _ in spans], start) - 1
    return at >= 0 and end <= spans[at][1]


@lru_cache(maxsize=32)
def _quoted_names(text: str) -> tuple[tuple[int, int], ...]:
    """The inner spans of the text's quoted names: short, capitalised, no clause in them (a quoted statement is
    a minister's words, not a name)."""
    out = []
    for m in _QUOTED.finditer(text):
        inner = m.group(1).strip()
        # a full stop ends a statement's sentence, not an abbreviation's letters (« A.I. Intelligence artificielle »)
        bare = _ABBREVIATION_DOTS.sub("", inner)
        if inner[:1].isupper() and len(inner.split()) <= 4 and not re.search(r"[,;:!?]|\.\s", bare):
            out.append((m.start(1), m.end(1)))
    return tuple(out)


def _parts(word: str) -> set[str]:
    """Index keys of the acronyms a word may hold (_acronym_part): the parts of a hyphenated word, the
    capital letters a Russian word starts with."""
    out = {part.casefold() for part in word.split("-")} if "-" in word else set()
    caps = len(word) - len(word.lstrip("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ"))
    if caps >= 2:
        out.add(word[:caps].casefold())
    return out


def _glue(between: str) -> str:
    """What joins two words, compared without spaces and quotes, with one apostrophe."""
    return "".join(c for c in between.translate(_APOSTROPHES) if not c.isspace() and c not in _QUOTES)


def _edge(text: str, pos: int, step: int) -> str:
    """The symbols glued to a word, read from ``pos`` away from it (step -1: before it, 1: after it)."""
    end = pos
    while 0 <= end < len(text) and text[end] in EDGE_SYMBOLS:
        end += step
    return text[pos:end] if step > 0 else text[end + 1:pos + 1]


def _acronym(word: str) -> str | None:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return None
    upper = sum(c.isupper() for c in letters)
    if upper == len(letters) or (len(word) <= 5 and upper >= 2):
        return word
    return None


def _same_word(a: _Word, b: _Word) -> bool:
    return a.exact == b.exact if a.exact is not None and b.exact is not None else bool(a.keys & b.keys)


def _is_name(c: Concept) -> bool:
    """A proper name (a country, a ministry, an initiative): its English or French form is capitalised."""
    form = c.preferred("en") or c.preferred("fr") or ""
    return form[:1].isupper()


def _pattern(text: str, lang: str, name: bool = False) -> _Pattern:
    """A variant of a term: its words, what joins them and the symbols glued to its ends."""
    toks = tokens(text)
    # in a name, a capital past its first word is part of the name: «le groupe des vingt joueurs» is no G20
    words = tuple(_Word(name_keys(w, lang) if name else keys(w, lang), _acronym(w),
                        name and j > 0 and w[:1].isupper() and not w.isupper()) for j, (w, _, _) in enumerate(toks))
    glue = tuple(_glue(text[toks[i - 1][2]:toks[i][1]]) for i in range(1, len(toks)))
    lead = _edge(text, toks[0][1] - 1, -1) if toks else ""
    trail = _edge(text, toks[-1][2], 1) if toks else ""
    # a definite word after a definite word of an Arabic term is its adjective (المعالج الدقيق, الأنظمة المدمجة),
    # which agrees with a plural noun in the feminine (معالجات دقيقة); an idafa's second noun does not
    adjectives = frozenset(j for j in range(1, len(toks)) if lang == "ar"
                           and toks[j][0].startswith("ال") and toks[j - 1][0].startswith("ال"))
    return _Pattern(words, glue, lead, trail, adjectives)


def _phrase(text: str, lang: str, strict: bool = False) -> _Pattern:
    """A context or within item: its words in any inflection, '*' for any one word. ``strict`` (a field
    lexicon's word): in French and Arabic the word as listed, which the text's word may carry with its clitics
    and endings, but not cut down to a stem another word shares (البيانو, a piano, is not بيانات, data; toux is
    not tous); Russian words are lemmatised, which is exact enough."""
    key = _strict_keys if strict else keys
    found = list(_PHRASE_WORD.finditer(text))
    return _Pattern(tuple(None if m.group() == WILDCARD else
                          _Word(key(m.group(), lang), _acronym(m.group()),
                                listed=m.group() if strict and lang == "ar" and not _acronym(m.group()) else None,
                                alone=len(found) == 1)
                          for m in found))


def _strict_keys(word: str, lang: str) -> frozenset[str]:
    if lang == "ar":
        return name_keys(word, lang)
    return russian_listed_keys(word) if lang == "ru" else frozenset({word.casefold()})


@dataclass
class _Scope:
    reference: bool = False
    context: list[_Pattern] = field(default_factory=list)
    within: dict[int, list[tuple[_Pattern, int]]] = field(default_factory=dict)   # variant -> (phrase, offset)
    has_within: bool = False


class TermIndex:
    """All variants of the given concepts in one language, indexed by the keys of their first word."""

    def __init__(self, concepts: Iterable[Concept], lang: str) -> None:
        self.lang = lang
        concepts = list(concepts)
        self._by_first: dict[str, list[tuple[Concept, int, _Pattern]]] = {}
        self._scopes: dict[str, _Scope] = {}
        for c in concepts:
            patterns = [_pattern(v, lang, name=_is_name(c)) for v in c.terms.get(lang, ())]
            forms = [(k, _pattern(f, lang, name=_is_name(c))) for k, f in c.forms.get(lang, ())]
            forms += [(0, _pattern(w, lang, name=_is_name(c))) for w in c.wordings.get(lang, ())]   # as the term
            for k, p in [*enumerate(patterns), *forms]:
                if not p.words:
                    continue
                first = p.words[0]
                for key in ({first.exact.casefold()} if first and first.exact else first.keys if first else ()):
                    self._by_first.setdefault(key, []).append((c, k, p))
            self._scopes[c.id] = self._scope(c, patterns, forms)
        for entries in self._by_first.values():
            entries.sort(key=lambda e: -len(e[2].words))   # longest term first
        self._acronyms = {(c.id, k) for c in concepts for k, v in enumerate(c.terms.get(lang, ()))
                          if _is_acronym_term(v)}
        self._coded = {c.id: {k for k, v in enumerate(c.terms.get(lang, ()))
                              if any(ch.isdigit() for ch in v) or _acronym(v.split()[0]) is not None}
                       for c in concepts if c.senses}
        self._address = frozenset(k for w in address_words(lang) for k in keys(w, lang))
        held = other_names(lang)
        self._other_names = {c.id: [(n, _pattern(n, lang, name=True)) for n in held[c.id]]
                             for c in concepts if c.id in held}
        self._field_first = _field_index(str(fields_dir()), lang)
        self._fields = frozenset(field_names()) - {ICT}   # a concept of one of these is that field's evidence

    def _scope(self, c: Concept, patterns: list[_Pattern], forms: list[tuple[int, _Pattern]]) -> _Scope:
        """The concept's scope; ``forms``: (variant, pattern) of its forms and other wordings, which a within
        phrase may hold too. They are found as that variant, so their offsets are kept under it: a form's words
        differ from the variant's, so the offset of one does not fit where the other was found."""
        s = c.scope
        out = _Scope(reference=s.reference)
        out.context = [_phrase(item, self.lang) for item in s.context.get(self.lang, ())]
        phrases = [_phrase(item, self.lang) for item in s.within.get(self.lang, ())]
        out.has_within = bool(phrases)
        for k, p in [*enumerate(patterns), *forms]:
            for phrase in phrases:
                for offset in range(len(phrase.words) - len(p.words) + 1):
                    if _holds_at(phrase, p, offset):
                        out.within.setdefault(k, []).append((phrase, offset))
        return out

    def _candidates(self, t: _Text, i: int, loose: bool = False) -> list[tuple[Concept, int, int]]:
        """(concept, variant, length) of every variant whose words start at word i, longest first."""
        seen, out = set(), []
        for key in t.first[i]:
            for c, k, p in self._by_first.get(key, ()):
                if (c.id, k, len(p.words)) not in seen and (t.at_loosely(p, i) if loose else t.at(p, i)):
                    seen.add((c.id, k, len(p.words)))   # a variant and its broken plural may differ in length
                    out.append((c, k, len(p.words)))
        out.sort(key=lambda e: -e[2])
        return out

    def _applies(self, c: Concept, k: int, n: int, t: _Text, i: int, include_reference: bool) -> bool:
        s = self._scopes[c.id]
        if s.reference:
            return include_reference
        if s.context and not t.near(s.context, i, i + n, whole=bool(c.senses)):
            return False
        if s.has_within:
            return any(t.at(phrase, i - offset, check_glue=False) for phrase, offset in s.within.get(k, ()))
        return True

    def find(self, text: str, *, include_reference: bool = False, passage: str | None = None,
             sense: bool = True, without: frozenset[str] = frozenset()) -> list[Match]:
        """Matches left to right, the longest at each position, where the concept applies (reference entries
        only when asked for, to offer them to translators), none overlapping another but a ``shared`` concept
        its partner, with the concepts elided by a coordination, the concepts sharing a term's words and the
        parts of a word coined on an acronym (see ``left_as_written``). ``passage``: the
        segment the text is a sentence of, whose words are the evidence for an ambiguous term; ``sense=False``
        where the sense was fixed already (a translation checked against its source); ``without``: concepts not
        to report (a coordinated term read for the concepts it coordinates)."""
        return self.read(text, include_reference=include_reference, passage=passage, sense=sense,
                         without=without).matches

    def read(self, text: str, *, include_reference: bool = False, passage: str | None = None,
             sense: bool = True, without: frozenset[str] = frozenset()) -> Reading:
        """As ``find``, with the decision taken on each ambiguous term and its evidence."""
        t = _Text(text, self.lang)
        out: list[Match] = []
        decisions: list[Decision] = []
        evidence = _Lazy(lambda: self._evidence(text, passage))   # read only if an ambiguous term asks
        i = 0
        declined_to = 0   # the end of the last term left unenforced: a concept may start inside it only to run past
        while i < len(t):
            qualified = [(c, k, n) for c, k, n in self._candidates(t, i) if c.id not in without
                         and i + n > declined_to and self._applies(c, k, n, t, i, include_reference)]
            if not qualified:
                i += 1
                continue
            c, k, n = qualified[0]
            if any(o.id != c.id for o, _, m in qualified[1:] if m == n):
                i += 1   # two concepts claim the same words here (numérisation): enforce neither
                continue
            if self._longer_inside(t, i, n, include_reference):
                i += 1   # a longer concept starts inside this one: the longer, more specific, wins
                continue
            start, end = t.spans[i][0], t.spans[i + n - 1][1]
            if sense:
                d = self._judge(c, k, t, i, n, evidence)
                if d is not None:
                    decisions.append(d)
                    if not d.enforced:
                        # its words are free for a concept that starts inside them and runs on (وتوطين صناعة
                        # الإلكترونيات: localisation left unenforced, the electronics industry still meant), not
                        # for one nested in them
                        declined_to = i + n
                        i += 1
                        continue
            second = self._coined_second(t, i, c, k, include_reference) if n == 1 else []
            if second:   # each concept on its own part of the word, so that the two do not overlap
                s, e = next((p, p + len(w)) for p, w in _parts_at(t.words[i], start) if w == c.terms[self.lang][k])
                out += sorted([Match(c, s, e, text[s:e], k), *second], key=lambda m: m.start)
            else:
                out.append(Match(c, start, end, text[start:end], k))
            i += n
        found = self._with_elided(t, out, include_reference)
        found = self._with_pronoun(t, found, include_reference)
        found = self._with_shared(t, found, evidence if sense else None, include_reference, decisions)
        return Reading([m for m in found if m.concept.id not in without] if without else found,
                       sorted(decisions, key=lambda d: d.start))

    def _with_shared(self, t: _Text, out: list[Match], evidence: _Lazy | None, include_reference: bool,
                     decisions: list[Decision]) -> list[Match]:
        """The matches, with each concept that starts inside one of them and runs past its end (``shared``),
        which the loop of ``read`` leaves out because the words it enforces never overlap: « programmes de
        formation spécialisée » is a training programme and specialised training, « تحليل البيانات الضخمة » data
        analytics and big data. Such a concept is judged as any other (``evidence``; None: the sense is fixed
        already; where it is declined, its decision joins ``decisions``, for QA to list) and must overlap no other
        match."""
        extra: list[Match] = []
        for m in out:
            at = None if m.checked_only else t.words_of(m.start, m.end)
            if at is None:
                continue
            i, n = at
            found = next(((j, c, k, nn) for j, running in self._running_on(t, i, n) for c, k, nn in running
                          if c.id != m.concept.id and self._applies(c, k, nn, t, j, include_reference)), None)
            if found is None:
                continue
            j, c, k, nn = found
            start, end = t.spans[j][0], t.spans[j + nn - 1][1]
            if any(o is not m and o.start < end and start < o.end for o in out):
                continue
            d = self._judge(c, k, t, j, nn, evidence) if evidence is not None else None
            if d is not None and not d.enforced:
                decisions.append(d)   # for QA to list; an enforced one is no second opinion's business
            if d is None or d.enforced:
                extra.append(Match(c, start, end, t.text[start:end], k, shared=True, partner=m.text))
        return sorted(out + extra, key=lambda x: (x.start, x.end)) if extra else out

    def _running_on(self, t: _Text, i: int, n: int) -> Iterable[tuple[int, list[tuple[Concept, int, int]]]]:
        """For each word j inside words i..i+n-1 but the first, the candidates that start at j and run past
        the last: the concepts sharing some of those words (see ``_with_shared`` and ``_evidence``)."""
        for j in range(i + 1, i + n):
            yield j, [(c, k, nn) for c, k, nn in self._candidates(t, j) if j + nn > i + n]

    def _with_pronoun(self, t: _Text, out: list[Match], include_reference: bool) -> list[Match]:
        """The matches, with each concept whose complement a possessive pronoun carries after «and» (elided,
        ``by_pronoun``): «la collecte des données personnelles et leur traitement» also says «traitement des
        données», «защита данных и их локализация» «локализация данных», «جمع البيانات الشخصية ومعالجتها» «معالجة
        البيانات». The complement must close the phrase before «and» (an adjective may follow it), in the same
        clause, and agree with the pronoun (leur, их, ـها for a plural); the concept must make a term of the
        termbase with it, and an ambiguous one needs an ICT term in that clause."""
        if not out:
            return out
        taken = sorted((m.start, m.end) for m in out)
        extra: list[Match] = []
        # Arabic carries «and» and the pronoun on the head (البيانات ومعالجتها): its complement may be word 0
        for w in range(1 if self.lang == "ar" else 2, len(t)):
            found = self._pronoun_head(t, w)
            if found is None or _overlaps_any(taken, t.spans[w][0], t.spans[w][1]):
                continue
            head, pronoun, conj = found
            reading = self._complemented(t, w, head, pronoun, conj, out, include_reference)
            if reading is not None:
                c, k, j, n = reading
                lo, hi = t.spans[j][0], t.spans[j + n - 1][1]   # the complement, or the term that holds it
                partner = next((m.text for m in out if m.start < hi and lo < m.end), t.text[lo:hi])
                start, end = t.spans[w]
                extra.append(Match(c, start, end, t.text[start:end], k, elided=True, partner=partner,
                                   by_pronoun=True))
                insort(taken, (start, end))
        return sorted(out + extra, key=lambda x: (x.start, x.end)) if extra else out

    def _pronoun_head(self, t: _Text, w: int) -> tuple[str, str, int] | None:
        """(head noun, possessive pronoun, index of the word «and» stands on) where word w is a noun whose
        complement a possessive pronoun after «and» stands for («et leur traitement», «и их локализация»,
        «ومعالجتها»), or None."""
        word = t.words[w]
        if self.lang == "ar":
            bare = _and_prefixed(word)
            for suffix in ("هما", "هم", "ها", "ه"):
                if bare and bare.endswith(suffix) and len(bare) - len(suffix) >= 3:
                    stem = bare[: -len(suffix)]
                    return (stem[:-1] + "ة" if stem.endswith("ت") else stem), suffix, w
            return None
        before, pronoun = t.words[w - 2].casefold(), t.words[w - 1].casefold()
        if before in _AND.get(self.lang, ()) and pronoun in _POSSESSIVES.get(self.lang, ()):
            return word, pronoun, w - 2
        return None

    def _complemented(self, t: _Text, w: int, head: str, pronoun: str, conj: int, out: list[Match],
                      include_reference: bool) -> tuple[Concept, int, int, int] | None:
        """(concept, variant, where its complement starts, its length in words) for a term whose first word is
        ``head`` and whose other words end right before the word «and» stands on (``conj``), or one adjective
        before it, in the same clause, agreeing with the pronoun."""
        head_keys = keys(head, self.lang)
        for key in head_keys:
            for c, k, p in self._by_first.get(key, ()):
                if len(p.words) < 2 or p.words[0] is None or not p.words[0].fits(head, head_keys):
                    continue
                tail = _Pattern(p.words[1:])
                n = len(tail.words)
                start = next((conj - gap - n for gap in (0, 1) if conj - gap - n >= 0
                              and t.at(tail, conj - gap - n, check_glue=False)
                              and (gap == 0 or self._adjective_after(t, conj - 1))), None)
                if start is None or (self._scopes[c.id].reference and not include_reference):
                    continue
                lo, hi = t.spans[start][0], t.spans[start + n - 1][1]   # the complement
                if t.spans[w][0] - len(sentence_before(t.text, t.spans[w][0])) > hi:
                    continue   # another clause: the pronoun may stand for anything in it
                if not _pronoun_agrees(self.lang, pronoun, t.words[start + n - 1]):
                    continue   # son traitement: whose? not the data's
                clause = lo - len(sentence_before(t.text, lo))
                if self._ambiguity(c, k) and not any(m.concept.domain in ICT_DOMAINS and clause <= m.start
                                                     and m.end <= t.spans[w][1] for m in out):
                    continue   # an ambiguous term is read on its antecedent's ICT clause only
                return c, k, start, n
        return None

    def _adjective_after(self, t: _Text, i: int) -> bool:
        """Whether word i may be an adjective closing the complement's phrase (données personnelles, данных
        граждан is not: a noun, whose their the pronoun may be)."""
        word = t.words[i]
        if self.lang == "ru":
            return is_modifier(word, "ru")
        if self.lang == "ar":
            bare = without_marks(word)
            return bare.startswith("ال") and bare.endswith((*_AR_NISBA, "ة"))
        return word.islower() and word.casefold() not in _FR_FUNCTION_WORDS

    def _with_elided(self, t: _Text, out: list[Match], include_reference: bool) -> list[Match]:
        """The matches, with each concept that a coordination shares with one of them (elided): «l'apprentissage
        automatique et profond» also says «apprentissage profond», «la protection et la localisation des données»
        also «protection des données», «خرق وتسريب البيانات» also «خرق البيانات». The shared words must make a
        term of the termbase with the coordinated words, next to a term found; an ambiguous concept needs that
        term to be of the ICT field."""
        if not out:
            return out
        taken = sorted((m.start, m.end) for m in out)   # disjoint, so sorted by start and by end alike
        extra: list[Match] = []
        for m in out:
            at = None if m.checked_only else t.words_of(m.start, m.end)
            if at is None or at[1] < 2:
                continue
            i, n = at
            for found in (self._elided_after(t, m, i, n, include_reference),
                          self._elided_before(t, m, i, n, include_reference)):
                if found and not _overlaps_any(taken, found.start, found.end):
                    extra.append(found)
                    insort(taken, (found.start, found.end))
        return sorted(out + extra, key=lambda x: x.start) if extra else out

    def _elided_after(self, t: _Text, m: Match, i: int, n: int, include_reference: bool) -> Match | None:
        """«H Y et S», m on «H Y»: the concept «H S» at S (apprentissage automatique et profond)."""
        j = i + n
        if j >= len(t):
            return None
        bare = _and_prefixed(t.words[j]) if self.lang == "ar" else None   # والمعلومات: و joins S's first word
        if bare is not None:
            first = j
        elif self.lang != "ar" and t.words[j].casefold() in _AND.get(self.lang, ()) and j + 1 < len(t):
            first = j + 1
        else:
            return None
        for h in range(n - 1, 0, -1):   # the longest shared head first
            head = t.text[t.spans[i][0]:t.spans[i + h - 1][1]]
            for tail in range(1, min(3, len(t) - first) + 1):
                rest = t.text[t.spans[first][0]:t.spans[first + tail - 1][1]]
                if bare is not None:
                    rest = bare + rest[len(t.words[first]):]
                x = self._whole_term(f"{head} {rest}", h + tail, m, include_reference)
                if x is not None:
                    start, end = t.spans[first][0], t.spans[first + tail - 1][1]
                    return Match(x[0], start, end, t.text[start:end], x[1], elided=True, partner=m.text)
        return None

    def _elided_before(self, t: _Text, m: Match, i: int, n: int, include_reference: bool) -> Match | None:
        """«A et B C», m on «B C»: the concept «A C» at A (la protection et la localisation des données)."""
        variants = m.concept.terms.get(self.lang, ())
        if self.lang == "ar":
            if _and_prefixed(t.words[i]) is None or (m.variant < len(variants) and variants[m.variant][:1] == "و"):
                return None    # وزارة, وزير: the و is the word's own letter, not «and»
            end_a = i          # A's words end before m's first word, which carries و
        else:
            k = i - 1
            if k >= 0 and t.words[k].casefold().rstrip("'’") in _ARTICLES.get(self.lang, ()):
                k -= 1
            if k < 1 or t.words[k].casefold() not in _AND.get(self.lang, ()):
                return None
            end_a = k
        for size in (1, 2):
            a = end_a - size
            if a < 0 or (self.lang == "fr" and t.words[a].casefold().rstrip("'’") in _FR_FUNCTION_WORDS):
                continue
            before = t.text[t.spans[a][0]:t.spans[end_a - 1][1]]
            # the words shared are all of m but its head (la protection et la localisation | des données); a lone
            # French adjective shared by two nouns agrees with both, in the plural (l'inclusion et la littératie
            # numériques), so «les services et la fracture numérique» shares nothing
            tail = t.text[t.spans[i + 1][0]:t.spans[i + n - 1][1]]
            if self.lang == "fr" and n == 2 and not t.words[i + 1].casefold().endswith(("s", "x")):
                continue
            x = self._whole_term(f"{before} {tail}", size + n - 1, m, include_reference)
            if x is not None:
                start, end = t.spans[a][0], t.spans[end_a - 1][1]
                return Match(x[0], start, end, t.text[start:end], x[1], elided=True, partner=m.text)
        return None

    def _whole_term(self, words: str, count: int, m: Match, include_reference: bool) -> tuple[Concept, int] | None:
        """The concept (and variant) whose term is all of ``words``, another than m's, as it would be enforced."""
        sub = _Text(words, self.lang)
        if len(sub) != count:
            return None
        for c, k, n in self._candidates(sub, 0):
            if n != count or c.id == m.concept.id or not self._applies(c, k, n, sub, 0, include_reference):
                continue
            if self._ambiguity(c, k) and m.concept.domain not in ICT_DOMAINS:
                return None   # an ambiguous term is read on its coordinated ICT term's evidence only
            return c, k
        return None

    def _coined_second(self, t: _Text, i: int, c: Concept, k: int, include_reference: bool) -> list[Match]:
        """A word coined on an acronym of the termbase names a second concept with its other part (IoT-датчики
        are sensors, ИИ-стартапы start-ups): that part is matched as a one-word term, read as the acronym's
        field, as the coined word itself is. Translation leaves such a word as the model writes it
        (``left_as_written``): neither part is rewritten or replaced by a protected term."""
        word = t.words[i]
        variants = c.terms.get(self.lang, ())
        variant = variants[k] if k < len(variants) else ""
        if "-" not in word or not _is_acronym_term(variant) or variant not in word.split("-"):
            return []   # ЦОДа-…: an inflected acronym is left whole
        out = []
        for start, part in _parts_at(word, t.spans[i][0]):
            if not part or part == variant or not part[:1].islower():
                continue
            sub = _Text(part, self.lang)
            found = [(o, kk) for o, kk, nn in self._candidates(sub, 0) if nn == 1 and len(sub) == 1
                     and o.id != c.id and self._applies(o, kk, 1, sub, 0, include_reference)]
            if len({o.id for o, _ in found}) == 1:   # two concepts claiming the part: neither, as in read()
                o, kk = found[0]
                out.append(Match(o, start, start + len(part), part, kk))
        return out

    def _judge(self, c: Concept, k: int, t: _Text, i: int, n: int, evidence: _Lazy) -> Decision | None:
        """The decision on words i..i+n-1 read as variant k of c, or None where the term has one sense."""
        text = t.text
        start, end = t.spans[i][0], t.spans[i + n - 1][1]
        other = self._name_around(t, c, i, n)
        adjective = not other and self.lang == "ar" and n == 1 and _arabic_adjective(t, i)
        if other or adjective:
            return Decision(c.id, text[start:end], start, end, False, (),
                            (f"name: {other}" if other else f"adjective: {adjective}",),
                            "other-name" if other else "adjective")
        kind = self._ambiguity(c, k)
        if kind == "acronym" and _coined_compound(text, start, end):
            kind = ""   # ИКТ-услуги, IoT-платформа, IA-santé: a word coined on the acronym is the field's
        if not kind and _quoted_name(text, start, end) and not any(q in v for v in c.terms.get(self.lang, ())
                                                                    for q in _QUOTES):
            kind = "name"   # «Россия», «Petit Japon»: a film, a shop?
        if not kind:
            return None
        # a term of diplomacy or training is read against any field but its own surroundings, and another term
        # of diplomacy supports it; an ICT term or an acronym is read against any other field
        surroundings = SURROUNDINGS.get(c.domain, frozenset()) - set(c.senses) if kind == "general" else frozenset()
        if c.domain in self._fields:
            surroundings |= {c.domain}   # a concept of the energy field is not read against energy words
        read = evidence.get()
        support, against = read.around(start, end, diplomacy=kind == "general", ignore=surroundings, concept=c.id)
        longer = read.holding(start, end, ignore=surroundings)
        if longer:   # sécurité des réseaux de gaz, stage d'avant-saison: the term's words are another field's phrase,
            # whatever supports the ICT reading elsewhere (kept for QA: a close call a reviewer should see)
            return Decision(c.id, text[start:end], start, end, False, tuple(support), tuple(longer), "phrase")
        if kind == "senses" and support:
            # with the ICT reading supported, only a field the senses cell names, where the word means something
            # else, speaks against it; another field's words say where ICT is applied (sensors on bridges, deep
            # learning in radiology), not which sense the term has
            against = [a for a in against if a.split(":", 1)[0] in c.senses]
        return Decision(c.id, text[start:end], start, end, decide(kind, support, against), tuple(support),
                        tuple(against), kind)

    def _name_around(self, t: _Text, c: Concept, i: int, n: int) -> str:
        """The other name or the place's name words i..i+n-1 are part of, or ""."""
        return self._other_name(t, c, i, n) or self._place_name(t, i, n) or self._company_name(t, c, i)

    def _company_name(self, t: _Text, c: Concept, i: int) -> str:
        """A country's name right after a capitalised name, a space between them and no preposition (Crédit
        Agricole Égypte, Orange Égypte): the name of a company's branch in that country, not the country. French
        only: Russian and Arabic say it with a genitive or an idafa, as they say «of the country»."""
        if self.lang != "fr" or not _is_name(c) or i == 0 or t.glue[i] or t.lead[i] or not t.words[i][:1].isupper():
            return ""
        before = t.words[i - 1]
        if not before[:1].isupper() or before.casefold().rstrip("'’") in _FR_FUNCTION_WORDS:
            return ""
        if self._candidates(t, i - 1):
            return ""   # le forum Russie Égypte, Partenariat Égypte: a term of the termbase, not a company
        first = i - 1
        while first > 0 and i - first < 4 and not t.glue[first] and t.words[first - 1][:1].isupper() \
                and t.words[first - 1].casefold().rstrip("'’") not in _FR_FUNCTION_WORDS:
            first -= 1   # the whole name: Crédit Agricole Égypte
        if first == i - 1 and (first == 0 or t.glue[first]):
            return ""   # Coopération Égypte : …: one capital starting a sentence or a heading is no name
        name = t.text[t.spans[first][0]:t.spans[i - 1][1]]
        if _territory_ending(t.text[:t.spans[i - 1][1]], self.lang):
            return ""   # le sommet Afrique Russie, Afrique du Sud Égypte: places, not a company
        return f"{name} {t.words[i]}"

    def _other_name(self, t: _Text, c: Concept, i: int, n: int) -> str:
        """The name holding words i..i+n-1 that means something else than c (Russie blanche), or ""."""
        for name, p in self._other_names.get(c.id, ()):
            m = len(p.words)
            for j in range(i + n - m, i + 1):   # empty where the name is shorter than the match
                if t.at(p, j):   # on the name's written words (name keys): no clitic is cut to make the country
                    return name
        return ""

    def _place_name(self, t: _Text, i: int, n: int) -> str:
        """The place whose name words i..i+n-1 are part of: right after an address word (rue de l'Université,
        улица Университетская is an adjective, not this; شارع الجامعة), written with a capital where the
        language has them. Returns the name as written, or ""."""
        j = i - 1
        while j >= 0 and self.lang == "fr" and t.words[j].casefold().rstrip("'’") in _FR_LINKS and i - j <= 2:
            j -= 1
        if j < 0 or not (t.keys[j] & self._address) or (self.lang != "ar" and not t.words[i][:1].isupper()):
            return ""
        if any(t.glue[x] not in ("", "'") for x in range(j + 1, i + 1)):
            return ""   # à la gare. Russie et …; في الشارع، الجامعة …: a stop or a comma ends the name
        return t.text[t.spans[j][0]:t.spans[i + n - 1][1]]

    def _longer_inside(self, t: _Text, i: int, n: int, include_reference: bool) -> bool:
        """Whether a concept longer than n words starts at one of words i+1..i+n-1 and ends past i+n."""
        for j in range(i + 1, i + n):
            for c, k, m in self._candidates(t, j):
                if m > n and j + m > i + n and self._applies(c, k, m, t, j, include_reference):
                    return True
        return False

    def _ambiguity(self, c: Concept, k: int) -> str:
        """How the variant k of c is ambiguous: an acronym (of other bodies too), a term with other senses
        (``senses`` for an ICT concept, ``general`` for one of diplomacy or training), or not ("")."""
        if (c.id, k) in self._acronyms:
            return "acronym"
        variants = c.terms.get(self.lang, ())
        if k in self._coded.get(c.id, ()) or not (k < len(variants) and c.ambiguous(variants[k])):
            return ""   # 5G, IMT-2020, QoS: a code has one sense; a variant the senses cell leaves out neither
        return "senses" if c.domain in ICT_DOMAINS else "general"

    def _evidence(self, text: str, passage: str | None) -> _Evidence:
        """The passage's words of each field and its unambiguous ICT concepts, with their positions (in the
        text's coordinates: a sentence is located in its passage)."""
        offset = 0
        if passage and passage != text:
            found = passage.find(text)
            if found >= 0:
                offset, text = found, passage
        t = _Text(text, self.lang)
        hits: list[tuple[int, int, str]] = []
        for i in range(len(t)):
            for key in t.first[i]:
                for name, item, p in self._field_first.get(key, ()):
                    if t.at(p, i, check_glue=False) or (name == ICT and _ict_part(t.words[i], p, self.lang)):
                        hits.append((t.spans[i][0] - offset, t.spans[i + len(p.words) - 1][1] - offset,
                                     f"{name}: {item}"))
        terms: list[tuple[int, int, str]] = []
        inside: list[tuple[int, int]] = []   # every concept's words
        across: list[tuple[int, int, str]] = []   # one-sense ICT concepts, which may share another's words
        i = 0
        while i < len(t):   # concepts of the ICT domains, as find would report them
            found_here = [(c, k, n) for c, k, n in self._candidates(t, i) if self._applies(c, k, n, t, i, False)]
            if not found_here:
                i += 1
                continue
            c, k, n = found_here[0]
            span = (t.spans[i][0] - offset, t.spans[i + n - 1][1] - offset)
            if self._name_around(t, c, i, n):
                inside.append(span)   # « Russie blanche », rue de l'Université: part of another name, evidence of
                i += n                # nothing, nor are the concepts that share its words
                continue
            if c.domain in ICT_DOMAINS:   # ambiguous ones too: two ICT terms rarely both mean something else
                terms.append((*span, f"concept: {c.id}"))
                if not self._ambiguity(c, k):
                    across.append((*span, f"concept: {c.id}"))
            elif c.domain in DIPLOMACY_DOMAINS and not c.reference:
                terms.append((*span, f"{DIPLOMACY}: {c.id}"))
            elif c.domain in self._fields:   # kept to tell a sense apart (interconnexion électrique): its field's
                terms.append((*span, f"{c.domain}: {c.id}"))
            inside.append(span)
            # a one-sense ICT concept that starts inside this one and runs past it (the صناعة الإلكترونيات of توطين
            # صناعة الإلكترونيات) is said by words outside this one: it speaks for this one's ICT reading, as this
            # one, if it has one sense, speaks for a concept that starts inside it (see _Evidence.around)
            for j, running in self._running_on(t, i, n):
                for o, kk, nn in running:
                    if (o.id != c.id and o.domain in ICT_DOMAINS and not self._ambiguity(o, kk)
                            and self._applies(o, kk, nn, t, j, False) and not self._name_around(t, o, j, nn)):
                        across.append((t.spans[j][0] - offset, t.spans[j + nn - 1][1] - offset, f"concept: {o.id}"))
                        break
            i += n
        # a field's word inside a term of the termbase is part of that term (the mur of pare-feu, the pousses of
        # jeunes pousses), not a word of the field; a field's phrase and a word inside it (administration
        # fiscale, fiscale) are one piece of evidence, and a word inside a longer phrase of another field, the ICT
        # lexicon's included, is that phrase (the почта of электронная почта, the إطلاق النار of وقف إطلاق النار)
        starts = [s for s, _ in inside]   # the concepts' spans, left to right and disjoint
        words = [h for h in hits if h[2].startswith(f"{ICT}: ") or not _within(h, inside, starts)]
        return _Evidence(_outermost(words) + terms, across)

    def present(self, text: str, *, scoped: bool = False) -> set[str]:
        """Ids of every concept rendered anywhere in the text, nested and overlapping ones included: what
        checks a translation against the concepts its source requires (QA, term accuracy, the glossary
        wrapper). The source has already fixed the sense, so scope does not apply unless ``scoped``, and
        the words are recognised loosely (``morph.loose_keys``, ``_Text.at_loosely``)."""
        t = _Text(text, self.lang, loose=True)
        found: set[str] = set()
        for i in range(len(t)):
            for c, k, n in self._candidates(t, i, loose=True):
                if c.id not in found and (not scoped or self._applies(c, k, n, t, i, False)):
                    found.add(c.id)
        for m in self.find(text, sense=False):
            found.add(m.concept.id)   # what find adds: elided concepts, the parts of a word coined on an acronym
            if not m.elided and any(w.casefold() in _AND.get(self.lang, ()) or _and_prefixed(w)
                                    for w in m.text.split()[1:]):
                # a coordinated term holds the concepts it coordinates: проектирование и производство электронной
                # продукции is the design and the manufacturing of electronics, each
                found |= {x.concept.id for x in self.find(m.text, sense=False, without=frozenset({m.concept.id}))}
        return found

    def renders(self, text: str, m: Match, partner: Concept | None = None, present: set[str] | None = None) -> bool:
        """Whether a translation (``text``, in this index's language) says what the source's match ``m`` found:
        the concept is ``present``, or, for a concept sharing the words of ``partner`` (the term before it,
        ``partner_of``), the words of one of its terms stand in order, at most one word apart, in or beside the
        partner's rendering, as a translation merges the two («специализированных программ подготовки»:
        specialised training within training programmes; not «программы подготовки в специализированных
        центрах»). QA and the record's usage view both ask this."""
        if m.concept.id in (self.present(text) if present is None else present):
            return True
        return m.shared and partner is not None and self._merged(text, m.concept, partner)

    def _merged(self, text: str, c: Concept, partner: Concept) -> bool:
        """Whether one of c's terms is said in order, with at most one other word between two of its words,
        touching a rendering of ``partner``."""
        t = _Text(text, self.lang, loose=True)
        spans = [(i, i + n) for i in range(len(t)) for o, _, n in self._candidates(t, i, loose=True)
                 if o.id == partner.id]
        for p in (_pattern(v, self.lang) for v in c.terms.get(self.lang, ())):
            for first in range(len(t)):
                run = _run(t, p, first)
                if run and any(run[0] <= e and s <= run[1] for s, e in spans):
                    return True
        return False


class _Evidence:
    """The passage's hits (start, end, "field: word"), indexed so that asking about one occurrence costs the
    hits near it, not the whole passage (a long segment has many ambiguous terms)."""

    def __init__(self, hits: list[tuple[int, int, str]], across: Iterable[tuple[int, int, str]] = ()) -> None:
        self.hits = sorted(hits)
        self.across = list(across)   # one-sense ICT concepts: evidence for a term they share words with (around)
        self._starts = [h[0] for h in self.hits]
        self._longest = max((h[1] - h[0] for h in self.hits), default=0)
        self._count = Counter(h[2] for h in self.hits)
        self._labels = list(dict.fromkeys(h[2] for h in self.hits))   # in the order they occur

    def _overlapping(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The hits that share characters with start..end (a hit starts at most _longest before it)."""
        lo = bisect_right(self._starts, start - self._longest - 1)
        hi = bisect_right(self._starts, end - 1)
        return [h for h in self.hits[lo:hi] if h[1] > start and h[0] < end]

    def holding(self, start: int, end: int, ignore: frozenset[str] = frozenset()) -> list[str]:
        """Phrases of a field other than ICT that share words with an occurrence at start..end and run past it:
        the occurrence's words are that phrase's (the réseaux of sécurité des réseaux de gaz)."""
        return list(dict.fromkeys(h[2] for h in self._overlapping(start, end)
                                  if (h[0] < start or h[1] > end) and _other_field(h[2], ignore)))

    def around(self, start: int, end: int, diplomacy: bool = False, ignore: frozenset[str] = frozenset(),
               concept: str = "") -> tuple[list[str], list[str]]:
        """For and against an occurrence at start..end of ``concept``: every hit outside it, each word counted
        once. Another term of diplomacy nearby (a cooperation agreement, a ministerial meeting) supports a term of
        diplomacy; it says nothing of an ICT term's sense."""
        inside = Counter(h[2] for h in self._overlapping(start, end))
        # the same term said again is no second opinion on what it means
        own = {f"concept: {concept}", f"{DIPLOMACY}: {concept}"}
        outside = [label for label in self._labels if self._count[label] > inside[label] and label not in own]
        support = [x for x in outside if x.startswith((f"{ICT}: ", "concept: "))
                   or (diplomacy and x.startswith(f"{DIPLOMACY}: "))]
        # another one-sense ICT concept crossing the occurrence, sharing some of its words and saying more of
        # the field's outside it (fuite de données d'entraînement: a data leak, so training data); not one that
        # holds it whole, which the search would have preferred
        crossing = [h[2] for h in self.across if h[2] not in own
                    and (h[0] < start < h[1] <= end or start < h[0] < end < h[1])]
        support = list(dict.fromkeys(support + crossing))
        return support, [x for x in outside if _other_field(x, ignore)]


_AR_DEFINITE = re.compile(r"^(?:[وفبكل]?ال|[وف]?لل)")
_AR_NISBA = ("ي", "ية", "يا", "يين", "يون", "يات", "يتين", "يتان", "يان")
_AR_AGREEING = ("ين", "ان", "ون", "ة", "ات", "ا")
_AR_CLITIC_ARTICLE = re.compile(r"^(?:[وف]?[بكل]ال|[وف]ال|[وف]?لل)")   # a word that opens a complement or a clause
_AR_RELATIVES = frozenset({"التي", "الذي", "اللذان", "اللتان", "الذين", "اللاتي", "اللواتي"})
_AR_FUNCTION_WORDS = _AR_RELATIVES | PREPOSITIONS | {
    "هذا", "هذه", "ذلك", "تلك", "هذين", "هاتين", "كل", "بعض", "غير", "أي", "قد", "لقد", "كان", "كانت", "يكون", "تكون",
    "ليس", "ليست", "أن", "إن", "أو", "ثم", "لا", "لم", "لن", "ما", "أيضا", "فقط", "لها", "لهم", "له", "فيه", "فيها",
    "منه", "منها", "عليه", "عليها", "عنه", "عنها", "بها", "به", "جدا", "حاليا"}


def _arabic_adjective(t: _Text, i: int) -> str:
    """A one-word term of the participle pattern فاعلة (الجامعة, الحاضنة) qualifying the definite feminine word
    before it (الرؤية الجامعة, the unifying vision; الرسالة الجامعة للأديان): an idafa's first word never takes
    ال, so the pair is never "the X of the university". A verb's subject and object look the same (زارت الوزيرة
    الجامعة), so the adjective is read only where what follows says so: a relative pronoun or a complement with
    لـ (الكلمة الجامعة التي, الرسالة الجامعة للأديان); anywhere else the term is enforced as before. Returns the
    pair, or ""."""
    word, before = t.words[i], t.words[i - 1] if i else ""
    stem = word[2:] if word.startswith("ال") else ""
    if len(stem) != 5 or stem[1] != "ا" or not stem.endswith("ة") or t.glue[i]:
        return ""
    if not _AR_DEFINITE.match(before) or not before.endswith("ة"):
        return ""
    after = t.words[i + 1] if i + 1 < len(t) and not t.glue[i + 1] else ""
    if not (after in _AR_RELATIVES or after.startswith(("ل", "لل"))):
        return ""   # زارت الوزيرة الجامعة, افتتحت الوزارة الجامعة في عام 2020: a verb's object, the university
    return f"{before} {word}"


def _other_field(label: str, ignore: frozenset[str]) -> bool:
    """Whether an evidence label ("energy: gaz") is a word of a field other than ICT and diplomacy, not ignored."""
    return not label.startswith((f"{ICT}: ", "concept: ", f"{DIPLOMACY}: ")) and label.split(":", 1)[0] not in ignore


def _ict_part(word: str, p: _Pattern, lang: str) -> bool:
    """A one-word ICT lexicon item as a part of a hyphenated word coined on it (интернет-трафика, веб-портал,
    cyber-résilience): the compound is the field's word too."""
    if "-" not in word or len(p.words) != 1 or p.words[0] is None:
        return False
    return any(part and p.words[0].fits(part, keys(part, lang)) for part in word.split("-"))


def _within(hit: tuple[int, int, str], spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether the hit lies inside one of the disjoint, ordered spans."""
    at = bisect_right(starts, hit[0]) - 1
    return at >= 0 and hit[1] <= spans[at][1]


class _Lazy:
    """The passage's evidence, read the first time an ambiguous term asks for it."""

    def __init__(self, make: Callable[[], _Evidence]) -> None:
        self._make, self._value = make, None

    def get(self) -> _Evidence:
        if self._value is None:
            self._value = self._make()
        return self._value


def _agrees(term_keys: frozenset[str], word_keys: frozenset[str]) -> bool:
    """An Arabic term's adjective read without its feminine ending: it agrees with its noun, and a non-human
    plural takes it feminine (المعالج الدقيق → معالجات دقيقة)."""
    def base(keys_: frozenset[str]) -> set[str]:
        return {k[:-1] if k.endswith("ه") and len(k) > 3 else k for k in keys_}
    return bool(base(term_keys) & base(word_keys))


@lru_cache(maxsize=8)
def _field_index(folder: str, lang: str) -> dict[str, list[tuple[str, str, _Pattern]]]:
    """The field lexicons' phrases by the keys of their first word, built once per folder and language (every
    index of the language shares them: some 7 000 phrases, each word lemmatised)."""
    out: dict[str, list[tuple[str, str, _Pattern]]] = {}
    for name, phrases in load_fields(lang, folder).items():
        for item in phrases:
            p = _phrase(item, lang, strict=True)
            if p.words and p.words[0] is not None:
                first = p.words[0]
                for key in ({first.exact.casefold()} if first.exact else first.keys):
                    out.setdefault(key, []).append((name, item, p))
    return out


def _outermost(hits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Field hits without those inside a longer hit of any field (the words of «administration fiscale» are
    not also «fiscale»; those of «وقف إطلاق النار», a ceasefire, are not also a shooting), and one per span and
    field (serveur and serveurs, two spellings a lexicon lists, read on one word are one word); two fields'
    words on the same span both stay."""
    def field(h: tuple[int, int, str]) -> str:
        return h[2].split(":", 1)[0]
    # by start and the longest first: a hit ending no later than the furthest one before it is inside it
    # (or the same span); of a span's hits in one field the longest label is kept, so the evidence reads the
    # same on every run
    keep: list[tuple[int, int, str]] = []
    outer: tuple[int, int] | None = None   # positions before the sentence are negative
    for h in sorted(hits, key=lambda h: (h[0], h[0] - h[1], field(h), -len(h[2]), h[2])):
        if outer is not None and h[1] <= outer[1] and (h[0], h[1]) != outer:
            continue
        if keep and keep[-1][:2] == h[:2] and field(keep[-1]) == field(h):
            continue
        keep.append(h)
        if outer is None or h[1] > outer[1]:
            outer = (h[0], h[1])
    return sorted(keep)


_FR_LINKS = frozenset({"de", "du", "des", "d", "l", "la"})   # rue de l'Université, place du Marché
# words that start a French sentence with a capital before a country's name (En Égypte, La Russie, Selon le Japon)
_FR_FUNCTION_WORDS = frozenset({"le", "la", "les", "l", "en", "au", "aux", "du", "de", "des", "d", "et", "ou", "à",
                                "pour", "avec", "selon", "entre", "par", "sur", "dans", "vers", "chez", "contre",
                                "sans", "sous", "depuis", "pendant", "après", "avant", "outre", "quant", "comme",
                                "si", "mais", "donc", "car", "ni", "cette", "ce", "cet", "ces", "notre", "nos",
                                "votre", "leur", "leurs", "toute", "tout", "tous", "toutes", "un", "une"})
# coordination: what joins two conjuncts that share a term's words (Arabic joins with a و prefix)
_AND = {"fr": frozenset({"et", "ou"}), "ru": frozenset({"и", "или"})}
_POSSESSIVES = {"fr": frozenset({"leur", "leurs", "son", "sa", "ses"}), "ru": frozenset({"их", "его", "ее", "её"})}
_ARTICLES = {"fr": frozenset({"le", "la", "les", "l", "du", "des", "de", "d", "à", "au", "aux"})}


@lru_cache(maxsize=8)
def _territories(lang: str) -> tuple[str, ...]:
    """CLDR's names of countries and regions in the language (Afrique, Afrique du Sud), casefolded."""
    # the annex already reads country names from CLDR (terms/score.py); Babel loads its data on first use
    from babel import Locale

    return tuple(sorted({n.casefold() for n in Locale.parse(lang).territories.values()}, key=len, reverse=True))


def _territory_ending(text: str, lang: str) -> bool:
    """Whether the text ends with the name of a country or region, as a whole word."""
    tail = text.casefold()
    return any(tail.endswith(n) and (len(tail) == len(n) or not tail[-len(n) - 1].isalnum())
               for n in _territories(lang))


def _overlaps_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether start..end overlaps one of the sorted, disjoint spans."""
    k = bisect_right(spans, (start, float("inf")))
    return (k > 0 and spans[k - 1][1] > start) or (k < len(spans) and spans[k][0] < end)


def _and_prefixed(word: str) -> str | None:
    """An Arabic word with the conjunction و, without it (وتسريب -> تسريب), or None."""
    return word[1:] if word.startswith("و") and len(word) > 3 else None


def _parts_at(word: str, start: int) -> list[tuple[int, str]]:
    """The hyphen-separated parts of a word that starts at ``start``, with where each starts."""
    out, pos = [], start
    for part in word.split("-"):
        out.append((pos, part))
        pos += len(part) + 1
    return out


def as_shown(m: Match, lang: str) -> str:
    """The source words a translator is shown for a match: an elided concept by its term, since its own words
    (profond) say it only with the coordinated term's (apprentissage automatique et profond); a shared one
    with the term it overlaps."""
    if m.shared:   # said with the term before it: a translation may merge the two
        return f"{m.text} (overlaps «{m.partner}»; not enforced; may be merged with it)"
    if not m.elided:
        return m.text
    return f"{matched_term(m, lang)} (coordinated: «{m.text}»)"


def _run(t: _Text, p: _Pattern, first: int) -> tuple[int, int] | None:
    """(first, last) words of the pattern's words found in order from word ``first``, each at most two words
    after the one before it, or None."""
    at = first
    for n, w in enumerate(p.words):
        if w is None:
            return None
        options = [at] if n == 0 else [at + 1, at + 2]
        at = next((j for j in options if j < len(t) and w.keys & t.keys[j]), -1)
        if at < 0:
            return None
    return (first, at) if p.words else None


def _pronoun_agrees(lang: str, pronoun: str, noun: str) -> bool:
    """Whether a possessive pronoun can stand for a complement whose last word is ``noun``: a plural for leur,
    их, ـها (a non-human plural, or a feminine singular), a singular for son/sa/ses, его/её, ـه."""
    if lang == "fr":
        plural = noun.casefold().endswith(("s", "x"))
        return plural == (pronoun in ("leur", "leurs"))
    if lang == "ru":
        return ("plur" if pronoun == "их" else "sing") in russian_numbers(noun)
    bare = without_marks(noun)
    if pronoun == "ها":
        return bare.endswith(("ات", "ة"))
    return pronoun == "ه" and not bare.endswith(("ات", "ة", "ون", "ين", "ان"))


def partner_of(m: Match, matches: list[Match]) -> Concept | None:
    """The concept whose term a ``shared`` match shares its first words with, among the matches of one text."""
    return next((o.concept for o in matches if not o.checked_only and o.start < m.end and m.start < o.end), None)


def matched_term(m: Match, lang: str) -> str:
    """The termbase's term for what a match found in ``lang``: the variant it matched, else the preferred term."""
    variants = m.concept.terms.get(lang, ())
    return variants[m.variant] if 0 <= m.variant < len(variants) else variants[0] if variants else m.text


def left_as_written(text: str, m: Match, lang: str) -> bool:
    """Whether no term can be put in place of a match without breaking the text: a concept elided by a
    coordination or sharing words with the term before it (``Match.checked_only``), or part of a hyphenated word
    the termbase does not write (ИИ-стартапов, IA-santé: a word coined on a term). Repair and protection leave
    it as written."""
    if m.checked_only:
        return True
    if (m.start > 0 and text[m.start - 1] == "-") or (m.end < len(text) and text[m.end] == "-"):
        return True
    # a hyphenated word the termbase writes (cyber-sécurité, онлайн-обучение) is repaired as any term
    return "-" in m.text and not any(keys_equal(m.text, w, lang) for w in m.concept.written(lang))


def _coined_compound(text: str, start: int, end: int) -> bool:
    """Whether the words at start:end are hyphenated to a lower-case word (``ИКТ-услуг``, ``anti-DDoS``), not
    to another name in capitals (``IA-DASEN``, an education officer's title)."""
    left = re.search(r"[\w-]*$", text[max(0, start - 64):start])   # a word's own letters, not the whole text
    right = re.match(r"[\w-]*", text[end:end + 64])
    word = (left.group() if left else "") + text[start:end] + (right.group() if right else "")
    parts = [p for p in word.split("-") if p]
    return len(parts) > 1 and any(p[:1].islower() for p in parts)


def _is_acronym_term(variant: str) -> bool:
    """A one-word variant in capitals, without digits (5G, IMT-2020 are not read as other bodies' names)."""
    words = [w for w, _, _ in tokens(variant)]
    return len(words) == 1 and _acronym(words[0]) is not None and not any(ch.isdigit() for ch in variant) \
        and len(words[0]) >= 2


def term_key(term: str, lang: str) -> tuple:
    """What two variants share when the matcher cannot tell them apart: their words' canonical keys and the
    symbols that join them (so that C++ and C#, or R&D and R-D, are different terms)."""
    p = _pattern(term, lang)
    words = tuple(w.exact or min(w.keys) if w else "" for w in p.words)
    return p.lead, words, p.glue, p.trail


def holds(phrase: str, variant: str, lang: str) -> bool:
    """Whether a within phrase contains the variant's words one after the other, in any inflection."""
    p, v = _phrase(phrase, lang), _pattern(variant, lang)
    return any(_holds_at(p, v, i) for i in range(len(p.words) - len(v.words) + 1))


def _holds_at(phrase: _Pattern, variant: _Pattern, offset: int) -> bool:
    return all(w is not None and v is not None and _same_word(w, v)
               for w, v in zip(phrase.words[offset:], variant.words, strict=False))


def index_for(glossary: Glossary, lang: str, avoid: bool = False) -> TermIndex:
    """The index of a glossary's usable (or avoid) terms in one language, built once per glossary state."""
    key = (lang, avoid, len(glossary.layers))
    if key not in glossary.indexes:
        glossary.indexes[key] = TermIndex(glossary.avoided() if avoid else glossary.usable(), lang)
    return glossary.indexes[key]


def carry_case(source_span: str, source_form: str, target: str) -> str:
    """Carry the case pattern of the source occurrence to the target term (Cybersécurité → Кибер…)."""
    if not target or source_span == source_form:
        return target
    if source_span.isupper() and not source_form.isupper() and len(source_span) > 1:
        return target.upper()
    if source_span[:1].isupper() and not source_form[:1].isupper():
        return target[:1].upper() + target[1:]
    return target


def target_term(m: Match, src: str, tgt: str, text: str = "") -> str:
    """The target term for a source occurrence. Variants pair up by position when both languages list as
    many (long name | short name, noun | participle, CERT | CSIRT): the variant matched in the source picks
    the target's variant at the same place; otherwise the target's preferred term. The occurrence's case
    pattern is carried over, but not the capital a sentence gives its first word when ``text`` (the source
    the match is in) shows it there: the term may land mid-sentence in the translation («Cybersécurité : …» →
    «… в области кибербезопасности»), and the place it lands capitalises it if it opens the sentence."""
    sources = m.concept.terms.get(src, ())
    targets = m.concept.terms.get(tgt, ())
    k = m.variant
    if not (0 <= k < len(sources) and written_as(m.text, m.concept, k, src)):
        k = next((i for i, v in enumerate(sources) if keys_equal(m.text, v, src)), 0)
    target = targets[k] if len(sources) == len(targets) and k < len(targets) else targets[0]
    span = m.text
    if text and not span.isupper() and opens_sentence(text, m.start):
        span = span[:1].lower() + span[1:]
    return carry_case(span, sources[k] if k < len(sources) else m.text, target)


def opens_sentence(text: str, start: int) -> bool:
    """Whether nothing but quotes, brackets, a dash or a bullet stands between ``start`` and the beginning of
    the text or the end of the sentence before it (where a term is capitalised, in a source or a translation)."""
    before = text[:start].rstrip(" \t\n\u00a0\u202f«\"“„‹(['—–-•*")
    return not before or before[-1] in ".!?…"


def written_as(text: str, c: Concept, k: int, lang: str) -> bool:
    """Whether text is the variant k of c in lang, or one of its listed forms (a broken plural: خروقات البيانات
    is خرق البيانات)."""
    variants = c.terms.get(lang, ())
    return k < len(variants) and (keys_equal(text, variants[k], lang)
                                  or any(j == k and keys_equal(text, f, lang) for j, f in c.forms.get(lang, ())))


def keys_equal(a: str, b: str, lang: str) -> bool:
    ta, tb = [w for w, _, _ in tokens(a)], [w for w, _, _ in tokens(b)]
    return len(ta) == len(tb) and all(keys(x, lang) & keys(y, lang) for x, y in zip(ta, tb, strict=True))

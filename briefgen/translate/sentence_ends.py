"""Where a sentence ends in French, Russian and Arabic prose: the cut rules and the abbreviation tables.

The algorithm is Moses' split-sentences (the splitter of the MT pipelines OPUS-MT comes from): a candidate cut
after sentence punctuation followed by a space, kept or dropped by what comes next and by the word before it.
No library on PyPI cut tests/data/sentences right (pysbd cuts Arabic at «،», sentencex after «M.» and «د.»,
razdel inside «1) …; 2) …» lists, the Moses port lacks «؟» and «…»; docs/models-research.md §7 has the
figures), so the rules live here, with their data in the tables below. A missing abbreviation cuts a sentence in
two: add it to its table and a line to the set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A candidate cut: sentence punctuation, the quotes and brackets that close with it, then a space and more text.
CANDIDATE = re.compile(r"(?P<mark>[.!?…؟]+)(?P<close>(?:[ \u00a0\u202f]?»|[\"”’)\]])*)(?=\s+(?P<next>\S))")
_OPENERS = "«\"“„(["
_ELISION = re.compile(r"^.*['’]")
_DOTTED = re.compile(r"^\w(?:\.-?\w)+$")      # initials and dotted abbreviations: J.-M, أ.د


def _table(words: str) -> frozenset[str]:
    return frozenset(words.split())


@dataclass(frozen=True)
class Rules:
    """One language's cut rules.

    ``keep``: abbreviations after which a period never ends a sentence (lower case, without the period);
    ``final``: abbreviations that may end one (cut when a new sentence visibly starts);
    ``cased``: the script has capitals, so what follows a mark tells whether a new sentence starts;
    ``quoted_question_continues``: ``?»`` / ``!»`` is followed by its reporting clause, not a new sentence;
    ``ellipsis_continues``: ``…`` never ends a sentence.
    """

    keep: frozenset[str]
    final: tuple[str, ...]
    cased: bool = True
    quoted_question_continues: bool = False
    ellipsis_continues: bool = False


FR = Rules(
    keep=_table("""
        m mm mme mmes mlle mlles dr drs pr prof me mgr st ste s.e se exc
        art al chap p pp vol éd ed env tél tel fax cf ex sq suiv resp réf ref fig ann annexe sect
        janv févr fév avr juil sept oct nov déc hab sq éds coll dir trad
        n no nos c.-à-d ibid id op cit
    """),
    final=("etc",),
)

RU = Rules(
    keep=_table("""
        г гг ст стр п пп ч с т тт им см ср рис табл гл изд ок тыс млрд руб долл коп англ франц араб
        наз н е д проф акад доц канд ул пр пл обл кв км кг тел факс вкл искл прим напр г-н г-жа
        янв февр фев апр авг сент окт нояб дек мес нед ежегодн сов зам нач ген пред
    """),
    final=("и т. д", "и т.д", "и т. п", "и т.п", "и др", "и пр", "мин", "сек"),
)

AR = Rules(
    keep=_table("د أ.د ص ج م هـ ق.م"),
    final=("إلخ", "الخ"),
    cased=False,
    quoted_question_continues=True,
    ellipsis_continues=True,
)

# English: the intermediate language of pivots (fr→en→ar), whose drafts are cut again before the second leg.
EN = Rules(
    keep=_table("""
        mr mrs ms dr prof st messrs hon amb gen art p pp para paras sec ch chap vol ed eds fig no nos ref
        jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e cf approx est dept govt
    """),
    final=("etc",),
)

# Any other language: cut before a capital, keep after single letters (initials); no abbreviation table.
GENERIC = Rules(keep=frozenset(), final=())

RULES = {"fr": FR, "ru": RU, "ar": AR, "en": EN}


def cut_positions(text: str, rules: Rules) -> list[int]:
    """Offsets just after each sentence end in ``text`` (never at its very end)."""
    return [m.end() for m in CANDIDATE.finditer(text) if _ends(text, m, rules)]


def _ends(text: str, m: re.Match[str], rules: Rules) -> bool:
    mark, close, nxt = m.group("mark"), m.group("close"), m.group("next")
    starts = _starts_sentence(nxt, rules)
    if "?" in mark or "!" in mark or "؟" in mark:
        if close and rules.quoted_question_continues:
            return False
        return starts
    if mark != ".":                                       # an ellipsis
        return not rules.ellipsis_continues and starts
    before = text[:m.start()]
    word = _last_word(before)
    low = before.lower()
    if any(low.endswith(f) and _word_start(low, len(low) - len(f)) for f in rules.final):
        return starts
    if close:                                             # "(… annexe)." / «… pays. »
        return starts
    bare = _ELISION.sub("", word).lower()
    if bare in rules.keep or (len(bare) == 1 and bare.isalpha()) or _DOTTED.match(bare):
        return False
    return starts


def _starts_sentence(ch: str, rules: Rules) -> bool:
    """Does a new sentence visibly start with this character? Without letter case, any letter or digit does."""
    if ch in _OPENERS:
        return True
    if not rules.cased:
        return ch.isalnum()
    return ch.isupper() or ch.isdigit()


def _last_word(before: str) -> str:
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    return word.lstrip("«\"“„([")


def _word_start(text: str, i: int) -> bool:
    return i == 0 or not text[i - 1].isalnum()

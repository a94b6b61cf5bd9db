"""The protection strategies, fallbacks of the glossary's repair (docs/terminology.md): protect terms before
the model sees them (``inline``: the target term written into the source; ``placeholder``: ``<t1>`` tokens),
restore the preferred target term afterwards, and remove what a model left of a mangled placeholder.

transformers 5 has no constrained beam search and CTranslate2 only prefix constraints, so the guarantee is
built outside the decoder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .forms import case_from_context, inflect_ru, put_term, sentence_before
from .glossary import Concept
from .match import Match, TermIndex, keys_equal, left_as_written, opens_sentence, target_term
from .morph import tokens

STRATEGIES = ("inline", "placeholder")
# The placeholder forms a model may be given (translate/vocab.py chooses one per model from its vocabulary):
# "<t{n}>" where the model reads "<", "[t{n}]" on the tc-big models, which have no "<".
FORMS = ("<t{n}>", "[t{n}]")
DEFAULT_FORM = FORMS[0]


def pattern(form: str) -> re.Pattern[str]:
    """A placeholder of this form as a model gives it back: spaced or re-cased, its number in group 1."""
    opening, closing = (re.escape(part) for part in form.split("t{n}"))
    return re.compile(rf"{opening}\s*[tT]\s*(\d+)\s*{closing}")


PLACEHOLDER = pattern(DEFAULT_FORM)
# what a model leaves of a placeholder it cut: "<t1", "t1>", "< t", "[t1", "t1]"
_REMNANT = re.compile(r"<\s*[tT]\s*\d*\s*>?|(?<![\w<])[tT]\d+\s*>|\[\s*[tT]\s*\d+\s*\]?|(?<![\w\[])[tT]\d+\s*\]")


@dataclass
class Slot:
    n: int
    concept: Concept
    source_text: str
    target: str            # preferred target term, case pattern carried


@dataclass
class Protected:
    source: str
    masked: str
    strategy: str
    slots: list[Slot] = field(default_factory=list)
    form: str = DEFAULT_FORM


def protect(text: str, matches: Sequence[Match], src: str, tgt: str, strategy: str, first: int = 1,
            form: str = DEFAULT_FORM) -> Protected:
    """``first``: the number of the first placeholder (a second try numbers them differently, so that the
    model sees another input); ``form``: the placeholder form the model reads and writes whole."""
    if strategy == "placeholder" and pattern(form).search(text):
        strategy = "inline"   # the text already contains something shaped like our placeholders
    out, pos, slots = [], 0, []
    # a term in a word coined on it (ИИ-стартапы) is not cut out of its word: the model translates the word whole
    for n, m in enumerate((m for m in matches if m.concept.terms.get(tgt) and not left_as_written(text, m, src)),
                          start=first):
        # inline, the term stands where the source has it, sentence capital and all; a placeholder's term goes
        # where the model puts it, and restore() capitalises it there if it opens the sentence
        target = target_term(m, src, tgt, text if strategy == "placeholder" else "")
        slots.append(Slot(n, m.concept, m.text, target))
        out.append(text[pos:m.start])
        out.append(form.format(n=n) if strategy == "placeholder" else target)
        pos = m.end
    out.append(text[pos:])
    return Protected(text, "".join(out), strategy, slots, form)


def restore(output: str, prot: Protected, tgt: str, target_index: TermIndex) -> str:
    if prot.strategy == "placeholder":
        by_n = {s.n: s for s in prot.slots}
        used: set[int] = set()

        def put(m: re.Match[str]) -> str:
            slot = by_n.get(int(m.group(1)))
            if slot is None or slot.n in used:     # a placeholder the model duplicated: the term once
                return ""
            used.add(slot.n)
            term = slot.target
            if tgt == "ru":
                term = inflect_ru(term, case_from_context(sentence_before(output, m.start())),
                                  _number(slot.source_text))
            if opens_sentence(output, m.start()):
                term = term[:1].upper() + term[1:]
            return term

        output = clean_remnants(pattern(prot.form).sub(put, output))
    return _prefer(output, prot, tgt, target_index)


def clean_remnants(text: str, source: str = "") -> str:
    """Remove what is left of placeholders a model cut or mangled; the term they stood for is then missing
    (and reported), but no ``<t1`` reaches a PDF. A sentence whose source itself has such a sequence ("T1 >
    T2", a comparison) keeps it: it is text, not a remnant."""
    if not _REMNANT.search(text) or _REMNANT.search(source):
        return text
    text = _REMNANT.sub(" ", text)
    return re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()


def _prefer(output: str, prot: Protected, tgt: str, target_index: TermIndex) -> str:
    """Where the model wrote another variant than the protected one, put the protected term back, in the
    form (case, number) the model used."""
    wanted = {s.concept.id: s for s in prot.slots}
    for m in reversed(target_index.find(output, sense=False)):
        slot = wanted.get(m.concept.id)
        if slot is None or keys_equal(m.text, slot.target, tgt) or left_as_written(output, m, tgt):
            continue
        found = next((v for v in m.concept.terms.get(tgt, ()) if keys_equal(m.text, v, tgt)), None)
        output = put_term(output, m.start, m.end, slot.target, tgt, found)
    return output


def _number(source_text: str) -> str | None:
    """Plural when the source occurrence's first word is a plural the glossary form is not (fr -s/-x)."""
    words = [w for w, _, _ in tokens(source_text)]
    return "plur" if words and len(words[0]) > 3 and words[0][-1] in "sx" else None

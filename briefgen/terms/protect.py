"""Glossary enforcement through translation: protect terms before the model sees them, restore the preferred
target term afterwards, and tell which protected terms did not come through.

transformers 5 has no constrained beam search and CTranslate2 only prefix constraints, so the guarantee is
built here: protect → translate → restore → verify, with a retry in the other strategy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .glossary import Concept
from .match import Match, TermIndex, carry_case, keys_equal, target_term
from .morph import case_from_context, case_of, inflect_ru, tokens

STRATEGIES = ("inline", "placeholder")
PLACEHOLDER = re.compile(r"<\s*[tT]\s*(\d+)\s*>")


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


def protect(text: str, matches: Sequence[Match], src: str, tgt: str, strategy: str) -> Protected:
    if strategy == "placeholder" and PLACEHOLDER.search(text):
        strategy = "inline"   # the text already contains something shaped like our placeholders
    out, pos, slots = [], 0, []
    for n, m in enumerate((m for m in matches if m.concept.terms.get(tgt)), start=1):
        target = target_term(m, src, tgt)
        slots.append(Slot(n, m.concept, m.text, target))
        out.append(text[pos:m.start])
        out.append(f"<t{n}>" if strategy == "placeholder" else target)
        pos = m.end
    out.append(text[pos:])
    return Protected(text, "".join(out), strategy, slots)


def restore(output: str, prot: Protected, tgt: str, target_index: TermIndex) -> str:
    if prot.strategy == "placeholder":
        by_n = {s.n: s for s in prot.slots}

        def put(m: re.Match[str]) -> str:
            slot = by_n.get(int(m.group(1)))
            if slot is None:
                return ""
            term = slot.target
            if tgt == "ru":
                term = inflect_ru(term, case_from_context(_sentence_before(output, m.start())),
                                  _number(slot.source_text))
            if _sentence_start(output, m.start()):
                term = term[:1].upper() + term[1:]
            return term

        output = PLACEHOLDER.sub(put, output)
    return _prefer(output, prot, tgt, target_index)


def _prefer(output: str, prot: Protected, tgt: str, target_index: TermIndex) -> str:
    """Where the model wrote another variant than the protected one, put the protected term back, in the
    form (case, number) the model used."""
    wanted = {s.concept.id: s for s in prot.slots}
    for m in reversed(target_index.find(output)):
        slot = wanted.get(m.concept.id)
        if slot is None or keys_equal(m.text, slot.target, tgt):
            continue
        preferred = slot.target
        term = preferred
        if tgt == "ru":
            found = case_of(m.text)
            term = inflect_ru(preferred, *found) if found else preferred
        output = output[:m.start] + carry_case(m.text, preferred, term) + output[m.end:]
    return output


def missing_terms(output: str, prot: Protected, target_index: TermIndex) -> list[Slot]:
    """Slots whose concept does not occur in the output (a placeholder left over counts as missing)."""
    if PLACEHOLDER.search(output) and prot.strategy == "placeholder":
        return list(prot.slots)
    found = target_index.present(output)
    return [s for s in prot.slots if s.concept.id not in found]


def _sentence_before(text: str, pos: int) -> str:
    start = max(text.rfind(p, 0, pos) for p in ".!?;:")
    return text[start + 1: pos]


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?"


def _number(source_text: str) -> str | None:
    """Plural when the source occurrence's first word is a plural the glossary form is not (fr -s/-x)."""
    words = [w for w, _, _ in tokens(source_text)]
    return "plur" if words and len(words[0]) > 3 and words[0][-1] in "sx" else None

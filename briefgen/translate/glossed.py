"""A translator wrapper that makes any backend obey the glossary, without needing the model's cooperation
(design and evidence: docs/terminology.md).

Per model leg (a pivot fr→en→ar is two legs, each enforced with its own termbase columns, so Arabic is never
written into French), sentence by sentence:

1. **repair**: translate unprotected; a concept the output carries in a non-preferred variant gets the
   preferred term; a concept missing is looked for as the model's own rendering (an avoid form, or what the
   same model makes of the source term alone: one batch per leg, cached, and kept in the translation memory
   when the build gives one, so that a rebuild asks the model only about terms it has not seen) and replaced
   by the preferred term in the form the sentence needs (``terms.forms``);
2. fallbacks, for the sentences and concepts still missing only: ``inline`` where the leg's source model
   reads the target script, then ``placeholder``, and once more with other numbers where the model gave
   back a placeholder, whole or cut (it copies such tokens; one that drops them all is not asked again);
3. what still fails is kept in ``failures`` and logged. ``outcomes`` counts per direction and leg how each
   term came through; ``work`` counts the decoding the glossary added (sentences, texts, seconds).

An ICT term with other senses that the passage's evidence supports (``TermIndex.read``: its decision) gets
the model's reading as a second opinion: where the unprotected draft carries no rendering the termbase knows
for it, the model read the word in another sense as likely as it lost it, so it is **declined** — neither
repaired nor protected — and QA says so (issue 23; a miss a translator sees is cheap, a wrong term a minister
reads is not). An unambiguous term is enforced as before, and so is a term of diplomacy or training, whose
termbase reading is the ordinary one in a brief: a draft without it lost it.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from ..terms.forms import put_term
from ..terms.glossary import Glossary
from ..terms.match import Match, index_for, keys_equal, left_as_written, second_opinion, target_term, written_as
from ..terms.protect import clean_remnants, protect, restore
from ..terms.repair import avoided_forms, replace_rendering
from .base import Translator, WrappingTranslator
from .sentences import split_texts
from .typography import tidy

log = logging.getLogger(__name__)

STRATEGIES = ("auto", "repair", "inline", "placeholder")
OUTCOMES = ("as_is", "repaired", "inline", "placeholder", "failed", "declined")
LIST_SIZE = 8            # source terms translated alone per decoded line ("a ; b ; c")
ALONE = "alone=1"        # how renderings of terms alone are made (LIST_SIZE, " ; ", _bare): bump on a change
_PARTIAL = re.compile(r"<\s*[tT]\s*\d|[tT]\d+\s*>|\[\s*[tT]\s*\d|[tT]\d+\s*\]")   # a placeholder, whole or cut
_ARTICLE = re.compile(r"^(?:l['’]|d['’]|(?:le|la|les|un|une|des|du|de la)\s+)", re.IGNORECASE)


class RenderingStore(Protocol):
    """Where renderings of terms translated alone outlive the translator (the memory, memory/store.py)."""

    def renderings(self, engine: str, src_lang: str, tgt_lang: str, terms: list[str]) -> dict[str, str]: ...

    def keep_renderings(self, engine: str, src_lang: str, tgt_lang: str, renderings: dict[str, str]) -> None: ...


@dataclass(frozen=True)
class TermFailure:
    source: str
    src: str
    tgt: str
    concepts: tuple[str, ...]
    tried: tuple[str, ...] = ()


@dataclass
class Work:
    """Decoding asked of the inner translator for one purpose: the record's own sentences, source terms
    translated alone, or retries with a protection strategy."""

    calls: int = 0
    sentences: int = 0
    seconds: float = 0.0
    texts: list[tuple[str, str, str, str]] = field(default_factory=list)   # (src, tgt, input, output)


class GlossaryTranslator(WrappingTranslator):
    name = "glossary"

    def __init__(self, inner: Translator, glossary: Glossary, strategy: str = "auto") -> None:
        super().__init__(inner)
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown term strategy {strategy!r}")
        self.glossary = glossary
        self.strategy = strategy
        self.failures: list[TermFailure] = []
        self.outcomes: dict[tuple[str, str], dict[str, Counter]] = {}   # direction -> leg "fr-en" -> counts
        self.work: dict[str, Work] = {k: Work() for k in ("own", "terms", "retry")}
        self._alone: dict[tuple[str, str, str, str], str] = {}            # (engine, src, tgt, term) -> rendering
        self.store: RenderingStore | None = None

    def remember_in(self, store: RenderingStore | None) -> None:
        """Read and keep renderings of terms alone in ``store`` (None: in this translator only)."""
        self.store = store

    def order(self, src: str, tgt: str) -> list[str]:
        """The strategies of one leg, first choice first: repair, then the protections that can work there."""
        possible = ["repair", *(["inline"] if self.inner.reads_inline(src, tgt) else []),
                    *(["placeholder"] if self.inner.placeholder_form(src, tgt) else [])]
        if self.strategy in ("auto", "repair"):
            return possible
        if self.strategy not in possible:
            log.info("%s→%s: %s cannot work with this model's vocabulary (models check says why); using %s",
                     src, tgt, self.strategy, ", ".join(possible))
            return possible
        return [self.strategy, *(s for s in possible if s != self.strategy)]

    def signature(self, src: str, tgt: str) -> str:
        return f"{self.inner.signature(src, tgt)}+glossary:{self.glossary.sha256()[:12]}:{self.strategy}"

    # --- one direction --------------------------------------------------------------------------------

    def _translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        via = self.inner.pivot(src, tgt)
        legs = [(src, via), (via, tgt)] if via else [(src, tgt)]
        split = split_texts(texts, src)
        owner = [i for i, (_, _, lines) in enumerate(split.layout) for n in lines for _ in range(n)]
        src_index = index_for(self.glossary, src)
        # the sense of an ambiguous term is decided on the whole segment the sentence belongs to, as QA decides it
        readings = [src_index.read(s, passage=texts[owner[i]]) for i, s in enumerate(split.sentences)]
        # a concept elided by a coordination or sharing a term's words is checked (QA) but not enforced: no term can
        # take its shared words' place
        need = [Counter(m.concept.id for m in r.matches
                        if not m.checked_only and all(m.concept.terms.get(lang) for _, lang in legs)) for r in readings]
        ambiguous = [second_opinion(r) for r in readings]
        current = list(split.sentences)
        states: list[dict[str, str]] = [{} for _ in current]
        tried: list[str] = []
        for a, b in legs:
            current, states = self._leg(current, need, a, b, ambiguous)
            tried += [s for s in self.order(a, b) if s not in tried]
            counts = self.outcomes.setdefault((src, tgt), {}).setdefault(f"{a}-{b}", Counter())
            for st in states:
                counts.update(st.values())
        missing: dict[int, list[str]] = {}
        for i, st in enumerate(states):
            for cid, state in st.items():
                if state == "failed":
                    missing.setdefault(owner[i], []).append(cid)
        for i, cids in sorted(missing.items()):
            failure = TermFailure(texts[i], src, tgt, tuple(dict.fromkeys(cids)), tuple(tried))
            self.failures.append(failure)
            log.warning("%s→%s: glossary term(s) %s could not be enforced (tried %s) in: %.60s", src, tgt,
                        ", ".join(failure.concepts), ", ".join(tried), texts[i])
        return [tidy(t) for t in split.join(current)]

    def _leg(self, texts: list[str], need: list[Counter], a: str, b: str,
             ambiguous: list[set[str]]) -> tuple[list[str], list[dict[str, str]]]:
        src_index = index_for(self.glossary, a)
        # which concepts a sentence needs was decided on its source (``need``): no second sense decision here
        matches = [[m for m in src_index.find(t, sense=False) if m.concept.id in need[i] and not m.checked_only]
                   for i, t in enumerate(texts)]
        outs = self._run("own", texts, a, b)
        states: list[dict[str, str]] = []
        for i in range(len(texts)):
            outs[i], st = self._settle(outs[i], need[i], matches[i], texts[i], a, b, {})
            for cid in [c for c, state in st.items() if state == "failed" and c in ambiguous[i]]:
                # the second opinion: the draft renders the word as nothing the termbase knows for it
                st[cid] = "declined"
                del need[i][cid]   # nor is it forced on the next leg of a pivot
                log.info("%s→%s: «%s» not enforced: the model's draft renders it otherwise, in: %.60s", a, b, cid,
                         texts[i])
            states.append(st)
        # the model's own rendering of each missing concept, from the source term translated alone
        wanted = {i: [c for c, s in st.items() if s == "failed"] for i, st in enumerate(states)}
        alone = self._renderings({(c, self._source_term(c, matches[i], a)) for i, cs in wanted.items() for c in cs},
                                 a, b)
        for i, cids in wanted.items():
            if cids:
                outs[i], st = self._settle(outs[i], need[i], matches[i], texts[i], a, b, alone, states[i])
                states[i] = st
        # protection, only where repair failed and only for what is missing; a second placeholder round
        # (numbered differently) only where the model returned part of a placeholder: it copies such tokens
        partial: set[int] = set()
        form = self.inner.placeholder_form(a, b) or "<t{n}>"
        rounds = [s for s in self.order(a, b) if s != "repair"]
        rounds += ["placeholder"] if "placeholder" in rounds else []
        for round_, strategy in enumerate(rounds):
            # a term inside a word coined on it (ИИ-стартапов) cannot be protected: no retry for it alone
            pending = [i for i, st in enumerate(states) if "failed" in st.values()
                       and any(st.get(m.concept.id) == "failed" and not left_as_written(texts[i], m, a)
                               for m in matches[i])]
            if round_ == len(self.order(a, b)) - 1:
                pending = [i for i in pending if i in partial]
            if not pending:
                break
            log.info("%s→%s: %d sentence(s) lost a glossary term; retrying with %s", a, b, len(pending), strategy)
            prots = [protect(texts[i], [m for m in matches[i] if states[i].get(m.concept.id) == "failed"], a, b,
                             strategy, first=1 + 10 * round_, form=form) for i in pending]
            retried = self._run("retry", [p.masked for p in prots], a, b)
            for i, prot, out in zip(pending, prots, retried, strict=True):
                if prot.strategy == "placeholder" and _PARTIAL.search(out):
                    partial.add(i)
                restored = restore(out, prot, b, index_for(self.glossary, b))
                protected = {s.concept.id for s in prot.slots}
                new, st = self._settle(restored, need[i], matches[i], texts[i], a, b, alone)
                st = {c: (prot.strategy if c in protected and s != "failed" else s) for c, s in st.items()}
                if sum(s == "failed" for s in st.values()) < sum(s == "failed" for s in states[i].values()):
                    outs[i], states[i] = new, st
        return [clean_remnants(o, t) for o, t in zip(outs, texts, strict=True)], states

    def _settle(self, out: str, need: Counter, matches: list[Match], source: str, a: str, b: str,
                alone: dict[str, list[str]], before: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
        """Check an output against the concepts its source needs: a non-preferred variant gets the preferred
        term; a missing concept is looked for as a known rendering and replaced. Returns the text and per
        concept as_is | repaired | failed."""
        tgt_index = index_for(self.glossary, b)
        targets = {c: self._target(c, matches, source, a, b) for c in need}
        states = dict(before or {})
        # a concept the output says with another term's words (shared) or through a pronoun (и их обработка, whose
        # «их» may stand for anything) is no rendering to keep or repair: the concept needed is looked for whole,
        # and replaced or protected as any other
        for m in reversed([m for m in tgt_index.find(out, sense=False) if not (m.shared or m.by_pronoun)]):
            cid = m.concept.id
            if cid not in need or states.get(cid) in ("as_is", "repaired"):
                continue
            # the target term itself, its broken plural (a form of that variant: خروقات البيانات), or a match no
            # term can replace (ИИ-стартапов, машинное и глубокое обучение): there, as written
            if keys_equal(m.text, targets[cid], b) or left_as_written(out, m, b) or (
                    keys_equal(m.concept.terms[b][m.variant], targets[cid], b)
                    and written_as(m.text, m.concept, m.variant, b)):
                states[cid] = "as_is" if before is None or before.get(cid) != "repaired" else "repaired"
            else:
                found = next((v for v in m.concept.terms.get(b, ()) if keys_equal(m.text, v, b)), None)
                new = put_term(out, m.start, m.end, targets[cid], b, found)
                states[cid] = "repaired" if new != out else "failed"   # left alone: it would lose meaning
                out = new
        for cid in need:
            if states.get(cid) in ("as_is", "repaired"):
                continue
            keep = [(m.start, m.end) for m in tgt_index.find(out, sense=False)]
            forms = [*avoided_forms(self.glossary, cid, b), *alone.get(cid, ())]
            out, n = replace_rendering(out, forms, targets[cid], b, limit=need[cid], keep=keep)
            states[cid] = "repaired" if n else "failed"
        return out, states

    def _target(self, cid: str, matches: list[Match], source: str, a: str, b: str) -> str:
        m = next((m for m in matches if m.concept.id == cid), None)
        if m is not None:
            return target_term(m, a, b, source)
        return self.glossary.concepts[cid].terms[b][0]

    def _source_term(self, cid: str, matches: list[Match], a: str) -> str:
        """The concept's term in the leg's source language as the sentence uses it (dictionary form)."""
        concept = self.glossary.concepts[cid]
        m = next((m for m in matches if m.concept.id == cid), None)
        variants = concept.terms.get(a, ())
        if m is not None:
            return next((v for v in variants if keys_equal(m.text, v, a)), variants[0])
        return variants[0]

    def _renderings(self, wanted: set[tuple[str, str]], a: str, b: str) -> dict[str, list[str]]:
        """What the model makes of each source term alone, several terms per decoded line ("a ; b ; c"),
        cached per engine for the translator's life and, given a store, kept there under the engine's signature
        and the way renderings are asked and cleaned (``ALONE``), so a change to either asks again."""
        engine = f"{self.inner.signature(a, b)};{ALONE}"
        todo = sorted({t for _, t in wanted if (engine, a, b, t) not in self._alone})
        if todo and self.store is not None:
            for term, rendering in self.store.renderings(engine, a, b, todo).items():
                self._alone[engine, a, b, term] = rendering
            todo = [t for t in todo if (engine, a, b, t) not in self._alone]
        lines = [todo[i:i + LIST_SIZE] for i in range(0, len(todo), LIST_SIZE)]
        outs = self._run("terms", [" ; ".join(line) for line in lines], a, b) if lines else []
        single: list[str] = []
        for line, out in zip(lines, outs, strict=True):
            parts = [p for p in re.split(r"\s*[;؛]\s*", out)]
            if len(parts) == len(line):
                for term, rendering in zip(line, parts, strict=True):
                    self._alone[engine, a, b, term] = _bare(rendering)
            else:                         # the model merged or dropped a separator: one term per line
                single += line
        for term, rendering in zip(single, self._run("terms", single, a, b) if single else [], strict=True):
            self._alone[engine, a, b, term] = _bare(rendering)
        if todo and self.store is not None:
            self.store.keep_renderings(engine, a, b, {t: self._alone[engine, a, b, t] for t in todo})
        # a rendering shared by terms of different concepts does not tell them apart: it cannot locate
        # either (a model that answers everything alike, like one with random weights)
        owners: dict[str, set[str]] = {}
        for cid, term in wanted:
            rendering = self._alone.get((engine, a, b, term), "")
            owners.setdefault(rendering.casefold(), set()).add(cid)
        out: dict[str, list[str]] = {}
        for cid, term in wanted:
            rendering = self._alone.get((engine, a, b, term), "")
            if sum(ch.isalpha() for ch in rendering) >= 3 and len(owners[rendering.casefold()]) == 1:
                out.setdefault(cid, []).append(rendering)
        return out

    def _run(self, purpose: str, texts: list[str], a: str, b: str) -> list[str]:
        work = self.work[purpose]
        started = time.perf_counter()
        outs = self.inner.translate(texts, a, b)
        work.seconds += time.perf_counter() - started
        work.calls += 1
        work.sentences += len(texts)
        work.texts += [(a, b, t, o) for t, o in zip(texts, outs, strict=True)]
        return outs


def _bare(rendering: str) -> str:
    """A term's translation without the article or final punctuation a model may add."""
    return _ARTICLE.sub("", rendering.strip().rstrip(".;:!?؟،,")).strip()

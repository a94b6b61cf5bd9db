"""A translator wrapper that makes any backend obey the glossary (protect → translate → restore → verify)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..terms.glossary import Glossary
from ..terms.match import index_for
from ..terms.protect import STRATEGIES, missing_terms, protect, restore
from .base import Translator, WrappingTranslator

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TermFailure:
    source: str
    src: str
    tgt: str
    concepts: tuple[str, ...]


class GlossaryTranslator(WrappingTranslator):
    """Protects glossary terms in ``strategy`` first; segments where a term did not come through are
    translated again with the other strategy; what still fails is kept in ``failures`` (and logged)."""

    name = "glossary"

    def __init__(self, inner: Translator, glossary: Glossary, strategy: str = "inline") -> None:
        super().__init__(inner)
        self.glossary = glossary
        self.order = [strategy, *(s for s in STRATEGIES if s != strategy)]
        self.failures: list[TermFailure] = []

    def _translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        src_index, tgt_index = index_for(self.glossary, src), index_for(self.glossary, tgt)
        matches = [src_index.find(t) for t in texts]
        results: list[str | None] = [None] * len(texts)
        pending = list(range(len(texts)))
        last_missing: dict[int, list[str]] = {}
        for strategy in self.order:
            if not pending:
                break
            prots = [protect(texts[i], matches[i], src, tgt, strategy) for i in pending]
            outputs = self.inner.translate([p.masked for p in prots], src, tgt)
            still = []
            for i, prot, out in zip(pending, prots, outputs, strict=True):
                restored = restore(out, prot, tgt, tgt_index)
                missing = missing_terms(restored, prot, tgt_index)
                if results[i] is None or not missing:
                    results[i] = restored
                if missing:
                    still.append(i)
                    last_missing[i] = [s.concept.id for s in missing]
            if still and strategy != self.order[-1]:
                log.info("%d segment(s) %s→%s lost a glossary term; retrying with %s", len(still), src, tgt,
                         self.order[self.order.index(strategy) + 1])
            pending = still
        for i in pending:
            failure = TermFailure(texts[i], src, tgt, tuple(dict.fromkeys(last_missing[i])))
            self.failures.append(failure)
            log.warning("%s→%s: glossary term(s) %s missing from the translation of: %.60s", src, tgt,
                        ", ".join(failure.concepts), texts[i])
        return [r or "" for r in results]

    def signature(self, src: str, tgt: str) -> str:
        return f"{self.inner.signature(src, tgt)}+glossary:{self.glossary.sha256()[:12]}:{'>'.join(self.order)}"

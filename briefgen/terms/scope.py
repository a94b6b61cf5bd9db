"""Where a concept of the termbase applies: the ``scope`` cell of a glossary row (glossaries/README.md).

    (empty)                   a term, enforced wherever one of its variants occurs
    reference                 phraseology and general vocabulary: offered to translators, never enforced
    context.LANG=w1|w2|…      in LANG, only in a segment that also contains one of these words or phrases
    within.LANG=p1|p2|…       in LANG, only where the term is part of one of these phrases (``*`` = any word)

Clauses are separated by ``;``, at most one per language; ``reference`` stands alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

REFERENCE = "reference"
KINDS = ("context", "within")
SCOPE_LANGS = ("fr", "ru", "ar", "en")
WILDCARD = "*"
_CLAUSE = re.compile(r"^\s*(?P<kind>[^.=\s]+)\s*\.\s*(?P<lang>[^=\s]+)\s*=(?P<items>.*)$", re.S)


class ScopeError(ValueError):
    """A scope cell that cannot be read; the message says what to write instead."""


@dataclass(frozen=True)
class Scope:
    reference: bool = False
    context: dict[str, tuple[str, ...]] = field(default_factory=dict)   # lang -> words or phrases
    within: dict[str, tuple[str, ...]] = field(default_factory=dict)    # lang -> phrases holding the term

    def __bool__(self) -> bool:
        return self.reference or bool(self.context) or bool(self.within)

    def restricts(self, lang: str) -> bool:
        return self.reference or lang in self.context or lang in self.within

    def text(self) -> str:
        """The cell as it is written back (TSV, TBX): clauses in a fixed order."""
        if self.reference:
            return REFERENCE
        clauses = [f"{kind}.{lang}={'|'.join(items)}" for kind in KINDS
                   for lang, items in sorted(getattr(self, kind).items())]
        return "; ".join(clauses)


NO_SCOPE = Scope()


def parse_scope(cell: str) -> Scope:
    """The Scope a cell describes; ScopeError names the first thing wrong."""
    cell = cell.strip()
    if not cell:
        return NO_SCOPE
    clauses = [c.strip() for c in cell.split(";")]
    if any(not c for c in clauses):
        raise ScopeError(f"empty clause in '{cell}' (a stray ';'?)")
    if REFERENCE in clauses:
        if len(clauses) > 1:
            raise ScopeError("'reference' stands alone: a reference entry is never enforced, so context and "
                             "within clauses would have no effect")
        return Scope(reference=True)
    parts: dict[str, dict[str, tuple[str, ...]]] = {kind: {} for kind in KINDS}
    seen: set[str] = set()
    for clause in clauses:
        m = _CLAUSE.match(clause)
        if m is None:
            raise ScopeError(f"'{clause}' is not a scope clause; write 'reference', 'context.LANG=word|word' "
                             "or 'within.LANG=phrase|phrase'")
        kind, lang = m["kind"].strip(), m["lang"].strip()
        if kind not in KINDS:
            raise ScopeError(f"unknown scope kind '{kind}' in '{clause}'; use context or within")
        if lang not in SCOPE_LANGS:
            raise ScopeError(f"'{lang}' in '{clause}' is not one of {', '.join(SCOPE_LANGS)}")
        if lang in seen:
            raise ScopeError(f"language {lang} has more than one clause; give one context or within list per "
                             "language")
        seen.add(lang)
        items = tuple(" ".join(i.split()) for i in m["items"].split("|"))
        if not any(items):
            raise ScopeError(f"'{clause}' lists no words")
        if any(not i for i in items):
            raise ScopeError(f"empty item in '{clause}' (a stray '|'?)")
        if kind == "context" and any(w == WILDCARD for i in items for w in i.split()):
            raise ScopeError(f"'{WILDCARD}' stands for a word in within phrases only, not in '{clause}'")
        if kind == "within" and any(set(i.split()) == {WILDCARD} for i in items):
            raise ScopeError(f"a within phrase needs words besides '{WILDCARD}' in '{clause}'")
        parts[kind][lang] = items
    return Scope(context=parts["context"], within=parts["within"])

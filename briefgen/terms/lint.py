"""Lint a glossary for translators: errors and warnings of each layer and of the merged result, and what each
override changes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .glossary import TERM_LANGS, Glossary, Layer
from .morph import keys, tokens

REQUIRED = ("fr", "ru", "ar")


@dataclass(frozen=True)
class Finding:
    severity: str     # error | warning | info
    code: str
    file: str
    line: int
    concept: str
    message: str


def _norm(term: str, lang: str) -> tuple[str, ...]:
    """A term as a sequence of its words' canonical keys (so inflected duplicates are found too)."""
    return tuple(min(keys(w, lang)) for w, _, _ in tokens(term))


def overrides(glossary: Glossary) -> list[Finding]:
    """What each later layer changes in a concept an earlier one defined (information for translators)."""
    out = []
    for path, changes in glossary.overridden.items():
        for old, new in changes:
            diff = [f"{col}: {old.row()[col] or '∅'} → {new.row()[col] or '∅'}" for col in old.row()
                    if old.row()[col] != new.row()[col]]
            out.append(Finding("info", "override", path, new.line, new.id,
                               f"overrides {Path(old.source).name}:{old.line}: " + "; ".join(diff)))
    return out


def problems(glossary: Glossary) -> list[Finding]:
    """Errors and warnings of a loaded glossary: each layer on its own, then the merged result."""
    return [f for layer in glossary.layers for f in _lint_layer(layer)] + _lint_merged(glossary)


def _lint_layer(layer: Layer) -> list[Finding]:
    out = []
    seen: dict[str, int] = {}
    for c in layer.concepts:
        f = str(layer.path)
        if c.id in seen:
            out.append(Finding("error", "duplicate-id", f, c.line, c.id,
                               f"concept id '{c.id}' already defined on line {seen[c.id]}"))
        seen.setdefault(c.id, c.line)
        for lang in REQUIRED:
            if not c.terms.get(lang):
                out.append(Finding("error", "empty-cell", f, c.line, c.id, f"no {lang} term"))
        for lang, variants in c.terms.items():
            for v in variants:
                if v != " ".join(v.split()):
                    out.append(Finding("error", "malformed", f, c.line, c.id, f"{lang} '{v}': stray spaces"))
                if v.count("(") != v.count(")") or v.count("«") != v.count("»"):
                    out.append(Finding("error", "malformed", f, c.line, c.id, f"{lang} '{v}': unbalanced brackets"))
            if len({v.casefold() for v in variants}) < len(variants):
                out.append(Finding("warning", "repeated-variant", f, c.line, c.id, f"{lang}: a variant is repeated"))
        if c.status == "avoid" and not c.note.startswith("use:"):
            out.append(Finding("warning", "avoid-without-use", f, c.line, c.id,
                               "an avoid row should say which concept to use: note 'use: <id>'"))
    return out


def _lint_merged(glossary: Glossary) -> list[Finding]:
    out = []
    owners: dict[tuple[str, tuple[str, ...]], list] = defaultdict(list)
    for c in glossary.usable():
        for lang in TERM_LANGS:
            for v in c.terms.get(lang, ()):
                owners[(lang, _norm(v, lang))].append((c, v))
    for (lang, _), entries in owners.items():
        concepts = {c.id: (c, v) for c, v in entries}
        if len(concepts) < 2:
            continue
        items = list(concepts.values())
        targets = {tuple(c.preferred(x) for x in REQUIRED if x != lang) for c, _ in items}
        severity = "error" if lang in REQUIRED and len(targets) > 1 else "warning"
        first = items[0][0]
        others = ", ".join(f"{c.id} ({Path(c.source).name}:{c.line})" for c, _ in items[1:])
        out.append(Finding(severity, "conflict", first.source, first.line, first.id,
                           f"{lang} term '{items[0][1]}' also belongs to {others}"
                           + (" with different translations" if severity == "error" else "")))
    preferred = {(lang, _norm(v, lang)): c for c in glossary.usable() for lang in TERM_LANGS
                 for v in c.terms.get(lang, ())}
    for c in glossary.avoided():
        for lang, variants in c.terms.items():
            for v in variants:
                hit = preferred.get((lang, _norm(v, lang)))
                if hit is not None:
                    out.append(Finding("error", "avoid-is-preferred", c.source, c.line, c.id,
                                       f"{lang} '{v}' is to be avoided but is a term of {hit.id} "
                                       f"({Path(hit.source).name}:{hit.line})"))
        target = c.note.removeprefix("use:").split(";")[0].strip() if c.note.startswith("use:") else ""
        if target and target not in glossary.concepts:
            out.append(Finding("error", "unknown-use", c.source, c.line, c.id, f"'use: {target}' names no concept"))
    return out

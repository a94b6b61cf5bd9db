"""Lint a glossary for translators: errors and warnings of each layer and of the merged result, and what each
override changes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .glossary import TERM_LANGS, Concept, Glossary, Layer
from .match import holds, term_key
from .morph import keys, tokens
from .sense import ICT, SURROUNDINGS, field_names, fields_dir, load_fields

REQUIRED = ("fr", "ru", "ar")
DOMAINS = ("cybersecurity", "telecommunications", "ai", "digital-government", "data", "electronics",
           "capacity-building", "cooperation", "institutions")


@dataclass(frozen=True)
class Finding:
    severity: str     # error | warning | info
    code: str
    file: str
    line: int
    concept: str
    message: str
    column: str = ""   # the cell at fault (fr, scope, id …), empty for a whole row

    def where(self) -> str:
        """``file:line: column:`` as compilers and editors print it."""
        line = f":{self.line}" if self.line else ""      # a file that could not be read has no line
        return f"{self.file}{line}: " + (f"{self.column}: " if self.column else "")


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
    fields = field_names() - {ICT}   # a domain may name another field's lexicon
    for c in layer.concepts:
        f = str(layer.path)
        if c.id in seen:
            out.append(Finding("error", "duplicate-id", f, c.line, c.id,
                               f"concept id '{c.id}' already defined on line {seen[c.id]}"))
        seen.setdefault(c.id, c.line)
        if c.status != "avoid":
            for lang in REQUIRED:
                if not c.terms.get(lang):
                    out.append(Finding("error", "empty-cell", f, c.line, c.id, f"no {lang} term", lang))
        elif not c.terms:
            out.append(Finding("error", "empty-cell", f, c.line, c.id, "an avoid row names at least one form to avoid"))
        # a concept of another field (power-grid interconnection, kept to tell a sense of «interconnexion» apart)
        # takes that field's name: the matcher reads it as that field's evidence
        if c.domain and c.domain not in DOMAINS and c.domain not in fields:
            out.append(Finding("warning", "unknown-domain", f, c.line, c.id,
                               f"domain '{c.domain}' is not one of {', '.join(DOMAINS)} or a field lexicon's name",
                               "domain"))
        out += _scope_findings(c) + _pairing_findings(c) + _senses_findings(c)
        for lang, variants in c.terms.items():
            for v in variants:
                if v != " ".join(v.split()):
                    out.append(Finding("error", "malformed", f, c.line, c.id, f"'{v}': stray spaces", lang))
                if v.count("(") != v.count(")") or v.count("«") != v.count("»"):
                    out.append(Finding("error", "malformed", f, c.line, c.id, f"'{v}': unbalanced brackets", lang))
            if len({v.casefold() for v in variants}) < len(variants):
                out.append(Finding("warning", "repeated-variant", f, c.line, c.id, "a variant is repeated", lang))
        if c.status == "avoid" and not c.note.startswith("use:"):
            out.append(Finding("warning", "avoid-without-use", f, c.line, c.id,
                               "an avoid row should say which concept to use: note 'use: <id>'", "note"))
    return out


def _scope_findings(c: Concept) -> list[Finding]:
    """What parse_scope cannot see alone: a clause for a language the row has no term in, a within phrase
    that does not hold the term, reference on an avoid row."""
    out = []
    if c.scope.reference and c.status == "avoid":
        out.append(Finding("error", "scope", c.source, c.line, c.id,
                           "'reference' on an avoid row would never flag it; delete the row instead", "scope"))
    for kind in ("context", "within"):
        for lang, items in getattr(c.scope, kind).items():
            if not c.terms.get(lang):
                out.append(Finding("error", "scope", c.source, c.line, c.id,
                                   f"{kind}.{lang} restricts a language the row has no term in", "scope"))
                continue
            if kind == "within":
                for phrase in items:
                    if not any(holds(phrase, v, lang) for v in c.terms[lang]):
                        out.append(Finding("error", "scope", c.source, c.line, c.id,
                                           f"within.{lang} phrase '{phrase}' contains none of the {lang} terms "
                                           f"({'|'.join(c.terms[lang])})", "scope"))
                # a wording is found only where a within phrase holds it, as a variant is
                for wording in c.wordings.get(lang, ()):
                    if not any(holds(phrase, wording, lang) for phrase in items):
                        out.append(Finding("warning", "scope", c.source, c.line, c.id,
                                           f"wording '{wording}' is held by no within.{lang} phrase, so it is "
                                           "never found; add a phrase that holds it or remove it", "wordings"))
    return out


def _senses_findings(c: Concept) -> list[Finding]:
    """A ``senses`` cell must name field lexicons that exist (glossaries/fields); a one-word term that is a
    word of another field's lexicon (virus: health, fondation: construction) is asked for one: without it the
    term is enforced wherever it occurs, in whatever sense."""
    if c.status == "avoid":
        return []
    known = field_names()
    unknown = [f for f in c.senses if f not in known]
    if unknown:
        return [Finding("error", "senses", c.source, c.line, c.id,
                        f"no field lexicon for {', '.join(unknown)}; known fields: {', '.join(sorted(known))}",
                        "senses")]
    if c.senses or c.scope.reference:
        return []
    out = []
    for lang in REQUIRED:
        fields = _field_words(lang)
        for v in c.terms.get(lang, ()):
            words = [w for w, _, _ in tokens(v)]
            if len(words) != 1 or words[0].isupper():   # a one-word term is its head word; an acronym is no word
                continue
            # a scholarship is a word of education, the surroundings of a training term, not another sense
            hits = sorted({f for k in keys(words[0], lang) for f in fields.get(k, ())}
                          - SURROUNDINGS.get(c.domain, frozenset()) - {c.domain})   # its own field is no other
            if hits:
                out.append(Finding("warning", "senses-missing", c.source, c.line, c.id,
                                   f"'{v}' has words of other fields ({', '.join(hits)}): if it has other senses, "
                                   "name them in the senses column (energy|construction) so that it is enforced "
                                   "only where the text means it", "senses"))
                return out
    return out


def _field_words(lang: str) -> dict[str, set[str]]:
    return _field_words_in(str(fields_dir()), lang)


@lru_cache(maxsize=8)
def _field_words_in(folder: str, lang: str) -> dict[str, set[str]]:   # asked once per row of the termbase
    """Key of a one-word item of a field lexicon -> the fields (other than ICT) it belongs to."""
    out: dict[str, set[str]] = defaultdict(set)
    for name, items in load_fields(lang, folder).items():
        if name == ICT:
            continue
        for item in items:
            words = [w for w, _, _ in tokens(item)]
            if len(words) == 1:
                for k in keys(words[0], lang):
                    out[k].add(name)
    return out


def _pairing_findings(c: Concept) -> list[Finding]:
    """Variants pair by position when two languages list as many: an abbreviation paired with a full form is
    usually an accident of order."""
    out = []
    langs = [lang for lang in REQUIRED if len(c.terms.get(lang, ())) > 1]   # en is never translated to
    for a, b in ((a, b) for i, a in enumerate(langs) for b in langs[i + 1:]):
        va, vb = c.terms[a], c.terms[b]
        if len(va) != len(vb):
            continue
        for k, (x, y) in enumerate(zip(va, vb, strict=True)):
            kinds = {_abbreviation(x), _abbreviation(y)}
            if kinds == {True, False}:
                out.append(Finding("warning", "pairing", c.source, c.line, c.id,
                                   f"{a} and {b} list {len(va)} variants each, so they pair by position, and "
                                   f"variant {k + 1} pairs '{x}' with '{y}'; reorder them or list a different "
                                   "number of variants", b))
                break
    return out


def _abbreviation(term: str) -> bool | None:
    """Whether a variant is an abbreviation (TIC, ЦОД); None for one word of a script without capitals
    (إيتيدا may well be the abbreviation ITIDA written in Arabic)."""
    letters = [ch for ch in term if ch.isalpha()]
    if " " in term or not letters:
        return False
    if not any(ch.isupper() or ch.islower() for ch in letters):
        return None
    return sum(ch.isupper() for ch in letters) >= 2


def _lint_merged(glossary: Glossary) -> list[Finding]:
    """Terms shared by two concepts and avoid forms that are someone's term, blamed on the row that made the
    clash: the one in the later layer (a user file on top of the shipped glossary), else the later line."""
    order = {str(layer.path): n for n, layer in enumerate(glossary.layers)}

    def later(c: Concept) -> tuple[int, int]:
        return order.get(c.source, -1), c.line

    out = []
    owners: dict[tuple[str, tuple], dict[str, tuple[Concept, str]]] = defaultdict(dict)
    for c in glossary.usable():
        for lang in TERM_LANGS:
            # a form or another wording is found in texts like a variant: one that is another concept's term
            # makes the two claim the same words, and neither is enforced there
            for v in c.written(lang):
                owners[(lang, term_key(v, lang))].setdefault(c.id, (c, v))
    for (lang, _), concepts in owners.items():
        if len(concepts) < 2:
            continue
        items = sorted(concepts.values(), key=lambda e: later(e[0]))
        blamed, term = items[-1]
        others = ", ".join(f"{c.id} ({Path(c.source).name}:{c.line})" for c, _ in items[:-1])
        enforced = [c for c, _ in items if not c.reference]
        told_apart = all(lang in c.scope.context or lang in c.scope.within for c in enforced)
        targets = {tuple(c.preferred(x) for x in REQUIRED if x != lang) for c in enforced}
        if len(enforced) < 2 or told_apart:
            severity, detail = "info", " (told apart by their scope)" if told_apart and len(enforced) > 1 else ""
        elif lang in REQUIRED and len(targets) > 1:
            severity, detail = "error", (" with different translations; give each a context or within clause "
                                         f"for {lang}, or keep the term in one row")
        else:
            severity, detail = "warning", ""
        out.append(Finding(severity, "conflict", blamed.source, blamed.line, blamed.id,
                           f"'{term}' of {blamed.id} also belongs to {others}{detail}", lang))
    usable = {(lang, term_key(v, lang)): c for c in glossary.usable() for lang in TERM_LANGS
              for v in c.terms.get(lang, ())}
    for c in glossary.avoided():
        for lang, variants in c.terms.items():
            for v in variants:
                hit = usable.get((lang, term_key(v, lang)))
                if hit is not None:
                    blamed, other = (c, hit) if later(c) >= later(hit) else (hit, c)
                    out.append(Finding("error", "avoid-is-preferred", blamed.source, blamed.line, blamed.id,
                                       f"'{v}' is to be avoided ({c.id}) but is a term of {hit.id}; "
                                       f"see {Path(other.source).name}:{other.line}", lang))
        target = c.note.removeprefix("use:").split(";")[0].strip() if c.note.startswith("use:") else ""
        if target and target not in glossary.concepts:
            out.append(Finding("error", "unknown-use", c.source, c.line, c.id, f"'use: {target}' names no concept",
                               "note"))
    return out

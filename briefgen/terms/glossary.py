"""The termbase: concepts with terms in fr/ru/ar/en, in layers (later layers win per concept).

Conventions (glossaries/README.md): one concept per row; variants separated by ``|``, the first preferred;
``status`` is preferred, admitted or avoid; an avoid row lists forms that must not appear in a target;
``scope`` says where the concept applies (terms/scope.py); ``forms`` lists inflected forms the matcher cannot
derive (Arabic broken plurals): found in texts, never printed as terms; ``wordings`` lists other wordings of the
concept writers use (a synonym, a press form): found in a source as the concept, never printed, and replaced by
the term where a translation uses them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GlossaryError
from ..textsafety import nfc, text_problem
from .scope import NO_SCOPE, Scope, ScopeError, parse_scope

COLUMNS = ("id", "domain", "fr", "ru", "ar", "en", "status", "scope", "senses", "forms", "wordings", "note")
OPTIONAL_COLUMNS = ("en", "scope", "senses", "forms", "wordings", "note")
TERM_LANGS = ("fr", "ru", "ar", "en")
STATUSES = ("preferred", "admitted", "avoid")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Concept:
    id: str
    domain: str
    terms: dict[str, tuple[str, ...]]   # lang -> variants, preferred first
    status: str = "preferred"
    note: str = ""
    source: str = ""                    # file the row came from
    line: int = 0
    scope: Scope = NO_SCOPE
    senses: tuple[str, ...] = ()        # other fields its head word belongs to: an ambiguous term
    sense_only: tuple[str, ...] = ()    # the variants that are ambiguous, when not all are
    # lang -> (variant index, inflected form): a broken plural is the same term as its singular, so a text using
    # it is matched as that variant, and the annex and the translation print the variant, never the form
    forms: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    # lang -> other wordings of the concept (софинансирование beside совместное финансирование): recognised in a
    # text as the preferred term, never printed; unlike a variant they pair with nothing, so a language can list
    # any number of them without changing which variant a translation prints
    wordings: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def senses_text(self) -> str:
        """The ``senses`` cell: ``energy|construction``, then ``; only=variant|variant`` when not every variant
        has the other senses (``protocole de communication`` has, ``protocole réseau`` has not)."""
        only = f"; only={'|'.join(self.sense_only)}" if self.sense_only else ""
        return "|".join(self.senses) + only

    def forms_text(self) -> str:
        """The ``forms`` cell: ``ar:مركز التميز=مراكز التميز; ar:…``, one entry per variant that has forms."""
        out = []
        for lang, items in self.forms.items():
            for k in dict.fromkeys(k for k, _ in items):
                out.append(f"{lang}:{self.terms[lang][k]}=" + "|".join(f for j, f in items if j == k))
        return "; ".join(out)

    def wordings_text(self) -> str:
        """The ``wordings`` cell: ``ru:софинансирование|…; fr:cofinancement``."""
        return "; ".join(f"{lang}:" + "|".join(items) for lang, items in self.wordings.items())

    def written(self, lang: str) -> list[str]:
        """Everything the termbase writes for the concept in a language: its variants, forms and wordings, each
        found in texts as the concept."""
        return [*self.terms.get(lang, ()), *(f for _, f in self.forms.get(lang, ())), *self.wordings.get(lang, ())]

    def ambiguous(self, variant: str) -> bool:
        return bool(self.senses) and (not self.sense_only or variant in self.sense_only)

    @property
    def reference(self) -> bool:
        """Phraseology or general vocabulary: offered to translators, never enforced."""
        return self.scope.reference

    def preferred(self, lang: str) -> str | None:
        variants = self.terms.get(lang, ())
        return variants[0] if variants else None

    def row(self) -> dict[str, str]:
        return {"id": self.id, "domain": self.domain, **{lang: "|".join(self.terms.get(lang, ()))
                for lang in TERM_LANGS}, "status": self.status, "scope": self.scope.text(),
                "senses": self.senses_text(), "forms": self.forms_text(),
                "wordings": self.wordings_text(), "note": self.note}


@dataclass
class Layer:
    path: Path
    concepts: list[Concept]


@dataclass
class Glossary:
    concepts: dict[str, Concept] = field(default_factory=dict)
    layers: list[Layer] = field(default_factory=list)
    overridden: dict[str, list[tuple[Concept, Concept]]] = field(default_factory=dict)  # file -> (old, new)
    indexes: dict = field(default_factory=dict, repr=False)   # derived data: term indexes, the hash

    def add_layer(self, layer: Layer) -> None:
        self.layers.append(layer)
        changes = self.overridden.setdefault(str(layer.path), [])
        for concept in layer.concepts:
            old = self.concepts.get(concept.id)
            if old is not None and old.row() != concept.row():
                changes.append((old, concept))
            self.concepts[concept.id] = concept

    def usable(self) -> list[Concept]:
        return [c for c in self.concepts.values() if c.status != "avoid"]

    def avoided(self) -> list[Concept]:
        return [c for c in self.concepts.values() if c.status == "avoid"]

    def sha256(self) -> str:
        key = ("sha256", len(self.layers))   # a glossary changes only by adding layers
        if key not in self.indexes:
            rows = [c.row() for c in sorted(self.concepts.values(), key=lambda c: c.id)]
            data = json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()
            self.indexes[key] = hashlib.sha256(data).hexdigest()
        return self.indexes[key]


def concept_from_row(row: dict[str, str], path: Path, line: int) -> Concept:
    cid = row["id"]
    if not _ID.match(cid):   # ids end up in file names, anchors and XLIFF notes
        raise GlossaryError(f"id '{cid}' must be lowercase letters, digits and '-'", path=path, line=line, field="id")
    status = row.get("status") or "preferred"
    if status not in STATUSES:
        raise GlossaryError(f"status '{status}' is not one of {', '.join(STATUSES)}", path=path, line=line,
                            field="status")
    terms = {}
    for lang in TERM_LANGS:
        cell = row.get(lang, "")
        variants = tuple(v.strip() for v in cell.split("|")) if cell else ()
        if any(not v for v in variants):
            raise GlossaryError(f"empty variant in '{cell}' (a stray '|'?)", path=path, line=line, field=lang)
        problem = text_problem(cell)
        if problem:
            raise GlossaryError(problem, path=path, line=line, field=lang)
        if variants:
            terms[lang] = tuple(nfc(v) for v in variants)   # matched against NFC text
    try:
        scope = parse_scope(nfc(row.get("scope", "")))
    except ScopeError as exc:
        raise GlossaryError(str(exc), path=path, line=line, field="scope") from exc
    senses, only = _senses(nfc(row.get("senses") or ""), terms, path, line)
    forms = _forms(nfc(row.get("forms") or ""), terms, path, line)
    wordings = _wordings(nfc(row.get("wordings") or ""), terms, forms, path, line)
    return Concept(cid, row.get("domain", ""), terms, status, row.get("note", ""), str(path), line, scope, senses,
                   only, forms, wordings)


def _wordings(cell: str, terms: dict[str, tuple[str, ...]], forms: dict[str, tuple[tuple[int, str], ...]],
              path: Path, line: int) -> dict[str, tuple[str, ...]]:
    """``lang:wording|wording; …``: other wordings of this row's concept, per language."""
    out: dict[str, list[str]] = {}
    for entry in filter(None, (e.strip() for e in cell.split(";"))):
        lang, colon, items = (x.strip() for x in entry.partition(":"))
        wordings = [w.strip() for w in items.split("|")]
        if not colon or lang not in TERM_LANGS or lang not in terms or not all(wordings):
            raise GlossaryError(f"wordings '{entry}': write 'lang:wording|wording' for a language this row has "
                                "terms in, entries separated by ';' (ru:софинансирование|совместное "
                                "финансирование проектов)", path=path, line=line, field="wordings")
        short = next((w for w in wordings if " " not in w and sum(ch.isupper() for ch in w) >= 2), None)
        if short:
            # an abbreviation is read on its passage (other bodies share it) and pairs with the other
            # languages' abbreviations: a wording, found as the preferred term, could do neither
            raise GlossaryError(f"wordings '{entry}': '{short}' is an abbreviation; list it as a variant",
                                path=path, line=line, field="wordings")
        listed = {*terms[lang], *(f for _, f in forms.get(lang, ()))}
        clash = [w for w in wordings if w in listed or w in out.get(lang, ())]
        if clash:
            raise GlossaryError(f"wordings '{entry}': '{clash[0]}' is already listed in this row; list it in one "
                                "place only", path=path, line=line, field="wordings")
        out.setdefault(lang, []).extend(wordings)
    return {lang: tuple(items) for lang, items in out.items()}


def _forms(cell: str, terms: dict[str, tuple[str, ...]], path: Path,
           line: int) -> dict[str, tuple[tuple[int, str], ...]]:
    """``lang:variant=form|form; …``: the forms of one variant of this row in one language."""
    out: dict[str, list[tuple[int, str]]] = {}
    for entry in filter(None, (e.strip() for e in cell.split(";"))):
        key, eq, items = entry.partition("=")
        lang, _, variant = (x.strip() for x in key.partition(":"))
        variants = terms.get(lang, ())
        forms = [f.strip() for f in items.split("|")]
        if not eq or lang not in TERM_LANGS or variant not in variants or not all(forms):
            raise GlossaryError(f"forms '{entry}': write 'lang:variant=form|form' with a variant of this row's "
                                f"'{lang}' column, entries separated by ';' (ar:مركز التميز=مراكز التميز)",
                                path=path, line=line, field="forms")
        clash = [f for f in forms if f in variants]
        if clash:
            raise GlossaryError(f"forms '{entry}': '{clash[0]}' is already a variant; list it in one place only",
                                path=path, line=line, field="forms")
        out.setdefault(lang, []).extend((variants.index(variant), f) for f in forms)
    return {lang: tuple(items) for lang, items in out.items()}


def _senses(cell: str, terms: dict[str, tuple[str, ...]], path: Path, line: int) -> tuple[tuple[str, ...],
                                                                                          tuple[str, ...]]:
    """The fields of a ``senses`` cell and the variants it restricts them to (``; only=a|b``)."""
    fields_part, _, only_part = cell.partition(";")
    senses = tuple(f.strip() for f in fields_part.split("|") if f.strip())
    if any(not _ID.match(f) for f in senses) or (only_part and not senses):
        raise GlossaryError(f"senses '{cell}': name fields as lowercase words separated by '|' (energy|construction),"
                            " optionally '; only=variant|variant'", path=path, line=line, field="senses")
    only: tuple[str, ...] = ()
    if only_part:
        key, _, items = only_part.partition("=")
        only = tuple(v.strip() for v in items.split("|") if v.strip())
        known = {v for variants in terms.values() for v in variants}
        if key.strip() != "only" or not only or any(v not in known for v in only):
            raise GlossaryError(f"senses '{cell}': after ';' write 'only=' and variants of this row, separated by "
                                "'|'", path=path, line=line, field="senses")
    return senses, only

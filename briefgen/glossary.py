"""The termbase: concepts with terms in fr/ru/ar/en, loaded from TSV or TBX layers (later layers win).

Conventions (glossaries/README.md): one concept per row; variants separated by ``|``, the first preferred;
``status`` is preferred, admitted or avoid; an avoid row lists forms that must not appear in a target.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .config import glossaries_dir
from .errors import GlossaryError
from .textsafety import text_problem
from .yamlsource import read_text

COLUMNS = ("id", "domain", "fr", "ru", "ar", "en", "status", "note")
TERM_LANGS = ("fr", "ru", "ar", "en")
STATUSES = ("preferred", "admitted", "avoid")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_GLOSSARY_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Concept:
    id: str
    domain: str
    terms: dict[str, tuple[str, ...]]   # lang -> variants, preferred first
    status: str = "preferred"
    note: str = ""
    source: str = ""                    # file the row came from
    line: int = 0

    def preferred(self, lang: str) -> str | None:
        variants = self.terms.get(lang, ())
        return variants[0] if variants else None

    def row(self) -> dict[str, str]:
        return {"id": self.id, "domain": self.domain, **{lang: "|".join(self.terms.get(lang, ()))
                for lang in TERM_LANGS}, "status": self.status, "note": self.note}


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


def read_tsv(path: Path) -> Layer:
    text = read_text(path, error=GlossaryError, max_bytes=MAX_GLOSSARY_BYTES)
    lines = text.splitlines()
    if not lines:
        raise GlossaryError("glossary is empty; it needs a header line: " + "\t".join(COLUMNS), path=path, line=1)
    header = [h.strip() for h in lines[0].split("\t")]
    missing = [c for c in COLUMNS if c not in header and c not in ("note", "en")]
    if missing:
        raise GlossaryError(f"header lacks the column(s) {', '.join(missing)}; expected: " + "\t".join(COLUMNS),
                            path=path, line=1)
    concepts = []
    reader = csv.reader(io.StringIO("\n".join(lines[1:])), delimiter="\t", quoting=csv.QUOTE_NONE, strict=True)
    for n, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise GlossaryError(f"{len(cells)} columns, the header has {len(header)}; "
                                "separate cells with one tab and do not put tabs inside a cell", path=path, line=n)
        if any('"' in c[:1] for c in cells):
            raise GlossaryError("cells must not be quoted: this is tab-separated text without quoting",
                                path=path, line=n)
        concepts.append(concept_from_row(dict(zip(header, (c.strip() for c in cells), strict=True)), path, n))
    return Layer(path, concepts)


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
            terms[lang] = variants
    return Concept(cid, row.get("domain", ""), terms, status, row.get("note", ""), str(path), line)


def read_layer(path: Path) -> Layer:
    if path.suffix.lower() in (".tbx", ".xml"):
        from .tbx import read_tbx

        return read_tbx(path)
    return read_tsv(path)


def base_glossaries() -> list[Path]:
    folder = glossaries_dir()
    return sorted(folder.glob("*.tsv")) if folder.is_dir() else []


def record_override(record_path: Path) -> Path | None:
    candidate = record_path.with_suffix(".glossary.tsv")
    return candidate if candidate.is_file() else None


def load_glossary(paths: Iterable[Path]) -> Glossary:
    glossary = Glossary()
    for path in paths:
        glossary.add_layer(read_layer(Path(path)))
    return glossary


def write_tsv(concepts: Iterable[Concept], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for c in concepts:
            row = c.row()
            fh.write("\t".join(row[col].replace("\t", " ").replace("\n", " ") for col in COLUMNS) + "\n")

"""Glossary layers as tab-separated text, the form translators edit in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from ..errors import GlossaryError
from ..files import read_text
from .glossary import COLUMNS, Concept, Layer, concept_from_row

MAX_GLOSSARY_BYTES = 20 * 1024 * 1024


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


def write_tsv(concepts: Iterable[Concept], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for c in concepts:
            row = c.row()
            fh.write("\t".join(row[col].replace("\t", " ").replace("\n", " ") for col in COLUMNS) + "\n")

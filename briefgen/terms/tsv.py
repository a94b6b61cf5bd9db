"""Glossary layers as tab-separated text, the form translators edit in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from ..errors import GlossaryError
from ..files import read_text
from ..textsafety import from_spreadsheet_cell, tsv_line
from .glossary import COLUMNS, OPTIONAL_COLUMNS, Concept, Layer, concept_from_row

MAX_GLOSSARY_BYTES = 20 * 1024 * 1024


def read_tsv(path: Path, bad_rows: list[GlossaryError] | None = None) -> Layer:
    """The layer a TSV file holds. A row that cannot be read raises GlossaryError, or, when ``bad_rows`` is
    given (`glossary check`), is added to it and left out, so that every bad row is reported at once."""
    text = read_text(path, error=GlossaryError, max_bytes=MAX_GLOSSARY_BYTES)
    lines = text.splitlines()
    if not lines:
        raise GlossaryError("glossary is empty; it needs a header line: " + "\t".join(COLUMNS), path=path, line=1)
    header = [h.strip() for h in lines[0].split("\t")]
    missing = [c for c in COLUMNS if c not in header and c not in OPTIONAL_COLUMNS]
    if missing:
        raise GlossaryError(f"header lacks the column(s) {', '.join(missing)}; expected: " + "\t".join(COLUMNS),
                            path=path, line=1)
    concepts = []
    reader = csv.reader(io.StringIO("\n".join(lines[1:])), delimiter="\t", quoting=csv.QUOTE_NONE, strict=True)
    for n, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        try:
            concepts.append(_row(header, cells, path, n))
        except GlossaryError as exc:
            if bad_rows is None:
                raise
            bad_rows.append(exc)
    return Layer(path, concepts)


def _row(header: list[str], cells: list[str], path: Path, n: int) -> Concept:
    if len(cells) != len(header):
        raise GlossaryError(f"{len(cells)} columns, the header has {len(header)}; "
                            "separate cells with one tab and do not put tabs inside a cell", path=path, line=n)
    if any('"' in c[:1] for c in cells):
        raise GlossaryError("cells must not be quoted: this is tab-separated text without quoting", path=path, line=n)
    cells = [from_spreadsheet_cell(c.strip()) for c in cells]   # as write_tsv (or a spreadsheet) wrote them
    return concept_from_row(dict(zip(header, cells, strict=True)), path, n)


def write_tsv(concepts: Iterable[Concept], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(tsv_line(COLUMNS))
        for c in concepts:
            row = c.row()
            fh.write(tsv_line(row[col] for col in COLUMNS))


def read_list(path: Path, columns: tuple[str, ...], what: str) -> list[dict[str, str]]:
    """The rows of one of the termbase's word lists (a field lexicon, the names that hold a country's name),
    which must have ``columns``: ``what`` names the list in the error."""
    rows = csv.DictReader(io.StringIO(read_text(path, error=GlossaryError)), delimiter="\t",
                          quoting=csv.QUOTE_NONE)
    missing = [c for c in columns if c not in (rows.fieldnames or ())]
    if missing:
        raise GlossaryError(f"{what} needs the columns {', '.join(columns)} (no {', '.join(missing)})",
                            path=path, line=1)
    return list(rows)

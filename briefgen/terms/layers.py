"""Which glossary layers a build uses and loading them: the shipped glossaries, the user's files (TSV or
TBX), then the record's own ``<record>.glossary.tsv``; later layers win per concept."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import glossaries_dir
from ..errors import GlossaryError
from .glossary import Glossary, Layer
from .lint import Finding, overrides, problems
from .tbx import read_tbx
from .tsv import read_tsv

if TYPE_CHECKING:
    from ..config import Settings


def read_layer(path: Path, bad_rows: list[GlossaryError] | None = None) -> Layer:
    if path.suffix.lower() in (".tbx", ".xml"):
        return read_tbx(path, bad_rows)
    return read_tsv(path, bad_rows)


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


def glossary_for(record_path: Path, settings: Settings) -> Glossary:
    """Base glossaries, then the user's, then the record's own override file: later layers win. A glossary
    with errors stops the build, naming the first and the command that lists them all."""
    if not settings.use_glossary:
        return Glossary()
    glossary = load_glossary(layer_paths(record_path, settings))
    errors = [f for f in problems(glossary) if f.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise GlossaryError(f"{first.message}{more}; run `briefgen glossary check {first.file}` for the list",
                            path=first.file, line=first.line, field=first.column or first.concept or None)
    return glossary


def layer_paths(record_path: Path, settings: Settings) -> list[Path]:
    """The layers a build of this record reads, first to last."""
    override = record_override(record_path)
    return [*base_glossaries(), *settings.glossaries, *([override] if override is not None else [])]


def check_layers(files: list[Path], alone: bool = False) -> list[Path]:
    """The layers `glossary check FILE…` checks: FILE on top of the shipped glossaries, as a build would use
    it (``alone``: FILE only); no FILE: the shipped glossaries."""
    base = [] if alone and files else base_glossaries()
    shipped = {p.resolve() for p in base}
    return base + [f for f in files if Path(f).resolve() not in shipped]


def lint_files(paths: list[Path]) -> tuple[Glossary, list[Finding]]:
    """`briefgen glossary check`: every layer read (an unreadable file or row is a finding, not an exception,
    and every bad row is listed), then the problems of the merged glossary and what each override changes."""
    findings: list[Finding] = []
    glossary = Glossary()
    for path in paths:
        bad_rows: list[GlossaryError] = []
        layer = None
        try:
            layer = read_layer(path, bad_rows)
        except GlossaryError as exc:
            findings.append(Finding("error", "unreadable", exc.path or str(path), exc.line or 0, "", exc.detail,
                                    exc.field or ""))
        findings += [Finding("error", "malformed", exc.path or str(path), exc.line or 0, "", exc.detail,
                             exc.field or "") for exc in bad_rows]
        if layer is not None:
            glossary.add_layer(layer)
    return glossary, findings + problems(glossary) + overrides(glossary)

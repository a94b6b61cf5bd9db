"""Load a meeting record: strict YAML, schema validation, plain strings given the record's language, and
errors that name the file, the line and the field."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import RecordError
from .schema import FieldError, Record, resolve_source
from .yamlsource import format_path, load_yaml


class LoadedRecord(BaseModel):
    """A validated record with where it came from; ``sha256`` is the hash of the file's bytes."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    record: Record
    path: Path
    sha256: str


def load_record(path: Path | str) -> LoadedRecord:
    path = Path(path)
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise RecordError("a record must be a mapping of fields (id, source_lang, title, …)", path=path, line=1)
    try:
        record = Record.model_validate(data)
    except ValidationError as exc:
        raise _record_error(exc, path, lines) from None
    try:
        record = resolve_source(record, record.source_lang)
    except FieldError as exc:
        raise RecordError(str(exc), path=path, line=_line(lines, exc.where), field=format_path(exc.where)) from None
    return LoadedRecord(record=record, path=path, sha256=hashlib.sha256(path.read_bytes()).hexdigest())


_TYPE_TAGS = frozenset({"str", "int", "bool", "float", "list", "dict"})
_PATTERN_HINTS = {
    "id": "ids use lowercase letters, digits and '-' only",
    "owner": "ids use lowercase letters, digits and '-' only",
    "country": "use a two-letter ISO 3166-1 country code in capitals, e.g. EG",
    "date": "use YYYY-MM or YYYY-MM-DD",
}


def _record_error(exc: ValidationError, path: Path, lines: dict) -> RecordError:
    err = exc.errors(include_url=False)[0]
    ctx_error = (err.get("ctx") or {}).get("error")
    # Drop pydantic's union-member and validator tags from the location; keep real field names.
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p in _TYPE_TAGS)))
    message = err["msg"].removeprefix("Value error, ")
    if isinstance(ctx_error, FieldError):   # raised by a model's own check: its path is relative to that model
        loc, message = (*loc, *ctx_error.where), str(ctx_error)
    elif err["type"] == "missing":
        message = f"required field '{loc[-1]}' is missing"
    elif err["type"] == "extra_forbidden":
        message = f"unknown field '{loc[-1]}'; check its spelling against the schema in README.md"
    elif err["type"] == "string_pattern_mismatch" and loc:
        message = _PATTERN_HINTS.get(str(loc[-1]), message)
    return RecordError(message, path=path, line=_line(lines, loc), field=format_path(loc) if loc else None)


def _line(lines: dict, loc: tuple[str | int, ...]) -> int | None:
    """The line of the field, or of its nearest parent present in the file (for a missing field)."""
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def target_langs(loaded: LoadedRecord) -> list[str]:
    """The languages the record's briefs need besides its own."""
    rec = loaded.record
    return sorted({d.lang for d in rec.delegations} - {rec.source_lang})

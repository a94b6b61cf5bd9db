"""Load a meeting record: strict YAML, schema validation, plain strings given the record's language, and
errors that name the file, the line and the field.

Every problem of a record is reported in one run (a YAML syntax error stops the reading at the first): the
schema is validated with what the record says about itself as context (its language, its delegations, the
languages its set needs), so unknown ids and names missing a language are found with the rest, and each
message says, in plain words, what to write instead."""

from __future__ import annotations

import difflib
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ..config import LANGUAGES
from ..errors import RecordError, RecordErrors
from .schema import PLACEHOLDER, FieldError, Record, RecordFacts, bare_type, resolve_source
from .yamlsource import Path_, format_path, load_yaml


class LoadedRecord(BaseModel):
    """A validated record with where it came from; ``sha256`` is the hash of the file's bytes."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    record: Record
    path: Path
    sha256: str


def load_record(path: Path | str) -> LoadedRecord:
    path = Path(path)
    doc = load_yaml(path)
    data, lines = doc.value, doc.lines
    if not isinstance(data, dict):
        raise RecordError("a record must be a mapping of fields (id, source_lang, title, …)", path=path, line=1)
    found = _Problems(path, lines)
    found.extend(doc.problems)
    blanks = _placeholders(data)
    for loc in blanks:
        found.add(loc, _fill_in(loc, data))
    _duplicate_ids(data, found)
    facts = RecordFacts.of(data)
    record = None
    try:
        record = Record.model_validate(data, context={"record": facts})
    except ValidationError as exc:
        for loc, message in _messages(exc, facts):
            if not any(loc[: len(b)] == b for b in blanks):
                found.add(loc, message)
    if found.problems:
        raise RecordErrors(found.problems)
    assert record is not None
    try:   # a no-op after context validation; kept for records validated without one
        record = resolve_source(record, record.source_lang)
    except FieldError as exc:
        raise RecordError(str(exc), path=path, line=_line(lines, exc.where), field=format_path(exc.where)) from None
    return LoadedRecord(record=record, path=path, sha256=doc.sha256)


class _Problems:
    """The problems of one record, one per line and field (the first message found for it wins)."""

    def __init__(self, path: Path, lines: dict[Path_, int]) -> None:
        self.path, self.lines = path, lines
        self.problems: list[RecordError] = []
        self._seen: set[tuple[int | None, str | None]] = set()

    def extend(self, problems: list[RecordError]) -> None:
        for p in problems:
            self._keep(p)

    def add(self, loc: Path_, message: str) -> None:
        self._keep(RecordError(message, path=self.path, line=_line(self.lines, loc),
                               field=format_path(loc) if loc else None))

    def _keep(self, problem: RecordError) -> None:
        key = (problem.line, problem.field)
        if key not in self._seen:
            self._seen.add(key)
            self.problems.append(problem)


def _placeholders(value: Any, where: Path_ = ()) -> list[Path_]:
    """Where `briefgen new` left a … that is still there (a name's {ru: …, ar: …} counts once)."""
    if isinstance(value, str):
        return [where] if value.strip() == PLACEHOLDER else []
    if isinstance(value, dict):
        if value and set(value) <= set(LANGUAGES) and any(_placeholders(v) for v in value.values()):
            return [where]
        return [loc for k, v in value.items() for loc in _placeholders(v, (*where, k))]
    if isinstance(value, list):
        return [loc for i, v in enumerate(value) for loc in _placeholders(v, (*where, i))]
    return []


def _fill_in(loc: Path_, data: dict) -> str:
    value: Any = data
    for part in loc:
        value = value[part]
    if isinstance(value, dict):
        return (f"fill in the name in each language: replace each {PLACEHOLDER} in "
                f"{{{', '.join(f'{k}: {PLACEHOLDER}' for k in value)}}}")
    if isinstance(loc[-1], int):
        return f"fill in the {PLACEHOLDER}, or delete this item"
    model = _model_at(loc[:-1])
    info = model.model_fields.get(str(loc[-1])) if model else None
    if info is not None and not info.is_required():
        return f"fill in the {PLACEHOLDER}, or delete the line (this field is optional)"
    return f"fill in the {PLACEHOLDER}"


def _duplicate_ids(data: dict, found: _Problems) -> None:
    """Delegation and agenda ids used twice (found on the raw record, so with every other problem)."""
    names = {"delegations": "delegation", "agenda": "agenda item"}
    for key, what in names.items():
        items = data.get(key)
        first: dict[str, int] = {}
        for i, item in enumerate(items if isinstance(items, list) else []):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str) or ident.strip() == PLACEHOLDER:
                continue
            if ident in first:
                line = found.lines.get((key, first[ident], "id"))
                found.add((key, i, "id"), f"duplicate id '{ident}' (also on line {line}): give each {what} its "
                                          "own id")
            else:
                first[ident] = i


# --- pydantic's errors in plain words ------------------------------------------------------------------

def _messages(exc: ValidationError, facts: RecordFacts) -> list[tuple[Path_, str]]:
    out = []
    for err in exc.errors(include_url=False):
        loc = _clean_loc(err["loc"])
        ctx_error = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_error, FieldError):   # a model's own check: its path is relative to that model
            out.append(((*loc, *ctx_error.where), str(ctx_error)))
        else:
            out.append((loc, _message(err, loc, facts)))
    return out


def _clean_loc(loc: tuple) -> Path_:
    """pydantic's location without its union-member, validator and dict-key tags."""
    return tuple(p for p in loc if not (isinstance(p, str) and (p.startswith(("function-", "[")) or p in _TAGS)))


_TAGS = frozenset({"str", "int", "bool", "float", "list", "dict", "Text", "none", "nullable"})


def _message(err: dict, loc: Path_, facts: RecordFacts) -> str:
    kind, value = err["type"], err.get("input")
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    expected = _type_at(loc)
    if kind == "value_error":
        return err["msg"].removeprefix("Value error, ")
    if kind == "missing":
        desc = _description(loc)
        return f"required field '{loc[-1]}' is missing: add \"{loc[-1]}: …\"" + (f" ({desc})" if desc else "")
    if kind == "extra_forbidden":
        fields = list(_model_at(loc[:-1]).model_fields) if _model_at(loc[:-1]) else []
        close = difflib.get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"the fields here are {', '.join(fields)}"
        return f"unknown field '{loc[-1]}': {hint}"
    if kind == "list_type":
        return f'must be a list: write each item on its own line starting with "- ", indented under "{name}:"'
    if kind in ("model_type", "model_attributes_type") and isinstance(expected, type):
        fields = ", ".join(expected.model_fields)
        if loc and isinstance(loc[-1], int):
            return f'must be a mapping with the fields {fields}: write them after the "- ", each on its own line'
        return f'must be a mapping with the fields {fields}, each on its own line indented under "{name}:"'
    if kind == "dict_type":
        known = ", ".join(sorted(facts.delegations or ())) or "the delegations' ids"
        first = sorted(facts.delegations)[0] if facts.delegations else "id"
        return (f"must be a mapping from delegation id ({known}) to a list of paragraphs: write the delegation's "
                f'id, e.g. "{first}:", indented under "{name}:", then its "- " paragraphs under it')
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"must be a whole number, e.g. 2 (not '{value}')"
    if kind == "greater_than_equal":
        return f"must be {err['ctx']['ge']} or more"
    if kind == "literal_error":
        choices = [c.strip(" '") for c in err["ctx"]["expected"].replace(" or ", ",").split(",")]
        lower = isinstance(value, str) and value.lower() in choices
        return (f"must be one of {', '.join(choices)} (not '{value}')" + (": write it in lowercase" if lower else ""))
    if kind == "string_pattern_mismatch":
        return _pattern_hint(name, value)
    if kind == "string_type":
        what = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else f"'{value}'"
        quote = f": put it in quotes, e.g. {name}: \"{value}\"" if isinstance(value, (int, float, bool)) else ""
        return f"must be a text, not {what}{quote}"
    if kind == "too_short":
        what = {"delegations": "delegation", "agenda": "agenda item"}.get(name, "item")
        return f'at least one {what} is needed: add it under "{name}:", starting with "- "'
    if kind == "string_too_long":
        return f"is too long: at most {err['ctx']['max_length']} characters"
    return err["msg"]


def _pattern_hint(name: str, value: Any) -> str:
    if name == "country":
        code = _country_code(value)
        return ("use the two-letter ISO 3166-1 country code in capitals: "
                + (f"{code} for '{value}'" if code else "e.g. EG for Egypt, RU for Russia, TN for Tunisia"))
    return "ids use lowercase letters, digits and '-' only" + (f" (not '{value}')" if isinstance(value, str) else "")


def _country_code(value: Any) -> str | None:
    """The ISO code of a country named in English, French, Russian or Arabic (CLDR), or given in lowercase."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) == 2 and text.isalpha() and text.isascii():
        return text.upper()
    from babel import Locale

    wanted = text.casefold()
    for lang in ("en", *LANGUAGES):
        for code, country in Locale.parse(lang).territories.items():
            if len(code) == 2 and country.casefold() == wanted:
                return code
    return None


# --- what the schema expects at a location -------------------------------------------------------------

def _type_at(loc: Path_) -> Any:
    tp: Any = Record
    for part in loc:
        tp = bare_type(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            info = tp.model_fields.get(str(part))
            if info is None:
                return None
            tp = info.annotation if not info.metadata else typing.Annotated[info.annotation, *info.metadata]
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        else:
            return None
    return bare_type(tp)


def _model_at(loc: Path_) -> type[BaseModel] | None:
    tp = _type_at(loc)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _description(loc: Path_) -> str:
    model = _model_at(loc[:-1])
    info = model.model_fields.get(str(loc[-1])) if model else None
    text = (info.description or "") if info else ""
    text = text.removeprefix("Optional. ").rstrip(".")
    return text[:1].lower() + text[1:]


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

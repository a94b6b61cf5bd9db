"""Read a YAML file strictly: UTF-8 only, size-capped, no aliases, no implicit dates, no duplicate keys.

Returns the plain value and a map from field path to line, so later validation errors can name the line.
A syntax error is reported in plain words, with what to type instead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import RecordError, RecordErrors
from ..files import decode_text, read_bytes

Path_ = tuple[str | int, ...]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (alias bombs) and leaves dates for the schema to parse."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError("while reading", None,
                                       "YAML aliases (*name) are not allowed in a record", event.start_mark)
        return super().compose_node(parent, index)


# Dates stay strings: the schema parses them and can say which date is impossible.
_StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlDocument:
    """A record file read as YAML: its value, the line of every field path, and the problems found while
    reading that do not stop the reading (duplicate keys), so they are reported with the schema's."""

    value: Any
    lines: dict[Path_, int]
    problems: list[RecordError] = field(default_factory=list)
    sha256: str = ""            # of the bytes read, so the record is read once (a FIFO or device never twice)


# A record is six or seven levels deep; PyYAML's composer recurses once per level, so a file nested tens of
# thousands deep would end in RecursionError. The depth is measured on the event stream, which is iterative.
MAX_DEPTH = 40


def load_yaml(path: Path) -> YamlDocument:
    raw = read_bytes(path)
    text = decode_text(raw, path)
    try:
        _check_depth(text, path)
        node = yaml.compose(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path) from exc
    except yaml.YAMLError as exc:
        raise RecordError(f"YAML error: {exc}", path=path) from exc
    if node is None:
        raise RecordError("file is empty", path=path, line=1)
    doc = YamlDocument(None, {}, sha256=hashlib.sha256(raw).hexdigest())
    doc.value = _build(node, (), doc, path)
    return doc


def _check_depth(text: str, path: Path) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=_StrictLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise RecordError(f"nested more than {MAX_DEPTH} levels deep; a record is a few levels of fields "
                                  "and lists: check the indentation and the brackets", path=path,
                                  line=event.start_mark.line + 1)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _build(node: yaml.Node, where: Path_, doc: YamlDocument, path: Path) -> Any:
    # A field's line is its key's line (set by the mapping); an item's is its own.
    doc.lines.setdefault(where, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise RecordError("mapping keys must be plain names", path=path,
                                  line=key_node.start_mark.line + 1, field=format_path(where))
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in out:
                doc.problems.append(RecordError(
                    f"duplicate key '{key}' (also on line {doc.lines[(*where, key)]}): keep one",
                    path=path, line=line, field=format_path((*where, key))))
                continue
            doc.lines[(*where, key)] = line
            out[key] = _build(value_node, (*where, key), doc, path)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*where, i), doc, path) for i, item in enumerate(node.value)]
    loader = _StrictLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise RecordError(f"bad value: {exc}", path=path, line=node.start_mark.line + 1,
                          field=format_path(where)) from exc
    finally:
        loader.dispose()


def format_path(where: Path_) -> str:
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


# --- YAML syntax errors in plain words ---------------------------------------------------------------
# PyYAML speaks of tokens and block ends; a protocol officer needs the line and what to type instead.
# Reading cannot go on after a syntax error, so only the first is reported, except tabs: every line
# indented with a tab is listed, since the fix is the same for all of them.

_KEY = re.compile(r"^\s*(?:-\s+)?([^\s:#][^:#]*?)\s*:(?:\s|$)")


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: Path) -> RecordError:
    lines = text.splitlines()
    problem, context = exc.problem or "", exc.context or ""
    mark, start = exc.problem_mark, exc.context_mark
    line = mark.line + 1 if mark else None

    def at(n: int | None, message: str) -> RecordError:
        return RecordError(message, path=path, line=n)

    if "'\\t'" in problem:     # PyYAML shows the character as repr() does
        tabbed = [i for i, s in enumerate(lines, 1) if "\t" in s[: len(s) - len(s.lstrip())]]
        problems = [at(i, "this line is indented with a tab: indent with spaces, not tabs") for i in tabbed]
        if len(problems) > 1:
            return RecordErrors(problems)
        return problems[0] if problems else at(line, "a tab character here: use spaces, not tabs")
    if "aliases" in problem:
        return at(line, "YAML syntax error: " + problem)
    text_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    if problem.startswith("found character") and "cannot start any token" in problem:
        char = problem.split("'")[1] if "'" in problem else problem
        return at(line, f'a text cannot start with "{char}": put the whole text in quotes')
    if context.startswith("while scanning a quoted scalar") and start is not None:
        quote = lines[start.line][start.column] if start.line < len(lines) else '"'
        return at(start.line + 1, f"the quote opened here is never closed: end the text with {quote}")
    if context.startswith("while scanning a simple key") and start is not None:
        return at(start.line + 1, 'expected "field: value" on this line: put a colon and a space after the '
                                  "field's name")
    if context.startswith("while parsing a flow") and start is not None:
        opener = "{" if "mapping" in context else "["
        closer = "}" if opener == "{" else "]"
        if start.line != mark.line:
            return at(start.line + 1, f"the {opener} opened here is never closed: add the closing {closer}")
        return at(line, f'inside {opener} … {closer}, a text with ":" or "," in it must be put in quotes')
    if problem == "sequence entries are not allowed here":
        key = _KEY.match(text_line)
        under = f' under "{key.group(1)}:"' if key else ""
        return at(line, f'a "- " item must start on its own line, indented{under}')
    if problem == "mapping values are not allowed here":
        key = _KEY.match(text_line)
        if key and mark.column > key.end():
            value = text_line[key.end():].strip()
            quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
            return at(line, f'a text with ": " in it must be put in quotes: {key.group(1)}: {quoted}')
        return at(line, "this field is indented further than the field above it: start the fields of one "
                        "mapping in the same column")
    if problem.startswith("expected <block end>") and start is not None:
        found = problem.rpartition("found ")[2]
        before = text_line[: mark.column].rstrip()
        if found == "'<scalar>'" and before.endswith(("'", '"')):
            key = _KEY.match(text_line)
            value = text_line[key.end():].strip() if key else ""
            inner = value[1:-1] if len(value) > 1 and value[0] == value[-1] == "'" else value.strip("'")
            return at(line, f"the quoted text ends too early: inside '…' write a ' twice "
                            f"('{inner.replace(chr(39), chr(39) * 2)}'), or quote the text with \"…\"")
        if found == "'<block sequence start>'":
            return at(line, f'this "- " item does not line up with the items above it (line {start.line + 1}): '
                            "start the items of one list in the same column")
        if found == "'<block mapping start>'":
            return at(line, f"this field does not line up with the fields above it (line {start.line + 1}): "
                            "start the fields of one mapping in the same column")
        return at(line, f"this line does not line up with the lines above it (from line {start.line + 1}): "
                        "check its indentation")
    detail = problem or context or "invalid YAML"
    if context and start is not None and mark is not None and start.line != mark.line:
        detail += f" ({context.removeprefix('while ')} started on line {start.line + 1})"
    return at(line, f"YAML syntax error: {detail}")

"""Read a YAML file strictly: UTF-8 only, size-capped, no aliases, no implicit dates, no duplicate keys.

Returns the plain value and a map from field path to line, so later validation errors can name the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import RecordError
from ..files import read_text

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


def load_yaml(path: Path) -> tuple[Any, dict[Path_, int]]:
    text = read_text(path)
    try:
        node = yaml.compose(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != mark.line:
            problem += f" ({exc.context.removeprefix('while ')} started on line {exc.context_mark.line + 1})"
        raise RecordError(f"YAML syntax error: {problem}", path=path, line=line) from exc
    except yaml.YAMLError as exc:
        raise RecordError(f"YAML error: {exc}", path=path) from exc
    if node is None:
        raise RecordError("file is empty", path=path, line=1)
    lines: dict[Path_, int] = {}
    value = _build(node, (), lines, path)
    return value, lines


def _build(node: yaml.Node, where: Path_, lines: dict[Path_, int], path: Path) -> Any:
    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise RecordError("mapping keys must be plain names", path=path,
                                  line=key_node.start_mark.line + 1, field=format_path(where))
            key = key_node.value
            if key in out:
                raise RecordError(f"duplicate key '{key}'; keep one", path=path,
                                  line=key_node.start_mark.line + 1, field=format_path((*where, key)))
            out[key] = _build(value_node, (*where, key), lines, path)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*where, i), lines, path) for i, item in enumerate(node.value)]
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

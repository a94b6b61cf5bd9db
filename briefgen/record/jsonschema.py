"""The record's JSON Schema, for editors: `briefgen schema` writes it, a record names it in its first line
(``# yaml-language-server: $schema=record.schema.json``), and VS Code's YAML extension (or any editor using
yaml-language-server) checks and completes the record as it is typed, showing each field's description.

Generated from the pydantic models, so it never drifts from what `briefgen check` accepts; it is written as
JSON Schema draft-07, the version yaml-language-server validates with (``definitions`` rather than
``$defs``, and no keywords beside a ``$ref``, which draft-07 ignores). The cross-field rules (an owner names
a delegation, names in every language of the set) are beyond JSON Schema: `briefgen check` reports them.
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from .schema import Record

MARK = b'"$comment": "Written by `briefgen schema`'   # how the output guard knows a file is ours
DRAFT = "http://json-schema.org/draft-07/schema#"


def record_schema() -> dict[str, Any]:
    schema = Record.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    body = _draft7({**schema, "definitions": definitions})
    return {"$schema": DRAFT,
            "$comment": f"Written by `briefgen schema` (briefgen {__version__}); write it again after "
                        "updating briefgen.",
            "title": "briefgen meeting record", **body}


def schema_text() -> str:
    return json.dumps(record_schema(), ensure_ascii=False, indent=2) + "\n"


def _draft7(node: Any, key: str = "") -> Any:
    """Draft-07 form: a ``$ref`` with siblings becomes ``allOf: [{$ref}]`` beside them; pydantic's per-field
    titles (the field name again, capitalised) are dropped, so editors show the descriptions."""
    if isinstance(node, list):
        return [_draft7(v) for v in node]
    if not isinstance(node, dict):
        return node
    if key in ("properties", "definitions"):    # names mapped to schemas: a field may be called "title"
        return {name: _draft7(schema) for name, schema in node.items()}
    out = {k: _draft7(v, k) for k, v in node.items() if not (k == "title" and isinstance(v, str))}
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out["allOf"] = [{"$ref": ref}]
    return out

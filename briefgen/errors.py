"""The exceptions briefgen raises. The CLI catches only ``BriefgenError`` and prints one line.

    BriefgenError                  base; ``exit_code`` is what the CLI returns
    ├── InputError                 a user's file is wrong (exit 2)
    │   ├── RecordError            meeting record: file, line and field path
    │   ├── GlossaryError          glossary TSV/TBX
    │   └── ExchangeError          TMX/XLIFF files, model bundles
    ├── SetupError                 the machine lacks something (exit 2)
    │   ├── MissingTranslationError  segments no record, memory or model covers
    │   └── ModelError             a model is missing or damaged
    └── RenderError                HTML/PDF rendering failed (exit 2)

Third-party exceptions are re-raised as one of these with ``raise ... from exc``.
"""

from __future__ import annotations

from pathlib import Path


class BriefgenError(Exception):
    exit_code = 2


class InputError(BriefgenError):
    """A file the user gave is wrong; the message says where and what to do."""

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.field = field
        self.detail = message
        super().__init__(self._format())

    def _format(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        if self.field:
            where += f"{self.field}: "
        return where + self.detail


class RecordError(InputError):
    pass


class GlossaryError(InputError):
    pass


class ExchangeError(InputError):
    pass


class SetupError(BriefgenError):
    pass


class MissingTranslationError(SetupError):
    def __init__(self, missing: dict[tuple[str, str], list[str]], hint: str) -> None:
        self.missing = missing
        parts = []
        for (src, tgt), ids in sorted(missing.items()):
            shown = ", ".join(ids[:5]) + (f" … (+{len(ids) - 5} more)" if len(ids) > 5 else "")
            parts.append(f"{src}→{tgt}: {len(ids)} segment(s): {shown}")
        super().__init__("no translation for " + "; ".join(parts) + ". " + hint)


class ModelError(SetupError):
    pass


class RenderError(BriefgenError):
    pass

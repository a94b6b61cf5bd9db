"""The exceptions briefgen raises. The CLI catches only ``BriefgenError`` and prints what ``report`` gives:
one line, or one line per problem when a record has several.

    BriefgenError                  base; ``exit_code`` is what the CLI returns
    ├── InputError                 a user's file is wrong (exit 2)
    │   ├── RecordError            meeting record: file, line and field path
    │   │   └── RecordErrors       every problem of one record, each a RecordError
    │   ├── GlossaryError          glossary TSV/TBX
    │   └── ExchangeError          TMX/XLIFF files, model bundles
    ├── SetupError                 the machine lacks something (exit 2)
    │   ├── MissingTranslationError  segments no record, memory or model covers
    │   └── ModelError             a model is damaged or cannot be loaded
    │       └── ModelNotInstalledError  no model installed for a direction
    └── RenderError                HTML/PDF rendering failed (exit 2)

Third-party exceptions are re-raised as one of these with ``raise ... from exc``.
"""

from __future__ import annotations

from pathlib import Path


class BriefgenError(Exception):
    exit_code = 2

    def report(self, verbose: bool = False) -> list[str]:
        """The lines the CLI prints for this error."""
        first, *rest = str(self).splitlines() or [""]
        return [f"briefgen: error: {first}", *rest]


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


class RecordErrors(RecordError):
    """Every problem found in one record, in the order of its lines: a user fixes them all in one go."""

    def __init__(self, problems: list[RecordError]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.field or ""))
        first = self.problems[0]
        super().__init__(first.detail, path=first.path, line=first.line, field=first.field)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def report(self, verbose: bool = False) -> list[str]:
        lines = [f"briefgen: error: {p}" for p in self.problems]
        if len(self.problems) > 1:
            lines.append(f"briefgen: {len(self.problems)} problems in {self.path}: fix them all, then run again")
        return lines


class GlossaryError(InputError):
    pass


class ExchangeError(InputError):
    pass


class SetupError(BriefgenError):
    pass


class MissingTranslationError(SetupError):
    """Texts that neither the record, its .tmx, the memory nor an installed model can give.

    ``missing`` maps each blocked direction to its texts as (segment id, source text); ``reasons`` says
    why no model can draft them (none installed, or a damaged one). The message lists the texts (a few per
    direction; all of them, with their source, when verbose) and the three ways to get them."""

    SHOWN = 10

    def __init__(self, missing: dict[tuple[str, str], list[tuple[str, str]]], reasons: dict[tuple[str, str], str],
                 record: Path | str | None = None) -> None:
        self.missing = missing
        self.reasons = reasons
        self.record = str(record) if record is not None else None
        super().__init__("\n".join(self._lines(verbose=False)))

    def report(self, verbose: bool = False) -> list[str]:
        first, *rest = self._lines(verbose)
        return [f"briefgen: error: {first}", *rest]

    def _lines(self, verbose: bool) -> list[str]:
        where = f"{self.record}: " if self.record else ""
        lines = [f"{where}texts with no translation, and no model to draft them:"]
        for (src, tgt), texts in sorted(self.missing.items()):
            reason = self.reasons.get((src, tgt), "")
            lines.append(f"  {src}→{tgt}: {len(texts)} text(s)" + (f" ({reason})" if reason else "") + ":")
            if verbose:
                lines += [f"    {seg_id}: {source}" for seg_id, source in texts]
            else:
                shown = ", ".join(seg_id for seg_id, _ in texts[: self.SHOWN])
                more = len(texts) - self.SHOWN
                lines.append(f"    {shown}" + (f" … and {more} more (-v lists them all)" if more > 0 else ""))
        src = next(iter(self.missing))[0] if self.missing else "fr"
        lines += ways_out(self.record, src, sorted({tgt for _, tgt in self.missing}))
        return lines


def ways_out(record: str | None, src: str, langs: list[str]) -> list[str]:
    """The three ways to get translations that nothing covers yet, with the commands to type."""
    rec = record or "RECORD"
    stem = Path(rec).stem if record else "RECORD"
    tmx = str(Path(rec).with_suffix(".tmx")) if record else "its .tmx"
    example = langs[0] if langs else "xx"
    return [
        "Three ways to get them:",
        "  1. install translation models: `make models` on a networked machine, or "
        "`briefgen models install BUNDLE.tar` offline (`briefgen doctor` lists the installed directions);",
        f"  2. send the texts to a translator: `briefgen review export {rec} --lang {example} --missing -o "
        f"{stem}.{example}.xlf` (add --force to replace an earlier export), then "
        f"`briefgen review import {stem}.{example}.xlf` when it comes back"
        + (f" (once per language: {', '.join(langs)})" if len(langs) > 1 else "") + ";",
        f"  3. write the translations yourself, into the record (e.g. title: {{{src}: …, {example}: …}}) "
        f"or into {tmx}.",
    ]


class ModelError(SetupError):
    pass


class ModelNotInstalledError(ModelError):
    """No model is installed for a direction (rather than a damaged one): the texts can still come from a
    translator or be written by hand, so a build lists them with the three ways to get them."""


class RenderError(BriefgenError):
    pass

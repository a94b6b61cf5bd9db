"""`briefgen check`, `briefgen schema` and `briefgen new`: a protocol officer's first record.

No logic here: each command calls the library and turns its result into lines and an exit code.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO


def register(sub: Any) -> None:
    c = sub.add_parser("check", help="everything a build would refuse, without building: exit 0 when each record "
                                     "is ready, 2 when not")
    c.add_argument("records", nargs="+", type=Path, metavar="RECORD", help="meeting record (.yaml)")
    c.add_argument("--backend", choices=["auto", "ct2", "hf", "pseudo", "none"], default="auto",
                   help="the translation backend the build would use (default: auto, the installed ct2 models)")
    c.add_argument("--glossary", type=Path, action="append", default=[], metavar="FILE",
                   help="extra glossary layer the build would use; repeatable")
    c.add_argument("--no-glossary", action="store_true", help="the build would run without the glossary")
    c.set_defaults(func=_cmd_check)

    s = sub.add_parser("schema", help="the record's JSON Schema, for editors that check records as you type")
    s.add_argument("-o", "--output", type=Path, metavar="FILE.json",
                   help="write it to this file (e.g. meetings/record.schema.json) instead of printing it")
    s.set_defaults(func=_cmd_schema)

    n = sub.add_parser("new", help="start a record: every field explained, … where you type")
    n.add_argument("id", metavar="ID", help="the record's id, e.g. tn-ru-2024-06-05")
    n.add_argument("--source", required=True, choices=["fr", "ru", "ar"], help="the language you write it in")
    n.add_argument("--delegation", action="append", required=True, metavar="ID:LANG:COUNTRY",
                   help="one per delegation: its id, the language of its brief, its country (e.g. tn:ar:TN)")
    n.add_argument("-o", "--output", type=Path, metavar="FILE.yaml", help="default: meetings/ID.yaml")
    n.set_defaults(func=_cmd_new)


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from ..config import Settings
    from ..errors import ways_out
    from ..qa.readiness import readiness
    from ..translate.loader import make_translator

    settings = Settings(backend=None if args.backend == "none" else args.backend, glossaries=args.glossary,
                        use_glossary=not args.no_glossary)
    translator = make_translator(settings)
    status = 0
    try:
        for path in args.records:
            report = readiness(path, settings, translator)
            for problem in [*report.problems, *report.glossary]:
                print(problem, file=out)
            for c in report.conflicts:
                print(f"{path}: {c.segment_id} ({c.lang}): {c.message()}", file=out)
            uncovered: list[str] = []
            for d in report.directions:
                counts = f"{d.given} in the record, {d.reviewed} reviewed, {d.machine} machine drafts"
                if d.reused:
                    counts += f", {d.reused} reviewed for other records (from the memory)"
                if not d.uncovered:
                    state = "all covered"
                elif d.blocked is None:
                    state = f"{len(d.uncovered)} to be drafted by the installed model"
                else:
                    state = f"{len(d.uncovered)} with no translation ({d.blocked})"
                    uncovered.append(d.tgt)
                print(f"{path}: {d.src}→{d.tgt}: {d.total} texts: {counts}; {state}", file=out)
                if d.uncovered and d.blocked is not None:
                    shown = d.uncovered if args.verbose else d.uncovered[:10]
                    for seg in shown:
                        print(f"  {seg.id}: {seg.source}" if args.verbose else f"  {seg.id}", file=out)
                    if len(d.uncovered) > len(shown):
                        print(f"  … and {len(d.uncovered) - len(shown)} more (-v lists them all)", file=out)
            reasons = _reasons(report)
            if reasons:
                status = 2
                print(f"{path}: not ready: {'; '.join(reasons)}", file=out)
                if uncovered:
                    src = report.directions[0].src
                    print("\n".join(ways_out(str(path), src, uncovered)), file=out)
            else:
                print(f"{path}: ready to build", file=out)
    finally:
        if translator is not None:
            translator.close()
    return status


def _reasons(report: Any) -> list[str]:
    reasons = []
    if report.problems:
        reasons.append(f"{len(report.problems)} problem(s) in the record")
    if report.glossary:
        files = ", ".join(dict.fromkeys(str(g.path) for g in report.glossary))
        reasons.append(f"{len(report.glossary)} glossary error(s) (`briefgen glossary check {files}` lists them "
                       "with the warnings)")
    if report.conflicts:
        reasons.append(f"{len(report.conflicts)} segment(s) with two reviewed translations that disagree")
    missing = sum(len(d.uncovered) for d in report.directions if not d.ready)
    if missing:
        reasons.append(f"{missing} text(s) with no translation and no model to draft them")
    return reasons


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    from ..files import guard_output, replacing
    from ..record.jsonschema import MARK, schema_text

    text = schema_text()
    if args.output is None:
        out.write(text)
        return 0
    guard_output(args.output, mark=MARK, replace_ours=True)
    with replacing(args.output) as tmp:
        tmp.write_text(text, encoding="utf-8")
    print(f"{args.output}: the record's JSON Schema; put `# yaml-language-server: $schema={args.output.name}` "
          "as the first line of a record beside it", file=out)
    return 0


def _cmd_new(args: argparse.Namespace, out: TextIO) -> int:
    from ..errors import InputError
    from ..files import guard_output, replacing
    from ..record.jsonschema import MARK, schema_text
    from ..record.skeleton import SCHEMA_FILE, DelegationSpec, skeleton

    path = args.output or Path("meetings") / f"{args.id}.yaml"
    specs = [DelegationSpec.parse(text) for text in args.delegation]
    text = skeleton(args.id, args.source, specs, str(path))
    if path.exists() or path.is_symlink():
        raise InputError("exists already: `briefgen new` never replaces a record; choose another id or -o FILE",
                         path=path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    print(f"{path}: new record; fill in every …, then `briefgen check {path}`", file=out)
    schema = path.parent / SCHEMA_FILE
    try:
        guard_output(schema, mark=MARK, replace_ours=True)
    except InputError as exc:   # the user's own file of that name stays; the editor header then points at it
        print(f"briefgen: note: {exc}; the record's editor header names it", file=args.stderr)
        return 0
    if not schema.exists() or schema.read_text(encoding="utf-8") != schema_text():
        with replacing(schema) as tmp:
            tmp.write_text(schema_text(), encoding="utf-8")
        print(f"{schema}: the JSON Schema your editor checks the record with", file=out)
    return 0

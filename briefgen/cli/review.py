"""`briefgen review export|import` (XLIFF 1.2) and `briefgen memory export|import` (TMX)."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import TextIO


def register(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("review", help="exchange a record's translations with translators (XLIFF 1.2)")
    rs = r.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    e = rs.add_parser("export", help="write every segment of a record in one language for a CAT tool")
    e.add_argument("record", type=Path, metavar="RECORD")
    e.add_argument("--lang", required=True, choices=["fr", "ru", "ar"])
    e.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlf")
    e.add_argument("--delegation", metavar="ID", help="only what this delegation's brief prints (needed when two "
                                                      "delegations read the language, each with its own points)")
    e.add_argument("--force", action="store_true", help="replace an earlier export of that name (never the record "
                                                        "or a file briefgen did not write)")
    e.set_defaults(func=_export)
    i = rs.add_parser("import", help="take a translator's XLIFF as reviewed translations: into the record's .tmx "
                                     "(created if missing) and the memory")
    i.add_argument("xliff", type=Path, metavar="FILE.xlf")
    i.add_argument("--record", type=Path, help="the record (default: the one the file was exported from)")
    i.add_argument("--lang", choices=["fr", "ru", "ar"], help="refuse the file unless it is in this language")
    i.add_argument("--reviewer", default=None, help="name kept as the provenance (default: your login)")
    i.set_defaults(func=_import)
    v = rs.add_parser("serve", help="review a record in the browser: the translators' desk (docs/desk.md)")
    v.add_argument("record", type=Path, metavar="RECORD")
    v.add_argument("--lang", choices=["fr", "ru", "ar"], help="the language the address opens on (default: the "
                                                                "record's first target language)")
    v.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    v.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; any other "
                                                        "needs --allow-remote)")
    v.add_argument("--allow-remote", action="store_true", help="listen on --host even if other machines can reach it")
    v.add_argument("--out", type=Path, default=Path("out"), help="where the last build's QA report is read from "
                                                                  "(default: out)")
    v.set_defaults(func=_serve)

    m = sub.add_parser("memory", help="export or import the translation memory (TMX 1.4); init a shared one, copy one")
    ms = m.add_subparsers(dest="memory_command", metavar="ACTION", required=True)
    me = ms.add_parser("export", help="write the memory, or one record's translations, as TMX")
    me.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.tmx")
    me.add_argument("--record", type=Path, metavar="RECORD",
                    help="only this record's translations (what its build would use), ids = its segment ids")
    me.add_argument("--reviewed-only", action="store_true", help="leave machine drafts out")
    me.add_argument("--force", action="store_true", help="replace an earlier export of that name (never the memory "
                                                         "or a file briefgen did not write)")
    me.set_defaults(func=_memory_export)
    mi = ms.add_parser("import", help="add a TMX file's units to the memory")
    mi.add_argument("tmx", type=Path, metavar="FILE.tmx")
    mi.add_argument("--reviewed", action="store_true",
                    help="take units without briefgen's x-briefgen-status as reviewed translations (default: "
                         "machine drafts, which builds do not print until a translator confirms them)")
    mi.set_defaults(func=_memory_import)
    from .memory import register as register_admin

    register_admin(ms)


def _export(args: argparse.Namespace, out: TextIO) -> int:
    from ..config import Settings
    from ..files import guard_output
    from ..memory.review import sidecar_of
    from ..memory.xliff import MARK
    from ..qa.review import export_review

    settings = Settings()
    guard_output(args.output, inputs={"the record": args.record, "the record's .tmx": sidecar_of(args.record),
                                      "the translation memory": _file(settings.memory)}, mark=MARK, force=args.force)
    n = export_review(args.record, args.lang, args.output, settings, args.delegation)
    print(f"{args.output}: {n} segments for review", file=out)
    return 0


def _import(args: argparse.Namespace, out: TextIO) -> int:
    from ..config import Settings
    from ..memory.review import import_review

    report = import_review(args.xliff, Settings(), record=args.record, lang=args.lang,
                           reviewer=args.reviewer or getpass.getuser())
    print(f"{report.record_id} {report.lang}: imported {len(report.imported)} reviewed segment(s), "
          f"{len(report.unchanged)} unchanged, {len(report.stale)} stale; {report.sidecar} now holds "
          f"{report.in_sidecar} reviewed translation(s) (keep it beside the record)", file=out)
    if report.stale:
        print("stale (the source changed since export; not imported, export again): "
              + ", ".join(report.stale), file=args.stderr)
    return 0


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    from ..config import Settings
    from ..desk.server import prepare, serve
    from ..errors import SetupError
    from ..record.load import load_record, target_langs

    if not 0 <= args.port <= 65535:
        raise SetupError(f"--port {args.port}: choose a port from 1 to 65535 (0: a free one)")
    langs = target_langs(load_record(args.record))
    if args.lang is not None and args.lang not in langs:
        raise SetupError(f"--lang {args.lang}: {args.record} has no brief in that language (it has: "
                         f"{', '.join(langs) or 'none'})")
    serving = prepare(args.record, Settings(out_dir=args.out), lang=args.lang, host=args.host, port=args.port,
                      allow_remote=args.allow_remote)
    if serving.remote:
        print(f"briefgen: warning: listening on {args.host}, reachable from other machines: anyone with the "
              "address below can change this record's translations", file=args.stderr)
    print(f"translators' desk for {args.record}: open {serving.url}", file=out)
    print("(the address carries this run's token; Ctrl+C stops the desk)", file=out, flush=True)
    serve(serving)
    print("desk stopped; every confirmed text is saved", file=out)
    return 0


def _memory_export(args: argparse.Namespace, out: TextIO) -> int:
    from ..config import Settings
    from ..files import guard_output, replacing
    from ..memory.review import export_record, sidecar_of
    from ..memory.store import Memory
    from ..memory.tmx import MARK, write_tmx
    from ..record.load import load_record

    settings = Settings()
    inputs = {"the translation memory": _file(settings.memory)}
    if args.record is not None:
        inputs |= {"the record": args.record, "the record's .tmx": sidecar_of(args.record)}
    guard_output(args.output, inputs=inputs, mark=MARK, force=args.force)
    if args.record is not None:
        units = export_record(args.record, settings, reviewed_only=args.reviewed_only)
        record_id: str | None = load_record(args.record).record.id
    else:
        with Memory(settings.memory, read_only=True) as memory:
            units = [u for u in memory.units() if not args.reviewed_only or u.status == "reviewed"]
        record_id = None
    with replacing(args.output) as tmp:
        n = write_tmx(units, tmp, record_id=record_id)
    print(f"{args.output}: {n} translation units", file=out)
    return 0


def _memory_import(args: argparse.Namespace, out: TextIO) -> int:
    from ..config import memory_path
    from ..memory.store import Memory
    from ..memory.tmx import read_tmx

    units = read_tmx(args.tmx, reviewed=args.reviewed)
    with Memory(memory_path(), read_only=False) as memory:
        memory.store(units)
    machine = sum(u.status == "machine" for u in units)
    print(f"{args.tmx}: {len(units)} translations added to the memory ({len(units) - machine} reviewed, "
          f"{machine} machine drafts)", file=out)
    return 0


def _file(memory: Path | str) -> Path | None:
    """The memory's file, which no output may overwrite; None for a PostgreSQL memory (no file here)."""
    return memory if isinstance(memory, Path) else None

"""`briefgen glossary check|export|import`: the translators' glossary commands."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import TextIO


def register(sub: argparse._SubParsersAction) -> None:
    g = sub.add_parser("glossary", help="check, export or import glossaries").add_subparsers(
        dest="glossary_command", metavar="ACTION", required=True)
    c = g.add_parser("check", help="lint glossaries: FILE on top of the shipped ones, as a build uses it "
                                   "(default: the shipped ones); show overrides; check a record")
    c.add_argument("files", nargs="*", type=Path, metavar="FILE", help="glossary layers in order (TSV or TBX)")
    c.add_argument("--alone", action="store_true", help="check FILE without the shipped glossaries under it")
    c.add_argument("--record", type=Path, help="also list where each term occurs in this record and whether "
                                                "its translations honour it (adds its .glossary.tsv override)")
    c.add_argument("--format", choices=["table", "tsv", "json"], default="table")
    c.set_defaults(func=_check)
    e = g.add_parser("export", help="write glossaries as one TBX-Basic file for CAT tools")
    e.add_argument("files", nargs="*", type=Path, metavar="FILE")
    e.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.tbx")
    e.add_argument("--force", action="store_true", help="replace an earlier export of that name")
    e.set_defaults(func=_export)
    v = g.add_parser("eval", help="precision and recall of term matching on labelled sentences "
                                  "(FOLDER/fr.tsv, ru.tsv, ar.tsv; see tests/data/terms)")
    v.add_argument("folder", type=Path, metavar="FOLDER")
    v.add_argument("files", nargs="*", type=Path, metavar="FILE", help="glossary layers on top of the shipped ones")
    v.add_argument("--misses", action="store_true", help="list every false positive and false negative")
    v.add_argument("--min-precision", type=float, default=0.98, metavar="P")
    v.add_argument("--min-recall", type=float, default=0.95, metavar="R")
    v.add_argument("--max-trap-share", type=float, default=1.0, metavar="S",
                   help="fail above this share of traps falsely matched")
    v.add_argument("--ids", metavar="FIRST-LAST", help="only the sentences numbered so (e.g. 301-500)")
    v.set_defaults(func=_eval)
    i = g.add_parser("import", help="convert a TBX file from a CAT tool into a glossary TSV")
    i.add_argument("tbx", type=Path, metavar="FILE.tbx")
    i.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.tsv")
    i.set_defaults(func=_import)


def _layers(files: list[Path], record: Path | None = None, alone: bool = False) -> list[Path]:
    from ..terms.layers import check_layers, record_override

    paths = check_layers(list(files), alone)
    if record is not None and (override := record_override(record)) is not None:
        paths.append(override)
    return paths


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from ..terms.layers import lint_files

    glossary, findings = lint_files(_layers(args.files, args.record, args.alone))
    usage = []
    if args.record:   # the memory and the record are read only when asked for
        from ..config import memory_path
        from ..qa.usage import record_usage

        usage = record_usage(glossary, args.record, memory_path())
    rows = [asdict(f) for f in findings]
    if args.format == "json":
        json.dump({"concepts": len(glossary.concepts), "findings": rows, "record": usage}, out,
                  ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "tsv":
        _table(rows, ["severity", "code", "file", "line", "column", "concept", "message"], out, args.format)
    else:   # file:line: column: message, as editors and compilers print it
        for f in findings:
            concept = f", {f.concept}" if f.concept else ""
            out.write(f"{f.where()}{f.message} [{f.severity} {f.code}{concept}]\n")
    if usage and args.format != "json":
        out.write("\n")
        _table(usage, list(usage[0]), out, args.format)
    errors = sum(f.severity == "error" for f in findings)
    if args.format == "table":
        warnings = sum(f.severity == "warning" for f in findings)
        print(f"{len(glossary.concepts)} concepts in {len(glossary.layers)} file(s): "
              f"{errors} error(s), {warnings} warning(s)", file=out)
    if any(f.code == "unreadable" for f in findings):
        return 2          # a file that cannot be read is bad input, not a finding in a glossary
    return 1 if errors else 0


def _table(rows: list[dict], cols: list[str], out: TextIO, fmt: str) -> None:
    if fmt == "tsv":
        from ..textsafety import tsv_line

        out.write(tsv_line(cols))
        for r in rows:
            out.write(tsv_line(r[c] for c in cols))
        return
    if not rows:
        return
    widths = {c: min(60, max(len(c), *(len(str(r[c])) for r in rows))) for c in cols}
    out.write("  ".join(c.upper().ljust(widths[c]) for c in cols).rstrip() + "\n")
    for r in rows:
        out.write("  ".join(str(r[c]).ljust(widths[c]) for c in cols).rstrip() + "\n")


def _eval(args: argparse.Namespace, out: TextIO) -> int:
    from ..terms.evaluate import evaluate_folder
    from ..terms.layers import check_layers, load_glossary

    glossary = load_glossary(check_layers(list(args.files)))
    numbers = _id_range(args.ids) if args.ids else None
    figures = evaluate_folder(glossary, args.folder, numbers)
    if not figures:
        print(f"{args.folder}: no fr.tsv, ru.tsv or ar.tsv to evaluate", file=out)
        return 2
    # the untuned part lives in FOLDER/heldout: figures of its own, never mixed with the development set's
    heldout = args.folder / "heldout"
    held = evaluate_folder(glossary, heldout) if heldout.is_dir() else []
    low = _figures("development set", args.folder, figures, args, out)
    if held:
        low += _figures("held-out (untuned)", heldout, held, args, out)
    else:
        print(f"held-out (untuned): {heldout}: absent, no figures", file=out)
    if low:
        print(f"below precision {args.min_precision} or recall {args.min_recall} or above "
              f"{args.max_trap_share} of traps falsely matched: {', '.join(low)}", file=out)
    return 1 if low else 0


def _id_range(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    if not (first.isdigit() and last.isdigit()):
        raise SystemExit(f"--ids {text}: give a range of sentence numbers such as 301-500")
    return int(first), int(last)


def _figures(title: str, folder: Path, figures: list, args: argparse.Namespace, out: TextIO) -> list[str]:
    """Print one set's table (traps: the `not` readings; trapped: those the matcher made) and return the
    languages below the thresholds."""
    print(f"{title}: {folder}", file=out)
    rows = [{"lang": f.lang, "sentences": f.sentences, "traps": f.trap_labels, "precision": f"{f.precision:.3f}",
             "recall": f"{f.recall:.3f}", "fp/traps": f"{f.trap_share:.3f}", "tp": f.tp, "fp": f.fp, "fn": f.fn,
             "trapped": f.trapped} for f in figures]
    _table(rows, list(rows[0]), out, "table")
    if args.misses:
        for f in figures:
            for m in f.misses:
                out.write(f"{m.sentence}: {m.kind}: {m.concept}: {m.text}\n")
    return [f"{f.lang} ({folder.name})" for f in figures if f.precision < args.min_precision
            or f.recall < args.min_recall or f.trap_share > args.max_trap_share]


def _export(args: argparse.Namespace, out: TextIO) -> int:
    from ..files import guard_output, replacing
    from ..terms.layers import base_glossaries, load_glossary
    from ..terms.tbx import MARK, write_tbx

    layers = list(args.files) or base_glossaries()   # what is exported is what is named, or the shipped
    guard_output(args.output, inputs={f"the glossary {p.name}": p for p in layers}, mark=MARK, force=args.force)
    with replacing(args.output) as tmp:
        n = write_tbx(load_glossary(layers).concepts.values(), tmp)
    print(f"{args.output}: {n} concepts (TBX-Basic)", file=out)
    return 0


def _import(args: argparse.Namespace, out: TextIO) -> int:
    from ..files import guard_output, replacing
    from ..terms.tbx import read_tbx
    from ..terms.tsv import write_tsv

    # a glossary TSV is the translators' own file once written: an existing one is never replaced
    guard_output(args.output, inputs={"the TBX file": args.tbx})
    layer = read_tbx(args.tbx)
    with replacing(args.output) as tmp:
        write_tsv(layer.concepts, tmp)
    print(f"{args.output}: {len(layer.concepts)} concepts", file=out)
    return 0

"""The `verify` and `doctor` commands; cli/main.py registers them with ``register(subparsers)``.

Like cli/main.py, no logic here: each command calls the library and turns its result into lines and an exit code.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO


def register(sub: Any) -> None:
    v = sub.add_parser("verify", help="check that a folder of briefs is one matched set (exit 0) or list "
                                      "each difference (exit 1)")
    v.add_argument("folders", nargs="+", type=Path, metavar="FOLDER", help="a build's folder: out/<record-id>")
    v.add_argument("--record", type=Path, metavar="RECORD",
                   help="also check the set against this record: its version, its delegations, its segments")
    v.set_defaults(func=_cmd_verify)

    d = sub.add_parser("doctor", help="check that this machine can build the briefs (exit 0) or say what to "
                                      "install (exit 2)")
    d.set_defaults(func=_cmd_doctor)


def _cmd_verify(args: argparse.Namespace, out: TextIO) -> int:
    from ..verify import verify_set

    status = 0
    for folder in args.folders:
        report = verify_set(folder, args.record)  # InputError (exit 2) for a folder that is not a build's output
        for difference in report.differences:
            print(f"{folder / difference.file}: {difference.message}", file=out)
        if report.ok:
            accepted = (f"; sent with {report.qa.errors} QA error{'s' if report.qa.errors != 1 else ''} accepted "
                        "by flag (--accept-qa-errors)" if report.qa.errors else "")
            print(f"{folder}: matched set of {len(report.files)} files, signature {report.signature}{accepted}",
                  file=out)
        else:
            if report.qa.errors and not report.qa.accepted:
                print(f"{folder}: NOT ready to send: the build found {report.qa.describe()} (see qa.html); "
                      f"{report.qa.remedy()}", file=out)
            if not report.matched:
                print(f"{folder}: NOT a matched set: {len(report.differences)} difference(s)", file=out)
            status = 1
    return status


def _cmd_doctor(args: argparse.Namespace, out: TextIO) -> int:
    from ..doctor import run_checks

    checks = run_checks()
    width = max(len(c.name) for c in checks)
    for c in checks:
        mark = "ok" if c.ok else ("MISSING" if c.required else "note")
        print(f"{mark:8} {c.name:{width}}  {c.detail}", file=out)
    missing = [c for c in checks if c.required and not c.ok]
    if not missing:
        notes = [c.fix for c in checks if not c.required and not c.ok and c.fix and c.name == "models"]
        print("everything `make briefs` needs to render is here" + "".join(f"; but {n}" for n in notes)
              if notes else "everything `make briefs` needs is here", file=out)
        return 0
    fixes = list(dict.fromkeys(c.fix for c in missing if c.fix))
    print("to fix: " + "; ".join(fixes or ["run `make setup`"]), file=out)
    return 2

"""`briefgen memory init|copy`: a department's shared memory set up, and a memory moved between stores."""

from __future__ import annotations

import argparse
from typing import TextIO


def register(ms: argparse._SubParsersAction) -> None:
    i = ms.add_parser("init", help="create (or upgrade) the memory's tables in an existing database, or an SQLite "
                                   "file: what a department's administrator runs once")
    i.add_argument("location", metavar="URL|FILE", nargs="?",
                   help="postgresql://user@host/db or a file (default: BRIEFGEN_MEMORY)")
    i.set_defaults(func=_init)
    c = ms.add_parser("copy", help="copy every unit and term rendering from one memory to another (SQLite and "
                                   "PostgreSQL either way), checked by counts and content hashes")
    c.add_argument("src", metavar="SRC", help="the memory to copy: a file or postgresql:// URL")
    c.add_argument("dst", metavar="DST", help="where to copy it (created if it is a file; a database must exist)")
    c.set_defaults(func=_copy)


def _init(args: argparse.Namespace, out: TextIO) -> int:
    from ..config import memory_path
    from ..memory.location import parse
    from ..memory.store import Memory

    location = parse(args.location) if args.location else memory_path()
    with Memory(location, read_only=False) as memory:
        found, now, where = memory.backend.found_version, memory.backend.version, memory.where
    state = ("created" if found == 0 else f"upgraded from schema version {found}" if found < now
             else "already up to date")
    print(f"{where}: translation memory {state} (schema version {now})", file=out)
    return 0


def _copy(args: argparse.Namespace, out: TextIO) -> int:
    from ..memory.copy import copy_memory
    from ..memory.location import parse, shown

    src, dst = parse(args.src), parse(args.dst)
    report = copy_memory(src, dst)
    print(f"{shown(dst)}: {report.units} translation units and {report.renderings} term renderings copied from "
          f"{shown(src)}; counts and content match (sha256 {report.digest[:16]}); it now holds {report.dst_units} "
          "units", file=out)
    return 0

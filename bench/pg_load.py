#!/usr/bin/env python3
"""``make bench`` (second part): a department's shared memory under load, on a PostgreSQL server of its own.

The suite checks what these runs produce (tests/test_memory_postgres_load.py: nothing lost, no deadlock);
this reports how long they take. The server is the suite's (tests/pg_support.py: initdb and pg_ctl in a
temporary folder, stopped and removed at the end). Rows:

    imports_4x50     4 processes making 50 imports each (one read-modify-write transaction per import)
    builds_4         4 `briefgen build` processes at once, one record, drafts by the pseudo backend
    build_sqlite     one such build alone, memory in SQLite
    build_postgres   one such build alone, memory on the server

Prints a table and writes bench/pg_results.json. Without a PostgreSQL server it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TESTS = ROOT / "tests"
ROWS = {
    "imports_4x50": "4 processes × 50 imports, one server (read-modify-write transactions)",
    "builds_4": "4 `briefgen build` at once, one server (drafts stored concurrently)",
    "build_sqlite": "1 `briefgen build` alone, memory in SQLite",
    "build_postgres": "1 `briefgen build` alone, memory on the server",
}


def _env(memory: str) -> dict[str, str]:
    return {**os.environ, "BRIEFGEN_MEMORY": memory,
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS), str(BENCH)])}


def _timed(cmds: list[list[str]], memory: str) -> float:
    start = time.perf_counter()
    procs = [subprocess.Popen(cmd, env=_env(memory), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for cmd in cmds]
    failed = [(p.wait(), p.stderr.read() if p.stderr else "") for p in procs]
    wall = time.perf_counter() - start
    bad = [err for code, err in failed if code not in (0, 1)]
    if bad:
        raise SystemExit(f"pg_load: a process failed: {bad[0].strip()}")
    return wall


def _build(record: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "briefgen", "build", str(record), "--out", str(out), "--backend", "pseudo",
            "--pdf-variant", "none", "--jobs", "1"]


def main(argv: list[str] | None = None) -> int:
    for path in (str(ROOT), str(TESTS), str(BENCH)):
        if path not in sys.path:
            sys.path.insert(0, path)
    p = argparse.ArgumentParser(description="The shared PostgreSQL memory under load.")
    p.add_argument("--quick", action="store_true", help="10 imports per process, a smaller record")
    p.add_argument("--results", type=Path, default=BENCH / "pg_results.json")
    args = p.parse_args(argv)
    imports, words = (10, 250) if args.quick else (50, 600)

    import pg_support
    from workload import write_workload

    try:
        cluster = pg_support.Cluster()
    except BaseException as exc:        # pytest's skip/fail outcomes: no server can start here
        if isinstance(exc, KeyboardInterrupt):
            raise
        print(f"pg_load: no PostgreSQL server could start ({exc}); rows not measured")
        return 0
    rows: dict[str, dict[str, Any]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="pg-bench-") as tmp:
            work = Path(tmp)
            record = write_workload(work / "record", words, ("ru", "ar")).record
            url = cluster.url(cluster.new_database())
            wall = _timed([[sys.executable, str(TESTS / "pg_workers.py"), url, str(w), str(imports)]
                           for w in range(4)], url)
            rows["imports_4x50"] = {"wall_s": round(wall, 3), "imports": 4 * imports,
                                    "imports_per_s": round(4 * imports / wall, 1)}
            url = cluster.url(cluster.new_database())
            rows["builds_4"] = {"wall_s": round(_timed([_build(record, work / f"o{i}") for i in range(4)], url), 3)}
            rows["build_sqlite"] = {"wall_s": round(_timed([_build(record, work / "lite")],
                                                           str(work / "memory.sqlite")), 3)}
            url = cluster.url(cluster.new_database())
            rows["build_postgres"] = {"wall_s": round(_timed([_build(record, work / "pg")], url), 3)}
    finally:
        cluster.remove()
    report = {"settings": {"imports_per_process": imports, "words": words, "quick": args.quick}, "rows": rows}
    args.results.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{'row':<16} {'wall s':>8}  what")
    for key, row in rows.items():
        extra = f"  ({row['imports_per_s']} imports/s)" if "imports_per_s" in row else ""
        print(f"{key:<16} {row['wall_s']:>8.2f}  {ROWS[key]}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

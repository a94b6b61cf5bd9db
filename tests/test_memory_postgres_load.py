"""Many writers on one PostgreSQL memory at once (different machines, in real life): nothing lost, no
deadlock, a schema created once. Timings are ``make bench``'s (bench/run.py, row pg_load); here only outcomes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import pdf_text
from pg_support import Cluster
from pg_workers import OWN, SHARED

from briefgen.memory.pg_schema import UNITS
from briefgen.memory.store import Memory

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "BRIEFGEN_MEMORY": url, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}


def _wait(procs: list[subprocess.Popen], timeout: float = 300) -> list[tuple[int, str]]:
    return [(p.wait(timeout=timeout), p.stderr.read() if p.stderr else "") for p in procs]


def test_four_processes_of_fifty_imports_each_lose_nothing(pg_cluster: Cluster, pg_db: str) -> None:
    url, n = pg_cluster.url(pg_db), 50
    procs = [subprocess.Popen([sys.executable, str(TESTS / "pg_workers.py"), url, str(w), str(n)], env=_env(url),
                              stderr=subprocess.PIPE, text=True) for w in range(4)]
    assert _wait(procs) == [(0, "")] * 4
    # every read-modify-write counted once: the tally is exactly the number of imports
    assert pg_cluster.sql(f"SELECT tgt_text FROM {UNITS} WHERE segment_id = 'tally'", pg_db) == [(str(4 * n),)]
    own = pg_cluster.sql(f"SELECT src_text, tgt_text FROM {UNITS} WHERE signature LIKE 'review:w%%'", pg_db)
    assert sorted(own) == sorted((f"Phrase {w}-{i}-{k}.", f"Фраза {w}-{i}-{k}.")
                                 for w in range(4) for i in range(n) for k in range(OWN))
    shared = pg_cluster.sql(f"SELECT src_text, tgt_text FROM {UNITS} WHERE signature = 'pseudo:load'", pg_db)
    assert len(shared) == SHARED                            # one row per key, whoever wrote last
    assert all(src == f"Commune {tgt.split('-')[-1][:-1]}." for src, tgt in shared)
    assert pg_cluster.sql(f"SELECT count(*) FROM {UNITS}", pg_db) == [(1 + 4 * n * OWN + SHARED,)]


def test_processes_opening_a_new_database_at_once_create_the_schema_once(pg_cluster: Cluster, pg_db: str) -> None:
    url = pg_cluster.url(pg_db)
    procs = [subprocess.Popen([sys.executable, "-m", "briefgen", "memory", "init", url], env=_env(url),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [(p.wait(timeout=120), p.stdout.read() if p.stdout else "", p.stderr.read() if p.stderr else "")
            for p in procs]
    assert [(code, err) for code, _, err in outs] == [(0, "")] * 4
    assert sorted(out.split(": translation memory ")[1] for _, out, _ in outs) == [
        "already up to date (schema version 1)\n"] * 3 + ["created (schema version 1)\n"]
    assert pg_cluster.sql("SELECT version FROM briefgen_schema", pg_db) == [(1,)]


def test_four_builds_at_once_on_one_server_agree_and_store_each_draft_once(
        pg_cluster: Cluster, pg_db: str, tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from workload import write_workload

    record = write_workload(tmp_path / "record", 250, ("ru",)).record   # the builds draft every text at once
    url = pg_cluster.url(pg_db)
    procs = [subprocess.Popen([sys.executable, "-m", "briefgen", "build", str(record), "--out", str(tmp_path / f"o{i}"),
                               "--backend", "pseudo", "--pdf-variant", "none", "--jobs", "1",
                               "--accept-qa-errors"], env=_env(url),   # concurrency is tested here, not QA
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for i in range(4)]
    results = _wait(procs)
    assert all(code in (0, 1) and "error" not in err.lower().replace("error(s)", "") for code, err in results), results
    texts = [{p.name: pdf_text(p) for p in sorted((tmp_path / f"o{i}").glob("*/*.pdf"))}
             for i in range(4)]
    assert texts[0] and all(t == texts[0] for t in texts)
    rows = pg_cluster.sql(f"SELECT tgt_lang, segment_id, count(*) FROM {UNITS} GROUP BY 1, 2 HAVING count(*) > 1",
                          pg_db)
    assert rows == []                                      # each draft once, whichever build stored it first
    with Memory(url, read_only=True) as memory:
        assert sum(1 for u in memory.units() if u.status == "machine") >= 10

"""Interrupted and concurrent builds: the last good set survives, a shared memory stays sound."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

from conftest import EXAMPLE, ROOT

RID = "eg-ru-2019-06-09"


def _cmd(record: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "briefgen", "build", str(record), "--out", str(out)]


def _env(memory: Path) -> dict[str, str]:
    return {**os.environ, "BRIEFGEN_MEMORY": str(memory), "PYTHONPATH": str(ROOT)}


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _bench() -> ModuleType:
    """bench/run.py (standard library only at its top), for its walk of a process's descendants in /proc."""
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_descendants = _bench()._descendants


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_build_killed_mid_render_leaves_the_previous_set_intact(tmp_path: Path) -> None:
    record = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, record)
    shutil.copy(EXAMPLE.with_suffix(".tmx"), tmp_path / EXAMPLE.with_suffix(".tmx").name)
    out, env = tmp_path / "out", _env(tmp_path / "m.sqlite")
    subprocess.run(_cmd(record, out), env=env, check=True, capture_output=True)
    before = _hashes(out / RID)

    # an edited record, so the new set would differ; stop its build once its first PDF is written
    record.write_text(record.read_text(encoding="utf-8").replace("version: 1", "version: 2"), encoding="utf-8")
    proc = subprocess.Popen(_cmd(record, out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    caught = False
    while time.monotonic() < deadline and proc.poll() is None:
        stages = list(out.glob(f".{RID}.building-*"))
        if stages and any(stages[0].glob("*.pdf")):
            os.kill(proc.pid, signal.SIGSTOP)
            caught = True
            break
        time.sleep(0.005)
    helpers = _descendants(proc.pid)    # the render workers and their fork server
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert caught, "the build finished before it could be interrupted"
    assert helpers, "the build renders in worker processes (2 CPUs)"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and [p for p in helpers if _alive(p)]:
        time.sleep(0.2)
    assert not [p for p in helpers if _alive(p)], "processes of the killed build are left running"
    assert _hashes(out / RID) == before
    assert list(out.glob(f".{RID}.building-*"))          # the half-written set is only in its staging folder

    subprocess.run(_cmd(record, out), env=env, check=True, capture_output=True)
    assert not list(out.glob(f".{RID}.building-*"))      # the next build clears what the killed one left
    assert _hashes(out / RID) != before


def test_two_builds_at_once_sharing_one_memory_both_succeed(tmp_path: Path) -> None:
    # without its .tmx, every text of the example is drafted (by the test double) and stored: three writers
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    other = tmp_path / "minimal.yaml"
    shutil.copy(ROOT / "tests" / "data" / "minimal.yaml", other)
    memory = tmp_path / "m.sqlite"
    env = _env(memory)
    pseudo = ["--backend", "pseudo", "--accept-qa-errors"]   # the double's drafts have QA errors
    runs = [
        _cmd(tmp_path / EXAMPLE.name, tmp_path / "out") + pseudo,
        _cmd(tmp_path / EXAMPLE.name, tmp_path / "out") + pseudo,   # the same record into the same folder
        _cmd(other, tmp_path / "out") + pseudo,
    ]
    procs = [subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in runs]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], results
    with sqlite3.connect(memory) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # the example's drafts: 28 shared segments in ru and ar, each side's own lines in its language (9 + 7), and
        # each side's 2 expected positions in the other's language
        assert db.execute("SELECT count(*) FROM units WHERE status = 'machine' AND record_id = ?",
                          (RID,)).fetchone()[0] == 82
    for rid in (RID, "minimal"):
        names = {p.name for p in (tmp_path / "out" / rid).iterdir()}
        assert "manifest.json" in names and sum(n.endswith(".pdf") for n in names) == 3
    assert not list((tmp_path / "out").glob(".*building-*"))

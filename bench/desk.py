#!/usr/bin/env python3
"""``make bench`` (second part): the translators' desk with a record of about 200 Arabic texts.

The record is the benchmark's generated workload (``bench/workload.py``), grown until its Arabic brief prints
at least ``--texts`` texts; every text has a machine draft in a fresh memory, as after a first build. The
desk runs as a user starts it (``briefgen review serve`` in its own process); the rows, over real HTTP on
127.0.0.1: the page served (first and warm, the median of its runs), ``--saves`` confirmations saved one after
another (each one a reviewed translation into the .tmx and the memory, as the page's script sends it), a
check while typing, and the PDF preview of the brief. Prints a table and writes ``bench/desk-results.json``.
A benchmark: it reports seconds, it asserts nothing.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def main(argv: list[str] | None = None) -> int:
    for path in (str(BENCH), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    p = argparse.ArgumentParser(description="Benchmark the translators' desk (briefgen review serve).")
    p.add_argument("--quick", action="store_true", help="50 texts, 10 saves, 2 page runs (a check)")
    p.add_argument("--texts", type=int, default=None, help="Arabic texts on the page (default 200)")
    p.add_argument("--saves", type=int, default=None, help="confirmations saved (default 50)")
    p.add_argument("--runs", type=int, default=None, help="warm page loads, median reported (default 5)")
    p.add_argument("--results", type=Path, default=BENCH / "desk-results.json")
    args, _ = p.parse_known_args(argv)     # make bench passes the same BENCH_FLAGS to bench/run.py
    texts = args.texts or (50 if args.quick else 200)
    saves = args.saves or (10 if args.quick else 50)
    runs = args.runs or (2 if args.quick else 5)
    with tempfile.TemporaryDirectory(prefix="bench-desk-") as tmp:
        report = run(Path(tmp), texts, saves, runs)
    report["settings"] = {"texts": report.pop("texts"), "saves": saves, "runs": runs, "quick": args.quick}
    print(table(report))
    args.results.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {args.results}")
    return 0


def run(tmp: Path, texts: int, saves: int, runs: int) -> dict:
    from workload import write_workload

    from briefgen.memory.store import Memory, Unit
    from briefgen.record.load import load_record
    from briefgen.record.segments import segments

    words = texts * 12
    while True:          # grow the record until its Arabic brief prints enough texts
        work = write_workload(tmp / f"w{words}", words, ("ar",))
        loaded = load_record(work.record)
        segs = [s for s in segments(loaded.record) if s.needed_in("ar") and s.supplied("ar") is None]
        if len(segs) >= texts:
            break
        words = int(words * 1.3)
    memory = tmp / "memory.sqlite"
    with Memory(memory, read_only=False) as m:      # a machine draft of every text, as a first build leaves
        m.store(Unit("fr", "ar", s.source, f"مسودة آلية للنص {i}", "machine", "bench:draft", loaded.record.id, s.id)
                for i, s in enumerate(segs, 1))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BRIEFGEN_MEMORY": str(memory), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "briefgen", "review", "serve", str(work.record), "--lang",
                                "ar", "--port", "0", "--out", str(tmp / "out")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    rows: dict[str, dict] = {}
    try:
        started = time.perf_counter()
        line = process.stdout.readline()
        rows["start"] = {"label": "`briefgen review serve` until its address is printed", "s": _since(started)}
        url = line.split("open ", 1)[1].strip()
        base = url.split("/ar?", 1)[0]
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        t = time.perf_counter()
        page = _get(opener, url)
        rows["page_first"] = {"label": f"page served, first time ({len(segs)} texts)", "s": _since(t)}
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            page = _get(opener, f"{base}/ar")
            times.append(_since(t))
        rows["page_warm"] = {"label": f"page served, warm (median of {runs})", "s": statistics.median(times),
                             "runs_s": times, "bytes": len(page)}
        csrf = re.search(r'data-csrf="([^"]+)"', page).group(1)
        editable = {s.id for s in segs}
        forms = [(seg, version) for seg, version in re.findall(
            r'name="seg" value="([^"]+)">\s*<input type="hidden" name="version" value="([^"]+)">', page)
            if seg in editable]
        each = []
        t = time.perf_counter()
        for i, (seg, version) in enumerate(forms[:saves], 1):
            s = time.perf_counter()
            answer = json.loads(_post(opener, f"{base}/ar/save", {"csrf": csrf, "seg": seg, "version": version,
                                                                  "reviewer": "bench",
                                                                  "text": f"ترجمة مراجعة للنص {i}"}))
            assert answer["status"] == "reviewed", answer
            each.append(_since(s))
        rows["saves"] = {"label": f"{len(each)} confirmations saved, one after another", "s": _since(t),
                         "per_save_median_s": statistics.median(each), "per_save_max_s": max(each)}
        t = time.perf_counter()
        _post(opener, f"{base}/ar/check", {"csrf": csrf, "seg": forms[0][0], "text": "نص فيه ⟦1⟧ و 2025"})
        rows["check"] = {"label": "a check while typing (one text)", "s": _since(t)}
        for key, label in (("preview_first", "PDF preview of the Arabic brief, first"),
                           ("preview_same", "PDF preview again, texts unchanged")):
            t = time.perf_counter()
            _get(opener, f"{base}/ar/preview.pdf", binary=True)
            rows[key] = {"label": label, "s": _since(t)}
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)
    return {"texts": len(segs), "rows": rows, "exit_code": process.returncode}


def _since(t: float) -> float:
    return round(time.perf_counter() - t, 4)


def _get(opener: urllib.request.OpenerDirector, url: str, binary: bool = False) -> str:
    with opener.open(url, timeout=300) as response:
        data = response.read()
    return data if binary else data.decode("utf-8")


def _post(opener: urllib.request.OpenerDirector, url: str, fields: dict[str, str]) -> str:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(),
                                     headers={"Accept": "application/json"})
    try:
        with opener.open(request, timeout=300) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"bench/desk.py: {url} answered {exc.code}: {exc.read().decode('utf-8', 'replace')}") from exc


def table(report: dict) -> str:
    lines = ["| desk row | seconds |", "|---|---:|"]
    for row in report["rows"].values():
        lines.append(f"| {row['label']} | {row['s']:.3f} |")
    saves = report["rows"].get("saves")
    if saves:
        lines.append(f"| one save (median / max) | {saves['per_save_median_s']:.3f} / {saves['per_save_max_s']:.3f} |")
    lines.append(f"desk stopped with exit code {report['exit_code']} (Ctrl+C)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

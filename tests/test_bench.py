"""`bench/run.py --quick --tiny` runs every row and writes its results; timings are not asserted here."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROW_KEYS = ("hf_naive", "hf_batched", "ct2_engine", "ct2_build", "ct2_build_translate", "rebuild_edit",
            "rebuild_same", "cli_rebuild_same", "render", "cli_briefs_1", "cli_briefs_2", "cli_help", "cli_glossary",
            "glossary_worst", "glossary_expected")


def test_quick_bench_prints_every_row_and_writes_its_results(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert tuple(bench.ROWS) == ROW_KEYS
    results = tmp_path / "results.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--tiny", "--cache",
                           str(tmp_path / "cache"), "--results", str(results)],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for label in bench.ROWS.values():
        assert f"| {label} |" in proc.stdout
    assert "| target | measured | met |" in proc.stdout

    report = json.loads(results.read_text(encoding="utf-8"))
    assert set(report) == {"machine", "settings", "rows", "targets"}
    assert report["settings"]["quick"] is True and report["settings"]["directions"] == ["fr-ru"]
    assert tuple(report["rows"]) == ROW_KEYS
    for key, row in report["rows"].items():
        assert row["wall_s"] > 0 and row["peak_rss_mb"] > 0, key
        assert {"label", "runs_s", "cpu_s", "tokens_per_s", "vs_naive"} <= set(row), key
    for key in ("hf_naive", "hf_batched", "ct2_engine", "ct2_build_translate"):
        assert report["rows"][key]["target_tokens"] > 0 and report["rows"][key]["tokens_per_s"] > 0, key
    assert report["rows"]["rebuild_same"]["reused"] is True          # the unchanged rebuild renders nothing
    assert report["rows"]["rebuild_edit"]["reused"] is False
    assert report["rows"]["cli_help"]["heavy_imports"] == []          # no torch, ctranslate2, weasyprint…
    assert not {"torch", "transformers", "ctranslate2", "weasyprint"} & set(
        report["rows"]["cli_glossary"]["heavy_imports"] + report["rows"]["cli_rebuild_same"]["heavy_imports"])
    assert report["rows"]["cli_briefs_2"]["wall_s"] > 0                # make briefs over translated records, --jobs 2
    assert len(report["targets"]) == 9 and all(isinstance(t["met"], bool) for t in report["targets"])
    # the glossary's extra decoding, split by purpose, worst (random weights) and expected case (the double)
    for key in ("glossary_worst", "glossary_expected"):
        row = report["rows"][key]
        assert row["own"]["sentences"] > 0 and row["own"]["tokens"] > 0, key
        assert row["terms"]["sentences"] + row["retry"]["sentences"] > 0, key
        assert row["extra_sentence_pct"] >= 0 and set(row["accuracy"]) == {"ru"}, key
    assert report["rows"]["glossary_worst"]["retry"]["sentences"] > report["rows"]["glossary_expected"]["retry"][
        "sentences"]
    assert "| glossary's extra decoding |" in proc.stdout

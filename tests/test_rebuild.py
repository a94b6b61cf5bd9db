"""A rebuild draws only the PDFs whose content or style changed; the others are reused as they were."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE, ROOT

RID = "eg-ru-2019-06-09"
PROBE = """
import sys
from briefgen.cli import main
code = main(sys.argv[1:])
print("weasyprint loaded:", "weasyprint" in sys.modules)
raise SystemExit(code)
"""


def _build(out: Path, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, "build", str(EXAMPLE), "--out", str(out)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _hashes(folder: Path) -> dict[str, str]:
    files = json.loads((folder / "manifest.json").read_text())["files"]
    return {f["file"]: hashlib.sha256((folder / f["file"]).read_bytes()).hexdigest() for f in files}


def test_unchanged_rebuild_reuses_every_pdf_and_a_style_change_redraws_them(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BRIEFGEN_MEMORY": str(tmp_path / "m.sqlite"),
           "BRIEFGEN_TEMPLATES": str(templates)}
    out = tmp_path / "out"
    assert "weasyprint loaded: True" in _build(out, env)
    first = _hashes(out / RID)

    assert "weasyprint loaded: False" in _build(out, env)      # nothing to draw: WeasyPrint is not even loaded
    assert _hashes(out / RID) == first

    css = templates / "brief.css"
    css.write_text(css.read_text() + "\n/* a tweak */ h1 { letter-spacing: 0.01em; }\n")
    assert "weasyprint loaded: True" in _build(out, env)
    assert all(first[name] != digest for name, digest in _hashes(out / RID).items())

"""Rendering touches nothing but the template assets, and a runaway render is stopped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, pdf_text

from briefgen.render.pdf import Renderer

TEMPLATES = ROOT / "templates"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(TEMPLATES, "none")


def test_the_fetcher_serves_template_assets(renderer: Renderer) -> None:
    response = renderer.fetcher.fetch((TEMPLATES / "brief.css").as_uri())
    assert b"@page" in response.read()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    (TEMPLATES / ".." / "pyproject.toml").as_uri(),
    "http://127.0.0.1:9/pixel.png",
    "https://example.org/style.css",
    "data:text/css,body{display:none}",
    "ftp://example.org/x",
])
def test_the_fetcher_refuses_everything_else(renderer: Renderer, url: str) -> None:
    with pytest.raises(ValueError, match="blocked"):
        renderer.fetcher.fetch(url)


def test_a_symlink_in_the_templates_folder_does_not_lead_outside(tmp_path: Path) -> None:
    assets = tmp_path / "templates"
    assets.mkdir()
    (assets / "brief.css").write_text("p { color: black }")
    os.symlink("/etc/passwd", assets / "leak.css")
    with pytest.raises(ValueError, match="blocked"):
        Renderer(assets, "none").fetcher.fetch((assets / "leak.css").as_uri())


def test_html_pointing_outside_renders_without_fetching_it(renderer: Renderer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    html = (f'<html><head><link rel="stylesheet" href="{secret.as_uri()}">'
            '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
            f'<body><p>visible</p><img src="{secret.as_uri()}"><object data="{secret.as_uri()}"></object>'
            '<iframe src="file:///etc/passwd"></iframe></body></html>')
    (tmp_path / "out.pdf").write_bytes(renderer.pdf(html))
    text = pdf_text(tmp_path / "out.pdf")
    assert "visible" in text and "TOP-SECRET" not in text and "root:" not in text


RUNAWAY = """
from pathlib import Path
from briefgen.errors import RenderError
from briefgen.render.pdf import Renderer
html = "<html><body>" + "<p>paragraphe assez long pour occuper le moteur de mise en page</p>" * 4000 + "</body>"
try:
    Renderer(Path("templates"), "none", timeout=0.05).pdf(html)
except RenderError as exc:
    print(exc)
"""


def test_a_runaway_render_is_stopped_with_a_clear_error() -> None:
    # in a process of its own: the alarm must not meet the test runner's (and hypothesis's) gc callbacks
    done = subprocess.run([sys.executable, "-c", RUNAWAY], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "PDF rendering took longer than 0.05 s and was stopped" in done.stdout, done.stderr

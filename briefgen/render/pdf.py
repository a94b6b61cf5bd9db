"""HTML → PDF with WeasyPrint: a URL fetcher that serves only template assets, one font setup per build."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..errors import RenderError

log = logging.getLogger(__name__)

PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3u", "none")
RENDER_TIMEOUT = 120.0   # seconds per PDF; a brief renders in about one, so this only stops a runaway


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop a render that runs away (pathological input); only where signals can be used (main thread)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise RenderError(f"PDF rendering took longer than {seconds:g} s and was stopped; "
                          "is a text field unusually long?")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Renderer:
    """Renders many documents of one build; fonts are configured once and shared."""

    def __init__(self, assets: Path, variant: str = "pdf/ua-1", timeout: float = RENDER_TIMEOUT) -> None:
        if variant not in PDF_VARIANTS:
            raise RenderError(f"unknown PDF variant '{variant}' (choose from {', '.join(PDF_VARIANTS)})")
        from weasyprint.text.fonts import FontConfiguration  # heavy: imported only when rendering

        self.assets = assets.resolve()
        self.variant = variant
        self.timeout = timeout
        self.fonts = FontConfiguration()
        self.fetcher = _asset_fetcher(self.assets)

    def pdf(self, html: str) -> bytes:
        from weasyprint import HTML

        options: dict[str, Any] = {"custom_metadata": True, "pdf_tags": True}
        if self.variant != "none":
            options["pdf_variant"] = self.variant
        try:
            with _time_limit(self.timeout):
                doc = HTML(string=html, base_url=self.assets.as_uri() + "/", url_fetcher=self.fetcher)
                finisher = scope_table_headers if options.get("pdf_tags") else None
                return doc.write_pdf(font_config=self.fonts, finisher=finisher, **options)
        except RenderError:
            raise
        except Exception as exc:  # WeasyPrint raises many kinds; the user needs one line
            raise RenderError(f"PDF rendering failed: {exc}") from exc


def scope_table_headers(document: Any, pdf: Any) -> None:
    """Give every table header cell its /Scope (PDF/UA-1 7.5): /Column under a /THead, else /Row.

    WeasyPrint tags <th> as /TH and lists each data cell's /Headers, but writes no /Scope, so outside checkers
    (pdfua) cannot tell which cells a header governs. The tagged structure is complete when this runs
    (WeasyPrint's finisher hook, just before the PDF is written)."""
    by_number = {obj.number: obj for obj in pdf.objects if hasattr(obj, "number")}

    def parent(obj: Any) -> Any:
        ref = obj.get("P") if hasattr(obj, "get") else None
        if isinstance(ref, bytes):
            return by_number.get(int(ref.split()[0]))
        return None

    for obj in pdf.objects:
        if not (hasattr(obj, "get") and obj.get("S") == "/TH"):
            continue
        row = parent(obj)
        group = parent(row) if row is not None else None
        scope = "/Column" if group is not None and group.get("S") == "/THead" else "/Row"
        attributes = obj.get("A")
        if attributes is None:
            import pydyf

            attributes = obj["A"] = pydyf.Dictionary({"O": "/Table"})
        attributes["Scope"] = scope


def _asset_fetcher(root: Path) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetFetcher(URLFetcher):
        """Serves files under the templates folder and nothing else: no network, no other file."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            parsed = urlparse(url)
            if parsed.scheme != "file":
                raise ValueError(f"blocked URL (only template assets are served): {url[:80]}")
            path = Path(unquote(parsed.path)).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                raise ValueError(f"blocked file outside the templates folder: {url[:80]}")
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": _mime(path)})

    return AssetFetcher()


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
            ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2"}.get(path.suffix, "application/octet-stream")

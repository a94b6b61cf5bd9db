"""HTML → PDF with WeasyPrint: a URL fetcher that serves only template assets, one font setup per build."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .errors import RenderError

log = logging.getLogger(__name__)

PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3u", "none")


class Renderer:
    """Renders many documents of one build; fonts are configured once and shared."""

    def __init__(self, assets: Path, variant: str = "pdf/ua-1") -> None:
        if variant not in PDF_VARIANTS:
            raise RenderError(f"unknown PDF variant '{variant}' (choose from {', '.join(PDF_VARIANTS)})")
        from weasyprint.text.fonts import FontConfiguration  # heavy: imported only when rendering

        self.assets = assets.resolve()
        self.variant = variant
        self.fonts = FontConfiguration()
        self.fetcher = _asset_fetcher(self.assets)

    def pdf(self, html: str) -> bytes:
        from weasyprint import HTML

        options: dict[str, Any] = {"custom_metadata": True, "pdf_tags": True}
        if self.variant != "none":
            options["pdf_variant"] = self.variant
        try:
            doc = HTML(string=html, base_url=self.assets.as_uri() + "/", url_fetcher=self.fetcher)
            return doc.write_pdf(font_config=self.fonts, **options)
        except Exception as exc:  # WeasyPrint raises many kinds; the user needs one line
            raise RenderError(f"PDF rendering failed: {exc}") from exc


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

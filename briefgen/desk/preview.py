"""A preview of one language's brief as it would print now, rendered by the briefs' own renderer: the texts
the desk shows (reviewed, machine drafts, and the source where a translation is still missing, so the page
lays out and the gap is seen)."""

from __future__ import annotations

import hashlib
import json
import logging
import threading

from .. import __version__
from ..config import Settings, templates_dir
from ..memory.lookup import latest_translations
from ..pipeline import signature_of
from ..record.load import LoadedRecord
from ..record.segments import segments
from ..render.editions import Edition, editions, segments_shown
from ..render.html import render_html
from ..render.pdf import Renderer
from ..render.view import BriefContext
from ..terms.glossary import Glossary
from ..terms.score import annex_rows

log = logging.getLogger(__name__)


def language_editions(loaded: LoadedRecord, lang: str) -> list[Edition]:
    """The briefs printed in ``lang`` (a delegation's own, or the master in the record's language)."""
    return [ed for ed in editions(loaded.record) if ed.lang == lang]


class Previewer:
    """Renders a language's brief; the last PDF of each edition is kept while its texts are unchanged."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._renderer: Renderer | None = None
        self._cache: dict[str, tuple[str, bytes]] = {}
        self._lock = threading.Lock()     # WeasyPrint's font configuration is not shared between threads

    def pdf(self, loaded: LoadedRecord, glossary: Glossary, edition: Edition) -> bytes:
        rec = loaded.record
        segs = segments(rec)
        langs = sorted({rec.source_lang, edition.lang})
        tr = latest_translations(loaded, segs, [lang for lang in langs if lang != rec.source_lang],
                                 self.settings.memory)
        for lang in langs:
            texts = tr.texts.setdefault(lang, {})
            for s in segs:
                if s.needed_in(lang) and s.id not in texts:
                    texts[s.id] = s.source          # still missing: shown in the source language
        key = hashlib.sha256(json.dumps([loaded.sha256, edition.key, tr.texts], sort_keys=True,
                                        ensure_ascii=False).encode()).hexdigest()
        with self._lock:
            cached = self._cache.get(edition.key)
            if cached is not None and cached[0] == key:
                return cached[1]
            signature = signature_of(loaded, tr, glossary.sha256() if glossary.concepts else "none")
            terms = {edition.key: annex_rows(glossary, segments_shown(segs, edition), rec.source_lang, langs)}
            ctx = BriefContext(record=rec, segments=segs, texts=tr.texts, signature=signature,
                               version=__version__, terms=terms)
            if self._renderer is None:
                self._renderer = Renderer(templates_dir(), self.settings.pdf_variant)
            pdf = self._renderer.pdf(render_html(ctx, edition))
            self._cache[edition.key] = (key, pdf)
            log.info("preview of %s rendered (%d bytes)", edition.filename(rec.id), len(pdf))
            return pdf

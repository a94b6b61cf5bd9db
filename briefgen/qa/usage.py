"""Where each glossary term occurs in a record, and whether the translations the last builds left honour it
(`briefgen glossary check --record`)."""

from __future__ import annotations

from pathlib import Path

from ..memory.lookup import latest_translations
from ..record.load import load_record, target_langs
from ..record.segments import segments
from ..terms.glossary import Glossary
from ..terms.match import index_for, partner_of


def record_usage(glossary: Glossary, record: Path, memory_path: Path | str) -> list[dict[str, str]]:
    """Each glossary term occurrence in the record, and whether each known translation honours it
    (translations from the record itself and the translation memory; ``-`` where none exists yet)."""
    loaded = load_record(record)
    rec = loaded.record
    segs = segments(rec)
    langs = target_langs(loaded)
    tr = latest_translations(loaded, segs, langs, memory_path)
    src_index = index_for(glossary, rec.source_lang)
    rows = []
    for s in segs:
        found = src_index.find(s.source)
        # each translation read once for every concept of its segment
        present = {lang: index_for(glossary, lang).present(text) for lang in langs
                   if (text := tr.texts.get(lang, {}).get(s.id)) is not None and found}
        for m in found:
            row = {"segment": s.id, "concept": m.concept.id, "source": m.text}
            for lang in langs:
                text = tr.texts.get(lang, {}).get(s.id)
                if not s.needed_in(lang):
                    row[lang] = "n/a"     # no brief in this language prints it
                elif text is None:
                    row[lang] = "-"
                elif index_for(glossary, lang).renders(text, m, partner_of(m, found), present[lang]):
                    row[lang] = "ok"
                else:
                    row[lang] = f"MISSING {m.concept.preferred(lang) or ''}"
            rows.append(row)
    return rows

"""The translators' loop, going out: every segment of a record in one language as XLIFF 1.2 for a CAT tool,
with its current translation, its state, the glossary terms that apply and the QA issues found."""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..errors import ExchangeError
from ..memory.lookup import latest_translations, previous_translation
from ..memory.xliff import ExportUnit, write_xliff
from ..record.load import load_record, target_langs
from ..record.segments import segments
from ..terms.layers import glossary_for
from ..terms.match import as_shown, index_for, target_term
from .checks import check, provenance_issues


def export_review(record: Path, lang: str, out: Path, settings: Settings, delegation: str | None = None,
                  missing_only: bool = False) -> int:
    """Write every segment of ``record`` a brief in ``lang`` prints as XLIFF 1.2 (with ``delegation``: only
    what that delegation's brief prints; with ``missing_only``: only the texts no translation covers yet);
    returns the number of units."""
    loaded = load_record(record)
    rec = loaded.record
    if lang not in target_langs(loaded):
        raise ExchangeError(f"no delegation of {rec.id} needs a translation into '{lang}' "
                            f"(it needs: {', '.join(target_langs(loaded)) or 'none'})", path=record)
    segs = segments(rec)
    readers = [d.id for d in rec.delegations if d.lang == lang]
    if delegation is not None:
        if delegation not in readers:
            raise ExchangeError(f"--delegation {delegation}: no delegation of {rec.id} with that id reads "
                                f"'{lang}' (those that do: {', '.join(readers) or 'none'})", path=record)
        segs = [s for s in segs if s.shown_to(delegation)]
    else:
        # Two delegations reading one language each have their own talking points: one file for both would
        # hand one side's lines to the other's translators.
        owners = sorted({s.owner for s in segs if s.owner and s.needed_in(lang)})
        if len(owners) > 1:
            raise ExchangeError(f"delegations {', '.join(owners)} both read '{lang}' and each has its own "
                                f"talking points or notes: export one file per delegation "
                                f"(--delegation {owners[0]}, then --delegation {owners[1]})", path=record)
    tr = latest_translations(loaded, segs, [lang], settings.memory)
    glossary = glossary_for(loaded.path, settings)
    # the translator also sees where a translation not of the record's own .tmx came from, and disagreements
    issues = check(rec, segs, tr.texts, tr.origin, glossary) + provenance_issues(segs, tr)
    src_index = index_for(glossary, rec.source_lang) if glossary.concepts else None
    units = []
    for s in segs:
        if not s.needed_in(lang):    # another delegation's own lines never reach this language's translator
            continue
        notes = []
        if src_index is not None:
            for m in src_index.find(s.source):
                if m.concept.terms.get(lang):
                    src = rec.source_lang
                    notes.append(("glossary", f"{as_shown(m, src)} → {target_term(m, src, lang)} ({m.concept.id})"))
        notes += [("qa", f"{i.severity}: {i.code}: {i.message}") for i in issues if i.segment_id == s.id]
        target = tr.texts[lang].get(s.id)
        if missing_only and target is not None:
            continue
        previous = None if target is not None else previous_translation(loaded, s, lang, settings.memory)
        if previous is not None:
            notes.append(("briefgen", f"the source changed; the previous translation was: {previous[1]} "
                                      f"(for: {previous[0]})"))
        units.append(ExportUnit(s.id, s.source, target, tr.origin[lang].get(s.id, "missing"), notes, previous))
    write_xliff(out, rec.id, str(record), rec.source_lang, lang, units)
    return len(units)

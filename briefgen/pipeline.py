"""The one pipeline: record → segments → memory → translation → QA → HTML → PDFs, written as a matched set.

This is the one module that composes the stages (record, terms, memory, translate, qa, render); each stage
imports only from the stages before it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import PROJECT_ROOT, Settings, templates_dir
from .errors import MissingTranslationError, ModelNotInstalledError
from .memory.lookup import Translations, import_sidecar, lookup
from .memory.store import Memory
from .qa.checks import Issue, check, summary, unenforced_terms
from .qa.readiness import reason, unavailable
from .qa.report import qa_html, qa_tsv
from .record.load import LoadedRecord, load_record, target_langs
from .record.segments import Segment, segments
from .render.editions import editions, paragraphs_shown, parallel_editions
from .render.html import render_html
from .render.view import BriefContext
from .terms.glossary import Glossary
from .terms.layers import glossary_for
from .terms.match import index_for
from .terms.score import annex_rows, score
from .translate.base import Translator
from .translate.compose import CachingTranslator
from .translate.glossed import GlossaryTranslator

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]   # (stage, done, total)

FIX_MISSING = "the build uses the record, its .tmx and the memory only (--backend none)"


@dataclass
class BuildResult:
    record_id: str
    out_dir: Path
    files: list[Path]
    manifest: dict
    issues: list[Issue] = field(default_factory=list)
    reused: bool = False         # the set already in out_dir was up to date: nothing was rendered


def build(record: Path | str | LoadedRecord, settings: Settings | None = None, *,
          translator: Translator | None = None, progress: Progress | None = None) -> BuildResult:
    settings = settings or Settings()
    loaded = record if isinstance(record, LoadedRecord) else load_record(record)
    rec = loaded.record
    segs = segments(rec)
    langs = target_langs(loaded)
    from .render.output import replaceable

    target = Path(settings.out_dir) / rec.id
    replaceable(target, rec.id)   # a folder briefgen did not write stops the build now, not after translating
    glossary = glossary_for(loaded.path, settings)
    if translator is not None and glossary.concepts:
        translator = GlossaryTranslator(translator, glossary, settings.term_strategy)
    memory = Memory(settings.memory) if settings.use_memory else None
    try:
        if memory is not None:
            import_sidecar(memory, loaded)
        tr = translate(loaded, segs, langs, memory, translator, progress)
    finally:
        if memory is not None:
            memory.close()
    # An unchanged record rebuilds in well under a second: the set already written is kept when it is
    # exactly what rendering would write again (see render/uptodate.py).
    from .render import uptodate

    key = uptodate.fingerprint(_set_inputs(loaded, tr, glossary, settings))
    if settings.reuse_output:
        manifest = uptodate.current(target, key, _side_files(loaded, settings))
        if manifest is not None:
            log.info("%s is up to date (record, translations, glossary, templates unchanged)", target)
            return BuildResult(rec.id, target, [target / f["file"] for f in manifest["files"]], manifest,
                               check(rec, segs, tr.texts, tr.origin, glossary) + unenforced_terms(segs, tr, glossary),
                               reused=True)
    result = write_set(loaded, segs, tr, settings, glossary, progress)
    uptodate.remember(result.out_dir, key)
    return result


def _set_inputs(loaded: LoadedRecord, tr: Translations, glossary: Glossary, settings: Settings) -> dict:
    """Everything of this build that the written set depends on (the rendering side is added by uptodate).
    Not the glossary terms a translator failed to carry through: those are found only when a draft is made
    and are facts about the same texts, so the set that lists them stays right for a rebuild from memory."""
    return {"record": loaded.sha256, "record_file": loaded.path.name, "texts": tr.texts, "origin": tr.origin,
            "engines": sorted(tr.engines),
            "glossary": glossary.sha256() if glossary.concepts else None,
            "glossary_layers": [str(layer.path) for layer in glossary.layers],
            "pdf_variant": settings.pdf_variant, "html": settings.html, "parallel": settings.parallel}


def _side_files(loaded: LoadedRecord, settings: Settings) -> tuple[str, ...]:
    """Files of a set besides the PDFs the manifest lists."""
    rec = loaded.record
    eds = editions(rec) + (parallel_editions(rec) if settings.parallel else [])
    html = tuple(ed.filename(rec.id, "html") for ed in eds) if settings.html else ()
    return ("qa.tsv", "qa.html", *html)


def translate(loaded: LoadedRecord, segs: list[Segment], langs: list[str], memory: Memory | None,
              translator: Translator | None, progress: Progress | None = None) -> Translations:
    rec = loaded.record
    src = rec.source_lang
    out, todo = lookup(loaded, segs, langs, memory, translator.signature if translator else None)
    blocked = {lang: FIX_MISSING for lang in todo}
    if translator is not None:
        failures = unavailable(translator, src, todo)
        damaged = [exc for exc in failures.values() if not isinstance(exc, ModelNotInstalledError)]
        if damaged:   # a model to re-install, not texts to find elsewhere: its own message says how
            raise damaged[0]
        blocked = {lang: reason(exc) for lang, exc in failures.items()}
    if blocked:   # one error naming every text no model can draft, and the ways to get them
        raise MissingTranslationError({(src, lang): [(s.id, s.source) for s in todo[lang]] for lang in blocked},
                                      {(src, lang): why for lang, why in blocked.items()}, loaded.path)
    if not todo or translator is None:
        return out
    # every draft goes into the memory with its provenance, so an unchanged rebuild translates nothing
    engine = translator if memory is None else CachingTranslator(translator, memory, rec.id,
                                                                 {s.source: s.id for s in segs})
    langs_left = list(todo)
    for lang, ss in todo.items():
        # one direction's models in memory at a time: a model no later direction needs is let go
        translator.retain([(src, other) for other in langs_left])
        langs_left.remove(lang)
        if progress:
            progress(f"translate {src}→{lang}", 0, len(ss))
        drafts = engine.translate([s.source for s in ss], src, lang)
        out.engines.add(translator.signature(src, lang))
        for s, text in zip(ss, drafts, strict=True):
            out.put(lang, s.id, text, "machine")
        failed = {(f.source, f.tgt): f for f in getattr(translator, "failures", [])}
        out.term_failures[lang] = [(s.id, list(failed[s.source, lang].concepts), list(failed[s.source, lang].tried))
                                   for s in ss if (s.source, lang) in failed]
        outcomes = getattr(translator, "outcomes", {}).get((src, lang))
        if outcomes:
            out.term_outcomes[lang] = {leg: dict(counts) for leg, counts in outcomes.items()}
        if progress:
            progress(f"translate {src}→{lang}", len(ss), len(ss))
    translator.retain([])
    return out


def signature_of(loaded: LoadedRecord, tr: Translations, glossary_hash: str) -> str:
    """Everything that makes this set what it is: version, record, glossary, engines and final texts."""
    texts = hashlib.sha256(json.dumps(tr.texts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    engines = ",".join(sorted(tr.engines)) or "memory"
    return (f"briefgen-{__version__};record={loaded.sha256[:12]};glossary={glossary_hash[:12]};"
            f"models={engines};texts={texts[:12]}")


def write_set(loaded: LoadedRecord, segs: list[Segment], tr: Translations, settings: Settings,
              glossary: Glossary, progress: Progress | None = None) -> BuildResult:
    from .render.output import staged_dir
    from .render.pdf import Renderer

    rec = loaded.record
    signature = signature_of(loaded, tr, glossary.sha256() if glossary.concepts else "none")
    annex = annex_rows(glossary, segs, rec.source_lang, sorted(tr.texts))
    ctx = BriefContext(record=rec, segments=segs, texts=tr.texts, signature=signature, version=__version__,
                       terms=dict.fromkeys(tr.texts, annex))
    eds = editions(rec) + (parallel_editions(rec) if settings.parallel else [])
    renderer = Renderer(templates_dir(), settings.pdf_variant)
    target = Path(settings.out_dir) / rec.id
    files: list[dict] = []
    with staged_dir(target, rec.id) as stage:
        for i, ed in enumerate(eds):
            if progress:
                progress("render", i, len(eds))
            name = ed.filename(rec.id)
            pdf = renderer.pdf(render_html(ctx, ed))
            (stage / name).write_bytes(pdf)
            # "paragraphs": the numbers this file prints (a delegation's brief leaves out its own
            # expected positions); each maps to the same segment id in manifest["paragraphs"].
            files.append({"file": name, "edition": ed.key, "lang": ed.lang, "locale": str(ed.locale),
                          **({"source_lang": ed.parallel_with} if ed.parallel_with else {}),
                          "sha256": hashlib.sha256(pdf).hexdigest(), "bytes": len(pdf),
                          "paragraphs": [str(s.para) for s in paragraphs_shown(segs, ed)]})
            if settings.html:  # a preview that opens on its own: stylesheets inlined
                (stage / ed.filename(rec.id, "html")).write_text(render_html(ctx, ed, inline_css=True),
                                                                 encoding="utf-8")
        if progress:
            progress("render", len(eds), len(eds))
        issues = check(rec, segs, tr.texts, tr.origin, glossary) + unenforced_terms(segs, tr, glossary)
        (stage / "qa.tsv").write_text(qa_tsv(issues), encoding="utf-8")
        (stage / "qa.html").write_text(qa_html(rec.id, signature, issues, tr.origin, rec.source_lang),
                                       encoding="utf-8")
        manifest = _manifest(loaded, segs, tr, signature, files)
        # what verify needs to tell a complete set: who the record asked briefs for, how the set was built,
        # and the files besides the PDFs
        manifest["delegations"] = [{"id": d.id, "lang": d.lang} for d in rec.delegations]
        manifest["options"] = {"parallel": settings.parallel, "html": settings.html,
                               "pdf_variant": settings.pdf_variant}
        manifest["other_files"] = [{"file": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
                                   for p in sorted(stage.iterdir()) if p.suffix in (".html", ".tsv")]
        manifest["glossary"] = _term_report(glossary, segs, tr, rec.source_lang, loaded.path.parent)
        manifest["qa"] = summary(issues)
        (stage / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
    log.info("wrote %d PDFs to %s", len(files), target)
    return BuildResult(rec.id, target, [target / f["file"] for f in files], manifest, issues)


def _term_report(glossary: Glossary, segs: list[Segment], tr: Translations, src: str,
                 record_dir: Path | None = None) -> dict:
    """Per target language: glossary terms that occurred and how many the translations honour."""
    report: dict = {"sha256": glossary.sha256() if glossary.concepts else None,
                    "layers": [_portable(layer.path, record_dir) for layer in glossary.layers],
                    "concepts": len(glossary.concepts), "terms": {}}
    if not glossary.concepts:
        return report
    src_index = index_for(glossary, src)
    for lang, texts in sorted(tr.texts.items()):
        if lang == src:
            continue
        result = score(((s.id, s.source, texts[s.id]) for s in segs), src_index, index_for(glossary, lang))
        report["terms"][lang] = {"occurred": result.occurred, "honoured": result.honoured,
                                 "accuracy": result.accuracy,
                                 "misses": [{"segment": sid, "concept": cid} for sid, cid in result.misses],
                                 "unrepaired": [{"segment": sid, "concepts": cids, "tried": tried}
                                                for sid, cids, tried in tr.term_failures.get(lang, [])],
                                 **_enforcement(tr.term_outcomes.get(lang))}
    return report


def _portable(path: Path, record_dir: Path | None) -> str:
    """A path as the manifest names it, which travels with the briefs: relative to the record's folder, or to
    briefgen's for its shipped files, else the file name alone; never the build machine's absolute path."""
    resolved = Path(path).resolve()
    for base in (record_dir, PROJECT_ROOT):
        if base is not None and resolved.is_relative_to(base.resolve()):
            return resolved.relative_to(base.resolve()).as_posix()
    return resolved.name


def _enforcement(legs: dict[str, dict[str, int]] | None) -> dict:
    """How the terms of this build's machine drafts came through (none when every text came from the record
    or the memory): the counts of the leg into the language, and per leg (a pivot has two)."""
    if not legs:
        return {}
    last = list(legs.values())[-1]
    counts = {k: last.get(k, 0) for k in ("as_is", "repaired", "inline", "placeholder", "failed")}
    return {"enforcement": {**counts, "legs": {leg: {k: c.get(k, 0) for k in counts} for leg, c in legs.items()}}}


def _manifest(loaded: LoadedRecord, segs: list[Segment], tr: Translations, signature: str,
              files: list[dict]) -> dict:
    rec = loaded.record
    origin_counts = {lang: {kind: sum(1 for o in origins.values() if o == kind)
                            for kind in ("given", "reviewed", "machine")}
                     for lang, origins in tr.origin.items() if lang != rec.source_lang}
    return {
        "record_id": rec.id,
        "record_version": rec.version,
        "record_file": loaded.path.name,
        "record_sha256": loaded.sha256,
        "source_lang": rec.source_lang,
        "briefgen_version": __version__,
        "signature": signature,
        "engines": sorted(tr.engines),
        "files": files,
        "segments": [s.id for s in segs],
        "paragraphs": {str(s.para): s.id for s in segs if s.para is not None},
        "translation": {lang: {**counts, "reviewed_share": round(
            (counts["reviewed"] + counts["given"]) / max(1, sum(counts.values())), 4)}
            for lang, counts in origin_counts.items()},
    }

"""The one pipeline: record → segments → memory → translation → QA → HTML → PDFs, written as a matched set.

This is the one module that composes the stages (record, terms, memory, translate, qa, render); each stage
imports only from the stages before it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .config import PROJECT_ROOT, Settings, templates_dir
from .errors import MissingTranslationError, ModelNotInstalledError, RecordError
from .memory.lookup import Translations, lookup
from .memory.provenance import ORIGINS
from .memory.store import Memory
from .qa.checks import Issue, check, errors_in, provenance_issues, summary, unenforced_terms
from .qa.checks import rendered as rendered_check
from .qa.readiness import reason, unavailable
from .qa.report import qa_html, qa_tsv
from .record.load import LoadedRecord, load_record, target_langs
from .record.segments import Segment, segments
from .render import audience
from .render.editions import (
    Edition,
    annex_segments,
    editions,
    paragraphs_shown,
    parallel_editions,
    segments_shown,
)
from .render.html import render_html
from .render.view import BriefContext
from .terms.glossary import Glossary
from .terms.layers import glossary_for
from .terms.match import index_for
from .terms.score import annex_rows, score
from .translate.base import Translator
from .translate.compose import CachingTranslator
from .translate.glossed import OUTCOMES, GlossaryTranslator

if TYPE_CHECKING:
    from .render.worker import Rendered, RenderPool

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
          translator: Translator | None = None, progress: Progress | None = None,
          pool: RenderPool | None = None) -> BuildResult:
    return next(build_all([record], settings, translator=translator, progress=progress, pool=pool))


def build_all(records: Iterable[Path | str | LoadedRecord], settings: Settings | None = None, *,
              translator: Translator | None = None, progress: Progress | None = None,
              pool: RenderPool | None = None) -> Iterator[BuildResult]:
    """Build each record, in order. Sets render in worker processes (``settings.jobs``) while the next record
    is read and translated; results come in the records' order."""
    settings = settings or Settings()
    own = pool is None
    pending: deque[_Pending] = deque()
    # every record read first: two records of one id would write one out/<id>, the second over the first
    loaded = [r if isinstance(r, LoadedRecord) else load_record(r) for r in records]
    _distinct_ids(loaded)

    def render_pool() -> RenderPool:
        # made when a record first needs decoding or rendering, not before: a set found up to date from the
        # memory starts no process; made before decoding, its workers start while the models translate
        nonlocal pool
        if pool is None:
            from .render.worker import RenderPool

            pool = RenderPool(templates_dir(), settings.pdf_variant, settings.jobs)
        return pool

    try:
        for record in loaded:
            prepared = _prepare(record, settings, translator, progress, render_pool)
            if isinstance(prepared, BuildResult):
                while pending:
                    yield _finish(pending.popleft(), progress)
                yield prepared
                continue
            pool = render_pool()
            pending.append(_submit(*prepared, pool))
            while len(pending) > max(1, pool.jobs - 1) or (pending and pending[0].done() and len(pending) > 1):
                yield _finish(pending.popleft(), progress)
        while pending:
            yield _finish(pending.popleft(), progress)
    finally:
        if own and pool is not None:
            pool.close()


def _distinct_ids(records: list[LoadedRecord]) -> None:
    first: dict[str, Path] = {}
    for loaded in records:
        rid = loaded.record.id
        if rid in first and first[rid].resolve() != loaded.path.resolve():
            raise RecordError(f"id '{rid}' is also the id of {first[rid]}, built in the same run; both would write "
                              f"out/{rid}: give one of them another id", path=loaded.path, field="id")
        first.setdefault(rid, loaded.path)


def _prepare(record: Path | str | LoadedRecord, settings: Settings, translator: Translator | None,
             progress: Progress | None, before_decoding: Callable[[], object] | None = None) -> BuildResult | tuple:
    """Read and translate a record; the set already written when it is up to date, else what to render."""
    loaded = record if isinstance(record, LoadedRecord) else load_record(record)
    rec = loaded.record
    segs = segments(rec)
    langs = target_langs(loaded)
    from .render.output import replaceable

    target = Path(settings.out_dir) / rec.id
    # a folder briefgen did not write, or a file of the set the user changed, stops the build now, not after
    # translating; --force (reuse_output off) replaces changed files of the set
    replaceable(target, rec.id, force=not settings.reuse_output)
    glossary = glossary_for(loaded.path, settings)
    if translator is not None and glossary.concepts:
        translator = GlossaryTranslator(translator, glossary, settings.term_strategy)
    # the record's .tmx is read by lookup (provenance.py), with or without the memory, and never copied into it
    memory = Memory(settings.memory) if settings.use_memory else None
    try:
        tr = translate(loaded, segs, langs, memory, translator, progress, before_decoding)
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
                               check(rec, segs, tr.texts, tr.origin, glossary) + unenforced_terms(segs, tr, glossary)
                               + provenance_issues(segs, tr),
                               reused=True)
    return loaded, segs, tr, settings, glossary, key


def _set_inputs(loaded: LoadedRecord, tr: Translations, glossary: Glossary, settings: Settings) -> dict:
    """Everything of this build that the written set depends on (the rendering side is added by uptodate).
    Not the glossary terms a translator failed to carry through: those are found only when a draft is made
    and are facts about the same texts, so the set that lists them stays right for a rebuild from memory."""
    return {"record": loaded.sha256, "record_file": loaded.path.name, "texts": tr.texts, "origin": tr.origin,
            "engines": sorted(tr.engines),
            "glossary": glossary.sha256() if glossary.concepts else None,
            "glossary_layers": [str(layer.path) for layer in glossary.layers],
            "pdf_variant": settings.pdf_variant, "html": settings.html, "parallel": settings.parallel,
            "accept_qa_errors": settings.accept_qa_errors}


def _side_files(loaded: LoadedRecord, settings: Settings) -> tuple[str, ...]:
    """Files of a set besides the PDFs the manifest lists."""
    rec = loaded.record
    eds = editions(rec) + (parallel_editions(rec) if settings.parallel else [])
    html = tuple(ed.filename(rec.id, "html") for ed in eds) if settings.html else ()
    return ("qa.tsv", "qa.html", *html)


def translate(loaded: LoadedRecord, segs: list[Segment], langs: list[str], memory: Memory | None,
              translator: Translator | None, progress: Progress | None = None,
              before_decoding: Callable[[], object] | None = None) -> Translations:
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
    if before_decoding is not None:
        before_decoding()
    # every draft goes into the memory with its provenance, so an unchanged rebuild translates nothing; so
    # do the glossary's renderings of terms alone, so that a rebuild after an edit decodes only the new text
    engine = translator if memory is None else CachingTranslator(translator, memory, rec.id,
                                                                 {s.source: s.id for s in segs})
    if isinstance(translator, GlossaryTranslator):
        translator.remember_in(memory)
    try:
        _decode(out, todo, src, translator, engine, progress)
    finally:
        if isinstance(translator, GlossaryTranslator):
            translator.remember_in(None)     # the memory closes after this build; the translator may go on
    return out


def _decode(out: Translations, todo: dict[str, list[Segment]], src: str, translator: Translator,
            engine: Translator, progress: Progress | None) -> None:
    langs_left = list(todo)
    seen = translator.unknown_pieces()        # a translator may serve several builds: count this one's only
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
    for direction, (unk, total) in translator.unknown_pieces().items():
        was = seen.get(direction, (0, 0))
        if total > was[1]:
            out.unknown[direction] = (unk - was[0], total - was[1])


def signature_of(loaded: LoadedRecord, tr: Translations, glossary_hash: str) -> str:
    """Everything that makes this set what it is: version, record, glossary, engines and final texts."""
    texts = hashlib.sha256(json.dumps(tr.texts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    engines = ",".join(sorted(tr.engines)) or "memory"
    return (f"briefgen-{__version__};record={loaded.sha256[:12]};glossary={glossary_hash[:12]};"
            f"models={engines};texts={texts[:12]}")


def write_set(loaded: LoadedRecord, segs: list[Segment], tr: Translations, settings: Settings,
              glossary: Glossary, progress: Progress | None = None, pool: RenderPool | None = None) -> BuildResult:
    """Render the set of one record and write it (QA report, manifest) in place of ``out/<record-id>``."""
    from .render.worker import RenderPool

    own = pool is None
    pool = pool or RenderPool(templates_dir(), settings.pdf_variant, settings.jobs)
    try:
        return _finish(_submit(loaded, segs, tr, settings, glossary, None, pool), progress)
    finally:
        if own:
            pool.close()


@dataclass
class _Pending:
    """A set whose PDFs are rendering."""

    loaded: LoadedRecord
    segs: list[Segment]
    tr: Translations
    settings: Settings
    glossary: Glossary
    key: str | None
    signature: str
    editions: list[Edition]
    html: dict[str, str]                  # preview file name -> HTML (with --html)
    jobs: list[Future[Rendered]]

    def done(self) -> bool:
        return all(job.done() for job in self.jobs)


def _submit(loaded: LoadedRecord, segs: list[Segment], tr: Translations, settings: Settings, glossary: Glossary,
            key: str | None, pool: RenderPool) -> _Pending:
    from .config import RTL_LANGUAGES
    from .render.typography import WORD_SPACE_LIMIT
    from .render.worker import PARALLEL_COLUMN, Job

    rec = loaded.record
    signature = signature_of(loaded, tr, glossary.sha256() if glossary.concepts else "none")
    eds = editions(rec) + (parallel_editions(rec) if settings.parallel else [])
    # each brief's annex lists the terms of the paragraphs it prints, not of another side's talking points
    annexes = {ed.key: annex_rows(glossary, annex_segments(segs, ed), rec.source_lang, tr.texts)
               for ed in eds}
    ctx = BriefContext(record=rec, segments=segs, texts=tr.texts, signature=signature, version=__version__,
                       terms=annexes)
    # A parallel edition is read back in its target language's column only, in that language's direction. A
    # brief's justified paragraphs (numbered or lettered, in a justified language) are held to its word-space limit.
    paragraphs = {s.id for s in segs if s.para is not None or s.owner is not None}
    jobs = []
    for ed in eds:
        printed = tuple(s.id for s in segs if s.id in tr.texts.get(ed.lang, {}))
        limit = None if ed.parallel_with else WORD_SPACE_LIMIT.get(ed.lang)
        justified = tuple(i for i in printed if i in paragraphs) if limit else ()
        jobs.append(pool.submit(Job(render_html(ctx, ed), printed, ed.lang in RTL_LANGUAGES,
                                    PARALLEL_COLUMN if ed.parallel_with else None, justified, limit)))
    # a preview that opens on its own: stylesheets inlined
    html = {ed.filename(rec.id, "html"): render_html(ctx, ed, inline_css=True) for ed in eds} if settings.html else {}
    return _Pending(loaded, segs, tr, settings, glossary, key, signature, eds, html, jobs)


def _finish(p: _Pending, progress: Progress | None) -> BuildResult:
    from .config import RTL_LANGUAGES
    from .render.output import staged_dir

    rec = p.loaded.record
    target = Path(p.settings.out_dir) / rec.id
    files: list[dict] = []
    printed: list[dict] = []
    rendered: list[Rendered] = []
    restricted = audience.restricted(p.segs, p.tr.texts, p.signature)
    for i, (ed, job) in enumerate(zip(p.editions, p.jobs, strict=True)):
        if progress:
            progress("render", i, len(p.jobs))
        out = job.result()
        rendered.append(out)
        name = ed.filename(rec.id)
        # "paragraphs": the numbers this file prints (a delegation's brief leaves out its own
        # expected positions); each maps to the same segment id in manifest["paragraphs"].
        # "segments": every segment id it prints; "delegation": whose brief it is (none: the master), for
        # verify's check that no paragraph reached a brief outside its audience.
        shown = segments_shown(p.segs, ed)
        files.append({"file": name, "edition": ed.key, "lang": ed.lang, "locale": str(ed.locale),
                      **({"source_lang": ed.parallel_with} if ed.parallel_with else {}),
                      "sha256": hashlib.sha256(out.pdf).hexdigest(), "bytes": len(out.pdf),
                      "paragraphs": [str(s.para) for s in paragraphs_shown(p.segs, ed)],
                      "delegation": ed.delegation.id if ed.delegation else None,
                      "segments": [s.id for s in shown],
                      # the paragraphs not for this delegation whose words the record also gives it
                      **({"unchecked_texts": audience.shared(p.segs, ed.delegation.id)} if ed.delegation else {})})
        # (a parallel edition is read back in its target column, in its target language's direction)
        printed.append({"file": name, "lang": ed.lang, "rtl": ed.lang in RTL_LANGUAGES,
                        "parallel_with": ed.parallel_with,
                        "paragraphs": out.paragraphs, "off_page": out.off_page,
                        "word_space": out.word_space, "justified": out.justified, "ragged": out.ragged})
    if progress:
        progress("render", len(p.jobs), len(p.jobs))
    issues = check(rec, p.segs, p.tr.texts, p.tr.origin, p.glossary) + unenforced_terms(p.segs, p.tr, p.glossary)
    issues += provenance_issues(p.segs, p.tr)
    issues += rendered_check(rec, p.segs, p.tr.texts, printed)
    issues += _leaks(p, restricted, files)
    for entry in files:    # which brief is not ready to send, for verify and the build's summary
        entry["qa_errors"] = errors_in(issues, entry)
    with staged_dir(target, rec.id, force=not p.settings.reuse_output) as stage:
        for entry, out in zip(files, rendered, strict=True):
            (stage / entry["file"]).write_bytes(out.pdf)
        for name, text in p.html.items():
            (stage / name).write_text(text, encoding="utf-8")
        (stage / "qa.tsv").write_text(qa_tsv(issues), encoding="utf-8")
        (stage / "qa.html").write_text(qa_html(rec.id, p.signature, issues, p.tr.origin, rec.source_lang),
                                       encoding="utf-8")
        manifest = _manifest(p.loaded, p.segs, p.tr, p.signature, files)
        manifest["restricted"] = restricted
        # what verify needs to tell a complete set: who the record asked briefs for, how the set was built,
        # and the files besides the PDFs
        manifest["delegations"] = [{"id": d.id, "lang": d.lang} for d in rec.delegations]
        manifest["options"] = {"parallel": p.settings.parallel, "html": p.settings.html,
                               "pdf_variant": p.settings.pdf_variant,
                               "accept_qa_errors": p.settings.accept_qa_errors}
        manifest["other_files"] = [{"file": f.name, "sha256": hashlib.sha256(f.read_bytes()).hexdigest()}
                                   for f in sorted(stage.iterdir()) if f.suffix in (".html", ".tsv")]
        manifest["glossary"] = _term_report(p.glossary, p.segs, p.tr, rec.source_lang, p.loaded.path.parent)
        manifest["qa"] = summary(issues)
        # a set with QA errors is written for the reviewer but is not ready to send, unless the build was
        # told to send it anyway (options.accept_qa_errors): verify reads both
        manifest["qa_errors"] = sum(1 for i in issues if i.severity == "error")
        (stage / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
    log.info("wrote %d PDFs to %s", len(files), target)
    if p.key is not None:
        from .render import uptodate

        uptodate.remember(target, p.key)
    return BuildResult(rec.id, target, [target / f["file"] for f in files], manifest, issues)


def _leaks(p: _Pending, restricted: dict, files: list[dict]) -> list[Issue]:
    """A paragraph of a delegation's brief whose text (a reviewed translation, say) carries a paragraph not
    for that delegation — another side's talking point or note — is an error naming the brief. The words the
    record itself gives both sides (``audience.shared``) are not looked for."""
    issues = []
    for ed, entry in zip(p.editions, files, strict=True):
        if ed.delegation is None:
            continue
        who, skip = ed.delegation.id, entry["unchecked_texts"]
        for s in segments_shown(p.segs, ed):
            for lang in dict.fromkeys(x for x in (ed.lang, ed.parallel_with) if x):
                text = p.tr.texts.get(lang, {}).get(s.id)
                if not text:
                    continue
                for seg_id, found_lang in audience.found(text, restricted, who, skip, p.signature):
                    issues.append(Issue("error", lang, s.id, s.para, "leak",
                                        f"{entry['file']}: this paragraph carries "
                                        f"{audience.whose(seg_id, restricted[seg_id], who)} ({seg_id}): its text "
                                        f"({found_lang}) would be printed in the {who} delegation's brief",
                                        s.source, text, p.tr.origin.get(lang, {}).get(s.id, "")))
    return issues


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
        result = score(((s.id, s.source, texts[s.id]) for s in segs if s.needed_in(lang)), src_index,
                       index_for(glossary, lang))
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
    counts = {k: last.get(k, 0) for k in OUTCOMES}
    return {"enforcement": {**counts, "legs": {leg: {k: c.get(k, 0) for k in counts} for leg, c in legs.items()}}}


def _manifest(loaded: LoadedRecord, segs: list[Segment], tr: Translations, signature: str,
              files: list[dict]) -> dict:
    rec = loaded.record
    origin_counts = {lang: {kind: sum(1 for o in origins.values() if o == kind) for kind in ORIGINS}
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
        # per model direction, the share of <unk> pieces in what the models were given (0: they read it all)
        "unk_share": {d: round(unk / total, 4) for d, (unk, total) in sorted(tr.unknown.items())},
        # reviewed_share: the record's own (its texts, its .tmx); reused_share: reviewed translations the
        # memory holds from other records, printed where the .tmx has none (provenance.py)
        "translation": {lang: {**counts, "reviewed_share": round(
            (counts["reviewed"] + counts["given"]) / max(1, sum(counts.values())), 4),
            "reused_share": round(counts["reused"] / max(1, sum(counts.values())), 4)}
            for lang, counts in origin_counts.items()},
    }

"""The one pipeline: record → segments → memory → translation → HTML → PDFs, written as a matched set."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import Settings, templates_dir
from .errors import GlossaryError, MissingTranslationError, ModelError
from .glossary import Glossary, base_glossaries, load_glossary, record_override
from .memory import Memory
from .qa import Issue, check, summary
from .qa_report import qa_html, qa_tsv
from .record import LoadedRecord, load_record
from .render import BriefContext, editions, paragraphs_shown, parallel_editions, render_html
from .segment import Segment, segments
from .terms import annex_rows, index_for, score
from .translate.base import Translator
from .translate.compose import CachingTranslator
from .translate.glossed import GlossaryTranslator

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]   # (stage, done, total)

FIX_MISSING = ("Install models with `make models` (networked machine) or "
               "`briefgen models install FILE` (offline machine), then build with --backend ct2; "
               "or add the translations to the record or its .tmx file.")


@dataclass
class Translations:
    """The text of every segment in every language of the build, and where each came from."""

    texts: dict[str, dict[str, str]] = field(default_factory=dict)    # lang -> id -> text
    origin: dict[str, dict[str, str]] = field(default_factory=dict)   # lang -> id -> given|reviewed|machine
    engines: set[str] = field(default_factory=set)
    term_failures: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)  # lang -> (id, concepts)

    def put(self, lang: str, seg_id: str, text: str, origin: str) -> None:
        self.texts.setdefault(lang, {})[seg_id] = text
        self.origin.setdefault(lang, {})[seg_id] = origin


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
    glossary = glossary_for(loaded, settings)
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
    # exactly what rendering would write again (see uptodate.py).
    from . import uptodate

    target = Path(settings.out_dir) / rec.id
    key = uptodate.fingerprint(_set_inputs(loaded, tr, glossary, settings))
    if settings.reuse_output:
        manifest = uptodate.current(target, key, _side_files(loaded, settings))
        if manifest is not None:
            log.info("%s is up to date (record, translations, glossary, templates unchanged)", target)
            return BuildResult(rec.id, target, [target / f["file"] for f in manifest["files"]], manifest,
                               check(rec, segs, tr.texts, tr.origin, glossary), reused=True)
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


def glossary_for(loaded: LoadedRecord, settings: Settings) -> Glossary:
    """Base glossaries, then the user's, then the record's own override file: later layers win."""
    if not settings.use_glossary:
        return Glossary()
    paths = [*base_glossaries(), *settings.glossaries]
    override = record_override(loaded.path)
    if override is not None:
        paths.append(override)
    glossary = load_glossary(paths)
    from .glossary_check import problems

    errors = [f for f in problems(glossary) if f.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise GlossaryError(f"{first.message}{more}; run `briefgen glossary check {first.file}` for the list",
                            path=first.file, line=first.line, field=first.concept or None)
    return glossary


def import_sidecar(memory: Memory, loaded: LoadedRecord) -> None:
    """The reviewed translations shipped beside a record (``<record>.tmx``) go into the memory."""
    from .tmx import read_tmx

    sidecar = loaded.path.with_suffix(".tmx")
    if sidecar.is_file():
        units = read_tmx(sidecar, loaded.record.id)
        memory.store(units)
        log.info("loaded %d reviewed translations from %s", len(units), sidecar)


def target_langs(loaded: LoadedRecord) -> list[str]:
    rec = loaded.record
    return sorted({d.lang for d in rec.delegations} - {rec.source_lang})


def latest_translations(loaded: LoadedRecord, segs: list[Segment], langs: list[str],
                        memory_path: Path) -> Translations:
    """What the last builds left for this record: the record's own versions, its .tmx, reviewed
    translations and the newest machine drafts, whatever engine made them (for review and checks)."""
    with Memory(memory_path) as memory:
        import_sidecar(memory, loaded)
        tr, _ = lookup(loaded, segs, langs, memory, any_machine=True)
    return tr


def lookup(loaded: LoadedRecord, segs: list[Segment], langs: list[str], memory: Memory | None,
           signature: Callable[[str, str], str | None] | None = None,
           any_machine: bool = False) -> tuple[Translations, dict[str, list[Segment]]]:
    """What the record and the memory already give; the rest, by target language, still to translate."""
    src = loaded.record.source_lang
    out = Translations()
    for s in segs:
        out.put(src, s.id, s.source, "given")
    todo: dict[str, list[Segment]] = {}
    for lang in langs:
        sig = signature(src, lang) if signature else None
        for s in segs:
            given = s.supplied(lang)
            if given is not None:
                out.put(lang, s.id, given, "given")
                continue
            unit = memory.lookup(src, lang, s.source, sig, s.id, any_machine) if memory else None
            if unit is not None:
                out.put(lang, s.id, unit.tgt_text, unit.status)
                if unit.status == "machine":           # a reused draft still names the engine that made it
                    out.engines.add(unit.signature)
            else:
                todo.setdefault(lang, []).append(s)
    return out, todo


def translate(loaded: LoadedRecord, segs: list[Segment], langs: list[str], memory: Memory | None,
              translator: Translator | None, progress: Progress | None = None) -> Translations:
    rec = loaded.record
    src = rec.source_lang
    out, todo = lookup(loaded, segs, langs, memory, translator.signature if translator else None)
    if todo and translator is None:
        raise MissingTranslationError({(src, lang): [s.id for s in ss] for lang, ss in todo.items()},
                                      FIX_MISSING)
    if not todo or translator is None:
        return out
    try:
        translator.require([(src, lang) for lang in todo])   # one error naming every missing model
    except ModelError as exc:
        raise MissingTranslationError({(src, lang): [s.id for s in ss] for lang, ss in todo.items()},
                                      str(exc)) from exc
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
        failed = {(f.source, f.tgt): f.concepts for f in getattr(translator, "failures", [])}
        out.term_failures[lang] = [(s.id, list(failed[s.source, lang])) for s in ss if (s.source, lang) in failed]
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
    from .output import staged_dir
    from .pdf import Renderer

    rec = loaded.record
    signature = signature_of(loaded, tr, glossary.sha256() if glossary.concepts else "none")
    annex = annex_rows(glossary, segs, rec.source_lang, sorted(tr.texts))
    ctx = BriefContext(record=rec, segments=segs, texts=tr.texts, signature=signature, version=__version__,
                       terms=dict.fromkeys(tr.texts, annex))
    eds = editions(rec) + (parallel_editions(rec) if settings.parallel else [])
    renderer = Renderer(templates_dir(), settings.pdf_variant)
    target = Path(settings.out_dir) / rec.id
    files: list[dict] = []
    with staged_dir(target) as stage:
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
        issues = check(rec, segs, tr.texts, tr.origin, glossary)
        (stage / "qa.tsv").write_text(qa_tsv(issues), encoding="utf-8")
        (stage / "qa.html").write_text(qa_html(rec.id, signature, issues, tr.origin, rec.source_lang),
                                       encoding="utf-8")
        manifest = _manifest(loaded, segs, tr, signature, files)
        manifest["glossary"] = _term_report(glossary, segs, tr, rec.source_lang)
        manifest["qa"] = summary(issues)
        (stage / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
    log.info("wrote %d PDFs to %s", len(files), target)
    return BuildResult(rec.id, target, [target / f["file"] for f in files], manifest, issues)


def _term_report(glossary: Glossary, segs: list[Segment], tr: Translations, src: str) -> dict:
    """Per target language: glossary terms that occurred and how many the translations honour."""
    report: dict = {"sha256": glossary.sha256() if glossary.concepts else None,
                    "layers": [str(layer.path) for layer in glossary.layers],
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
                                 "unrepaired": [{"segment": sid, "concepts": cids}
                                                for sid, cids in tr.term_failures.get(lang, [])]}
    return report


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

"""``briefgen models``: list, fetch, check, evaluate, pack and install the translation models.

Kept apart from cli/main.py so the model tools grow without touching the build command; like it, it only
parses, calls the library and prints. Heavy modules are imported inside the commands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..translate.registry import Registry


def register(subparsers: argparse._SubParsersAction) -> None:
    m = subparsers.add_parser("models", help="list, fetch, pack and install translation models",
                              description="Models live in BRIEFGEN_MODELS (default: the user cache folder).")
    actions = m.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    ls = actions.add_parser("list", help="each direction: its model, installed or missing, size")
    ls.set_defaults(func=_cmd_list)

    f = actions.add_parser("fetch", help="download, convert to CTranslate2 int8 and install (needs the network)")
    f.add_argument("directions", nargs="*", metavar="DIRECTION", help="e.g. fr-ru (default: all six)")
    f.add_argument("--ct2-only", action="store_true",
                   help="keep only the CTranslate2 model (about a quarter of the size); no --backend hf")
    f.set_defaults(func=_cmd_fetch)

    c = actions.add_parser("check", help="translate fixed sentences with each installed model and reject empty, "
                                         "repeating, wrong-script or far-off output (run by fetch and install)")
    c.add_argument("directions", nargs="*", metavar="DIRECTION", help="e.g. fr-ru (default: all six)")
    c.add_argument("--backend", choices=["ct2", "hf"], action="append", default=None,
                   help="check only this backend (repeatable; default: every part installed)")
    c.set_defaults(func=_cmd_check)

    e = actions.add_parser("eval", help="translate records with the memory off and score the drafts against "
                                        "their reviewed translations (chrF, BLEU, term accuracy)")
    e.add_argument("records", nargs="+", type=Path, metavar="RECORD", help="meeting record (.yaml) with a .tmx "
                                                                           "or reviewed memory units")
    e.add_argument("--backend", choices=["ct2", "hf", "pseudo"], default="ct2", help="engine to score (default: ct2)")
    e.add_argument("--beam-size", type=int, default=4, help="beam size (default: 4)")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.set_defaults(func=_cmd_eval)

    v = actions.add_parser("vocab-check", help="what briefgen will lose with a model, from its tokenizer files "
                                               "alone (run it before installing a model from elsewhere)")
    v.add_argument("folder", type=Path, metavar="DIR", help="source.spm, target.spm, vocab.json (no weights needed)")
    v.add_argument("--record", type=Path, help="measure on this record's source sentences (default: the check "
                                               "sentences of the tokenizer's source language)")
    v.add_argument("--to", metavar="LANG", help="target language (default: the folder's tokenizer_config.json)")
    v.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    v.set_defaults(func=_cmd_vocab_check)

    p = actions.add_parser("pack", help="write the installed models to one tar for an offline machine")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("directions", nargs="*", metavar="DIRECTION", help="only these directions' models")
    p.add_argument("--force", action="store_true", help="replace an earlier bundle of that name")
    p.set_defaults(func=_cmd_pack)

    i = actions.add_parser("install", help="install a bundle made by `models pack` (checks every file first)")
    i.add_argument("file", type=Path, metavar="FILE")
    i.add_argument("--sha256", metavar="HEX", help="refuse the bundle unless its sha256 is this (as `pack` printed "
                                                    "it): the checksums inside a bundle catch damage, not forgery")
    i.set_defaults(func=_cmd_install)


def _context() -> tuple[Path, Registry]:
    from ..config import models_dir
    from ..translate.registry import load_registry

    folder = models_dir()
    return folder, load_registry(folder)


def _directions(registry: Registry, given: list[str]) -> list[str]:
    from ..config import LANGUAGES
    from ..errors import InputError
    from ..translate.registry import parse_direction

    if not given:
        return registry.directions(LANGUAGES)
    out = []
    for text in given:
        src, tgt = parse_direction(text)
        if f"{src}-{tgt}" not in registry.routes:
            raise InputError(f"no model is registered for {text}; registered: {', '.join(sorted(registry.routes))}")
        out.append(f"{src}-{tgt}")
    return out


def _cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    from ..config import LANGUAGES
    from ..translate.models import human_size, installed_commit, status
    folder, registry = _context()
    print(f"models folder: {folder}", file=out)
    print(f"registry: {' + '.join(str(p) for p in registry.sources)}", file=out)
    main = registry.directions(LANGUAGES)
    legs = sorted({leg.direction for d in main if registry.routes[d].pivot
                   for leg in registry.legs(*d.split("-"))} - set(main))
    rows = [("DIRECTION", "MODEL", "STATUS", "LICENCE", "SIZE")]
    for direction in [*main, *legs]:
        route = registry.routes[direction]
        entries = registry.legs(route.src, route.tgt)
        states = [status(folder, e) for e in entries]
        if route.pivot:
            model = f"via {route.pivot}: " + " + ".join(e.direction for e in entries)
            state = "installed" if all(s.startswith("installed") for s, _ in states) else "missing " + ", ".join(
                e.direction for e, (s, _) in zip(entries, states, strict=True) if not s.startswith("installed"))
            size = human_size(sum(n for _, n in states)) if all(n for _, n in states) else ""
        else:
            entry = entries[0]
            commit = installed_commit(folder, entry)
            model = entry.hub_id + (f"@{commit[:10]}" if commit else "")
            state, nbytes = states[0]
            size = human_size(nbytes) if nbytes else f"download {entry.size}" if entry.size else ""
        label = direction if direction in main else f"{direction} (pivot leg)"
        rows.append((label, model, state, route.licence or "not stated", size))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4], file=out)
    if registry.alternatives:
        print(f"{len({a.hub_id for a in registry.alternatives})} alternative model(s) are described in "
              f"{registry.sources[0]}", file=out)
    return 0


def _cmd_fetch(args: argparse.Namespace, out: TextIO) -> int:
    from ..translate.check import install_check
    from ..translate.models import fetch, human_size, tree_size
    folder, registry = _context()
    entries = registry.models_for(_directions(registry, args.directions))
    checked: dict[str, str] = {}
    for model in fetch(entries, folder, keep_hf=not args.ct2_only, progress=sys.stderr.isatty(),
                       check=install_check(registry, checked)):
        print(f"{model.manifest['hub_id']}@{model.commit[:10]}: installed in {model.path} "
              f"({human_size(tree_size(model.path))}); check: {checked.get(model.path.name, 'not run')}", file=out)
    return 0


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from ..errors import ModelError
    from ..translate.check import check_model, parts_of
    from ..translate.models import FIX_MODELS, status
    from ..translate.vocab import strategies
    folder, registry = _context()
    entries = registry.models_for(_directions(registry, args.directions))
    missing = [f"{e.direction} ({e.hub_id})" for e in entries if not status(folder, e)[0].startswith("installed")]
    if missing:
        raise ModelError(f"not installed in {folder}: {', '.join(missing)}. {FIX_MODELS}")
    failed = False
    for entry in entries:
        parts = [p for p in parts_of(folder, entry) if args.backend is None or p in args.backend]
        for r in check_model(folder, entry, registry, parts):
            verdict = "ok" + (f" (chrF {r.chrf} on the check sentences)" if r.chrf is not None else "") if r.ok \
                else "FAILED: " + "; ".join(r.problems)
            print(f"{r.direction}  {r.hub_id}  {r.backend}: {verdict}", file=out)
            failed |= not r.ok
        src, tgt = entry.direction.split("-")
        print(f"{entry.direction}  {entry.hub_id}  protection: {strategies(folder / entry.slug, src, tgt)}", file=out)
    return 1 if failed else 0


def _cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from ..config import Settings
    from ..translate.evaluate import as_json, evaluate
    from ..translate.loader import make_translator

    settings = Settings(backend=args.backend, beam_size=args.beam_size)
    translator = make_translator(settings)
    assert translator is not None
    try:
        scores = evaluate(args.records, translator, settings)
    finally:
        translator.close()
    if args.json:
        print(json.dumps(as_json(scores), ensure_ascii=False, indent=2), file=out)
        return 0
    print(f"{'DIRECTION':<22}{'SEGMENTS':>9}{'chrF':>8}{'BLEU':>8}{'TERMS':>8}", file=out)
    for s in scores:
        label = s.direction + (f" (leg of {s.leg_of})" if s.leg_of else "")
        terms = "–" if s.term_accuracy is None else f"{s.term_accuracy:.1%}"
        print(f"{label:<22}{s.segments:>9}{s.chrf:>8.1f}{s.bleu:>8.1f}{terms:>8}", file=out)
    if scores:
        print(f"chrF {scores[0].metrics['chrf']}\nBLEU {scores[0].metrics['bleu']}", file=out)
    else:
        print("nothing to score: the records have no reviewed translations (.tmx or reviewed memory units)", file=out)
    return 0


def _cmd_vocab_check(args: argparse.Namespace, out: TextIO) -> int:
    import json

    from ..errors import InputError
    from ..translate.check import SENTENCES
    from ..translate.preprocess import DEFAULTS
    from ..translate.sentences import split_texts
    from ..translate.vocab import check_vocabulary, tokenizer_languages

    if not args.folder.is_dir():
        raise InputError(f"{args.folder}: no such folder; give the folder holding the model's tokenizer files")
    if not any((args.folder / n).is_file() for n in ("source.spm", "sentencepiece.bpe.model")):
        raise InputError(f"{args.folder}: no source.spm (nor sentencepiece.bpe.model); give the folder holding "
                         "the model's tokenizer files")
    src, tgt = tokenizer_languages(args.folder)
    tgt = args.to or tgt
    if args.record is not None:
        from ..record.load import load_record
        from ..record.segments import segments

        record = load_record(args.record).record
        src = record.source_lang
        sentences = split_texts([s.source for s in segments(record)], src).sentences
    else:
        sentences = list(SENTENCES.get(src or "", ()))
        if not sentences:
            raise InputError(f"{args.folder}: the tokenizer names no source language briefgen has sentences for; "
                             "give a record with --record")
    # what the model is given: the registry's normalisation for opus-mt (Marian) models
    _, registry = _context()
    pre = registry.families.get("marian", DEFAULTS["marian"])
    report = check_vocabulary(args.folder, pre.apply_all(sentences, src or ""), tgt, src)
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False), file=out)
        return 0
    print(f"{args.folder}: {len(sentences)} sentence(s) in {src}, after preprocessing", file=out)
    print(f"<unk> share: {report['unk_share']:.2%}" + (f"; cannot read: {' '.join(report['unknown_chars'])}"
                                                       if report["unknown_chars"] else ""), file=out)
    for strategy, p in report["protection"].items():
        print(f"{strategy} {p['form']}: {'survives' if p['survives'] else 'lost (does not survive encoding)'}",
              file=out)
    print(f"target token: {report['target_token'] or 'none needed'}", file=out)
    return 0


def _cmd_pack(args: argparse.Namespace, out: TextIO) -> int:
    from ..errors import ModelError
    from ..files import guard_output
    from ..translate.models import BUNDLE_FORMAT, FIX_MODELS, human_size, pack, sha256_file, status
    folder, registry = _context()
    guard_output(args.file, mark=f'"format": "{BUNDLE_FORMAT}"'.encode(), force=args.force)
    only = None
    if args.directions:
        entries = registry.models_for(_directions(registry, args.directions))
        missing = [e.hub_id for e in entries if not status(folder, e)[0].startswith("installed")]
        if missing:
            raise ModelError(f"cannot pack {', '.join(missing)}: not installed in {folder}. {FIX_MODELS}")
        only = [e.slug for e in entries]
    manifest = pack(folder, args.file, only)
    digest = sha256_file(args.file)
    print(f"{args.file}: {len(manifest['models'])} model(s), {len(manifest['files'])} files, "
          f"{human_size(args.file.stat().st_size)}, sha256 {digest}\n"
          f"install with `briefgen models install {args.file.name} --sha256 {digest}`", file=out)
    return 0


def _cmd_install(args: argparse.Namespace, out: TextIO) -> int:
    from ..config import models_dir
    from ..errors import ExchangeError
    from ..translate.check import install_check
    from ..translate.models import install_bundle, sha256_file
    from ..translate.registry import load_registry

    folder = models_dir()
    if args.sha256 and sha256_file(args.file) != args.sha256.strip().lower():
        raise ExchangeError("the bundle's sha256 is not the one given; it was altered or damaged on the way, "
                            "installing nothing", path=args.file)
    registry = load_registry(folder)
    checked: dict[str, str] = {}
    by_slug = {e.slug: e for e in [*registry.alternatives, *(r.model for r in registry.routes.values() if r.model)]}
    check = install_check(registry, checked)

    def check_slug(root: Path, slug: str) -> None:
        if slug in by_slug:
            check(root, by_slug[slug])

    for slug in install_bundle(args.file, folder, check_slug):
        print(f"installed {slug} in {folder}; check: {checked.get(slug, 'not run (not in the registry)')}", file=out)
    return 0

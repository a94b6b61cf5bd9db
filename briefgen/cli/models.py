"""``briefgen models``: list, fetch, pack and install the translation models.

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

    p = actions.add_parser("pack", help="write the installed models to one tar for an offline machine")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("directions", nargs="*", metavar="DIRECTION", help="only these directions' models")
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
    rows = [("DIRECTION", "MODEL", "STATUS", "SIZE")]
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
        rows.append((label, model, state, size))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r[:3], widths, strict=True)) + "  " + r[3], file=out)
    if registry.alternatives:
        print(f"{len({a.hub_id for a in registry.alternatives})} alternative model(s) are described in "
              f"{registry.sources[0]}", file=out)
    return 0


def _cmd_fetch(args: argparse.Namespace, out: TextIO) -> int:
    from ..translate.models import fetch, human_size, tree_size
    folder, registry = _context()
    entries = registry.models_for(_directions(registry, args.directions))
    for model in fetch(entries, folder, keep_hf=not args.ct2_only, progress=sys.stderr.isatty()):
        print(f"{model.manifest['hub_id']}@{model.commit[:10]}: installed in {model.path} "
              f"({human_size(tree_size(model.path))})", file=out)
    return 0


def _cmd_pack(args: argparse.Namespace, out: TextIO) -> int:
    from ..errors import ModelError
    from ..translate.models import FIX_MODELS, human_size, pack, sha256_file, status
    folder, registry = _context()
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
    from ..translate.models import install_bundle, sha256_file

    folder = models_dir()
    if args.sha256 and sha256_file(args.file) != args.sha256.strip().lower():
        raise ExchangeError("the bundle's sha256 is not the one given; it was altered or damaged on the way, "
                            "installing nothing", path=args.file)
    for slug in install_bundle(args.file, folder):
        print(f"installed {slug} in {folder}", file=out)
    return 0

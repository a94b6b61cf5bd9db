"""Near-zero rebuilds: when the set in ``out/<record-id>`` is exactly what this build would write, keep it.

Rendering is most of a build whose translations all come from the memory, and it is deterministic in its
inputs, so a build computes a fingerprint of everything the set is made from — the record file, every
final text and its origin, the engines, the glossary layers, the build settings, the templates, briefgen's
own code, the rendering libraries and the installed fonts — and compares it with the one stored beside
the set (``out/.<record-id>.built.json``) by the build that wrote it. When they match and the files are
intact (the manifest's hash, every file's sha256 against the manifest), nothing is rendered. A file changed
since (an annotated brief) is not intact, and the build is then refused before anything is replaced
(``output.replaceable``) unless it is run with ``--force``.

The stamp lives beside the set, not in it, so a set swapped in by ``output.staged_dir`` never carries the
stamp of another build; it names the hash of the manifest it vouches for, so a stamp written by a build
whose set was replaced meanwhile vouches for nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import templates_dir
from ..errors import InputError
from ..files import MAX_JSON_BYTES, read_bytes, read_json
from .output import changed

log = logging.getLogger(__name__)

STAMP_FORMAT = "briefgen-built/1"
_PACKAGE = Path(__file__).resolve().parent.parent   # the whole briefgen package
_LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "tinyhtml5", "fonttools", "jinja2", "babel")
# fontconfig rewrites its caches when fonts are installed or removed (fc-cache runs after every font package)
_FONT_CACHES = (Path("/var/cache/fontconfig"), Path.home() / ".cache" / "fontconfig", Path.home() / ".fontconfig")


def fingerprint(parts: dict[str, Any]) -> str:
    """sha256 of the build's own inputs (``parts``, JSON-able) and of what renders them."""
    data = {"format": STAMP_FORMAT, "briefgen": __version__, "code": _tree_digest(_PACKAGE, "*.py"),
            "templates": _tree_digest(templates_dir(), "*"), "libraries": _versions(), "fonts": _fonts(),
            **parts}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def stamp_path(target: Path) -> Path:
    return target.parent / f".{target.name}.built.json"


def current(target: Path, key: str, extra: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """The manifest of the set in ``target`` if it was built from ``key`` and is intact, else None.
    ``extra`` names files besides the manifest's that the set must hold (qa.html, the HTML previews)."""
    try:
        stamp = read_json(stamp_path(target))
        raw = read_bytes(target / "manifest.json", InputError, MAX_JSON_BYTES)
    except InputError:
        return None
    if not isinstance(stamp, dict) or stamp.get("format") != STAMP_FORMAT or stamp.get("key") != key:
        return None
    if stamp.get("manifest_sha256") != hashlib.sha256(raw).hexdigest():
        return None                      # another build replaced the set after this stamp was written
    try:
        manifest = json.loads(raw)   # its bytes match the stamp, so briefgen wrote it: not deeply nested
        listed = [entry["file"] for entry in manifest["files"] + manifest.get("other_files", [])]
        # every file there, as its own file of the folder, and still what the build wrote
        if not all((target / name).is_file() and not (target / name).is_symlink() for name in listed) \
                or changed(target, manifest) or not all((target / name).is_file() for name in extra):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest


def remember(target: Path, key: str) -> None:
    """Stamp the set just written in ``target`` as built from ``key``."""
    try:
        digest = hashlib.sha256((target / "manifest.json").read_bytes()).hexdigest()
        path = stamp_path(target)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"format": STAMP_FORMAT, "key": key, "manifest_sha256": digest}) + "\n",
                       encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:               # no stamp only means the next build renders again
        log.warning("cannot record the build stamp for %s: %s", target, exc)


def _tree_digest(root: Path, pattern: str) -> str:
    h = hashlib.sha256()
    if root.is_dir():
        for path in sorted(p for p in root.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts):
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _versions() -> dict[str, str]:
    out = {}
    for name in _LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = ""
    return out


def _fonts() -> list[tuple[str, int, int]]:
    found = []
    for folder in _FONT_CACHES:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            st = entry.stat()
            found.append((entry.path, st.st_size, st.st_mtime_ns))
    return found

"""Write a build's files as one set: into a temporary folder beside the target, then swapped in.

An interrupted build (Ctrl-C, kill -9, disk full) leaves the previous matched set untouched. The swap touches
only what briefgen wrote: ``out/<record-id>`` is replaced only when it holds a set of that record (its
manifest.json) and nothing else — a user's folder of the same name is never replaced, the build stops naming
what is in it — and only when each of its files is still what the build wrote (the sha256 its manifest lists):
a brief annotated in a PDF reader or a QA report with notes typed into it is the user's now, and is replaced
only when the user says so (``force``, ``briefgen build --force``). The previous set is then removed file by
file, by name, never as a tree, and a file changed meanwhile is kept. A symbolic link
``out/<record-id>`` is followed: the set is swapped where it points and the link stays as it is.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..files import read_json

log = logging.getLogger(__name__)

_REPORTS = ("manifest.json", "qa.tsv", "qa.html")
# What file managers and office programs leave in any folder they show or any file they open: no one's work.
_LITTER = (".DS_Store", "Thumbs.db", "desktop.ini")
_LITTER_OF = ("._", ".~lock.", "~$")          # + the name of a file of the set (AppleDouble, LibreOffice, Office)


def replaceable(target: Path, record_id: str, *, force: bool = False) -> Path:
    """The folder a build of ``record_id`` may (re)write for ``target``: ``target`` itself, or the folder a
    symbolic link ``target`` points to. InputError (exit 2) when it holds anything briefgen did not write, or
    (unless ``force``) a file of the set changed since the build wrote it."""
    where, named = target, ""
    if target.is_symlink():
        try:
            where = Path(os.path.realpath(target, strict=True))
        except OSError:
            raise InputError(f"a symbolic link to {os.readlink(target)}, which does not exist; remove the link or "
                             "create the folder it names", path=target) from None
        named = f" ({where}, where the link leads)"
    if not os.path.lexists(where):
        return where
    if not where.is_dir():
        raise InputError(f"this is a file{named}, not a folder of briefs; move it away or build with another --out",
                         path=target)
    names = sorted(os.listdir(where))
    if not names:
        return where
    manifest = _manifest(where)
    if manifest is None:
        raise InputError(f"this folder{named} was not written by briefgen (it has no manifest.json of a build); "
                         f"it holds {_listing(where, names)}: move it away or build with another --out", path=target)
    if manifest["record_id"] != record_id:
        raise InputError(f"this folder{named} holds the briefs of record '{manifest['record_id']}', not of "
                         f"'{record_id}'; move it away or build with another --out", path=target)
    foreign = [n for n in names if not _ours(n, _set_names(manifest))]
    if foreign:
        raise InputError(f"besides a set of briefs this folder{named} holds {_listing(where, foreign)}, which briefgen "
                         "did not write; move them away and build again", path=target)
    edited = [] if force else changed(where, manifest)
    if edited:
        it = "it" if len(edited) == 1 else "them"
        raise InputError(f"{_listing(where, edited)} in this folder{named} changed since briefgen wrote the set "
                         f"(annotated or edited: not the sha256 its manifest.json lists), and a rebuild would replace "
                         f"{it}; move {it} away and build again, or build with --force to replace {it}", path=target)
    return where


@contextlib.contextmanager
def staged_dir(target: Path, record_id: str, *, force: bool = False) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; on success it replaces ``target`` (see ``replaceable``)."""
    where = replaceable(target, record_id, force=force)
    where.parent.mkdir(parents=True, exist_ok=True)
    for place in {target, where}:
        _remove_abandoned(place, record_id)
    stage = Path(tempfile.mkdtemp(prefix=f".{where.name}.building-{os.getpid()}-", dir=where.parent))
    # what proves a leftover staging folder is one a build made: a folder of the user's that happens to have
    # such a name is never removed
    (stage / STAGE_MARK).write_text(f"briefgen staging folder for record {record_id}\n", encoding="utf-8")
    umask = os.umask(0)
    os.umask(umask)
    stage.chmod(0o777 & ~umask)  # mkdtemp makes it private; the briefs are meant to be shared
    try:
        yield stage
        (stage / STAGE_MARK).unlink()
        for f in stage.iterdir():
            _fsync(f)
        with _locked(where.parent / f".{where.name}.lock"):
            # checked again: a person (or a link) may have changed the folder while the briefs were rendered
            if replaceable(target, record_id, force=force) != where:
                raise InputError("the symbolic link was changed while the briefs were rendered; build again",
                                 path=target)
            old = None
            if os.path.lexists(where):
                old = where.parent / f".{where.name}.old-{os.getpid()}"
                os.rename(where, old)
            os.rename(stage, where)
        if old is not None:
            _discard(old, record_id, force)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


def _manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest.json when it is one a build wrote (record id and file list), else None."""
    try:
        manifest = read_json(folder / "manifest.json")
    except InputError:
        return None
    ok = (isinstance(manifest, dict) and isinstance(manifest.get("record_id"), str)
          and isinstance(manifest.get("files"), list) and isinstance(manifest.get("other_files", []), list)
          and all(isinstance(f, dict) and isinstance(f.get("file"), str)
                  for f in manifest["files"] + manifest.get("other_files", [])))
    return manifest if ok else None


def _set_names(manifest: dict[str, Any]) -> set[str]:
    """The files of a set: its manifest, QA reports, PDFs and their HTML previews."""
    files = [f["file"] for f in manifest["files"]]
    previews = [name.removesuffix(".pdf") + ".html" for name in files]   # sets written before "other_files"
    return {*_REPORTS, *files, *previews, *(f["file"] for f in manifest.get("other_files", []))}


def changed(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """The files of the set in ``folder`` whose content is no longer the sha256 its manifest lists."""
    out = []
    for entry in manifest["files"] + manifest.get("other_files", []):
        path = folder / entry["file"]
        if Path(entry["file"]).name != entry["file"] or not path.is_file() or path.is_symlink():
            continue       # gone, or not a file of this folder: nothing here to lose by its name
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        if digest != entry.get("sha256"):
            out.append(entry["file"])
    return sorted(out)


def _ours(name: str, names: set[str]) -> bool:
    if name in names or name in _LITTER:
        return True
    return any(name.startswith(p) and name.removeprefix(p).removesuffix("#") in names for p in _LITTER_OF)


def _listing(folder: Path, names: list[str]) -> str:
    shown = [n + ("/" if (folder / n).is_dir() and not (folder / n).is_symlink() else "") for n in names[:3]]
    return ", ".join(shown) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _discard(old: Path, record_id: str, force: bool = False) -> None:
    """Remove a replaced set: its own files by name — those changed since they were written only with
    ``force`` — then the folder if nothing else is left."""
    manifest = _manifest(old)
    names = _set_names(manifest) if manifest is not None and manifest["record_id"] == record_id else set()
    kept = set() if force or manifest is None else set(changed(old, manifest))
    for name in os.listdir(old):
        if _ours(name, names) and name not in kept and not (old / name).is_dir():
            with contextlib.suppress(OSError):
                (old / name).unlink()
    try:
        old.rmdir()
    except OSError:
        left = sorted(os.listdir(old)) if old.is_dir() else []
        log.warning("%s: kept, because it holds %s, which briefgen did not write or which changed since (while "
                    "the new set was built); look at it, then delete it", old, _listing(old, left) or "files")


def _remove_abandoned(where: Path, record_id: str) -> None:
    """What builds that were killed (their process is gone) left: staging folders, and replaced sets."""
    for leftover in where.parent.glob(f".{where.name}.building-*"):
        if not _alive(_pid(leftover.name, ".building-")):
            _remove_stage(leftover)
    for leftover in where.parent.glob(f".{where.name}.old-*"):
        if not _alive(_pid(leftover.name, ".old-")):
            if leftover.is_symlink():   # an older briefgen renamed a linked out/<id> itself: the link only
                leftover.unlink()
            elif leftover.is_dir():
                _discard(leftover, record_id)


STAGE_MARK = ".briefgen-staging"
_STAGED = (".pdf", ".html", ".json", ".tsv", ".txt")   # what a build writes into its staging folder


def _remove_stage(leftover: Path) -> None:
    """A killed build's staging folder: only when it carries briefgen's mark, only the files a build writes
    (by name), then the folder if nothing else is left."""
    if leftover.is_symlink() or not leftover.is_dir() or not (leftover / STAGE_MARK).is_file():
        log.warning("%s: kept: it looks like a build's staging folder but briefgen did not make it", leftover)
        return
    for entry in os.scandir(leftover):
        if entry.is_file(follow_symlinks=False) and (entry.name == STAGE_MARK or entry.name.endswith(_STAGED)):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    try:
        leftover.rmdir()
    except OSError:
        log.warning("%s: kept, because it holds %s, which briefgen did not write; look at it, then delete it",
                    leftover, _listing(leftover, sorted(os.listdir(leftover))) or "files")


def _pid(name: str, marker: str) -> int:
    pid = name.rpartition(marker)[2].split("-")[0]
    return int(pid) if pid.isdigit() else os.getpid()   # not a name briefgen makes: treat as alive, keep it


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Two builds of one record swap their sets one after the other, never interleaved."""
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())

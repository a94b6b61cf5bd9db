"""Write a build's files as one set: into a temporary folder beside the target, then swapped in.

An interrupted build (Ctrl-C, kill -9, disk full) leaves the previous matched set untouched.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def staged_dir(target: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; on success it replaces ``target`` as a whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(target)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-{os.getpid()}-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    stage.chmod(0o777 & ~umask)  # mkdtemp makes it private; the briefs are meant to be shared
    try:
        yield stage
        for f in stage.iterdir():
            _fsync(f)
        with _locked(target.parent / f".{target.name}.lock"):
            old = None
            if target.exists():
                old = target.parent / f".{target.name}.old-{os.getpid()}"
                os.rename(target, old)
            os.rename(stage, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


def _remove_abandoned(target: Path) -> None:
    """Folders left by builds that were killed (their process is gone) are removed."""
    for leftover in target.parent.glob(f".{target.name}.building-*"):
        pid = leftover.name.removeprefix(f".{target.name}.building-").split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


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

"""What went wrong with the memory's SQLite file, in one line a user can act on.

SQLite reports a full disk as SQLITE_FULL, or as an I/O error when it cannot grow the shared-memory file
(SQLITE_IOERR_SHMSIZE); damage as SQLITE_CORRUPT or SQLITE_NOTADB; a lock held past the busy timeout as
SQLITE_BUSY; a read-only file or medium as SQLITE_READONLY, or SQLITE_CANTOPEN when the WAL files cannot be
created beside it. Python's sqlite3 gives the name (``sqlite_errorname``) since 3.11.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

FIX_READ_ONLY = ("copy it to a writable folder and set BRIEFGEN_MEMORY to the copy "
                 "(builds and `memory export` can read it where it is)")
_LOW_SPACE = 1024 * 1024


def writable(path: Path) -> bool:
    """Whether the memory file and its folder (where SQLite puts the -wal and -shm files) can be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < _LOW_SPACE
    except OSError:
        return False


def read_only_message(path: Path) -> str:
    return (f"{path}: the translation memory is read-only (a read-only disk or no write permission); "
            f"{FIX_READ_ONLY}")


def failure_message(path: Path, exc: sqlite3.Error, timeout: float) -> str:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_FULL") or (name.startswith("SQLITE_IOERR") and disk_full(path)):
        return (f"{path}: the disk holding the translation memory is full; free some space there or set "
                "BRIEFGEN_MEMORY to a file on another disk, then run again (the memory is as it was)")
    if name.startswith("SQLITE_CORRUPT"):
        return (f"{path}: the translation memory is damaged ({exc}); restore it from a backup or set "
                f"BRIEFGEN_MEMORY to a new file (`sqlite3 {path.name} .recover` saves what is still readable)")
    if name.startswith("SQLITE_NOTADB"):
        return f"{path}: not a translation memory ({exc}); set BRIEFGEN_MEMORY to another file"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return (f"{path}: the translation memory is locked by another program (another briefgen run, or a tool "
                f"that has it open) and stayed locked for {timeout:g} s; close that program and run again "
                "(the memory is as it was)")
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM")) or (
            name.startswith("SQLITE_CANTOPEN") and path.exists() and not writable(path)):
        return read_only_message(path)
    if name.startswith("SQLITE_IOERR"):
        return (f"{path}: cannot read or write the translation memory ({exc}); check the disk it is on, or set "
                "BRIEFGEN_MEMORY to a file on another disk")
    if name.startswith("SQLITE_CANTOPEN"):
        return (f"{path}: cannot open the translation memory ({exc}); check that its folder exists and can be "
                "written, or set BRIEFGEN_MEMORY to another file")
    return f"{path}: translation memory error ({exc}); set BRIEFGEN_MEMORY to another file"

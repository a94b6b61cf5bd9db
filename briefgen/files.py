"""Reading the files users give briefgen (records, glossaries, XLIFF, TMX, TBX): UTF-8 only, size-capped, XML
parsed with no DTD, no entity expansion and no network, with errors that say how to fix the file; and writing
files without ever replacing a command's own input or a file briefgen did not write."""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ExchangeError, InputError, RecordError

if TYPE_CHECKING:
    from lxml import etree

MAX_BYTES = 2 * 1024 * 1024  # a meeting record is a few kilobytes; anything near this is a mistake


def read_bytes(path: Path, error: type[InputError] = RecordError, max_bytes: int = MAX_BYTES) -> bytes:
    """At most ``max_bytes`` of a regular file, refusing pipes and devices before opening them (a FIFO would
    block the open; /dev/zero reports st_size 0 and never ends), and counting what is read rather than
    trusting st_size, which a file growing while it is read, or a special file, makes wrong."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = ("a folder" if stat.S_ISDIR(info.st_mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode)
                    else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "a socket"
                    if stat.S_ISSOCK(info.st_mode) else "not a regular file")
            raise error(f"is {kind}, not a file; give the path of a file", path=path)
        # O_NONBLOCK: if the path was swapped for a FIFO after the check, open() still returns at once
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise error("is not a regular file; give the path of a file", path=path)
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror}", path=path) from exc
    if len(raw) > max_bytes:
        raise error(f"file is larger than the {_megabytes(max_bytes)} limit; is this the right file?", path=path)
    return raw


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def read_text(path: Path, error: type[InputError] = RecordError, max_bytes: int = MAX_BYTES) -> str:
    """Decode a user's text file as UTF-8 (BOM tolerated), with errors that say how to fix it."""
    return decode_text(read_bytes(path, error, max_bytes), path, error)


def decode_text(raw: bytes, path: Path, error: type[InputError] = RecordError) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error("file is UTF-16; save it as UTF-8", path=path)
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in raw:
        raise error("file contains NUL bytes: it is binary, not a text file", path=path,
                    line=raw[: raw.index(b"\x00")].count(b"\n") + 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
                    path=path, line=line) from exc


MAX_JSON_BYTES = 16 * 1024 * 1024  # a manifest or build stamp: a few kilobytes per brief


def read_json(path: Path, error: type[InputError] = InputError, max_bytes: int = MAX_JSON_BYTES) -> Any:
    """A JSON file briefgen wrote (a manifest, a stamp), read bounded; a file nested deeper than Python's
    recursion allows is reported like any other damage instead of raising RecursionError."""
    text = read_text(path, error=error, max_bytes=max_bytes)
    try:
        return json.loads(text)
    except RecursionError:
        raise error("is nested too deeply to be a file briefgen wrote", path=path) from None
    except ValueError as exc:
        raise error(f"is not valid JSON ({exc})", path=path) from None


# --- XML (TBX, XLIFF, TMX) ------------------------------------------------------------------------------

MAX_XML_BYTES = 50 * 1024 * 1024
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def base_language(code: str) -> str:
    """The language of a tag as CAT tools write it: fr-FR, ru_RU and AR all name fr, ru, ar."""
    return code.replace("_", "-").split("-")[0].lower()


def parse_xml(path: Path, error: type[InputError] = ExchangeError) -> etree._Element:
    from lxml import etree  # only the exchange commands need it

    text = read_text(path, error=error, max_bytes=MAX_XML_BYTES)
    if "<!ENTITY" in text or "<!DOCTYPE" in text:
        raise error("DOCTYPE and entity declarations are not allowed (they can read files or expand "
                    "without limit); remove the <!DOCTYPE …> block", path=path,
                    line=text[: text.find("<!")].count("\n") + 1)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        return etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise error(f"XML syntax error: {exc.msg}", path=path, line=exc.lineno) from exc


# --- writing: never over an input or a file briefgen did not write ---------------------------------------

def guard_output(path: Path, *, inputs: dict[str, Path | None] | None = None, mark: bytes | None = None,
                 force: bool = False, replace_ours: bool = False, dossier: bool = False) -> None:
    """Refuse (exit 2) to write ``path`` when that would destroy something briefgen must not lose.

    ``inputs`` names the files this command reads (``{"the record": …, "the translation memory": …}``):
    writing over one of them is always refused. An existing file is replaced only when briefgen wrote it
    (``mark`` is in its first 4 KB: each writer puts its own) and the user says so with ``--force``
    (``force``), or the file is derived data nobody edits (``replace_ours``). A file briefgen did not
    write — a user's record, a CAT tool's file, a database — is never replaced. A record's dossier (``x.tmx``
    beside ``x.yaml``) is written only by `review import` (``dossier``), never by an export, even with --force."""
    for name, source in (inputs or {}).items():
        if source is not None and _same_file(path, source):
            raise InputError(f"this is {name}, which this command reads: write the output to another file",
                             path=path)
    record = record_of_dossier(path)
    if record is not None and not dossier:
        raise InputError(f"this is the .tmx of the record {record.name}, which only `briefgen review import` "
                         "writes: write the output to another file", path=path)
    if not path.exists() and not path.is_symlink():
        return
    if path.is_dir():
        raise InputError("is a folder: give the name of a file to write", path=path)
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise InputError(f"exists and cannot be read ({exc.strerror}); choose another name", path=path) from exc
    if mark is None or mark not in head:
        raise InputError("exists and was not written by briefgen; choose another name, or move the file away "
                         "first", path=path)
    if not (force or replace_ours):
        raise InputError("exists (an earlier export by briefgen; a translator's edits in it would be lost): "
                         "add --force to replace it, or choose another name", path=path)


def record_of_dossier(path: Path) -> Path | None:
    """The record whose dossier ``path`` is, or would be once written: ``x.tmx`` beside ``x.yaml`` (or
    ``x.yml``), under whatever name or link ``path`` reaches it."""
    for candidate in dict.fromkeys((path, path.resolve())):
        if candidate.suffix.lower() != ".tmx":
            continue
        for ext in (".yaml", ".yml", ".YAML", ".YML"):
            record = candidate.with_suffix(ext)
            if record.is_file():
                return record
    return None


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock (flock) on ``path`` for the block: what reads, merges and writes a file that
    belongs to ``path`` (a record's .tmx) does it one process at a time. The file is opened read-only and
    never changed; a file system without locks runs the block unlocked, with a warning."""
    import fcntl
    import logging

    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as exc:
            logging.getLogger(__name__).warning("%s: cannot lock it (%s); two imports at once may lose edits",
                                                path, exc.strerror)
        yield
    finally:
        os.close(fd)     # releases the lock


def _same_file(a: Path, b: Path) -> bool:
    """Whether writing ``a`` would write ``b`` (also an SQLite database's -wal and -shm companions)."""
    companions = [b, b.with_name(b.name + "-wal"), b.with_name(b.name + "-shm"), b.with_name(b.name + "-journal")]
    for other in companions:
        try:
            if a.exists() and other.exists() and a.samefile(other):
                return True
        except OSError:
            pass
        if a.resolve() == other.resolve():
            return True
    return False


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; it replaces ``path`` only when the block succeeds, so an
    interrupted write leaves the previous file whole."""
    tmp = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:    # name the file the user asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)

"""The translation memory: every SQLite failure is one line naming the file and the fix (exit 2) and leaves
the memory as it was; older memories are migrated, newer and foreign ones refused untouched; a read-only
memory is read and exported. Full disks and read-only media are real ones (a small tmpfs), where the tests
run as root; elsewhere those tests are skipped and say why."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from design_support import EXAMPLE, run_cli, tmpfs

from briefgen.errors import SetupError
from briefgen.memory.schema import APPLICATION_ID, SCHEMA_VERSION, text_hash
from briefgen.memory.store import Memory, Unit

# The table of briefgen 0.1, which set no user_version: the schema of version 1.
V1_SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    src_lang   TEXT NOT NULL,
    tgt_lang   TEXT NOT NULL,
    src_hash   TEXT NOT NULL,
    src_text   TEXT NOT NULL,
    tgt_text   TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('machine', 'reviewed')),
    signature  TEXT NOT NULL,
    record_id  TEXT NOT NULL DEFAULT '',
    segment_id TEXT NOT NULL DEFAULT '',
    created    TEXT NOT NULL,
    PRIMARY KEY (src_lang, tgt_lang, src_hash, status, signature, segment_id)
);
CREATE INDEX IF NOT EXISTS units_lookup ON units (src_lang, tgt_lang, src_hash);
"""


def NFD(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _v1_memory(path: Path, rows: list[tuple[str, str, str, str, str]]) -> None:
    """A memory as briefgen 0.1 wrote it (WAL, no version), texts as they came: (src, tgt, status, seg, created)."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.executescript(V1_SCHEMA)
        db.executemany("INSERT INTO units VALUES ('fr', 'ru', ?, ?, ?, ?, 'review:x', 'r', ?, ?)",
                       [(text_hash(src), src, tgt, status, seg, created) for src, tgt, status, seg, created in rows])
        db.commit()


def _rows(path: Path) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        return db.execute("SELECT * FROM units ORDER BY src_hash, status, signature, segment_id").fetchall()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_error_line(code: int, err: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "memory.sqlite"
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(path))
    return path


@pytest.fixture
def tmx(tmp_path: Path) -> Path:
    """Two reviewed units for `memory import`."""
    path = tmp_path / "in.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="fr" adminlang="en" '
        'segtype="paragraph" o-tmf="x" datatype="plaintext" creationtool="x" creationtoolversion="1"/><body>'
        '<tu tuid="a"><prop type="x-briefgen-status">reviewed</prop><tuv xml:lang="fr"><seg>Oui.</seg></tuv>'
        '<tuv xml:lang="ru"><seg>Да.</seg></tuv></tu>'
        '<tu tuid="b"><prop type="x-briefgen-status">reviewed</prop><tuv xml:lang="fr"><seg>Non.</seg></tuv>'
        '<tuv xml:lang="ru"><seg>Нет.</seg></tuv></tu></body></tmx>', encoding="utf-8")
    return path


# --- versions ---------------------------------------------------------------------------------------------

def test_an_unversioned_memory_of_briefgen_0_1_is_migrated_to_nfc_and_versioned(memory: Path) -> None:
    old_src, new_src = NFD("Réunion élargie"), "Réunion élargie"
    _v1_memory(memory, [
        (old_src, NFD("Расширенная встреча, й"), "reviewed", "s1", "2020-01-01T00:00:00+00:00"),
        # the same unit stored again later in NFC: after the migration they are one, and the newer stays
        (new_src, "Расширенная встреча", "reviewed", "s1", "2021-01-01T00:00:00+00:00"),
        (NFD("Coopération"), NFD("Сотрудничество й"), "machine", "s2", "2020-01-01T00:00:00+00:00"),
    ])
    with Memory(memory) as m:
        assert m.lookup("fr", "ru", new_src, None, "s1").tgt_text == "Расширенная встреча"
        assert m.lookup("fr", "ru", "Coopération", "review:x", "s2").tgt_text == "Сотрудничество й"
    with contextlib.closing(sqlite3.connect(memory)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert db.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM renderings").fetchone() == (0,)    # version 3's table, empty
        rows = db.execute("SELECT src_hash, src_text, tgt_text FROM units ORDER BY segment_id").fetchall()
    assert len(rows) == 2
    assert all(unicodedata.is_normalized("NFC", s + t) and h == text_hash(s) for h, s, t in rows)


def test_a_memory_of_a_newer_briefgen_is_refused_untouched(memory: Path, tmx: Path) -> None:
    Memory(memory).close()
    with contextlib.closing(sqlite3.connect(memory)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = _digest(memory)
    for args in (["memory", "import", str(tmx)], ["memory", "export", "-o", str(memory.parent / "x.tmx")],
                 ["build", str(EXAMPLE), "--out", str(memory.parent / "out")]):
        line = _one_error_line(*run_cli(args)[::2])
        assert line == (f"briefgen: error: {memory}: this translation memory was written by a newer briefgen "
                        f"(schema version {SCHEMA_VERSION + 1}; this one reads versions up to {SCHEMA_VERSION}); "
                        "upgrade briefgen, or set BRIEFGEN_MEMORY to another file")
    assert _digest(memory) == before and not (memory.parent / "out").exists()


@pytest.mark.parametrize(("make", "expected"), [
    (lambda db: db.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)"),
     "not a briefgen translation memory (it holds the tables moz_places); set BRIEFGEN_MEMORY to another file"),
    (lambda db: db.execute("CREATE TABLE units (src TEXT, tgt TEXT, src_lang TEXT)"),
     "not a briefgen translation memory, or one of an unknown layout (its table units has no column tgt_lang, "
     "src_hash, src_text, tgt_text, status, signature, record_id, segment_id, created); set BRIEFGEN_MEMORY to "
     "another file"),
    (lambda db: db.execute(f"PRAGMA application_id = {0x47504B47}"),     # a GeoPackage ("GPKG") is SQLite too
     "not a briefgen translation memory (the database of another program, application id 0x47504b47); set "
     "BRIEFGEN_MEMORY to another file"),
], ids=["another-program", "another-layout", "another-application-id"])
def test_another_programs_database_is_refused_untouched(memory: Path, tmx: Path, make, expected: str) -> None:
    with contextlib.closing(sqlite3.connect(memory)) as db:
        make(db)
        db.commit()
    before = _digest(memory)
    line = _one_error_line(*run_cli(["memory", "import", str(tmx)])[::2])
    assert line == f"briefgen: error: {memory}: {expected}"
    assert _digest(memory) == before


# --- damage ---------------------------------------------------------------------------------------------

def test_a_file_that_is_no_database_is_refused_untouched(memory: Path, tmx: Path) -> None:
    memory.write_bytes(bytes(range(256)) * 64)
    before = _digest(memory)
    line = _one_error_line(*run_cli(["memory", "import", str(tmx)])[::2])
    assert line == (f"briefgen: error: {memory}: not a translation memory (file is not a database); "
                    "set BRIEFGEN_MEMORY to another file")
    assert _digest(memory) == before


def test_a_damaged_memory_is_one_line_naming_the_file_and_the_fix(memory: Path, tmx: Path) -> None:
    with Memory(memory) as m:
        m.store([Unit("fr", "ru", f"Phrase {i} " * 20, f"Фраза {i} " * 20, "reviewed", "review:x", "r", f"s{i}")
                 for i in range(400)])
    data = bytearray(memory.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    data[2 * page:len(data) - page] = b"\xa5" * (len(data) - 3 * page)     # every page but the first and last
    memory.write_bytes(bytes(data))
    before = _digest(memory)
    for args in (["memory", "import", str(tmx)], ["memory", "export", "-o", str(memory.parent / "x.tmx")]):
        line = _one_error_line(*run_cli(args)[::2])
        assert line == (f"briefgen: error: {memory}: the translation memory is damaged (database disk image is "
                        "malformed); restore it from a backup or set BRIEFGEN_MEMORY to a new file "
                        "(`sqlite3 memory.sqlite .recover` saves what is still readable)")
    assert _digest(memory) == before


# --- locks ----------------------------------------------------------------------------------------------

def test_a_memory_locked_by_another_program_is_one_line_and_stays_as_it_was(memory: Path) -> None:
    with Memory(memory) as m:
        m.store([Unit("fr", "ru", "Oui.", "Да.", "reviewed", "review:x")])
    before = _rows(memory)
    holder = sqlite3.connect(memory, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")      # e.g. a database browser with unsaved edits
    try:
        with Memory(memory, timeout=0.2) as m, pytest.raises(SetupError) as caught:
            m.store([Unit("fr", "ru", "Non.", "Нет.", "reviewed", "review:x")])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(caught.value) == (f"{memory}: the translation memory is locked by another program (another briefgen "
                                 "run, or a tool that has it open) and stayed locked for 0.2 s; close that program "
                                 "and run again (the memory is as it was)")
    assert _rows(memory) == before


# --- real full disks and read-only media (a small tmpfs; mounting needs root) -----------------------------

def _fill(folder: Path, leave: int) -> None:
    """Fill the disk of ``folder`` until ``leave`` bytes are free."""
    filler = folder / "filler"
    size = (filler.stat().st_size if filler.exists() else 0) + shutil.disk_usage(folder).free - leave
    filler.write_bytes(b"\0" * max(0, size))


def test_a_full_disk_during_memory_import_and_build_is_one_line_and_the_memory_stays_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with tmpfs(tmp_path / "disk", "512k") as disk:
        memory = disk / "memory.sqlite"
        monkeypatch.setenv("BRIEFGEN_MEMORY", str(memory))
        with Memory(memory) as m:
            m.store([Unit("fr", "ru", "Oui.", "Да.", "reviewed", "review:x", "r", "a")])
        before = _rows(memory)
        big = tmp_path / "big.tmx"   # about 1 MB of units: more than the disk has left
        big.write_text('<?xml version="1.0"?><tmx version="1.4"><header srclang="fr"/><body>' + "".join(
            f'<tu tuid="u{i}"><tuv xml:lang="fr"><seg>Phrase source numéro {i} et sa suite</seg></tuv>'
            f'<tuv xml:lang="ru"><seg>Исходное предложение номер {i} и его продолжение</seg></tuv></tu>'
            for i in range(4000)) + "</body></tmx>", encoding="utf-8")
        _fill(disk, 96 * 1024)
        expected = (f"briefgen: error: {memory}: the disk holding the translation memory is full; free some space "
                    "there or set BRIEFGEN_MEMORY to a file on another disk, then run again (the memory is as it was)")
        assert _one_error_line(*run_cli(["memory", "import", str(big)])[::2]) == expected
        assert _rows(memory) == before
        _fill(disk, 8 * 1024)   # too little even for the drafts a build keeps (the record without its .tmx)
        record = tmp_path / "record" / EXAMPLE.name
        record.parent.mkdir()
        shutil.copy(EXAMPLE, record)
        assert _one_error_line(*run_cli(["build", str(record), "--out", str(tmp_path / "out"), "--backend",
                                         "pseudo"])[::2]) == expected
        assert _rows(memory) == before and not (tmp_path / "out" / "eg-ru-2019-06-09").exists()
        with contextlib.closing(sqlite3.connect(f"{memory.as_uri()}?mode=ro", uri=True)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[Path]:
    """A folder that cannot be written: a tmpfs remounted read-only as root (root ignores permissions), a folder
    and files without write permission otherwise. Whatever ``Memory`` puts there before it is made read-only."""
    if os.geteuid() == 0:
        with tmpfs(folder, "4m"):
            yield folder
            return
    folder.mkdir()
    try:
        yield folder
    finally:
        for path in [folder, *folder.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)


def _seal(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)


def test_a_memory_on_a_read_only_medium_is_read_and_exported_but_not_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmx: Path) -> None:
    with _read_only(tmp_path / "medium") as medium:
        memory = medium / "memory.sqlite"
        with Memory(memory) as m:
            m.store([Unit("fr", "ru", "Oui.", "Да.", "reviewed", "review:x", "r", "a")])
        _seal(medium)
        monkeypatch.setenv("BRIEFGEN_MEMORY", str(memory))
        before = _digest(memory)
        code, out, err = run_cli(["memory", "export", "-o", str(tmp_path / "all.tmx")])
        assert (code, out, err) == (0, f"{tmp_path / 'all.tmx'}: 1 translation units\n", "")
        assert "Да." in (tmp_path / "all.tmx").read_text(encoding="utf-8")
        line = _one_error_line(*run_cli(["memory", "import", str(tmx)])[::2])
        assert line == (f"briefgen: error: {memory}: the translation memory is read-only (a read-only disk or no "
                        "write permission); copy it to a writable folder and set BRIEFGEN_MEMORY to the copy "
                        "(builds and `memory export` can read it where it is)")
        # a build reads it, uses its drafts for this run only, and says it kept nothing
        record = tmp_path / "record" / EXAMPLE.name
        record.parent.mkdir()
        shutil.copy(EXAMPLE, record)       # without its .tmx: every text is drafted
        # (the double's drafts have QA errors: accepted, so only the memory's warning is said)
        code, out, err = run_cli(["build", str(record), "--out", str(tmp_path / "out"), "--backend", "pseudo",
                                  "--accept-qa-errors"])
        assert code == 0, err
        assert err.strip().splitlines()[-1] == (
            f"WARNING briefgen.memory.store: {memory} is read-only: 82 translation(s) this run made or read were used "
            "but not kept; to keep them, copy the memory to a writable folder and set BRIEFGEN_MEMORY to the copy")
        assert _digest(memory) == before


def test_a_memory_that_names_a_folder_or_a_record_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             tmx: Path) -> None:
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(tmp_path))
    line = _one_error_line(*run_cli(["memory", "import", str(tmx)])[::2])
    assert line == (f"briefgen: error: {tmp_path}: this is a folder; set BRIEFGEN_MEMORY to a file, e.g. "
                    f"{tmp_path / 'memory.sqlite'}")
    record = tmp_path / "r.yaml"
    shutil.copy(EXAMPLE, record)
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(record))
    line = _one_error_line(*run_cli(["build", str(record), "--out", str(tmp_path / "out")])[::2])
    assert line == (f"briefgen: error: {record}: not a translation memory (file is not a database); set "
                    "BRIEFGEN_MEMORY to another file")
    assert record.read_bytes() == EXAMPLE.read_bytes()

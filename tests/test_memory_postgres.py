"""The shared memory on a real PostgreSQL server (a cluster of the suite's own, tests/pg_support.py): the same
rules as the SQLite memory, the schema made and versioned by briefgen, one-line errors (exit 2) that never
show a password, libpq's password and service files honoured, and copies between the two stores checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from design_support import EXAMPLE, run_cli
from pg_support import PASSWORD, Cluster

from briefgen.errors import SetupError
from briefgen.memory.copy import copy_memory
from briefgen.memory.pg_schema import SCHEMA_VERSION, UNITS
from briefgen.memory.store import Memory, Unit, this_machine


def _one_error_line(code: int, err: str) -> str:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_memory_init_creates_the_tables_in_an_existing_database_once(pg_cluster: Cluster, pg_db: str) -> None:
    url = pg_cluster.url(pg_db)
    code, out, err = run_cli(["memory", "init", url])
    assert (code, out, err) == (0, f"{url}: translation memory created (schema version {SCHEMA_VERSION})\n", "")
    assert pg_cluster.sql("SELECT version, by_briefgen FROM briefgen_schema", pg_db) == [(1, "0.1.0")]
    assert {r[0] for r in pg_cluster.sql("SELECT tablename FROM pg_tables WHERE tablename LIKE 'briefgen_%'",
                                         pg_db)} == {"briefgen_schema", "briefgen_units", "briefgen_renderings"}
    code, out, _ = run_cli(["memory", "init", url])
    assert (code, out) == (0, f"{url}: translation memory already up to date (schema version {SCHEMA_VERSION})\n")
    assert pg_cluster.sql("SELECT count(*) FROM briefgen_schema", pg_db) == [(1,)]


def test_the_rules_are_the_same_reviewed_beats_machine_and_rows_keep_provenance(
        pg_cluster: Cluster, pg_db: str) -> None:
    with Memory(pg_cluster.url(pg_db)) as memory:
        memory.store([Unit("fr", "ru", "Oui.", "Да (машина).", "machine", "ct2:x", "r", "a"),
                      Unit("fr", "ru", "Oui.", "Да.", "reviewed", "review:amina", "r", "a"),
                      Unit("fr", "ru", "Oui.", "Да, другой.", "reviewed", "review:boris", "q", "b"),
                      Unit("fr", "ar", "Oui.", "نعم.", "machine", "ct2:x", "r", "a")])
        assert memory.lookup("fr", "ru", "Oui.", "ct2:x", "a").tgt_text == "Да."         # reviewed, same segment
        assert memory.lookup("fr", "ru", "Oui.", "ct2:x", "b").tgt_text == "Да, другой."
        assert memory.lookup("fr", "ar", "Oui.", "ct2:x", "a").tgt_text == "نعم."
        assert memory.lookup("fr", "ar", "Oui.", "ct2:y", "a") is None                     # another engine's draft
        memory.store([Unit("fr", "ru", "Oui.", "Да!", "reviewed", "review:amina", "r", "a")])   # a correction
        assert memory.lookup("fr", "ru", "Oui.", None, "a").tgt_text == "Да!"
        memory.keep_renderings("ct2:x", "fr", "ru", {"pare-feu": "межсетевой экран"})
        assert memory.renderings("ct2:x", "fr", "ru", ["pare-feu", "nuage"]) == {"pare-feu": "межсетевой экран"}
    rows = pg_cluster.sql(f"SELECT tgt_lang, tgt_text, status, signature, host FROM {UNITS} ORDER BY seq", pg_db)
    assert sorted(rows) == sorted([
        ("ru", "Да (машина).", "machine", "ct2:x", this_machine()),
        ("ru", "Да!", "reviewed", "review:amina", this_machine()),
        ("ru", "Да, другой.", "reviewed", "review:boris", this_machine()),
        ("ar", "نعم.", "machine", "ct2:x", this_machine())])


def test_a_build_with_the_memory_on_the_server_keeps_its_drafts_there(
        pg_cluster: Cluster, pg_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    record = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, record)                           # no .tmx: every text is a machine draft
    monkeypatch.setenv("BRIEFGEN_MEMORY", pg_cluster.url(pg_db))
    code, out, err = run_cli(["build", str(record), "--out", str(tmp_path / "out"), "--backend", "pseudo",
                              "--pdf-variant", "none"])
    assert code in (0, 1), err
    drafts = pg_cluster.sql(f"SELECT count(*), count(DISTINCT tgt_lang) FROM {UNITS} WHERE status = 'machine' "
                            "AND signature LIKE 'pseudo:%%' AND record_id = 'eg-ru-2019-06-09'", pg_db)
    assert drafts[0][0] > 50 and drafts[0][1] == 2
    code, out, err = run_cli(["build", str(record), "--out", str(tmp_path / "out"), "--backend", "pseudo",
                              "--pdf-variant", "none"])
    assert "up to date, nothing rendered" in out, err


# --- errors: one line, exit 2, no password ------------------------------------------------------------------

def test_a_wrong_password_is_one_line_with_the_password_masked(
        pg_cluster: Cluster, pg_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_MEMORY", pg_cluster.tcp_url(pg_db, "secret", "wrong-pw-123"))
    code, out, err = run_cli(["memory", "import", str(EXAMPLE.with_suffix(".tmx"))])
    line = _one_error_line(code, err)
    assert line == (f"briefgen: error: postgresql://secret:***@127.0.0.1:{pg_cluster.port}/{pg_db}: authentication "
                    'failed (password authentication failed for user "secret"); put the password in ~/.pgpass (or '
                    "the file PGPASSFILE names) or in the service file PGSERVICE names, never in BRIEFGEN_MEMORY")
    assert "wrong-pw-123" not in out + err


def test_an_unreachable_server_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from pg_support import free_port

    port = free_port()                                     # nothing listens there
    monkeypatch.setenv("BRIEFGEN_MEMORY", f"postgresql://tm:pw-xyz@127.0.0.1:{port}/tm")
    line = _one_error_line(*run_cli(["build", str(EXAMPLE), "--out", "unused-out"])[::2])
    assert line.startswith(f"briefgen: error: postgresql://tm:***@127.0.0.1:{port}/tm: cannot reach the database "
                           "server (Connection refused); check the host, port and database in BRIEFGEN_MEMORY")
    assert "pw-xyz" not in line and not Path("unused-out").exists()


def test_an_account_without_rights_gets_one_line_naming_the_permission(pg_cluster: Cluster, pg_db: str) -> None:
    run_cli(["memory", "init", pg_cluster.url(pg_db)])
    with pytest.raises(SetupError) as caught:
        Memory(pg_cluster.url(pg_db, "clerk"), read_only=False)
    assert str(caught.value) == (f"{pg_cluster.url(pg_db, 'clerk')}: no permission (permission denied for table "
                                 "briefgen_schema); ask the database administrator (docs/memory-postgresql.md says "
                                 "what to grant)")
    # granted read but not write: builds read it, imports are refused in one line
    pg_cluster.sql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO clerk", pg_db)
    with Memory(pg_cluster.url(pg_db, "clerk")) as memory:
        assert memory.read_only
        memory.store([Unit("fr", "ru", "Oui.", "Да.", "machine", "s", "r", "a")])       # for this run only
        assert memory.lookup("fr", "ru", "Oui.", "s").tgt_text == "Да."
    assert pg_cluster.sql(f"SELECT count(*) FROM {UNITS}", pg_db) == [(0,)]
    with pytest.raises(SetupError, match="may read the translation memory but not add to it"):
        Memory(pg_cluster.url(pg_db, "clerk"), read_only=False)


def test_a_newer_schema_and_a_foreign_table_are_refused_untouched(pg_cluster: Cluster, pg_db: str) -> None:
    url = pg_cluster.url(pg_db)
    with Memory(url) as memory:
        memory.store([Unit("fr", "ru", "Oui.", "Да.", "reviewed", "review:x", "r", "a")])
    pg_cluster.sql("INSERT INTO briefgen_schema VALUES (2, now(), '9.0')", pg_db)
    before = pg_cluster.sql(f"SELECT * FROM {UNITS}", pg_db)
    code, _, err = run_cli(["memory", "init", url])
    assert _one_error_line(code, err) == (f"briefgen: error: {url}: this translation memory was written by a newer "
                                          "briefgen (schema version 2; this one reads versions up to 1); upgrade "
                                          "briefgen")
    assert pg_cluster.sql(f"SELECT * FROM {UNITS}", pg_db) == before

    other = pg_cluster.new_database()
    pg_cluster.sql(f"CREATE TABLE {UNITS} (id int, body text)", other)
    code, _, err = run_cli(["memory", "init", pg_cluster.url(other)])
    assert _one_error_line(code, err) == (f"briefgen: error: {pg_cluster.url(other)}: the table briefgen_units here "
                                          "was not made by briefgen (no briefgen_schema table beside it); set "
                                          "BRIEFGEN_MEMORY to another database (or another schema, with "
                                          "options=-csearch_path=…)")
    assert pg_cluster.sql("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'briefgen_%%'", other) == [(1,)]

    pg_cluster.sql("CREATE TABLE briefgen_schema (version int, applied timestamptz, by_briefgen text); "
                   "INSERT INTO briefgen_schema VALUES (1, now(), 'x')", other)
    line = _one_error_line(*run_cli(["memory", "init", pg_cluster.url(other)])[::2])
    assert line.endswith("the table briefgen_units is of another layout (no column created, host, record_id, "
                         "segment_id, seq, signature, src_hash, src_lang, src_text, status, tgt_lang, tgt_text); set "
                         "BRIEFGEN_MEMORY to another database (or another schema, with options=-csearch_path=…)")


def test_a_missing_database_says_who_creates_it(pg_cluster: Cluster) -> None:
    line = _one_error_line(*run_cli(["memory", "init", pg_cluster.url("nosuchdb")])[::2])
    assert line == (f"briefgen: error: {pg_cluster.url('nosuchdb')}: database \"nosuchdb\" does not exist; check the "
                    "host, port and database in BRIEFGEN_MEMORY (or the service in PGSERVICE), or ask the database "
                    "administrator to create it (then `briefgen memory init` creates the memory's tables in it)")


# --- credentials: from libpq's files, never shown --------------------------------------------------------------

def test_the_password_comes_from_pgpassfile_and_the_address_from_pgservice(
        pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = pg_cluster.new_database()
    pg_cluster.sql(f"ALTER DATABASE {db} OWNER TO secret")
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{pg_cluster.port}:{db}:secret:{PASSWORD}\n")
    passfile.chmod(0o600)
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[terminology]\nhost=127.0.0.1\nport={pg_cluster.port}\ndbname={db}\nuser=secret\n")
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    monkeypatch.setenv("PGSERVICE", "terminology")
    monkeypatch.setenv("BRIEFGEN_MEMORY", "postgresql://")
    code, _out, err = run_cli(["memory", "import", str(EXAMPLE.with_suffix(".tmx")), "--reviewed"])
    assert code == 0, err
    assert pg_cluster.sql(f"SELECT count(*) > 0, min(status) FROM {UNITS}", db) == [(True, "reviewed")]
    passfile.write_text(f"127.0.0.1:{pg_cluster.port}:{db}:secret:not-it\n")           # the file is what counts
    line = _one_error_line(*run_cli(["memory", "import", str(EXAMPLE.with_suffix(".tmx"))])[::2])
    assert "authentication failed" in line and "not-it" not in line and PASSWORD not in line


def test_a_password_in_the_address_is_in_no_output_manifest_or_log(
        pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = pg_cluster.new_database()
    pg_cluster.sql(f"ALTER DATABASE {db} OWNER TO secret")
    monkeypatch.setenv("BRIEFGEN_MEMORY", pg_cluster.tcp_url(db, "secret", PASSWORD))
    import shutil

    record = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, record)                           # no .tmx: the drafts go through the memory
    code, out, err = run_cli(["-v", "build", str(record), "--out", str(tmp_path / "out"), "--pdf-variant", "none",
                              "--html", "--backend", "pseudo"])
    assert code in (0, 1), err
    assert "from memory" in err and "translated" in err             # -v logs the memory's work
    assert pg_cluster.sql(f"SELECT count(*) > 0 FROM {UNITS}", db) == [(True,)]
    assert PASSWORD not in out + err
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert any(p.name == "manifest.json" for p in written)
    for path in written:
        assert PASSWORD.encode() not in path.read_bytes(), path
    code, out, err = run_cli(["doctor"])
    assert PASSWORD not in out + err and f"secret:***@127.0.0.1:{pg_cluster.port}/{db}" in out + err


# --- memory copy ------------------------------------------------------------------------------------------------

def test_memory_copy_sqlite_to_postgresql_and_back_keeps_every_unit_and_its_provenance(
        pg_cluster: Cluster, pg_db: str, tmp_path: Path) -> None:
    lite = tmp_path / "memory.sqlite"
    with Memory(lite) as memory:
        memory.store([Unit("fr", "ru", "Oui.", "Да.", "reviewed", "review:amina", "r", "a", "2024-01-02T03:04:05+00:00",
                           "ws-amina"),
                      Unit("fr", "ar", "Non.", "لا.", "machine", "ct2:x", "r", "b", "2024-02-02T03:04:05+00:00",
                           "ws-boris"),
                      Unit("fr", "ru", "Cafe\u0301.", "Кафе.", "machine", "ct2:x", "", "", "", "")])
        memory.keep_renderings("ct2:x", "fr", "ru", {"pare-feu": "межсетевой экран"})
        units = sorted(memory.units(), key=repr)
    url = pg_cluster.url(pg_db)
    code, out, err = run_cli(["memory", "copy", str(lite), url])
    assert code == 0, err
    assert out.startswith(f"{url}: 3 translation units and 1 term renderings copied from {lite}; counts and "
                          "content match (sha256 ")
    with Memory(url, read_only=True) as memory:
        assert sorted(memory.units(), key=repr) == units
    assert pg_cluster.sql(f"SELECT host, created FROM {UNITS} WHERE signature = 'review:amina'", pg_db) == [
        ("ws-amina", "2024-01-02T03:04:05+00:00")]

    back = tmp_path / "back.sqlite"
    code, out, err = run_cli(["memory", "copy", url, str(back)])
    assert code == 0, err
    with Memory(back, read_only=True) as memory:
        assert sorted(memory.units(), key=repr) == units
        assert memory.renderings("ct2:x", "fr", "ru", ["pare-feu"]) == {"pare-feu": "межсетевой экран"}
    assert copy_memory(lite, url).digest == copy_memory(url, back).digest     # again: idempotent, same content


def test_memory_copy_refuses_to_copy_a_memory_onto_itself(tmp_path: Path) -> None:
    lite = tmp_path / "m.sqlite"
    Memory(lite).close()
    line = _one_error_line(*run_cli(["memory", "copy", str(lite), str(lite)])[::2])
    assert line == f"briefgen: error: {lite}: this is the memory being copied; name another destination"



# --- the example on both stores -----------------------------------------------------------------------------

def _figures(manifest: dict) -> dict:
    """The manifest without the PDFs' own hashes (a PDF records when it was made)."""
    return {**manifest, "files": [{k: v for k, v in f.items() if k != "sha256"} for f in manifest["files"]]}


def test_the_example_builds_the_same_briefs_on_sqlite_and_on_postgresql(
        example_build: Path, pg_cluster: Cluster, pg_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from conftest import pdf_text

    monkeypatch.setenv("BRIEFGEN_MEMORY", pg_cluster.url(pg_db))
    code, _, err = run_cli(["build", str(EXAMPLE), "--out", str(tmp_path / "out"), "--html"])
    assert code == 0, err
    on_pg = tmp_path / "out" / example_build.name
    pdfs = sorted(p.name for p in example_build.glob("*.pdf"))
    assert len(pdfs) == 3 and sorted(p.name for p in on_pg.glob("*.pdf")) == pdfs
    for name in pdfs:
        assert pdf_text(on_pg / name) == pdf_text(example_build / name), name
    manifests = [json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
                 for folder in (example_build, on_pg)]
    assert _figures(manifests[1]) == _figures(manifests[0])
    assert manifests[1]["translation"]["ru"]["reviewed"] > 30            # from the record's .tmx
    assert pg_cluster.sql("SELECT version FROM briefgen_schema", pg_db) == [(1,)]   # the build opened it there


def test_where_the_server_is_required_one_that_cannot_start_fails_instead_of_skipping(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pg_support

    monkeypatch.setattr(pg_support, "bindir", lambda: tmp_path / "no-postgresql")   # initdb is not there
    folders = set(Path(pg_support.tempfile.gettempdir()).glob("briefgen-pg-*"))
    monkeypatch.setenv("BRIEFGEN_REQUIRE_PG", "1")
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL tests are required here"):
        pg_support.Cluster()
    monkeypatch.delenv("BRIEFGEN_REQUIRE_PG")
    with pytest.raises(pytest.skip.Exception, match="the test server did not start"):
        pg_support.Cluster()
    assert set(Path(pg_support.tempfile.gettempdir()).glob("briefgen-pg-*")) == folders   # nothing left behind


def test_the_documented_grants_let_a_translator_write_and_a_reader_build(
        pg_cluster: Cluster, pg_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    docs = (Path(__file__).resolve().parent.parent / "docs" / "memory-postgresql.md").read_text(encoding="utf-8")
    grants = re.search(r"```sql\n(.*?)```", docs, re.S).group(1)
    assert run_cli(["memory", "init", pg_cluster.url(pg_db)])[0] == 0
    pg_cluster.sql(grants.replace("'…'", "'pw'"), pg_db)
    monkeypatch.setenv("BRIEFGEN_MEMORY", pg_cluster.url(pg_db, "amina"))
    code, _, err = run_cli(["memory", "import", str(EXAMPLE.with_suffix(".tmx")), "--reviewed"])
    assert code == 0, err
    kept = pg_cluster.sql(f"SELECT count(*) FROM {UNITS}", pg_db)[0][0]
    assert kept > 60
    monkeypatch.setenv("BRIEFGEN_MEMORY", pg_cluster.url(pg_db, "boris"))
    code, _, err = run_cli(["build", str(EXAMPLE), "--out", str(tmp_path / "out"), "--pdf-variant", "none"])
    assert code == 0, err
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 3
    code, _, err = run_cli(["memory", "import", str(EXAMPLE.with_suffix(".tmx"))])
    assert code == 2 and "may read the translation memory but not add to it" in err
    assert pg_cluster.sql(f"SELECT count(*) FROM {UNITS}", pg_db)[0][0] == kept


def test_a_unit_locked_by_another_writer_past_the_timeout_is_one_line_and_changes_nothing(
        pg_cluster: Cluster, pg_db: str) -> None:
    import psycopg

    url = pg_cluster.url(pg_db)
    with Memory(url) as memory:
        memory.store([Unit("fr", "ru", "Oui.", "Да.", "reviewed", "review:x", "r", "a")])
    with psycopg.connect(url) as other:                   # another writer, in the middle of its transaction
        other.execute(f"UPDATE {UNITS} SET tgt_text = 'Да?' WHERE segment_id = 'a'")
        with Memory(url, timeout=0.5) as memory, pytest.raises(SetupError) as caught:
            memory.store([Unit("fr", "ru", "Oui.", "Да!", "reviewed", "review:x", "r", "a")])
        other.rollback()
    assert str(caught.value).startswith(f"{url}: the translation memory stayed locked by another writer past the "
                                        "busy timeout (canceling statement due to lock timeout")
    assert pg_cluster.sql(f"SELECT tgt_text FROM {UNITS}", pg_db) == [("Да.",)]


def test_read_only_commands_neither_create_nor_write_a_memory_on_the_server(
        pg_cluster: Cluster, pg_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_MEMORY", pg_cluster.url(pg_db))
    tables = "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'briefgen_%%'"
    code, _, err = run_cli(["check", str(EXAMPLE)])
    assert code == 0, err
    assert pg_cluster.sql(tables, pg_db) == [(0,)]                      # no memory yet, and none made
    assert run_cli(["memory", "init", pg_cluster.url(pg_db)])[0] == 0
    code, _, err = run_cli(["review", "export", str(EXAMPLE), "--lang", "ru", "-o", str(tmp_path / "ru.xlf")])
    assert code == 0, err
    code, _, err = run_cli(["check", str(EXAMPLE)])
    assert code == 0, err
    assert pg_cluster.sql(f"SELECT count(*) FROM {UNITS}", pg_db) == [(0,)]

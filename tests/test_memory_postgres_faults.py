"""A PostgreSQL memory when the server fails under a build: the server stopped in the middle of one, and its
disk full. One line, exit 2, and the memory as it was after the last confirmed write."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from design_support import run_cli, tmpfs
from pg_support import Cluster

from briefgen.errors import SetupError
from briefgen.memory.pg_schema import UNITS
from briefgen.memory.store import Memory, Unit
from briefgen.translate.pseudo import PseudoTranslator

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    """A server of the test's own: these tests stop it, or fill its disk."""
    cluster = Cluster()
    try:
        yield cluster
    finally:
        cluster.remove()


def _record(folder: Path) -> Path:
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from workload import write_workload

    return write_workload(folder, 250, ("ru", "ar")).record


def test_the_server_stopped_in_the_middle_of_a_build_is_one_line_and_the_memory_stays_whole(
        own_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = own_cluster.new_database()
    url = own_cluster.url(db)
    record = _record(tmp_path / "record")
    stored: list[list[tuple]] = []          # what the memory held when the server stopped

    class StopsTheServer(PseudoTranslator):
        """Translates like the stand-in model; once the build has stored drafts, the server stops under it."""

        def _translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
            if not stored and own_cluster.started:
                held = own_cluster.sql(f"SELECT tgt_lang, src_text, tgt_text FROM {UNITS} ORDER BY seq", db)
                if held:
                    stored.append(held)
                    own_cluster.stop("fast")
            return super()._translate(texts, src, tgt)

    monkeypatch.setattr("briefgen.translate.loader.make_translator", lambda settings: StopsTheServer())
    monkeypatch.setenv("BRIEFGEN_MEMORY", url)
    # without the glossary: the double's unenforced terms would log warnings before the one error line
    code, out, err = run_cli(["build", str(record), "--out", str(tmp_path / "out"), "--backend", "pseudo",
                              "--pdf-variant", "none", "--no-glossary"])
    assert code == 2 and out == "", err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith(f"briefgen: error: {url}: lost the connection to the database server (")
    assert err.endswith("); every write that was confirmed is kept, the one under way is not; run again when the "
                        "server is back\n")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))

    own_cluster.start()
    kept = own_cluster.sql(f"SELECT tgt_lang, src_text, tgt_text FROM {UNITS} ORDER BY seq", db)
    assert stored and kept == stored[0]                    # every confirmed write, nothing of the one under way
    with Memory(url, read_only=False) as memory:           # and it opens as a memory again
        assert len(list(memory.units())) == len(kept)
    monkeypatch.setattr("briefgen.translate.loader.make_translator", lambda settings: PseudoTranslator())
    code, out, err = run_cli(["build", str(record), "--out", str(tmp_path / "out"), "--backend", "pseudo",
                              "--pdf-variant", "none"])
    assert code in (0, 1), err                            # the rebuild finishes from where the memory stood
    assert own_cluster.sql(f"SELECT count(DISTINCT tgt_lang) FROM {UNITS}", db) == [(2,)]


def test_a_full_disk_on_the_server_is_one_line_and_the_memory_is_as_it_was(own_cluster: Cluster) -> None:
    db = own_cluster.new_database()
    url = own_cluster.url(db)
    with Memory(url) as memory:
        memory.store([Unit("fr", "ru", "Oui.", "Да.", "reviewed", "review:x", "r", "a")])
    with tmpfs(own_cluster.home / "small", "1m", owner="postgres") as disk:
        own_cluster.sql(f"CREATE TABLESPACE small LOCATION '{disk}'")
        own_cluster.sql(f"ALTER TABLE {UNITS} SET TABLESPACE small", db)
        before = own_cluster.sql(f"SELECT * FROM {UNITS}", db)
        big = [Unit("fr", "ru", f"Texte {i}.", os.urandom(40_000).hex(), "machine", "s", "r", f"s{i}")
               for i in range(40)]                        # 3 MB that does not compress, on a 1 MB disk
        with Memory(url) as memory, pytest.raises(SetupError) as caught:
            memory.store(big)
        assert str(caught.value).startswith(f"{url}: the database server's disk is full (")
        assert str(caught.value).endswith("); ask the database administrator (docs/memory-postgresql.md says what "
                                          "to grant) (the memory is as it was before this write)")
        assert own_cluster.sql(f"SELECT * FROM {UNITS}", db) == before
        own_cluster.sql(f"ALTER TABLE {UNITS} SET TABLESPACE pg_default", db)
        own_cluster.sql("DROP TABLESPACE small")

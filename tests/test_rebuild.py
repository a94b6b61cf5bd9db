"""Rebuilding an unchanged record keeps the set already written; any change to what the set is made of
renders it again."""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from conftest import EXAMPLE

from briefgen.cli import main
from briefgen.config import Settings
from briefgen.errors import InputError
from briefgen.pipeline import build
from briefgen.translate.glossed import GlossaryTranslator
from briefgen.translate.pseudo import PseudoTranslator

RID = "eg-ru-2019-06-09"


@pytest.fixture
def record(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    shutil.copy(EXAMPLE.with_suffix(".tmx"), tmp_path / EXAMPLE.with_suffix(".tmx").name)
    return tmp_path / EXAMPLE.name


def _state(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_an_unchanged_rebuild_keeps_the_set_and_says_so(record: Path, tmp_path: Path) -> None:
    settings = Settings(out_dir=tmp_path / "out", pdf_variant="none")
    first = build(record, settings)
    before = _state(first.out_dir)
    again = build(record, settings)
    assert not first.reused and again.reused
    assert _state(again.out_dir) == before                       # not one file rewritten
    assert again.manifest == first.manifest and again.files == first.files
    assert [i.code for i in again.issues] == [i.code for i in first.issues]

    out = io.StringIO()
    assert main(["build", str(record), "--out", str(tmp_path / "out"), "--pdf-variant", "none"], out) == 0
    assert "up to date, nothing rendered" in out.getvalue()
    assert main(["build", str(record), "--out", str(tmp_path / "out"), "--pdf-variant", "none", "--force"], out) == 0
    assert _state(again.out_dir) != before


def test_a_changed_record_template_setting_or_damaged_file_renders_again(
        record: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(out_dir=tmp_path / "out", pdf_variant="none")
    target = build(record, settings).out_dir

    assert not build(record, Settings(out_dir=tmp_path / "out", pdf_variant="none", html=True)).reused
    assert build(record, Settings(out_dir=tmp_path / "out", pdf_variant="none", html=True)).reused
    assert not build(record, settings).reused                   # the previews were asked for, now they are not

    pdf = target / f"{RID}.ru.ru.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%")
    with pytest.raises(InputError, match="changed since briefgen wrote the set"):
        build(record, settings)                                 # a file that no longer matches its manifest is
    assert pdf.read_bytes().endswith(b"%")                      # the user's (annotated): kept, unless --force
    assert not build(record, Settings(out_dir=tmp_path / "out", pdf_variant="none", reuse_output=False)).reused

    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", templates)
    monkeypatch.setenv("BRIEFGEN_TEMPLATES", str(templates))
    assert build(record, settings).reused                       # the same templates elsewhere: the same set
    css = templates / "brief.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert not build(record, settings).reused

    record.write_text(record.read_text(encoding="utf-8").replace("version: 1", "version: 2"), encoding="utf-8")
    result = build(record, settings)
    assert not result.reused and result.manifest["record_version"] == 2


def test_a_stamp_for_a_set_that_was_replaced_since_vouches_for_nothing(record: Path, tmp_path: Path) -> None:
    from briefgen.render import uptodate

    settings = Settings(out_dir=tmp_path / "out", pdf_variant="none")
    target = build(record, settings).out_dir
    stamp = uptodate.stamp_path(target)
    saved = stamp.read_text(encoding="utf-8")
    manifest = target / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"record_version": 1', '"record_version": 1 '),
                        encoding="utf-8")
    assert stamp.read_text(encoding="utf-8") == saved
    assert not build(record, settings).reused
    assert sorted(p.name for p in target.parent.iterdir() if p.name.startswith(".")) == [
        f".{RID}.built.json", f".{RID}.lock"]                     # the stamp sits beside the set, not in it



def _drafts(memory: Path) -> dict[tuple[str, str], str]:
    with contextlib.closing(sqlite3.connect(memory)) as db:
        return {(lang, seg): text for lang, seg, text in
                db.execute("SELECT tgt_lang, segment_id, tgt_text FROM units WHERE status = 'machine'")}


def test_a_rebuild_asks_the_model_only_about_terms_it_has_not_seen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the model made of a glossary term alone is kept in the memory: drafting the record again (as after
    an edit) asks the model for the sentences only, and repairs them as the first build did."""
    asked: list[tuple[str, list[str]]] = []           # (purpose, texts) of every decoding the glossary asks for
    run = GlossaryTranslator._run

    def counted(self: GlossaryTranslator, purpose: str, texts: list[str], a: str, b: str) -> list[str]:
        asked.append((purpose, list(texts)))
        return run(self, purpose, texts, a, b)

    monkeypatch.setattr(GlossaryTranslator, "_run", counted)
    record = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, record)                  # no sidecar: every text is a machine draft
    memory = tmp_path / "memory.sqlite"
    settings = Settings(out_dir=tmp_path / "out", memory=memory, pdf_variant="none")
    build(record, settings, translator=PseudoTranslator())      # the honest double: it loses terms
    drafted = _drafts(memory)
    with contextlib.closing(sqlite3.connect(memory)) as db:
        kept = db.execute("SELECT count(*) FROM renderings").fetchone()[0]
        db.execute("DELETE FROM units")            # every sentence must be drafted again
        db.commit()
    assert "terms" in {purpose for purpose, _ in asked} and kept > 0
    asked.clear()
    build(record, settings, translator=PseudoTranslator())      # a new translator: nothing cached in it
    assert "own" in {purpose for purpose, _ in asked} and "terms" not in {purpose for purpose, _ in asked}
    assert _drafts(memory) == drafted             # the same repairs, from the kept renderings


def test_render_workers_start_before_decoding_and_not_for_an_up_to_date_set(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The render processes start while the model translates (they take a second to import WeasyPrint), and
    a set that is already up to date starts none."""
    from briefgen.render import worker

    events: list[str] = []
    made = worker.RenderPool.__init__

    def making(self: worker.RenderPool, *args: object, **kwargs: object) -> None:
        events.append("pool")
        made(self, *args, **kwargs)

    class Noting(PseudoTranslator):
        def _translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
            events.append("decode")
            return super()._translate(texts, src, tgt)

    monkeypatch.setattr(worker.RenderPool, "__init__", making)
    record = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, record)
    settings = Settings(out_dir=tmp_path / "out", memory=tmp_path / "memory.sqlite", pdf_variant="none", jobs=2)
    assert not build(record, settings, translator=Noting()).reused
    assert events[:2] == ["pool", "decode"] and events.count("pool") == 1
    events.clear()
    assert build(record, settings, translator=Noting()).reused and events == []


def test_render_workers_that_cannot_start_fail_where_the_build_submits_a_pdf(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers start in a thread; what stops them reaches the build's own thread, once, not a thread's
    traceback on the terminal."""
    from briefgen.config import templates_dir
    from briefgen.render import worker

    def refused(self: object, fn: object, *args: object, **kwargs: object) -> None:
        raise OSError("Resource temporarily unavailable")

    hooked: list[object] = []
    monkeypatch.setattr(threading, "excepthook", hooked.append)
    monkeypatch.setattr(worker.ProcessPoolExecutor, "submit", refused)
    pool = worker.RenderPool(templates_dir(), "none", 2)
    with pytest.raises(OSError, match="Resource temporarily unavailable"):
        pool.submit(worker.Job("<p>x</p>", (), False))
    pool.close()
    assert hooked == []

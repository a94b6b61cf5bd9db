"""No command writes over its own input (the record, the memory, an input XLIFF/TMX/TBX/glossary) or a file
briefgen did not write: exit 2, the file untouched. Replacing an earlier export of briefgen's own takes
--force (a translator's edits in it would be lost)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT

from briefgen.cli import main
from briefgen.memory.store import Memory

RECORD = ROOT / "tests" / "data" / "records" / "tn-ru-2024-06-05" / "tn-ru-2024-06-05.yaml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def record(tmp_path: Path) -> Path:
    path = tmp_path / RECORD.name
    shutil.copy(RECORD, path)
    return path


def test_review_export_onto_its_record_is_refused_even_with_force(record: Path) -> None:
    before = digest(record)
    for extra in ([], ["--force"]):
        code, _, err = run("review", "export", str(record), "--lang", "ar", "-o", str(record), *extra)
        assert code == 2
        assert err == f"briefgen: error: {record}: this is the record, which this command reads: write the output " \
                      "to another file\n"
    assert digest(record) == before


def test_memory_export_onto_the_memory_database_is_refused_and_the_memory_still_works(tmp_path: Path) -> None:
    memory = Path(os.environ["BRIEFGEN_MEMORY"])
    assert run("memory", "import", str(EXAMPLE.with_suffix(".tmx")))[0] == 0   # the example's .tmx into the memory
    before = digest(memory)
    for target in (memory, memory.with_name(memory.name + "-wal")):
        code, _, err = run("memory", "export", "-o", str(target), "--force")
        assert code == 2 and "this is the translation memory, which this command reads" in err
    assert digest(memory) == before
    with Memory(memory) as m:
        # the example's .tmx: 28 shared × (ru, ar), 9 ar + 7 ru own lines, each side's 2 expected positions in
        # the other's language
        assert sum(1 for _ in m.units()) == 82


def test_an_earlier_export_is_replaced_only_with_force(record: Path, tmp_path: Path) -> None:
    xlf = tmp_path / "ar.xlf"
    assert run("review", "export", str(record), "--lang", "ar", "-o", str(xlf))[0] == 0
    xlf.write_text(xlf.read_text(encoding="utf-8").replace("</source>", "</source><target>أ</target>", 1),
                   encoding="utf-8")                            # the translator has started on it
    edited = digest(xlf)
    code, _, err = run("review", "export", str(record), "--lang", "ar", "-o", str(xlf))
    assert code == 2 and "exists (an earlier export by briefgen; a translator's edits in it would be lost): add " \
                         "--force to replace it" in err
    assert digest(xlf) == edited
    assert run("review", "export", str(record), "--lang", "ar", "-o", str(xlf), "--force")[0] == 0
    assert digest(xlf) != edited

    tmx = tmp_path / "all.tmx"
    assert run("memory", "import", str(EXAMPLE.with_suffix(".tmx")))[0] == 0
    assert run("memory", "export", "-o", str(tmx))[0] == 0
    assert run("memory", "export", "-o", str(tmx))[0] == 2
    assert run("memory", "export", "-o", str(tmx), "--force")[0] == 0


@pytest.mark.parametrize("content", [b"Notes for the minister\n", b"SQLite format 3\x00" + b"\x00" * 100,
                                     b'<?xml version="1.0"?><tmx version="1.4"><header creationtool="Trados"/>'
                                     b"<body/></tmx>"], ids=["text", "sqlite", "foreign-tmx"])
def test_a_file_briefgen_did_not_write_is_never_replaced(record: Path, tmp_path: Path, content: bytes) -> None:
    target = tmp_path / "out.file"
    target.write_bytes(content)
    for argv in (["review", "export", str(record), "--lang", "ar", "-o", str(target), "--force"],
                 ["memory", "export", "-o", str(target), "--force"],
                 ["memory", "export", "--record", str(record), "-o", str(target), "--force"],
                 ["glossary", "export", "-o", str(target), "--force"],
                 ["glossary", "import", str(ROOT / "tests" / "data" / "bad" / "other" / "glossary-xxe.tbx"),
                  "-o", str(target)],
                 ["models", "pack", str(target), "--force"],
                 ["schema", "-o", str(target)]):
        code, _, err = run(*argv)
        assert code == 2, argv
        assert f"{target}: exists and was not written by briefgen; choose another name" in err, (argv, err)
        assert target.read_bytes() == content


def test_a_record_tmx_and_a_glossary_layer_are_inputs_too(record: Path, tmp_path: Path) -> None:
    sidecar = record.with_suffix(".tmx")
    shutil.copy(EXAMPLE.with_suffix(".tmx"), sidecar)                                     # a briefgen TMX
    before = digest(sidecar)
    code, _, err = run("memory", "export", "--record", str(record), "-o", str(sidecar), "--force")
    assert code == 2 and "this is the record's .tmx, which this command reads" in err and digest(sidecar) == before
    layer = tmp_path / "mine.tsv"
    shutil.copy(ROOT / "glossaries" / "ict.tsv", layer)
    code, _, err = run("glossary", "export", str(layer), "-o", str(layer), "--force")
    assert code == 2 and "this is the glossary mine.tsv, which this command reads" in err


def test_a_glossary_tbx_export_needs_force_the_second_time(tmp_path: Path) -> None:
    tbx = tmp_path / "ict.tbx"
    assert run("glossary", "export", "-o", str(tbx))[0] == 0
    assert run("glossary", "export", "-o", str(tbx))[0] == 2
    assert run("glossary", "export", "-o", str(tbx), "--force")[0] == 0

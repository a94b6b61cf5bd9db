"""Every bad record gives one clear line (file, line, field, what is wrong), exit 2, and writes nothing."""

from __future__ import annotations

import io
import os
import sqlite3
from pathlib import Path

import pytest
from conftest import ROOT

from briefgen.cli import main
from briefgen.record.load import load_record

BAD = ROOT / "tests" / "data" / "bad"
CASES = sorted(p for p in BAD.glob("*.yaml"))


def _expectation(path: Path) -> str:
    first = path.read_text(encoding="utf-8").partition("\n")[0]
    return first.removeprefix("# expect: ") if first.startswith("# expect: ") else ":1: file is empty"


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_minimal_record_is_valid() -> None:
    assert load_record(ROOT / "tests" / "data" / "minimal.yaml").record.id == "minimal"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_bad_record_exits_2_with_file_line_and_field(case: Path, tmp_path: Path) -> None:
    code, _out, err = run(["build", str(case), "--out", str(tmp_path / "out")])
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"briefgen: error: {case}"), lines[0]
    assert _expectation(case) in lines[0]
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


def _generated(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("utf16.yaml", "id: x\n".encode("utf-16"), "file is UTF-16; save it as UTF-8"),
    ("latin1.yaml", "id: x\ntitle: R\xe9union\n".encode("latin-1"), ":2: byte 0xe9 is not valid UTF-8"),
    ("garbage.yaml", bytes(range(256)) * 4, ":1: file contains NUL bytes"),
    ("huge.yaml", b"# padding\n" * (5 * 1024 * 1024), "MB limit"),
    ("long-paragraph.yaml", (ROOT / "tests" / "data" / "minimal.yaml").read_bytes()
     + b"      - " + b"tres " * 4000 + b"long\n",
     ":23: agenda[0].points[1]: text is 20,004 characters long, more than the 20,000 one paragraph may have: "
     "split it into shorter paragraphs"),
])
def test_undecodable_or_oversized_files_are_refused(tmp_path: Path, name: str, data: bytes,
                                                    expected: str) -> None:
    path = _generated(tmp_path, name, data)
    code, _, err = run(["build", str(path), "--out", str(tmp_path / "out")])
    assert code == 2
    assert f"{path}" in err and expected in err, err
    assert not (tmp_path / "out").exists()


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "data" / "minimal.yaml").read_bytes()
    path = _generated(tmp_path, "bom.yaml", b"\xef\xbb\xbf" + text)
    assert load_record(path).record.id == "minimal"


def test_missing_translation_stops_the_build_listing_segments_and_the_three_ways(tmp_path: Path) -> None:
    record = tmp_path / "m.yaml"
    text = (ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
    record.write_text(text + "    outcomes:\n      - Les parties ont convenu de coopérer.\n", encoding="utf-8")
    code, _, err = run(["build", str(record), "--out", str(tmp_path / "out")])
    assert code == 2
    lines = err.splitlines()
    assert lines[0] == f"briefgen: error: {record}: texts with no translation, and no model to draft them:"
    assert lines[1].startswith("  fr→ar: 1 text(s) (no translation model installed for fr→ar")
    assert lines[2] == "    agenda.ai.outcomes.1"
    assert lines[3].startswith("  fr→ru: 1 text(s) (no translation model installed for fr→ru")
    assert lines[5] == "Three ways to get them:"
    assert "make models" in lines[6] and "briefgen models install" in lines[6]
    assert f"`briefgen review export {record} --lang ar --missing -o m.ar.xlf` (add --force to replace an earlier " \
           "export), then `briefgen review import m.ar.xlf`" in lines[7]
    assert lines[8].endswith(f"into the record (e.g. title: {{fr: …, ar: …}}) or into {record.with_suffix('.tmx')}.")
    assert not (tmp_path / "out").exists()


OTHER = BAD / "other"


def _other_cases() -> list[tuple[str, str, str]]:
    lines = (OTHER / "cases.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(line.split("\t")) for line in lines if line.strip()]  # type: ignore[misc]


@pytest.mark.parametrize(("name", "command", "expected"), _other_cases(), ids=lambda v: str(v)[:30])
def test_bad_glossary_tbx_and_xliff_files_exit_2_with_one_clear_line(name: str, command: str, expected: str,
                                                                    tmp_path: Path) -> None:
    path = OTHER / name
    args = {
        "build --glossary": ["build", str(ROOT / "tests" / "data" / "minimal.yaml"), "--glossary", str(path),
                             "--out", str(tmp_path / "out")],
        "glossary import": ["glossary", "import", str(path), "-o", str(tmp_path / "g.tsv")],
        "review import": ["review", "import", str(path)],
        "memory import": ["memory", "import", str(path)],
        "build sidecar": ["build", str(path.with_suffix(".yaml")), "--out", str(tmp_path / "out")],
    }[command]
    code, _, err = run(args)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith(f"briefgen: error: {OTHER}/"), lines[0]
    assert expected in lines[0], lines[0]
    assert not (tmp_path / "out").exists() and not (tmp_path / "g.tsv").exists()
    memory = Path(os.environ["BRIEFGEN_MEMORY"])   # nothing of a refused file reached the memory
    assert not memory.exists() or sqlite3.connect(memory).execute("SELECT count(*) FROM units").fetchone() == (0,)


def test_the_stored_corpus_has_at_least_thirty_cases() -> None:
    assert len(CASES) + len(_other_cases()) >= 30   # besides the generated ones above and the model bundles

"""The output swap touches only what briefgen wrote: ``out/<id>`` is replaced only when it holds a set of that
record and nothing else; a symbolic link there is followed; nothing is left half-swapped or behind."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from design_support import MINIMAL, run_cli

RID = "minimal"


def _tree(folder: Path) -> dict[str, str]:
    """Every file and link under ``folder``, with its content's hash or its link target."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            out[key] = "-> " + os.readlink(path)
        elif path.is_file():
            out[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _build(out: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(["build", str(MINIMAL), "--out", str(out), *extra])


def _refused(out: Path, message: str) -> None:
    before = _tree(out)
    code, stdout, err = _build(out)
    assert code == 2 and stdout == "" and "Traceback" not in err, err
    assert err.strip().splitlines() == [f"briefgen: error: {message}"]
    assert _tree(out) == before      # nothing written, nothing left behind


@pytest.fixture(scope="module")
def built_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One set of the minimal record, copied by the tests that need one."""
    out = tmp_path_factory.mktemp("set") / "out"
    env = {**os.environ, "BRIEFGEN_MEMORY": str(out.parent / "m.sqlite")}
    subprocess.run([sys.executable, "-m", "briefgen", "build", str(MINIMAL), "--out", str(out)], env=env,
                   check=True, capture_output=True)
    return out / RID


def test_a_users_folder_of_the_same_name_is_never_replaced(tmp_path: Path) -> None:
    """The officer who keeps each meeting in meetings/<id>/ and builds with --out meetings."""
    folder = tmp_path / "meetings" / RID
    (folder / "notes").mkdir(parents=True)
    shutil.copy(MINIMAL, folder / "record.yaml")
    (folder / "speech.docx").write_bytes(b"PK\x03\x04 a speech")
    (folder / "notes" / "a.txt").write_text("call the embassy", encoding="utf-8")
    _refused(tmp_path / "meetings",
             f"{folder}: this folder was not written by briefgen (it has no manifest.json of a build); it holds "
             "notes/, record.yaml, speech.docx: move it away or build with another --out")


def test_a_set_with_a_users_file_added_is_not_replaced(built_set: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built_set, out / RID)
    (out / RID / "annotated.pdf").write_bytes(b"%PDF-1.7 the minister's notes")
    _refused(out, f"{out / RID}: besides a set of briefs this folder holds annotated.pdf, which briefgen did not "
                  "write; move them away and build again")


def test_a_set_of_another_record_and_a_file_in_the_way_are_not_replaced(built_set: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built_set, out / RID)
    manifest = json.loads((out / RID / "manifest.json").read_text(encoding="utf-8"))
    manifest["record_id"] = "another-meeting"
    (out / RID / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _refused(out, f"{out / RID}: this folder holds the briefs of record 'another-meeting', not of 'minimal'; move "
                  "it away or build with another --out")
    shutil.rmtree(out / RID)
    (out / RID).write_text("a file named like the record", encoding="utf-8")
    _refused(out, f"{out / RID}: this is a file, not a folder of briefs; move it away or build with another --out")


def test_a_set_is_replaced_with_the_litter_of_file_managers_and_nothing_is_left_behind(
        built_set: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built_set, out / RID)
    for litter in (".DS_Store", "Thumbs.db", "._qa.tsv", ".~lock.qa.tsv#"):
        (out / RID / litter).write_bytes(b"x")
    old = (out / RID).stat().st_ino
    code, _, err = _build(out, "--force")
    assert code == 0, err
    assert (out / RID).stat().st_ino != old      # a new folder swapped in
    assert sorted(p.name for p in (out / RID).iterdir()) == sorted(
        ["manifest.json", "qa.html", "qa.tsv", "minimal.eg.ar.pdf", "minimal.ru.ru.pdf", "minimal.master.fr.pdf"])
    assert sorted(p.name for p in out.iterdir()) == [f".{RID}.built.json", f".{RID}.lock", RID]


def test_a_symbolic_link_is_followed_and_stays_a_link(built_set: Path, tmp_path: Path) -> None:
    shared = tmp_path / "share" / "june-meeting"
    shutil.copytree(built_set, shared)
    out = tmp_path / "out"
    out.mkdir()
    (out / RID).symlink_to(Path("..") / "share" / "june-meeting")
    # what an older briefgen left: the link itself renamed aside by a killed swap
    (out / f".{RID}.old-999999999").symlink_to(Path("..") / "share" / "june-meeting")
    before, inode = _tree(shared), shared.stat().st_ino
    code, _, err = _build(out, "--force")
    assert code == 0, err
    assert (out / RID).is_symlink() and os.readlink(out / RID) == str(Path("..") / "share" / "june-meeting")
    assert sorted(p.name for p in out.iterdir()) == [f".{RID}.built.json", RID]
    assert sorted(p.name for p in shared.parent.iterdir()) == [".june-meeting.lock", "june-meeting"]
    assert _tree(shared) == before and shared.stat().st_ino != inode    # the same set, swapped in where it points
    code, out_text, _ = run_cli(["verify", str(out / RID)])
    assert code == 0, out_text


def test_a_symbolic_link_to_a_users_folder_or_to_nothing_is_refused(tmp_path: Path) -> None:
    mine = tmp_path / "Documents"
    mine.mkdir()
    (mine / "letter.odt").write_bytes(b"PK")
    out = tmp_path / "out"
    out.mkdir()
    (out / RID).symlink_to(mine)
    _refused(out, f"{out / RID}: this folder ({mine}, where the link leads) was not written by briefgen (it has no "
                  "manifest.json of a build); it holds letter.odt: move it away or build with another --out")
    assert _tree(mine) == {"letter.odt": hashlib.sha256(b"PK").hexdigest()}
    (out / RID).unlink()
    (out / RID).symlink_to(tmp_path / "gone")
    _refused(out, f"{out / RID}: a symbolic link to {tmp_path / 'gone'}, which does not exist; remove the link or "
                  "create the folder it names")


def test_a_replaced_set_that_gained_a_users_file_meanwhile_is_kept_aside(built_set: Path, tmp_path: Path,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    """A killed swap left the old set aside; a file put there, or one of the set changed there, is not deleted
    with it."""
    out = tmp_path / "out"
    out.mkdir()
    aside = out / f".{RID}.old-999999999"
    shutil.copytree(built_set, aside)
    (aside / "keep-me.txt").write_text("mine", encoding="utf-8")
    (aside / "qa.html").write_text("my notes", encoding="utf-8")     # a file of the set, changed: kept too
    code, _, err = _build(out)
    assert code == 0, err
    assert sorted(p.name for p in aside.iterdir()) == ["keep-me.txt", "qa.html"]
    assert (aside / "qa.html").read_text(encoding="utf-8") == "my notes"
    assert f"{aside}: kept, because it holds keep-me.txt, qa.html, which briefgen did not write or which changed" in err


def test_a_set_file_changed_since_the_build_is_replaced_only_with_force(built_set: Path, tmp_path: Path) -> None:
    """A brief annotated in a PDF reader (bytes appended, as incremental saves do) and notes typed into the QA
    report: a rebuild stops before replacing them, also when the set is otherwise up to date; --force replaces."""
    out = tmp_path / "out"
    shutil.copytree(built_set, out / RID)
    shutil.copy(built_set.parent / f".{RID}.built.json", out)        # the up-to-date path is taken too
    assert "up to date, nothing rendered" in _build(out)[1]
    pdf = out / RID / f"{RID}.ru.ru.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% an annotation\n%%EOF\n")
    _refused(out, f"{out / RID}: {RID}.ru.ru.pdf in this folder changed since briefgen wrote the set (annotated or "
                  "edited: not the sha256 its manifest.json lists), and a rebuild would replace it; move it away "
                  "and build again, or build with --force to replace it")
    (out / RID / "qa.html").write_text("my notes", encoding="utf-8")
    _refused(out, f"{out / RID}: {RID}.ru.ru.pdf, qa.html in this folder changed since briefgen wrote the set "
                  "(annotated or edited: not the sha256 its manifest.json lists), and a rebuild would replace "
                  "them; move them away and build again, or build with --force to replace them")
    code, _, err = _build(out, "--force")
    assert code == 0, err
    assert (out / RID / "qa.html").read_text(encoding="utf-8") != "my notes"
    assert run_cli(["verify", str(out / RID)])[0] == 0

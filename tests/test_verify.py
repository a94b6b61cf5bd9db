"""`briefgen verify` accepts a fresh set and names the file behind every difference."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from design_support import EXAMPLE, MINIMAL, RID, rewrite_manifest, run_cli, verify_problems

from briefgen.config import templates_dir
from briefgen.render.pdf import Renderer

RU = f"{RID}.ru.ru.pdf"
AR = f"{RID}.eg.ar.pdf"


def _replace_pdf(folder: Path, name: str, pdf: bytes) -> None:
    """Put ``pdf`` in the set under ``name`` with its hash in the manifest, so only the content can differ."""
    (folder / name).write_bytes(pdf)

    def update(manifest: dict) -> None:
        for f in manifest["files"]:
            if f["file"] == name:
                f["sha256"] = hashlib.sha256(pdf).hexdigest()
    rewrite_manifest(folder, update)


def test_a_fresh_build_is_a_matched_set(example_build: Path) -> None:
    code, out, err = run_cli(["verify", str(example_build)])
    assert code == 0, out + err
    assert out.strip() == f"{example_build}: matched set of 3 files, signature " + json.loads(
        (example_build / "manifest.json").read_text())["signature"]


def test_the_parallel_editions_and_pdf_a_belong_to_the_set(parallel_pdfa_build: Path) -> None:
    code, out, _ = run_cli(["verify", str(parallel_pdfa_build)])
    assert code == 0 and "matched set of 5 files" in out, out


def test_a_brief_from_a_build_of_a_changed_record_is_named(copy: Path, modified_build: Path) -> None:
    shutil.copyfile(modified_build / RU, copy / RU)
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    problems = verify_problems(out)
    assert problems and all(line.startswith(str(copy / RU) + ": ") for line in problems), out
    assert any("sha256" in line for line in problems)
    assert any("build signature" in line for line in problems)


def test_a_changed_signature_is_found_even_when_the_manifest_hash_is_updated(copy: Path,
                                                                              modified_build: Path) -> None:
    _replace_pdf(copy, RU, (modified_build / RU).read_bytes())
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    assert verify_problems(out) == [f"{copy / RU}: build signature " + out.split("build signature ")[1].splitlines()[0]]


def test_edited_bytes_are_found(copy: Path) -> None:
    data = bytearray((copy / AR).read_bytes())
    middle = len(data) // 2
    data[middle] = (data[middle] + 1) % 256
    (copy / AR).write_bytes(bytes(data))
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    problems = verify_problems(out)
    assert problems and all(line.startswith(str(copy / AR)) for line in problems)
    assert "content differs from the build" in problems[0]


def test_missing_extra_and_mislabelled_files_are_each_named(copy: Path) -> None:
    (copy / RU).unlink()
    shutil.copyfile(copy / AR, copy / f"{RID}.xx.ar.pdf")
    rewrite_manifest(copy, lambda m: next(f for f in m["files"] if f["file"] == AR).update(lang="fr"))
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    assert sorted(verify_problems(out)) == sorted([
        f"{copy / RU}: listed in manifest.json but missing",
        f"{copy / RID}.xx.ar.pdf: not listed in manifest.json: not part of this set",
        f"{copy / AR}: declares language ar (/Lang), manifest.json says fr",
        f"{copy / AR}: manifest.json lists the brief of delegation eg in fr, but it is to be in ar",
    ])


def _render_tampered(folder: Path, name: str, change: object) -> bytes:
    """The brief re-rendered from its own HTML preview after ``change``: same signature, same anchors."""
    html = (folder / name.replace(".pdf", ".html")).read_text(encoding="utf-8")
    return Renderer(templates_dir()).pdf(change(html))  # type: ignore[operator]


def test_a_paragraph_printed_with_another_number_is_found(copy: Path) -> None:
    pdf = _render_tampered(copy, RU, lambda h: h.replace('<span class="num">5.', '<span class="num">6.', 1))
    _replace_pdf(copy, RU, pdf)
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    assert verify_problems(out) == [
        f"{copy / RU}: paragraph agenda.cybersecurity.background.3 is numbered 6, the record numbers it 5"]


def test_arabic_indic_numbers_are_read_in_their_reading_order(copy: Path) -> None:
    """"٣١" printed where 13 belongs is a difference; text extractors that reverse the digits would miss it."""
    pdf = _render_tampered(copy, AR, lambda h: h.replace('<span class="num">١٣\u00a0', '<span class="num">٣١\u00a0'))
    _replace_pdf(copy, AR, pdf)
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    assert verify_problems(out) == [
        f"{copy / AR}: paragraph agenda.march-visit.background.1 is numbered 31, the record numbers it 13"]


def test_a_paragraph_without_its_anchor_is_found(copy: Path) -> None:
    pdf = _render_tampered(copy, RU, lambda h: re.sub(r'<p class="para" id="purpose\.2">', "<p>", h))
    _replace_pdf(copy, RU, pdf)
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    assert verify_problems(out) == [f"{copy / RU}: paragraph 2 (purpose.2) has no anchor"]


def test_a_folder_that_is_not_a_build_is_exit_2_with_one_line(tmp_path: Path) -> None:
    code, out, err = run_cli(["verify", str(tmp_path / "nowhere")])
    assert code == 2 and out == ""
    assert err.strip() == (f"briefgen: error: {tmp_path / 'nowhere'}: no such folder; give the folder a build "
                           "wrote, e.g. out/<record-id>")
    code, _, err = run_cli(["verify", str(tmp_path)])
    assert code == 2 and "no manifest.json here" in err and len(err.strip().splitlines()) == 1
    (tmp_path / "manifest.json").write_text("{not json")
    code, _, err = run_cli(["verify", str(tmp_path)])
    assert code == 2 and "unreadable manifest" in err and "Traceback" not in err
    (tmp_path / "manifest.json").write_text('{"files": []}')
    code, _, err = run_cli(["verify", str(tmp_path)])
    assert code == 2 and err == (f"briefgen: error: {tmp_path / 'manifest.json'}: field signature: missing; rebuild "
                                 "the set with `briefgen build`\n")


def test_a_manifest_of_the_wrong_shape_is_exit_2_naming_the_field(copy: Path) -> None:
    """Edited by hand or by another program: bad input (exit 2), never a traceback read as "differences found"."""
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    seg_id = sorted(manifest["restricted"])[0]
    for change, message in (
            (lambda m: m["files"][0].update(paragraphs=5), "files[0].paragraphs: is a number, must be a list of texts"),
            (lambda m: m["restricted"][seg_id].pop("audience"), f"restricted.{seg_id}.audience: missing"),
            (lambda m: m["files"][1].update(edition=["ru"]), "files[1].edition: is a list, must be text or null")):
        rewrite_manifest(copy, lambda m: m.clear() or m.update(json.loads(json.dumps(manifest))))
        rewrite_manifest(copy, change)
        code, out, err = run_cli(["verify", str(copy)])
        assert (code, out) == (2, "")
        assert err.splitlines() == [f"briefgen: error: {copy / 'manifest.json'}: field {message}; rebuild the set "
                                    "with `briefgen build`"]


# --- completeness ---------------------------------------------------------------------------------------

def test_a_manifest_listing_no_files_is_not_a_set(copy: Path) -> None:
    for pdf in copy.glob("*.pdf"):
        pdf.unlink()
    rewrite_manifest(copy, lambda m: m.update(files=[]))
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    assert verify_problems(out) == [
        f"{copy}/manifest.json: lists no files: this is not a complete set; rebuild it with `briefgen build`"]


def test_a_set_without_one_delegations_brief_is_incomplete(copy: Path) -> None:
    """The PDF and its manifest entry both removed: every remaining file is intact."""
    (copy / AR).unlink()
    rewrite_manifest(copy, lambda m: m.update(files=[f for f in m["files"] if f["file"] != AR]))
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    assert verify_problems(out) == [
        f"{copy}/manifest.json: lists no brief of delegation eg (ar), which the record asks for: the set is "
        "incomplete; rebuild it"]
    # the delegation removed from the manifest's own list too: only the record itself can tell
    rewrite_manifest(copy, lambda m: m.update(delegations=[d for d in m["delegations"] if d["id"] != "eg"]))
    assert run_cli(["verify", str(copy)])[0] == 0
    code, out, _ = run_cli(["verify", str(copy), "--record", str(EXAMPLE)])
    assert code == 1
    assert verify_problems(out) == [f"{copy / AR}: the record asks for this brief of delegation eg (ar), but "
                              "manifest.json does not list it: the set is incomplete; rebuild it"]


def test_verify_against_the_record_finds_a_changed_record_and_another_records_set(copy: Path, tmp_path: Path) -> None:
    assert run_cli(["verify", str(copy), "--record", str(EXAMPLE)])[0] == 0
    from design_support import change_one_sentence, example_copy

    changed = example_copy(tmp_path / "changed", change_one_sentence)
    code, out, _ = run_cli(["verify", str(copy), "--record", str(changed)])
    assert code == 1
    assert verify_problems(out) == [f"{copy}/manifest.json: built from another version of {changed} (the record has "
                              "changed since): rebuild the set"]
    code, out, _ = run_cli(["verify", str(copy), "--record", str(MINIMAL)])
    assert code == 1
    assert verify_problems(out) == [f"{copy}/manifest.json: this is the set of record '{RID}', not of {MINIMAL} "
                              "('minimal')"]


def test_a_changed_qa_report_and_a_manifest_of_an_older_briefgen_are_named(copy: Path) -> None:
    (copy / "qa.tsv").write_text("lang\tseverity\n", encoding="utf-8")
    rewrite_manifest(copy, lambda m: m.pop("delegations"))
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    problems = verify_problems(out)
    assert problems[0].startswith(f"{copy / 'qa.tsv'}: content differs from the build")
    assert problems[1:] == [f"{copy}/manifest.json: does not list the delegations the record asked for (an older "
                            "briefgen wrote it), so completeness cannot be checked: rebuild the set, or verify it "
                            "with --record"]

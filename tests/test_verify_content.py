"""A matched set agrees in content: a QA error makes the build exit 1 and the set "not ready to send" for
verify, unless the build accepted it by flag (recorded in the manifest); `verify --record` compares the
numbers and identifiers each numbered paragraph prints across the set's languages; the leak check's audience
table and whitelist come from the record, never from the manifest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from design_support import RID, example_copy, memory_at, rewrite_manifest, run_cli, verify_problems
from lxml import etree

XLF = "{urn:oasis:names:tc:xliff:document:1.2}"
RU, AR = f"{RID}.ru.ru.pdf", f"{RID}.eg.ar.pdf"
BUDGET = "agenda.march-visit.background.2"
BUDGET_FR = "Le budget du programme commun est de 13 000 000 dollars, selon le document CVE-2019-0708."
BUDGET_RU = "Бюджет совместной программы составляет {} долларов, согласно документу CVE-2019-0708."
BUDGET_AR = "تبلغ ميزانية البرنامج المشترك 13 000 000 دولار، وفقا للوثيقة CVE-2019-0708."


def _with_budget(data: dict[str, Any]) -> None:
    item = next(i for i in data["agenda"] if i["id"] == "march-visit")
    item["background"].append(BUDGET_FR)


def review(record: Path, lang: str, targets: dict[str, str], work: Path) -> None:
    """What a translator does: `review export`, the given targets filled in, `review import` (into the
    record's .tmx)."""
    xlf = work / f"{lang}.xlf"
    code, _, err = run_cli(["review", "export", str(record), "--lang", lang, "-o", str(xlf)])
    assert code == 0, err
    tree = etree.parse(str(xlf))
    for unit in tree.iter(f"{XLF}trans-unit"):
        if unit.get("id") in targets:
            target = unit.find(f"{XLF}target")
            if target is None:
                target = etree.SubElement(unit, f"{XLF}target")
            target.text = targets[unit.get("id")]
            target.set("state", "translated")
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    code, out, err = run_cli(["review", "import", str(xlf), "--record", str(record)])
    assert code == 0, out + err


def budget_record(folder: Path, russian: str) -> Path:
    """The example with a paragraph of 13 000 000 and an identifier, reviewed in Arabic and in Russian
    (the Russian as ``russian`` says), its translations in the record's own .tmx."""
    record = example_copy(folder, _with_budget)
    with memory_at(folder / "memory.sqlite"):
        review(record, "ar", {BUDGET: BUDGET_AR}, folder)
        review(record, "ru", {BUDGET: BUDGET_RU.format(russian)}, folder)
    return record


def build(record: Path, out: Path, *flags: str) -> tuple[int, str, str]:
    with memory_at(record.parent / "memory.sqlite"):
        return run_cli(["build", str(record), "--out", str(out), "--backend", "none", "--jobs", "1", *flags])


@pytest.fixture(scope="module")
def wrong_budget(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, tuple[int, str, str]]:
    """(record, out/<id>, the build's exit code and output) of the example whose reviewed Russian
    translation says 12 000 000 where the source says 13 000 000."""
    home = tmp_path_factory.mktemp("wrong-budget")
    record = budget_record(home / "record", "12 000 000")
    result = build(record, home / "out")
    return record, home / "out" / RID, result


def test_a_qa_error_makes_the_build_exit_1_naming_the_brief_and_still_writes_the_set(wrong_budget: Any) -> None:
    _, folder, (code, out, err) = wrong_budget
    assert code == 1, out + err
    assert "QA: ru 1 error(s)" in out
    assert err.strip().splitlines() == [
        f"briefgen: {folder}: 1 QA error in {RU}: not ready to send (see {folder / 'qa.html'}); correct it "
        "and rebuild, or rebuild with --accept-qa-errors to send it anyway"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["qa_errors"] == 1 and manifest["options"]["accept_qa_errors"] is False
    assert {f["file"]: f["qa_errors"] for f in manifest["files"]} == {
        f"{RID}.eg.ar.pdf": 0, RU: 1, f"{RID}.master.fr.pdf": 0}
    assert all((folder / f["file"]).is_file() for f in manifest["files"])


def test_an_unchanged_rebuild_of_a_set_with_qa_errors_still_exits_1(wrong_budget: Any) -> None:
    record, folder, _ = wrong_budget
    code, out, err = build(record, folder.parent)
    assert code == 1 and "up to date, nothing rendered" in out, out + err
    assert f"1 QA error in {RU}: not ready to send" in err


def test_verify_says_a_set_with_qa_errors_is_not_ready_to_send(wrong_budget: Any) -> None:
    record, folder, _ = wrong_budget
    not_ready = (f"{folder}: NOT ready to send: the build found 1 QA error in {RU} (see qa.html); correct it "
                 "and rebuild, or rebuild with --accept-qa-errors to send it anyway")
    code, out, _ = run_cli(["verify", str(folder)])
    assert code == 1 and out.splitlines() == [not_ready], out
    # against the record, the paragraph whose languages disagree is named as well
    code, out, _ = run_cli(["verify", str(folder), "--record", str(record)])
    assert code == 1 and out.splitlines()[-2:] == [not_ready, f"{folder}: NOT a matched set: 1 difference(s)"], out


def test_sending_with_qa_errors_is_a_choice_the_manifest_records(wrong_budget: Any, tmp_path: Path) -> None:
    record, _, _ = wrong_budget
    code, out, err = build(record, tmp_path / "out", "--accept-qa-errors")
    assert code == 0, out + err
    assert "QA: " in out and "ru 1 error(s)" in out
    folder = tmp_path / "out" / RID
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["qa_errors"] == 1 and manifest["options"]["accept_qa_errors"] is True
    code, out, _ = run_cli(["verify", str(folder)])
    assert code == 0, out
    assert out.splitlines()[-1] == (f"{folder}: matched set of 3 files, signature {manifest['signature']}; "
                                    f"sent with 1 QA error accepted by flag (--accept-qa-errors)")


def test_a_manifest_edited_to_hide_qa_errors_is_a_difference(wrong_budget: Any, tmp_path: Path) -> None:
    _, folder, _ = wrong_budget
    copy = tmp_path / RID
    shutil.copytree(folder, copy)

    def hide(manifest: dict[str, Any]) -> None:
        manifest["qa_errors"] = 0
        for f in manifest["files"]:
            f["qa_errors"] = 0
    rewrite_manifest(copy, hide)
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    assert verify_problems(out) == [f"{copy / 'manifest.json'}: says 0 QA errors, but qa.tsv lists 1: "
                                    "rebuild the set"]


# --- verify --record: what each numbered paragraph prints agrees across the languages -------------------

@pytest.fixture(scope="module")
def accepted_budget(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(record, out/<id>, the budget paragraph's number) of the example whose reviewed Russian says 12 000 000
    and CVE-2019-0709 where the source says 13 000 000 and CVE-2019-0708, sent with its QA errors accepted."""
    home = tmp_path_factory.mktemp("accepted-budget")
    record = budget_record(home / "record", "12 000 000")
    tmx = record.with_suffix(".tmx")
    tmx.write_text(tmx.read_text(encoding="utf-8").replace("документу CVE-2019-0708", "документу CVE-2019-0709"),
                   encoding="utf-8")
    code, out, err = build(record, home / "out", "--accept-qa-errors")
    assert code == 0, out + err
    folder = home / "out" / RID
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["qa_errors"] == 2
    number = next(n for n, seg_id in manifest["paragraphs"].items() if seg_id == BUDGET)
    return record, folder, number


def test_verify_record_names_the_paragraph_whose_languages_print_different_figures(accepted_budget: Any) -> None:
    record, folder, number = accepted_budget
    code, out, _ = run_cli(["verify", str(folder), "--record", str(record)])
    assert code == 1, out
    assert verify_problems(out) == [
        # each as its brief prints it: Russian groups with a no-break space, French with a narrow one
        f"{folder / RU}: paragraph {number} ({BUDGET}): prints «12\u00a0000\u00a0000» (ru) where the master copy "
        "prints «13\u202f000\u202f000» (fr)",
        f"{folder / RU}: paragraph {number} ({BUDGET}): does not print «CVE-2019-0708» as the master copy does "
        "(fr; here ru)"]
    # without the record, the set is what its build wrote, sent with its QA errors accepted
    code, out, _ = run_cli(["verify", str(folder)])
    assert code == 0 and out.rstrip().endswith("sent with 2 QA errors accepted by flag (--accept-qa-errors)"), out


def test_the_arabic_brief_prints_the_same_values_in_its_own_digits(accepted_budget: Any) -> None:
    """The Arabic brief agrees with the master: its figures are read as values, in Arabic-Indic digits."""
    from briefgen.render.agreement import Printed, _texts
    from briefgen.render.readback import read_pdf

    _, folder, _ = accepted_budget
    arabic = Printed(AR, "ar", read_pdf((folder / AR).read_bytes()))
    text, _ = _texts(arabic, [BUDGET])[BUDGET]
    assert "١٣ ٠٠٠ ٠٠٠" in text.replace("\u00a0", " ").replace("\u202f", " ") or "١٣٬٠٠٠٬٠٠٠" in text, text
    assert "CVE-2019-0708" in text.replace(" ", "")


# --- the leak check: its audience table and whitelist are the record's ----------------------------------

SHARED = "agenda.cybersecurity.outcomes.1"
RU_NOTE = "agenda.cybersecurity.notes.ru.1"
RU_NOTE_RU = ("Не брать на себя обязательств по объему участия российской стороны в финансировании до "
              "ознакомления с выводами технико-экономического обоснования.")
RU_NOTE_FR = ("Ne pas s'engager sur le montant de la participation russe au financement avant de connaître les "
              "conclusions de l'étude de faisabilité.")


@pytest.fixture(scope="module")
def leaked_note(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, tuple[int, str, str]]:
    """(record, out/<id>, the build's result) of the example whose reviewed Arabic translation of a shared
    outcome carries the Russian delegation's note, in Russian."""
    home = tmp_path_factory.mktemp("leaked-note")
    record = example_copy(home / "record")
    with memory_at(home / "record" / "memory.sqlite"):
        review(record, "ar", {SHARED: f"اتفق الوزيران على التعاون في مجال الأمن السيبراني. {RU_NOTE_RU}"},
               home / "record")
    result = build(record, home / "out")
    return record, home / "out" / RID, result


def test_a_reviewed_translation_carrying_the_other_sides_note_is_a_qa_error(leaked_note: Any) -> None:
    _, folder, (code, out, err) = leaked_note
    assert code == 1, out + err
    assert f"1 QA error in {AR}" in err
    rows = [line.split("\t") for line in (folder / "qa.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in rows if r[1] == "error"] == [
        ("ar", "error", SHARED, "leak", f"{AR}: this paragraph carries the ru delegation's note ({RU_NOTE}): its "
                                        "text (ru) would be printed in the eg delegation's brief")]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert next(f for f in manifest["files"] if f["file"] == AR)["unchecked_texts"] == []


def test_verify_finds_the_note_the_translation_carries(leaked_note: Any) -> None:
    record, folder, _ = leaked_note
    leak = f"{folder / AR}: the ru delegation's note ({RU_NOTE}) is printed here: its text (ru) is on the pages"
    for extra in ([], ["--record", str(record)]):
        code, out, _ = run_cli(["verify", str(folder), *extra])
        assert code == 1
        assert leak in out.splitlines(), out


@pytest.mark.parametrize("edit", ["no delegation", "nothing restricted", "both"])
def test_verify_record_takes_the_audience_from_the_record_not_the_manifest(leaked_note: Any, tmp_path: Path,
                                                                           edit: str) -> None:
    record, folder, _ = leaked_note
    copy = tmp_path / RID
    shutil.copytree(folder, copy)

    def tamper(manifest: dict[str, Any]) -> None:
        if edit != "nothing restricted":
            next(f for f in manifest["files"] if f["file"] == AR).pop("delegation")
        if edit != "no delegation":
            manifest["restricted"] = {}
    rewrite_manifest(copy, tamper)
    leak = f"{copy / AR}: the ru delegation's note ({RU_NOTE}) is printed here: its text (ru) is on the pages"
    # the manifest alone no longer says whose brief it is or what it may not print: verify without the
    # record cannot see the leak; with the record, it does, and names the manifest's changes
    code, out, _ = run_cli(["verify", str(copy)])
    assert leak not in out
    code, out, _ = run_cli(["verify", str(copy), "--record", str(record)])
    assert code == 1
    problems = verify_problems(out)
    assert leak in problems, out
    if edit != "nothing restricted":
        assert (f"{copy / AR}: manifest.json does not say whose brief it is; the record makes it the brief of "
                "delegation eg") in problems
    if edit != "no delegation":
        assert any(p.startswith(f"{copy / 'manifest.json'}: its table of paragraphs not for every brief is not "
                                "the record's (") for p in problems), out


def test_words_the_record_gives_both_sides_are_no_leak(tmp_path: Path) -> None:
    """A shared outcome that repeats the Russian note word for word, in the record itself: the Egyptian
    parallel edition prints those words, which the record gave both sides."""
    def repeat_note(data: dict[str, Any]) -> None:
        item = next(i for i in data["agenda"] if i["id"] == "cybersecurity")
        item["outcomes"].append({"fr": f"Les deux parties ont noté : {RU_NOTE_FR}",
                                 "ru": f"Стороны отметили: {RU_NOTE_RU}",
                                 "ar": "أشار الجانبان إلى ضرورة عدم الالتزام قبل استكمال دراسة الجدوى."})
    record = example_copy(tmp_path / "record", repeat_note)
    code, out, err = build(record, tmp_path / "out", "--parallel")
    assert code == 0, out + err
    folder = tmp_path / "out" / RID
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert next(f for f in manifest["files"] if f["file"] == AR)["unchecked_texts"] == [RU_NOTE]
    code, out, _ = run_cli(["verify", str(folder), "--record", str(record)])
    assert code == 0, out


def test_a_parallel_edition_of_long_identifiers_has_no_false_qa_error(tmp_path: Path) -> None:
    """Both columns of a parallel edition print a long identifier broken across their lines, their pieces
    interleaved line by line: read one copy's pieces in order, it is printed as written (a false error would
    now fail the build)."""
    from design_support import ROOT

    record = ROOT / "tests" / "data" / "records" / "stress-eg-ru.yaml"
    with memory_at(tmp_path / "memory.sqlite"):
        code, out, err = run_cli(["build", str(record), "--out", str(tmp_path / "out"), "--backend", "none",
                                  "--parallel", "--jobs", "1"])
    assert code == 0, out + err
    assert "QA: no issues" in out

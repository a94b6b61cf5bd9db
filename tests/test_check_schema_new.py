"""`briefgen check` (everything a build would refuse, without building), `briefgen schema` (the record's JSON
Schema, for editors) and `briefgen new` (a commented skeleton that passes check once filled)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from conftest import EXAMPLE, ROOT

from briefgen.cli import main
from briefgen.record.yamlsource import load_yaml

RECORDS = ROOT / "tests" / "data" / "records"
FR_TN = RECORDS / "fr-tn-2025-02-10" / "fr-tn-2025-02-10.yaml"
TN_RU = RECORDS / "tn-ru-2024-06-05" / "tn-ru-2024-06-05.yaml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# --- check -----------------------------------------------------------------------------------------------

def test_check_finds_glossary_conflicts_and_uncovered_texts_at_once_without_building(tmp_path: Path) -> None:
    code, out, err = run("check", str(FR_TN))
    assert code == 2 and err == ""
    glossary = FR_TN.with_suffix(".glossary.tsv")
    lines = out.splitlines()
    fix = "with different translations; give each a context or within clause for fr, or keep the term in one row"
    assert lines[:2] == [   # blamed on the row that made the clash: the later one
        f"{glossary}:3: fr: 'programme de formation' of training-programme-2 also belongs to training-programme "
        f"(fr-tn-2025-02-10.glossary.tsv:2) {fix}",
        f"{glossary}:5: fr: 'agent public' of civil-servant also belongs to public-agent "
        f"(fr-tn-2025-02-10.glossary.tsv:4) {fix}"]
    assert lines[2].startswith(f"{FR_TN}: fr→ar: 11 texts: 2 in the record, 5 reviewed, 0 machine drafts; 4 with no "
                               "translation (no translation model installed for fr→ar")
    assert lines[3:7] == ["  purpose.1", "  agenda.cybersecurity.points.tn.1", "  agenda.cybersecurity.points.tn.2",
                          "  agenda.cybersecurity.outcomes.1"]
    # the tn delegation's own points are not translated into Russian: no brief in Russian prints them
    assert lines[7] == f"{FR_TN}: fr→ru: 9 texts: 2 in the record, 7 reviewed, 0 machine drafts; all covered"
    assert lines[8] == (f"{FR_TN}: warning: the tn delegation's brief shows no expected position of the other "
                        "side: add what ru is expected to say or ask under an agenda item (positions: {ru: [...]})")
    assert lines[9].startswith(f"{FR_TN}: warning: the ru delegation's brief shows no expected position")
    assert lines[10] == (f"{FR_TN}: not ready: 2 glossary error(s) (`briefgen glossary check {glossary}` lists them "
                        "with the warnings); 4 text(s) with no translation and no model to draft them")
    assert lines[11] == "Three ways to get them:"
    assert f"`briefgen review export {FR_TN} --lang ar --missing -o fr-tn-2025-02-10.ar.xlf` (add --force to " \
           "replace an earlier export)" in lines[13]
    assert not (tmp_path / "out").exists()


def test_check_verbose_lists_every_uncovered_text_with_its_source() -> None:
    code, out, _ = run("-v", "check", str(TN_RU))
    assert code == 2
    listed = [line for line in out.splitlines() if re.match(r"  [a-z][a-z0-9.-]*: ", line)]
    assert len(listed) == 18
    assert "  agenda.cybersecurity.outcomes.1: Стороны договорились продолжить консультации по вопросам " \
           "кибербезопасности." in listed
    # the Russian officer's talking points, and the assessment of Tunisia's own position, are for no brief in
    # Arabic: they are not texts to translate into it
    assert not [line for line in listed if ".points." in line or ".positions.tn." in line]
    code, out, _ = run("check", str(TN_RU))
    assert "  … and 8 more (-v lists them all)" in out.splitlines()


def test_the_example_is_ready_and_a_model_that_can_draft_the_rest_makes_a_record_ready() -> None:
    code, out, _ = run("check", str(EXAMPLE), str(TN_RU), "--backend", "pseudo")
    assert code == 0, out
    # in the record: the two names, the delegations' designations and sides, the Russian ministry that issues its brief
    assert f"{EXAMPLE}: fr→ar: 49 texts: 7 in the record, 42 reviewed, 0 machine drafts; all covered" in out
    assert f"{TN_RU}: ru→ar: 21 texts: 3 in the record, 0 reviewed, 0 machine drafts; 18 to be drafted by the " \
           "installed model" in out
    assert out.splitlines()[-1] == f"{TN_RU}: ready to build"


def test_check_of_several_records_exits_2_when_one_is_not_ready() -> None:
    code, out, _ = run("check", str(EXAMPLE), str(TN_RU))
    assert code == 2
    assert f"{EXAMPLE}: ready to build" in out.splitlines() and f"{TN_RU}: ready to build" not in out


# --- schema ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def schema() -> dict:
    out = io.StringIO()
    assert main(["schema"], stdout=out) == 0
    return json.loads(out.getvalue())


def _validator(schema: dict) -> jsonschema.Draft7Validator:
    jsonschema.Draft7Validator.check_schema(schema)     # draft-07: what yaml-language-server validates with
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_the_schema_accepts_good_records_as_an_editor_reads_them(schema: dict) -> None:
    validator = _validator(schema)
    for record in (EXAMPLE, TN_RU, FR_TN):
        assert list(validator.iter_errors(load_yaml(record).value)) == [], record


def test_the_schema_flags_the_shape_mistakes_as_the_officer_types(schema: dict) -> None:
    data = load_yaml(ROOT / "tests" / "data" / "bad" / "multi" / "fr-wrong-shapes.yaml").value
    flagged = {"/".join(map(str, e.path)) for e in _validator(schema).iter_errors(data)}
    assert flagged == {"version", "source_lang", "date", "country", "delegations/0/head", "delegations/1/lang",
                       "delegations/1/head", "agenda", "previous_contacts"}


def test_every_field_is_described_and_names_are_marked_as_proper_names(schema: dict) -> None:
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#" and "$defs" not in schema
    models = {"Record": schema, **schema["definitions"]}
    for name, model in models.items():
        for field, spec in model.get("properties", {}).items():
            assert spec.get("description"), (name, field)
            assert not ("$ref" in spec and len(spec) > 1), (name, field)    # draft-07 ignores $ref's siblings
    person = schema["definitions"]["Person"]["properties"]
    assert person["name"]["x-proper-name"] is True and "x-proper-name" not in person["title"]
    assert '"x-proper-name": true' in json.dumps(schema["definitions"]["Delegation"]["properties"]["name"])
    text = schema["properties"]["title"]["anyOf"]
    assert text[0]["type"] == "string" and set(text[1]["properties"]) == {"fr", "ru", "ar"}
    ru_example = schema["properties"]["title"]["examples"][1]
    assert ru_example == "Российско-тунисские переговоры по вопросам цифрового развития"


def test_schema_o_writes_the_file_and_replaces_only_its_own(tmp_path: Path) -> None:
    target = tmp_path / "record.schema.json"
    assert run("schema", "-o", str(target))[0] == 0
    assert run("schema", "-o", str(target))[0] == 0        # derived data: writing it again is the intent
    mine = tmp_path / "mine.json"
    mine.write_text('{"a": 1}\n')
    code, _, err = run("schema", "-o", str(mine))
    assert code == 2 and "was not written by briefgen" in err and mine.read_text() == '{"a": 1}\n'


# --- new -------------------------------------------------------------------------------------------------

def _new(tmp_path: Path, *args: str) -> Path:
    code, _, err = run("new", "tn-ru-2024-06-05", "--source", "ru", "--delegation", "tn:ar:TN",
                         "--delegation", "ru:ru:RU", "-o", str(tmp_path / "meetings" / "tn-ru-2024-06-05.yaml"),
                         *args)
    assert code == 0, err
    return tmp_path / "meetings" / "tn-ru-2024-06-05.yaml"


def test_new_writes_a_commented_skeleton_and_the_schema_its_header_names(tmp_path: Path) -> None:
    record = _new(tmp_path)
    text = record.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=record.schema.json"
    assert json.loads((record.parent / "record.schema.json").read_text())["title"] == "briefgen meeting record"
    assert "\t" not in text
    assert "# The day of the meeting, YYYY-MM-DD. E.g. 2024-06-05\ndate: …" in text
    assert "E.g. На полях Петербургского международного экономического форума" in text   # examples in Russian
    names = [line for line in text.splitlines() if line.strip().removeprefix("- ") == "name: {ru: …, ar: …}"]
    assert len(names) == 4                                              # heads and members: ru and ar, no fr
    assert "    # name: {ru: …, ar: …}" in text                         # a delegation's official name: optional
    assert "  - id: tn\n    country: TN\n" in text and "  - id: ru\n    country: RU\n" in text
    assert "      tn:\n        - …\n      ru:\n        - …" in text      # positions, by delegation
    data = load_yaml(record).value
    assert data["id"] == "tn-ru-2024-06-05" and data["source_lang"] == "ru"


def test_check_on_the_untouched_skeleton_names_every_blank_to_fill_and_nothing_else(tmp_path: Path) -> None:
    record = _new(tmp_path)
    code, out, _ = run("check", str(record))
    assert code == 2
    problems = out.splitlines()[:-1]
    blanks = sum(1 for line in record.read_text(encoding="utf-8").splitlines()
                 if "…" in line and not line.lstrip().startswith("#"))
    assert len(problems) == blanks and all(": fill in the " in p for p in problems)
    assert f"{record}:" in problems[0] and "title: fill in the …" in problems[0]
    assert any(p.endswith("delegations[0].head.name: fill in the name in each language: replace each … in "
                          "{ru: …, ar: …}") for p in problems)
    assert any(p.endswith("occasion: fill in the …, or delete the line (this field is optional)") for p in problems)


FILL = {"date": "2024-06-05", "due": "2024-09-30", "id": "cybersecurity", "owner": "ru", "country": "RU"}


def _fill(text: str) -> str:
    """What the officer types: a date for dates, an id for ids, a text (or a name) for every other …."""
    out = []
    for n, line in enumerate(text.splitlines()):
        key = line.strip().removeprefix("- ").split(":")[0]
        if line.lstrip().startswith("#") or "…" not in line:
            out.append(line)
        elif key == "name":
            out.append(line.replace("{ru: …, ar: …}", "{ru: Имя Фамилия, ar: الاسم الكامل}"))
        elif key in FILL:
            out.append(line.replace("…", FILL[key]))
        elif key == "date" or key.endswith("date"):
            out.append(line.replace("…", "2023-11"))
        else:
            out.append(line.replace("…", f"Текст номер {n}."))
    return "\n".join(out) + "\n"


def test_the_skeleton_filled_in_passes_check(tmp_path: Path) -> None:
    record = _new(tmp_path)
    record.write_text(_fill(record.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, _ = run("check", str(record), "--backend", "pseudo")
    assert code == 0, out
    assert out.splitlines()[-1] == f"{record}: ready to build"
    schema = json.loads((record.parent / "record.schema.json").read_text())
    assert list(_validator(schema).iter_errors(load_yaml(record).value)) == []


def test_the_skeleton_for_a_french_record_with_three_languages_asks_names_in_all_three(tmp_path: Path) -> None:
    code, _, _ = run("new", "eg-ru-2025-03-01", "--source", "fr", "--delegation", "eg:ar:EG", "--delegation",
                     "ru:ru:ru", "-o", str(tmp_path / "x.yaml"))
    text = (tmp_path / "x.yaml").read_text(encoding="utf-8")
    assert code == 0 and "name: {fr: …, ru: …, ar: …}" in text and "country: RU" in text
    assert "E.g. Entretien bilatéral des ministres chargés du numérique" in text


def test_new_never_replaces_a_file_and_says_what_is_wrong_with_its_arguments(tmp_path: Path) -> None:
    record = _new(tmp_path)
    before = record.read_bytes()
    code, _, err = run("new", "tn-ru-2024-06-05", "--source", "ru", "--delegation", "tn:ar:TN", "-o", str(record))
    assert code == 2 and "exists already" in err and record.read_bytes() == before
    code, _, err = run("new", "x", "--source", "ru", "--delegation", "tn-ar-TN", "-o", str(tmp_path / "y.yaml"))
    assert code == 2 and "write it as ID:LANG:COUNTRY, e.g. tn:ar:TN" in err
    code, _, err = run("new", "X Y", "--source", "ru", "--delegation", "tn:ar:TN", "-o", str(tmp_path / "y.yaml"))
    assert code == 2 and "the record id 'X Y' must be lowercase letters" in err
    assert not (tmp_path / "y.yaml").exists()


def test_new_leaves_a_schema_file_it_did_not_write_alone(tmp_path: Path) -> None:
    (tmp_path / "meetings").mkdir()
    mine = tmp_path / "meetings" / "record.schema.json"
    mine.write_text("{}", encoding="utf-8")
    code, _, err = run("new", "a-b", "--source", "fr", "--delegation", "eg:ar:EG", "-o",
                       str(tmp_path / "meetings" / "a-b.yaml"))
    assert code == 0 and mine.read_text() == "{}" and "was not written by briefgen" in err


def test_the_readme_shows_the_editor_header_that_new_writes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=record.schema.json" in readme
    assert re.search(r"briefgen new tn-ru-2024-06-05 --source ru --delegation tn:ar:TN --delegation ru:ru:RU",
                     readme)


def test_check_warns_when_a_delegations_brief_shows_no_expected_position_of_the_other_side(tmp_path: Path) -> None:
    code, out, _ = run("check", str(EXAMPLE))
    assert code == 0 and "warning" not in out      # the example tells each side what the other will ask
    # without Russia's expected positions, the Egyptian brief would not say what Russia will ask
    text = EXAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"    positions:\n      ru:\n        - [^\n]*\n", "", text)
    text = re.sub(r"      ru:\n        - La partie russe[^\n]*\n", "", text)
    record = tmp_path / EXAMPLE.name
    record.write_text(text, encoding="utf-8")
    for sidecar in (".tmx", ".glossary.tsv"):
        (tmp_path / EXAMPLE.with_suffix(sidecar).name).write_bytes(EXAMPLE.with_suffix(sidecar).read_bytes())
    code, out, _ = run("check", str(record))
    assert code == 0, out
    assert out.splitlines()[-2:] == [
        f"{record}: warning: the eg delegation's brief shows no expected position of the other side: add what ru "
        "is expected to say or ask under an agenda item (positions: {ru: [...]})",
        f"{record}: ready to build"]


def test_new_marks_optional_fields_as_check_reads_them_and_names_this_records_delegations(tmp_path: Path) -> None:
    record = _new(tmp_path)
    text = record.read_text(encoding="utf-8")
    # country is optional for check, so the skeleton says so above it
    assert "# Optional. The country of the venue, added to it on the cover" in text
    _, out, _ = run("check", str(record))
    assert f"{record}:19: country: fill in the …, or delete the line (this field is optional)" in out.splitlines()
    assert text.splitlines()[18] == "country: …"
    # an owner's comment names this record's delegations, not the schema's example
    assert "# The delegation that acts: one of the record's delegation ids. Here: tn or ru.\n" in text
    assert "E.g. tn Here" not in text and "E.g. tn" not in text


def test_new_locale_sets_a_delegations_locale_and_refuses_one_of_another_language(tmp_path: Path) -> None:
    record = _new(tmp_path, "--locale", "tn:ar_TN")
    text = record.read_text(encoding="utf-8")
    assert "  - id: tn\n    country: TN\n    # The language of this delegation's brief.\n    lang: ar\n" \
           "    locale: ar_TN\n" in text
    assert text.count("    # locale: …") == 1                       # the Russian delegation keeps the default
    assert load_yaml(record).value["delegations"][0]["locale"] == "ar_TN"
    code, _, err = run("new", "x", "--source", "ru", "--delegation", "tn:ar:TN", "--locale", "tn:ru_RU",
                       "-o", str(tmp_path / "y.yaml"))
    assert code == 2 and "'ru_RU' is not a locale of the tn delegation's language 'ar' (e.g. ar_TN)" in err
    code, _, err = run("new", "x", "--source", "ru", "--delegation", "tn:ar:TN", "--locale", "eg:ar_EG",
                       "-o", str(tmp_path / "y.yaml"))
    assert code == 2 and "write it as ID:LOCALE for one of the delegations (tn)" in err
    assert not (tmp_path / "y.yaml").exists()

"""Edge cases of the translators' loop and of the CLI found in review."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT
from lxml import etree

from briefgen.cli import main
from briefgen.errors import ExchangeError, GlossaryError
from briefgen.figures import numbers
from briefgen.memory.store import Memory, Unit
from briefgen.memory.tmx import read_tmx, write_tmx
from briefgen.terms.layers import base_glossaries, load_glossary
from briefgen.terms.tsv import read_tsv
from briefgen.translate.glossed import GlossaryTranslator
from briefgen.translate.pseudo import PseudoTranslator

XLF = "{urn:oasis:names:tc:xliff:document:1.2}"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(args), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_a_memory_with_several_source_languages_exports_and_imports_back(tmp_path: Path) -> None:
    units = [Unit("fr", "ru", "Bonjour.", "Здравствуйте.", "reviewed", "review:a", "r", "s1"),
             Unit("ru", "ar", "Спасибо.", "شكرا.", "machine", "ct2:x", "r2", "s2")]
    write_tmx(units, tmp_path / "all.tmx")
    back = {(u.src_lang, u.tgt_lang, u.src_text, u.tgt_text, u.status) for u in read_tmx(tmp_path / "all.tmx")}
    assert back == {(u.src_lang, u.tgt_lang, u.src_text, u.tgt_text, u.status) for u in units}


def test_a_tmx_with_region_codes_is_read(tmp_path: Path) -> None:
    (tmp_path / "cat.tmx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="fr-FR" adminlang="en" '
        'segtype="sentence" o-tmf="x" datatype="plaintext" creationtool="x" creationtoolversion="1"/><body>'
        '<tu><tuv xml:lang="fr-FR"><seg>Oui.</seg></tuv><tuv xml:lang="ru-RU"><seg>Да.</seg></tuv></tu>'
        '</body></tmx>', encoding="utf-8")
    [unit] = read_tmx(tmp_path / "cat.tmx")
    assert (unit.src_lang, unit.tgt_lang, unit.tgt_text) == ("fr", "ru", "Да.")


def test_a_tmx_target_with_a_bidi_override_is_refused(tmp_path: Path) -> None:
    (tmp_path / "evil.tmx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="fr"/><body>\n'
        '<tu><tuv xml:lang="fr"><seg>Oui.</seg></tuv>\n<tuv xml:lang="ar"><seg>\u202eنعم</seg></tuv></tu>'
        '</body></tmx>', encoding="utf-8")
    with pytest.raises(ExchangeError, match="U\\+202E"):
        read_tmx(tmp_path / "evil.tmx")


@pytest.fixture()
def exported(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    shutil.copy(EXAMPLE.with_suffix(".tmx"), tmp_path / EXAMPLE.with_suffix(".tmx").name)
    record, xlf = tmp_path / EXAMPLE.name, tmp_path / "ar.xlf"
    assert run("review", "export", str(record), "--lang", "ar", "-o", str(xlf))[0] == 0
    return record, xlf


def test_an_xliff_target_with_hidden_characters_is_refused_and_nothing_imported(exported) -> None:
    _, xlf = exported
    tree = etree.parse(str(xlf))
    target = tree.find(f".//{XLF}trans-unit[@id='title']/{XLF}target")
    target.text = "اجتماع \u2067سري\u2069"
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    code, _, err = run("review", "import", str(xlf))
    assert code == 2 and "unit title: text contains the invisible character U+2067" in err


def test_rewrapped_whitespace_in_a_cat_tool_is_not_an_edit(exported) -> None:
    _, xlf = exported
    tree = etree.parse(str(xlf))
    for target in tree.iter(f"{XLF}target"):
        target.text = "\n   " + (target.text or "").replace(" ", "\n  ") + "\n"
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    code, out, _ = run("review", "import", str(xlf))
    assert code == 0 and "imported 0 reviewed segment(s)" in out


def test_a_glossary_cell_with_a_bidi_control_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("id\tdomain\tfr\tru\tar\ten\tstatus\tnote\nx\tai\tIA\tИИ\t\u202bذكاء\tAI\tpreferred\t\n",
                    encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"g\.tsv:2: ar: text contains the invisible character U\+202B"):
        read_tsv(path)


@pytest.mark.parametrize(("args", "expected"), [
    (["build", str(EXAMPLE), "--out", "/proc/briefgen-cannot-write"], "briefgen: error: /proc/briefgen-cannot"),
    (["review", "export", str(EXAMPLE), "--lang", "ar", "-o", "/nonexistent-dir/x.xlf"],
     "briefgen: error: /nonexistent-dir/x.xlf: No such file or directory"),
    (["glossary", "export", "-o", "/nonexistent-dir/g.tbx"], "briefgen: error: /nonexistent-dir/g.tbx: No such file"),
    (["memory", "export", "-o", "/nonexistent-dir/m.tmx"], "briefgen: error: /nonexistent-dir/m.tmx: No such file"),
])
def test_unwritable_outputs_give_one_line_and_exit_2(args: list[str], expected: str) -> None:
    if args[0] == "memory":   # a memory to export (exporting one that does not exist is its own error)
        Memory(Path(os.environ["BRIEFGEN_MEMORY"])).close()
    code, _, err = run(*args)
    assert code == 2 and err.startswith(expected) and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("args", "expected"), [
    (["--beam-size", "0"], "argument --beam-size: must be 1 or more, not 0"),
    (["--threads", "-2"], "argument --threads: must be 0 or more, not -2"),
    (["--device", "gpu"], "argument --device: 'gpu' is not a device: use cpu, cuda or cuda:N"),
])
def test_bad_build_options_are_refused_by_the_parser(args: list[str], expected: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(EXAMPLE), *args], stderr=io.StringIO())
    assert exit_info.value.code == 2
    assert expected in capsys.readouterr().err


def test_grouped_thousands_are_the_same_number() -> None:
    assert numbers("Former 1 000 experts, 12\u202f500 euros") == numbers("1000 خبير و ١٢٬٥٠٠ يورو")
    assert numbers("les 8 et 9 juin 2019") == numbers("8-9 июня 2019 года")


def test_the_term_strategy_is_part_of_the_signature() -> None:
    glossary = load_glossary(base_glossaries())
    inline = GlossaryTranslator(PseudoTranslator(), glossary, "inline").signature("fr", "ru")
    placeholder = GlossaryTranslator(PseudoTranslator(), glossary, "placeholder").signature("fr", "ru")
    assert inline != placeholder


def test_glossary_check_of_a_record_sees_machine_drafts(tmp_path: Path, monkeypatch) -> None:
    record = tmp_path / "m.yaml"
    record.write_text((ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
                      + "    outcomes:\n      - Coopérer dans le domaine de la cybersécurité.\n", encoding="utf-8")
    assert run("build", str(record), "--out", str(tmp_path / "out"), "--backend", "pseudo")[0] == 0
    code, out, _ = run("glossary", "check", "--record", str(record), "--format", "tsv")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("agenda.ai.outcomes.1\tcybersecurity"))
    assert row.split("\t")[3:] == ["ok", "ok"]
    with Memory(Path(os.environ["BRIEFGEN_MEMORY"])) as memory:
        assert any(u.status == "machine" for u in memory.units())


def test_a_unit_confirmed_with_approved_yes_and_no_state_is_imported(tmp_path: Path) -> None:
    record = tmp_path / "m.yaml"
    record.write_text((ROOT / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
                      + "    outcomes:\n      - Coopérer dans le domaine de la cybersécurité.\n", encoding="utf-8")
    assert run("build", str(record), "--out", str(tmp_path / "out"), "--backend", "pseudo")[0] == 0
    xlf = tmp_path / "ru.xlf"
    assert run("review", "export", str(record), "--lang", "ru", "-o", str(xlf))[0] == 0
    tree = etree.parse(str(xlf))
    unit = tree.find(f".//{XLF}trans-unit[@id='agenda.ai.outcomes.1']")
    assert unit.get("approved") == "no"
    unit.set("approved", "yes")
    del unit.find(f"{XLF}target").attrib["state"]
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    code, out, _ = run("review", "import", str(xlf))
    assert code == 0 and "imported 1 reviewed segment(s)" in out

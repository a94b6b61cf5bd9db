"""Whose brief is it: each delegation's brief prints its own talking points and notes and the shared sections,
the master all of them with their owner named, and `briefgen verify` finds a paragraph in the wrong brief."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from design_support import RID, pdf_text, rewrite_manifest, run_cli, verify_problems

from briefgen.errors import RecordError
from briefgen.memory.lookup import lookup
from briefgen.record.load import load_record
from briefgen.record.segments import segments
from briefgen.render.addressee import addressee, genitive
from briefgen.render.labels import LABELS, letter

RU, AR, MASTER = f"{RID}.ru.ru.pdf", f"{RID}.eg.ar.pdf", f"{RID}.master.fr.pdf"
OWNED = re.compile(r"^agenda\.[^.]+\.(points|notes)\.(eg|ru)\.\d+$")


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def _anchors(pdf: Path) -> set[str]:
    from pypdf import PdfReader

    return {str(name) for name in PdfReader(pdf).named_destinations}


# --- the example: points and notes for both delegations -----------------------------------------------

def test_each_brief_prints_only_its_own_points_and_notes_the_master_all(example_build: Path) -> None:
    manifest = _manifest(example_build)
    owned = {s for s in manifest["segments"] if OWNED.match(s)}
    mine = {who: {s for s in owned if OWNED.match(s).group(2) == who} for who in ("eg", "ru")}
    assert len(mine["eg"]) == 9 and len(mine["ru"]) == 7
    for entry in manifest["files"]:
        printed = {s for s in entry["segments"] if OWNED.match(s)}
        anchors = {s for s in _anchors(example_build / entry["file"]) if OWNED.match(s)}
        expected = owned if entry["delegation"] is None else mine[entry["delegation"]]
        assert printed == anchors == expected, entry["file"]
    code, out, err = run_cli(["verify", str(example_build)])
    assert code == 0, out + err


def test_the_briefs_read_as_each_side_and_the_master_name_the_owner(example_build: Path) -> None:
    # spaces squashed: no-break spaces keep names and figures with their words, and extract as extra spaces
    ru, ar, master = (" ".join(pdf_text(example_build / f).split()) for f in (RU, AR, MASTER))
    assert "Подтвердить заинтересованность России" in ru and "Тезисы к беседе" in ru and "Справочно" in ru
    assert "Указания делегации" in ru and "а) Не брать на себя обязательств" in ru
    assert "تعزيز التعاون في مجال الذكاء الاصطناعي" in ar and "نقاط الحديث" in ar and "معلومات أساسية" in ar
    assert "اللقاءات السابقة" in ar and "ملاحظات للوفد" in ar
    # Egypt's own talking point on its initiative stays in Egypt's brief; the Russian brief is told, as Egypt's
    # expected position, that Egypt will propose NTL partnerships and co-financing by both sides
    assert "Next Technology Leaders" in master and "رواد تكنولوجيا المستقبل" in ar
    assert "Ожидаемая позиция египетской стороны" in ru and "Next Technology Leaders (NTL)" in ru
    assert "попросит обеспечить его совместное" in ru   # financing by both sides (the line may hyphenate)
    assert "إقامة شراكات مع المؤسسات التعليمية الروسية الكبرى" not in ru
    # the Egyptian brief is told that Russia will study the centre and invite the minister to Moscow, and not
    # what Russia's internal note says (no commitment on its share of the financing)
    assert "الموقف المتوقع للجانب الروسي" in ar and "استعداده لدراسة إنشاء المركز" in ar
    assert "دون الالتزام" not in ar and "sans s’engager à ce stade" not in master
    assert "زيارة موسكو" in ar
    # the owner of an action is a side, as protocol writes it
    html = {f: (example_build / f.replace(".pdf", ".html")).read_text(encoding="utf-8") for f in (RU, AR, MASTER)}
    owners = {f: re.findall(r'<tr id="[^"]+\.actions\.\d+"><td>.*?</td><td>([^<]*)</td>', h) for f, h in html.items()}
    assert owners == {RU: ["Египетская сторона", "Российская сторона", "Российская сторона"],
                      AR: ["الجانب المصري", "الجانب الروسي", "الجانب الروسي"],
                      MASTER: ["Partie égyptienne", "Partie russe", "Partie russe"]}
    assert "Position attendue de la partie russe" in master
    # and neither brief prints its own side's expected position
    assert "Египетская сторона, как ожидается" not in " ".join(ar.split()) and "يتوقع أن" not in ru
    for who in ("Égypte", "Russie"):
        assert f"Éléments de langage : {who}" in master
        assert f"Notes à l’intention de la délégation : {who}" in master
    assert "Proposer la création d’un centre" in master and "Confirmer l’intérêt de la Russie" in master
    # one numbering in every brief; a delegation's brief skips only its own side's expected position
    numbers = {f["delegation"]: f["paragraphs"] for f in _manifest(example_build)["files"]}
    assert numbers[None] == [str(n) for n in range(1, 23)]
    assert numbers["eg"] == [str(n) for n in range(1, 23) if n not in (6, 10, 15, 17, 19)]
    assert numbers["ru"] == [str(n) for n in range(1, 23) if n not in (7, 11, 16, 18, 20)]


def test_parallel_editions_follow_the_same_audience(parallel_pdfa_build: Path) -> None:
    files = {f["edition"]: f for f in _manifest(parallel_pdfa_build)["files"]}
    for key, who, other in (("eg-parallel", "eg", "ru"), ("ru-parallel", "ru", "eg")):
        printed = {s for s in files[key]["segments"] if OWNED.match(s)}
        assert printed and all(OWNED.match(s).group(2) == who for s in printed), key
        assert not any(f".{other}." in a for a in _anchors(parallel_pdfa_build / files[key]["file"])
                       if OWNED.match(a))
    text = pdf_text(parallel_pdfa_build / files["ru-parallel"]["file"])
    assert "Confirmer l’intérêt de la Russie" in text and "Proposer la création d’un centre" not in text


# --- verify: a paragraph in the wrong brief -------------------------------------------------------------

def _tamper_russian_brief(copy: Path, html: str) -> bytes:
    """The Russian brief re-rendered with ``html`` put into its first agenda item, and re-hashed in the
    manifest: only the audience check can find what was put there."""
    import hashlib

    from briefgen.config import templates_dir
    from briefgen.render.pdf import Renderer

    marker = '<h4 id="agenda.cybersecurity:outcomes">Ожидаемые результаты</h4>'
    page = (copy / RU.replace(".pdf", ".html")).read_text(encoding="utf-8").replace(marker, html + marker, 1)
    pdf = Renderer(templates_dir()).pdf(page)
    (copy / RU).write_bytes(pdf)
    rewrite_manifest(copy, lambda m: next(f for f in m["files"] if f["file"] == RU).update(
        sha256=hashlib.sha256(pdf).hexdigest()))
    return pdf


def test_another_sides_point_in_a_brief_makes_verify_exit_1_naming_it(copy: Path) -> None:
    """Egypt's first point (with its anchor) and its second (pasted as bare text) put into the Russian brief,
    which is re-rendered and re-hashed: only the audience check can find them."""
    master = (copy / MASTER.replace(".pdf", ".html")).read_text(encoding="utf-8")
    first = re.search(r'<p class="para lettered" id="agenda\.cybersecurity\.points\.eg\.1">.*?</p>', master).group()
    second = "Souligner que le centre serait financé conjointement par les deux parties."
    _tamper_russian_brief(copy, f"{first}<p>{second}</p>")
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    assert verify_problems(out) == [
        f"{copy / RU}: the eg delegation's talking point (agenda.cybersecurity.points.eg.1) is printed here "
        "(its anchor is in the PDF)",
        f"{copy / RU}: the eg delegation's talking point (agenda.cybersecurity.points.eg.1) is printed here: "
        "its text (fr) is on the pages",
        f"{copy / RU}: the eg delegation's talking point (agenda.cybersecurity.points.eg.2) is printed here: "
        "its text (fr) is on the pages",
    ]


def test_another_sides_note_across_a_page_break_is_found_between_the_running_footer_and_header(
        copy: Path) -> None:
    """Egypt's note pasted into a long paragraph of the Russian brief, pushed down by filler paragraphs until
    its text crosses a page break: the footer and the next page's header are drawn between its two halves."""
    from briefgen.render.readback import read_pdf

    note = "Ne pas s’engager sur le montant de la participation égyptienne au financement avant l’achèvement de " \
           "l’étude de faisabilité."
    filler = "".join(f"<p>Paragraphe de remplissage numéro {i}, qui ne dit rien d'utile.</p>" for i in range(24))
    paragraph = ("<p>Pour mémoire, les éléments suivants ont été convenus lors de la réunion préparatoire tenue au "
                 f"ministère la semaine dernière avec les services concernés : {note} Ces éléments seront "
                 "communiqués aux services concernés dès la fin de la réunion, avec le compte rendu de la séance et "
                 "la liste des participants.</p>")
    runs = read_pdf(_tamper_russian_brief(copy, filler + paragraph)).runs
    first = next(r.page for r in runs if "participation égyptienne" in r.text)
    second = next(r.page for r in runs if r.text.startswith("faisabilité."))
    assert second == first + 1, "the note no longer crosses a page break: change the number of filler paragraphs"
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    assert verify_problems(out) == [
        f"{copy / RU}: the eg delegation's note (agenda.cybersecurity.notes.eg.1) is printed here: its text (fr) "
        "is on the pages"]


def test_a_manifest_listing_another_sides_note_for_a_brief_is_a_difference(copy: Path) -> None:
    rewrite_manifest(copy, lambda m: next(f for f in m["files"] if f["file"] == AR)["segments"].append(
        "agenda.cybersecurity.notes.ru.1"))
    code, out, _ = run_cli(["verify", str(copy)])
    assert code == 1
    assert verify_problems(out) == [f"{copy / AR}: manifest.json lists the ru delegation's note "
                              "(agenda.cybersecurity.notes.ru.1) in this brief"]


def test_the_manifest_keeps_fingerprints_not_the_other_sides_text(example_build: Path) -> None:
    manifest = (example_build / "manifest.json").read_text(encoding="utf-8")
    assert "Не брать на себя обязательств" not in manifest and "Ne pas s’engager" not in manifest
    entry = json.loads(manifest)["restricted"]["agenda.cybersecurity.notes.ru.1"]
    assert entry["owner"] == "ru" and entry["audience"] == ["ru"] and sorted(entry["texts"]) == ["fr", "ru"]


# --- the record: owners, the host, translation only where a brief prints it ---------------------------

RECORD = """\
id: owned
source_lang: fr
title: {fr: Réunion, ru: Встреча, ar: اجتماع}
date: 2020-01-15
venue: {fr: Le Caire, ru: Каир, ar: القاهرة}
%(host)s
delegations:
  - {id: eg, country: EG, lang: ar, head: {name: {fr: A, ru: А, ar: ع}}}
  - {id: ru, country: RU, lang: ru, head: {name: {fr: K, ru: К, ar: ك}}}
agenda:
  - id: ai
    title: {fr: IA, ru: ИИ, ar: الذكاء}
    background: [Contexte partagé.]
    points: [Point de l'hôte.]
    notes:
      ru: [Note russe.]
    positions:
      eg: [Position attendue de l'Égypte.]
    outcomes: [Résultat partagé.]
"""


def _record(tmp_path: Path, host: str = "") -> Path:
    path = tmp_path / "owned.yaml"
    path.write_text(RECORD % {"host": host}, encoding="utf-8")
    return path


def test_a_plain_list_is_the_host_delegations_and_never_a_guess(tmp_path: Path) -> None:
    segs = {s.id: s for s in segments(load_record(_record(tmp_path, "host_delegation: eg")).record)}
    point = segs["agenda.ai.points.eg.1"]
    assert (point.owner, point.audience, point.langs, point.para) == ("eg", {"eg"}, {"ar", "fr"}, None)
    note = segs["agenda.ai.notes.ru.1"]
    assert (note.owner, note.audience, note.langs) == ("ru", {"ru"}, {"ru", "fr"})
    assert segs["agenda.ai.positions.eg.1"].audience == {"ru"} and segs["agenda.ai.positions.eg.1"].para == 2
    assert [s.para for s in segs.values() if s.para] == [1, 2, 3]   # shared and positions; owned are lettered
    segs = {s.id for s in segments(load_record(_record(tmp_path, "host_delegation: ru")).record)}
    assert "agenda.ai.points.ru.1" in segs and "agenda.ai.points.eg.1" not in segs
    # written in Russian: the officer is the Russian side's, whose brief is in the record's language
    russian = _record(tmp_path).read_text(encoding="utf-8").replace("source_lang: fr", "source_lang: ru")
    (tmp_path / "owned.yaml").write_text(russian, encoding="utf-8")
    segs = {s.id for s in segments(load_record(tmp_path / "owned.yaml").record)}
    assert "agenda.ai.points.ru.1" in segs
    # written in French, read in Arabic and Russian: nothing says whose lines they are, so they are refused
    with pytest.raises(RecordError) as err:
        load_record(_record(tmp_path))
    assert str(err.value) == (f"{tmp_path / 'owned.yaml'}:14: agenda[0].points: whose talking points are these? "
                              "give them by delegation (points: {eg: [...], ru: [...]}), or name the host's "
                              "delegation at the top of the record (host_delegation: eg)")


def test_owned_lines_are_translated_only_into_their_owners_language(tmp_path: Path) -> None:
    loaded = load_record(_record(tmp_path, "host_delegation: eg"))
    _, todo = lookup(loaded, segments(loaded.record), ["ar", "ru"], memory=None)
    ids = {lang: {s.id for s in ss} for lang, ss in todo.items()}
    assert "agenda.ai.points.eg.1" in ids["ar"] and "agenda.ai.points.eg.1" not in ids["ru"]
    assert "agenda.ai.notes.ru.1" in ids["ru"] and "agenda.ai.notes.ru.1" not in ids["ar"]
    assert "agenda.ai.positions.eg.1" in ids["ru"] and "agenda.ai.positions.eg.1" not in ids["ar"]
    assert {"agenda.ai.background.1", "agenda.ai.outcomes.1"} <= ids["ar"] & ids["ru"]


def test_a_review_export_holds_no_line_of_the_other_side(example_build: Path, tmp_path: Path) -> None:
    from design_support import EXAMPLE

    xlf = tmp_path / "ru.xlf"
    code, _, err = run_cli(["review", "export", str(EXAMPLE), "--lang", "ru", "-o", str(xlf)])
    assert code == 0, err
    text = xlf.read_text(encoding="utf-8")
    assert "points.ru.1" in text and "points.eg." not in text and "notes.eg." not in text
    assert "Proposer la création d’un centre" not in text


def test_an_xliff_exported_before_points_had_owners_still_imports(tmp_path: Path) -> None:
    """An old file names Egypt's point agenda.cybersecurity.points.1: matched by its source, it is imported."""
    from design_support import example_copy

    from briefgen.memory.store import Memory

    record = example_copy(tmp_path / "rec")
    xlf = tmp_path / "ar.xlf"
    assert run_cli(["review", "export", str(record), "--lang", "ar", "-o", str(xlf)])[0] == 0
    text = xlf.read_text(encoding="utf-8").replace('id="agenda.cybersecurity.points.eg.1"',
                                                   'id="agenda.cybersecurity.points.1"')
    text = text.replace("اقتراح إنشاء مركز تميز للأمن السيبراني في مصر.",
                        "تقديم مقترح بإنشاء مركز تميز للأمن السيبراني في مصر.")
    xlf.write_text(text, encoding="utf-8")
    code, out, err = run_cli(["review", "import", str(xlf), "--record", str(record)])
    assert code == 0, out + err
    assert "imported 1 reviewed segment(s)" in out and "0 stale" in out
    with Memory(Path(os.environ["BRIEFGEN_MEMORY"])) as memory:
        unit = next(u for u in memory.units() if u.signature.startswith("review:"))
    assert unit.tgt_text.startswith("تقديم مقترح") and unit.src_text.startswith("Proposer la création")
    assert unit.segment_id == "agenda.cybersecurity.points.eg.1"


def test_points_of_an_unknown_delegation_name_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(RECORD.replace("    notes:\n      ru:", "    notes:\n      xx:") % {"host": "host_delegation: eg"},
                    encoding="utf-8")
    with pytest.raises(RecordError) as err:
        load_record(path)
    assert str(err.value) == f"{path}:16: agenda[0].notes.xx: unknown delegation 'xx' (known: eg, ru)"


# --- labels: "for the Russian delegation", lettered paragraphs -----------------------------------------

def test_the_cover_names_the_recipient_as_each_language_does() -> None:
    def line(lang: str, designation: str | None, country: str) -> str:
        parts = addressee(lang, designation, country)
        return parts["before"] + parts["who"] + parts["after"]

    assert line("ru", "российская делегация", "Россия") == "Для российской делегации"
    assert line("ar", "الوفد المصري", "مصر") == "أعدت للوفد المصري"
    assert line("fr", "délégation égyptienne", "Égypte") == "À l’intention de la délégation égyptienne"
    # without a designation: the country name, in the genitive in Russian, in construct state in Arabic
    assert line("ru", None, "Египет") == "Для делегации Египта"
    assert line("ru", None, "Объединенные Арабские Эмираты") == "Для делегации Объединенных Арабских Эмиратов"
    assert line("ar", None, "مصر") == "أعدت لوفد مصر"
    assert line("fr", None, "Maroc") == "Délégation destinataire\u00a0: Maroc"
    assert genitive("Кот-д’Ивуар") == "Кот-д’Ивуар" and genitive("Сан-Марино") == "Сан-Марино"


def test_owned_paragraphs_are_lettered_as_each_language_letters_sub_items() -> None:
    assert [letter(n, "fr") for n in (1, 2, 27)] == ["a)", "b)", "aa)"]
    assert [letter(n, "ru") for n in (1, 2, 7, 8)] == ["а)", "б)", "ж)", "и)"]   # no з, й (GOST R 7.0.97)
    assert [letter(n, "ar") for n in (1, 2, 3, 5)] == ["(أ)", "(ب)", "(ج)", "(هـ)"]   # abjadi order
    assert LABELS["ru"]["points"] == "Тезисы к беседе" and LABELS["ar"]["previous"] == "اللقاءات السابقة"


def test_two_delegations_reading_one_language_get_one_review_file_each(tmp_path: Path) -> None:
    record = tmp_path / "owned.yaml"
    text = RECORD % {"host": ""}
    text = text.replace("delegations:\n", "delegations:\n  - {id: tn, country: TN, lang: ar, "
                                          "head: {name: {fr: T, ru: Т, ar: ت}}}\n")
    text = text.replace("    points: [Point de l'hôte.]\n",
                        "    points:\n      eg: [Point égyptien.]\n      tn: [Point tunisien.]\n")
    record.write_text(text, encoding="utf-8")
    xlf = tmp_path / "ar.xlf"
    code, _, err = run_cli(["review", "export", str(record), "--lang", "ar", "-o", str(xlf)])
    assert code == 2 and not xlf.exists()
    assert err.strip().endswith("delegations eg, tn both read 'ar' and each has its own talking points or notes: "
                                "export one file per delegation (--delegation eg, then --delegation tn)")
    code, _, err = run_cli(["review", "export", str(record), "--lang", "ar", "--delegation", "eg", "-o", str(xlf)])
    assert code == 0, err
    units = xlf.read_text(encoding="utf-8")
    assert "points.eg.1" in units and "Point égyptien" in units and "tn" not in re.findall(r'id="([^"]+)"', units)
    assert "Point tunisien" not in units and "agenda.ai.background.1" in units
    code, _, err = run_cli(["review", "export", str(record), "--lang", "ar", "--delegation", "ru", "-o",
                            str(tmp_path / "x.xlf")])
    assert code == 2 and "--delegation ru: no delegation of owned with that id reads 'ar' (those that do: tn, eg)" \
        in err

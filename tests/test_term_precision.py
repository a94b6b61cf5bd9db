"""Glossary precision (issue 11): a term is enforced only where the text means that concept.

Measured on the labelled sentences of tests/data/terms (written for this purpose, over a third traps),
then the matcher's rules one by one, the scope column in every place it is read, `glossary check` on top of
the shipped layers, and the example brief (term accuracy, annex, QA and the record-usage view agreeing).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, pdf_text

from briefgen.cli import main
from briefgen.terms.evaluate import evaluate_folder, read_labelled
from briefgen.terms.glossary import Glossary, Layer, concept_from_row
from briefgen.terms.layers import base_glossaries, load_glossary
from briefgen.terms.match import index_for, target_term
from briefgen.terms.scope import ScopeError, parse_scope
from briefgen.terms.tbx import read_tbx, write_tbx
from briefgen.terms.tsv import read_tsv, write_tsv

DATA = ROOT / "tests" / "data" / "terms"
SHIPPED = load_glossary(base_glossaries())
WITH_USER = load_glossary([*base_glossaries(), DATA / "user.tsv"])
HEADER = "id\tdomain\tfr\tru\tar\ten\tstatus\tscope\tnote\n"


def found(text: str, lang: str, glossary: Glossary = WITH_USER) -> list[str]:
    return [m.concept.id for m in index_for(glossary, lang).find(text)]


# --- the evaluation set ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "ru", "ar"])
def test_the_labelled_set_has_400_sentences_and_150_traps(lang: str) -> None:
    rows = read_labelled(DATA / f"{lang}.tsv")
    known = set(WITH_USER.concepts)
    assert len(rows) >= 400
    assert sum(bool(r["trap"]) for r in rows) * 3 >= len(rows)
    assert sum(len(r["not"].split()) for r in rows) >= 150
    for r in rows:
        assert set(r["match"].split()) <= known and set(r["not"].split()) <= known, r["id"]
        assert not set(r["match"].split()) & set(r["not"].split()), r["id"]


@pytest.fixture(scope="module")
def figures() -> dict:
    return {f.lang: f for f in evaluate_folder(WITH_USER, DATA)}


# Floors a little under the figures measured on the whole set (docs/terminology.md, issue 23): precision,
# recall, and the share of traps falsely matched, which the issue wants at 5 % or less.
FLOORS = {"fr": (0.98, 0.965), "ru": (0.98, 0.97), "ar": (0.975, 0.96)}
MAX_TRAP_SHARE = 0.05


@pytest.mark.parametrize("lang", ["fr", "ru", "ar"])
def test_precision_and_recall_per_language(figures: dict, lang: str) -> None:
    f = figures[lang]
    misses = [f"{m.sentence} {m.kind} {m.concept}" for m in f.misses]
    precision, recall = FLOORS[lang]
    assert f.precision >= precision, misses
    assert f.recall >= recall, misses
    assert f.trap_share <= MAX_TRAP_SHARE, misses


def test_make_glossary_prints_the_figures_and_fails_below_the_thresholds(tmp_path: Path) -> None:
    dev = tmp_path / "dev"          # the development set alone meets make glossary's thresholds
    dev.mkdir()
    for lang in ("fr", "ru", "ar"):
        shutil.copy(DATA / f"{lang}.tsv", dev / f"{lang}.tsv")
    out = io.StringIO()
    assert main(["glossary", "eval", str(dev), str(DATA / "user.tsv"), "--min-precision", "0.95",
                 "--min-recall", "0.94", "--max-trap-share", "0.05"], stdout=out) == 0
    row = r"^ru\s+\d{3,4}\s+\d+\s+[01]\.\d{3}\s+[01]\.\d{3}\s+0\.0\d\d\s"   # lang sentences traps P R fp/traps
    assert re.search(row, out.getvalue(), re.M), out.getvalue()
    assert f"held-out (untuned): {dev / 'heldout'}: absent, no figures" in out.getvalue()
    # with the untuned part: its own figures, per language, after the development set's (whatever they are:
    # that part is measured, never tuned against, so no floor is asserted on it)
    out = io.StringIO()
    main(["glossary", "eval", str(DATA), str(DATA / "user.tsv"), "--min-precision", "0.95",
          "--min-recall", "0.94", "--max-trap-share", "0.05"], stdout=out)
    held = out.getvalue().split(f"held-out (untuned): {DATA / 'heldout'}\n", 1)
    assert len(held) == 2, out.getvalue()
    for lang in ("fr", "ru", "ar"):
        assert re.search(rf"^{lang}\s+980\s+\d+\s+[01]\.\d{{3}}\s", held[1], re.M), held[1]
    # a set whose labels the matcher cannot meet: exit 1 and the figures still printed
    (tmp_path / "fr.tsv").write_text("id\ttext\tmatch\tnot\ttrap\tnote\n"
                                     "x-1\tLa cybersécurité.\tcybersecurity\t\t\t\n"
                                     "x-2\tLes deux parties.\tparty\t\tphraseology\t\n", encoding="utf-8")
    out = io.StringIO()
    assert main(["glossary", "eval", str(tmp_path), "--misses"], stdout=out) == 1
    assert "x-2: false negative: party: Les deux parties." in out.getvalue()
    assert f"below precision 0.98 or recall 0.95 or above 1.0 of traps falsely matched: fr ({tmp_path.name})" \
        in out.getvalue()


# --- the matcher's rules ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "text", "yes", "no"), [
    ("fr", "Les dépenses de R&D ont doublé.", "research-and-development", None),
    ("fr", "Les groupes A, B, R, D et E.", None, "research-and-development"),
    ("fr", "le langage C++ et le C#", "cpp", "c-language"),
    ("fr", "le langage C, puis le C++", "c-language", None),
    ("fr", "Un tic de langage.", None, "ict"),
    ("fr", "Si la partie russe le souhaite.", None, "information-systems"),
    ("fr", "Les SI des ministères.", "information-systems", None),
    ("fr", "la Haute-Égypte", None, "egypt"),
    ("fr", "une délégation russe", "delegation", "russia"),
    ("ru", "программу обмена студентами", "student-exchange", "ransomware"),
    ("ru", "программу-вымогатель", "ransomware", None),
    ("ru", "в области информационно-коммуникационных технологий", "ict", "information-technology"),
    ("ru", "российско-египетское сотрудничество", "cooperation", "russia"),
    ("ru", "стая сов", None, "intrusion-detection-system"),
    ("ar", "زار الوزير الروسي مصر", "egypt", "russia"),
    ("ar", "لروسيا خبرة", "russia", None),
    ("ar", "التقى الوزير بنظيره الروسي", "counterpart", "russia"),
])
def test_token_boundaries_acronyms_and_derived_words(lang: str, text: str, yes: str | None, no: str | None) -> None:
    ids = found(text, lang)
    if yes:
        assert yes in ids, ids
    if no:
        assert no not in ids, ids


@pytest.mark.parametrize(("lang", "text", "yes", "no"), [
    ("fr", "Les deux parties ont coopéré dans le domaine de la cybersécurité.", "cybersecurity", "party"),
    ("fr", "Le matériel et les logiciels sont certifiés.", "hardware", None),
    ("fr", "Le matériel médical relève d'un autre ministère.", None, "hardware"),
    ("fr", "Développer les compétences des jeunes.", "skills", None),
    ("fr", "dans les limites de ses compétences", None, "skills"),
    ("ru", "протокол заседания комиссии", "minutes", None),
    ("ru", "сетевой протокол", "network-protocol", "minutes"),
    ("ar", "قطاع الاتصالات", "telecommunications", None),
    ("ar", "واصل الجانبان الاتصالات بشأن الزيارة", None, "telecommunications"),
    ("ar", "المصادقة على الاتفاقية", "agreement", "authentication"),
    ("fr", "La numérisation des archives.", "digitization", "digitalization"),
    ("fr", "La numérisation de l'économie.", "digitalization", "digitization"),
    ("fr", "Numérisation : archives, économie.", None, "digitization"),   # both senses near: neither
])
def test_scope_reference_context_and_within(lang: str, text: str, yes: str | None, no: str | None) -> None:
    ids = found(text, lang, SHIPPED)
    if yes:
        assert yes in ids, ids
    if no:
        assert no not in ids, ids


def test_reference_entries_are_offered_only_when_asked_for() -> None:
    index = index_for(SHIPPED, "fr")
    text = "Les deux parties coopèrent dans le domaine des TIC."
    assert [m.concept.id for m in index.find(text)] == ["ict"]
    assert [m.concept.id for m in index.find(text, include_reference=True)] == ["party", "in-the-field-of", "ict"]


def test_a_translation_is_checked_loosely_a_source_searched_strictly() -> None:
    ru = index_for(SHIPPED, "ru")
    apposition = "российских образовательных учреждений-партнеров"
    assert "educational-institution" in ru.present(apposition) and ru.find(apposition) == []
    inserted = "программы специализированной подготовки"
    assert "training-programme" in ru.present(inserted)
    assert "training-programme" not in [m.concept.id for m in ru.find(inserted)]
    # the sense was fixed by the source: a scoped concept counts as rendered wherever its term stands
    ar = index_for(SHIPPED, "ar")
    assert "telecommunications" in ar.present("تطوير الاتصالات")
    assert "telecommunications" not in ar.present("تطوير الاتصالات", scoped=True)
    # an Arabic adjective the head takes before a genitive with لـ (centre régional de données, two new ones)
    for inserted in ("افتتحت الوزارة مركزا إقليميا للبيانات.", "افتتحت الوزارة مركزين جديدين للبيانات.",
                     "افتتحت الوزارة المركز الوطني للبيانات.", "أنشئ مركزٌ جديدٌ للبيانات.",
                     "المركزُ الوطنيُّ للبياناتِ", "تعمل ثلاثة مراكز متخصصة للبيانات."):
        assert "data-centre" in ar.present(inserted), inserted
        assert "data-centre" not in [m.concept.id for m in ar.find(inserted)]
    # a verb (a centre that needs data), a pronoun's preposition, an adverb, a second noun, a word as definite as
    # its head is not, a complement, or no لـ genitive: no data centre
    for apart in ("أنشئ مركز يحتاج للبيانات", "أنشئ مركز تابع لها للبيانات", "أنشئ مركز أيضا للبيانات",
                  "أنشئ مركز ومعهد للبيانات", "افتتحت الوزارة المركز وطنيا للبيانات", "أنشئ مركز بالقاهرة للبيانات",
                  "أنشئ مركز إقليمي البيانات"):
        assert "data-centre" not in ar.present(apart), apart


def test_variants_pair_by_position_only_when_both_languages_list_as_many() -> None:
    def target(text: str, src: str, tgt: str) -> list[str]:
        return [target_term(m, src, tgt) for m in index_for(SHIPPED, src).find(text)]

    assert target("le CSIRT", "fr", "ru") == ["CSIRT"]                      # 4 variants each: paired
    assert target("le FAI", "fr", "ru") == ["интернет-провайдер"]          # 2 against 3: the preferred term
    assert target("les TIC", "fr", "ar") == ["تكنولوجيا المعلومات والاتصالات"]
    assert target("financé conjointement", "fr", "ar") == ["بتمويل مشترك"]


# --- the scope column in the TSV, the TBX, the check and the build ----------------------------------------

@pytest.mark.parametrize(("cell", "message"), [
    ("referense", "'referense' is not a scope clause"),
    ("contexte.fr=logiciel", "unknown scope kind 'contexte'"),
    ("context.de=Software", "'de' in 'context.de=Software' is not one of fr, ru, ar, en"),
    ("context.fr=", "'context.fr=' lists no words"),
    ("context.fr=a|b; context.fr=c", "language fr has more than one clause"),
    ("reference; context.fr=logiciel", "'reference' stands alone"),
    ("context.fr=logiciel||informatique", "empty item"),
])
def test_malformed_scope_cells_are_refused_with_a_reason(cell: str, message: str) -> None:
    with pytest.raises(ScopeError, match=re.escape(message)):
        parse_scope(cell)


def test_scope_text_round_trips() -> None:
    cell = "within.ar=قطاع الاتصالات|خدمات الاتصالات; context.fr=logiciel|informatique"
    assert parse_scope(parse_scope(cell).text()) == parse_scope(cell)
    assert parse_scope("  reference ").text() == "reference"


def _layer(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


ROW = "hw\telectronics\tmatériel\tаппаратура\tالعتاد\thardware\tpreferred\t{scope}\t"


def test_glossary_check_names_file_line_and_column_of_each_bad_scope_and_exits_1(tmp_path: Path) -> None:
    bad = _layer(tmp_path / "user.tsv", ROW.format(scope="contexte.fr=logiciel"),
                 ROW.replace("hw", "hw2").format(scope="within.fr=matériel roulant|ordinateur"))
    out = io.StringIO()
    assert main(["glossary", "check", str(bad)], stdout=out) == 1
    lines = out.getvalue().splitlines()
    assert any(x.startswith(f"{bad}:2: scope: unknown scope kind 'contexte'") for x in lines), lines
    assert any(x.startswith(f"{bad}:3: scope: within.fr phrase 'ordinateur' contains none of the fr terms")
               for x in lines), lines


def test_a_build_given_a_bad_scope_stops_with_exit_2_and_the_same_line(tmp_path: Path) -> None:
    bad = _layer(tmp_path / "user.tsv", ROW.format(scope="context.fr=logiciel; context.fr=serveur"))
    err = io.StringIO()
    code = main(["build", str(EXAMPLE), "--out", str(tmp_path / "out"), "--backend", "pseudo", "--glossary",
                 str(bad)], stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert f"{bad}:2: scope: language fr has more than one clause" in err.getvalue()
    assert "Traceback" not in err.getvalue()


def test_scope_survives_tsv_and_tbx_round_trips(tmp_path: Path) -> None:
    concepts = list(SHIPPED.concepts.values())
    write_tbx(concepts, tmp_path / "g.tbx")
    back = {c.id: c for c in read_tbx(tmp_path / "g.tbx").concepts}
    assert {c.id: c.scope for c in concepts} == {i: c.scope for i, c in back.items()}
    assert {c.id: c.note for c in concepts} == {i: c.note for i, c in back.items()}
    write_tsv(back.values(), tmp_path / "g.tsv")
    assert {c.id: c.row() for c in read_tsv(tmp_path / "g.tsv").concepts} == {c.id: c.row() for c in concepts}
    assert back["party"].reference and "within.ar" in back["telecommunications"].scope.text()


def test_an_older_eight_column_file_is_still_read(tmp_path: Path) -> None:
    old = tmp_path / "old.tsv"
    old.write_text("id\tdomain\tfr\tru\tar\ten\tstatus\tnote\n"
                   "x\tai\tmodèle\tмодель\tالنموذج\tmodel\tpreferred\t\n", encoding="utf-8")
    (concept,) = read_tsv(old).concepts
    assert not concept.scope


# --- glossary check on top of the shipped layers ----------------------------------------------------------

def test_check_file_is_run_on_top_of_the_shipped_glossary_and_blames_the_new_row(tmp_path: Path) -> None:
    user = _layer(tmp_path / "user.tsv",
                  "my-ict\tai\tTIC\tИТ-сектор\tالقطاع\tICT sector\tpreferred\t\t",
                  "cryptage\tcybersecurity\tcryptage\tшифрование\tالتشفير\tencryption\tpreferred\t\t")
    out = io.StringIO()
    assert main(["glossary", "check", str(user), "--format", "json"], stdout=out) == 1
    findings = json.loads(out.getvalue())["findings"]
    errors = {(f["file"], f["line"], f["column"], f["code"]) for f in findings if f["severity"] == "error"}
    assert (str(user), 2, "fr", "conflict") in errors        # TIC is the shipped ict's
    assert (str(user), 3, "fr", "avoid-is-preferred") in errors   # cryptage is a shipped avoid form
    assert all(f["file"] == str(user) for f in findings if f["severity"] == "error")
    out = io.StringIO()   # the same file alone has no conflict
    assert main(["glossary", "check", str(user), "--alone"], stdout=out) == 0


def test_terms_that_differ_only_by_a_symbol_are_different_terms() -> None:
    out = io.StringIO()   # C++, C# and C share the letter C: no conflict, as the matcher tells them apart
    assert main(["glossary", "check", str(DATA / "user.tsv"), "--format", "json"], stdout=out) == 0
    findings = json.loads(out.getvalue())["findings"]
    assert not [f for f in findings if f["code"] == "conflict" and f["severity"] != "info"]


def test_avoid_rows_may_name_one_language_only() -> None:
    row = {"id": "x-avoid", "domain": "ai", "fr": "cryptage", "status": "avoid", "note": "use: encryption"}
    concept = concept_from_row(row, Path("user.tsv"), 2)
    glossary = Glossary()
    glossary.add_layer(Layer(Path("user.tsv"), [concept]))
    from briefgen.terms.lint import problems

    assert not [f for f in problems(glossary) if f.severity == "error" and f.code == "empty-cell"]


# --- the example brief ------------------------------------------------------------------------------------

def test_the_example_keeps_term_accuracy_and_its_annex_lists_no_phraseology(example_build: Path) -> None:
    terms = json.loads((example_build / "manifest.json").read_text())["glossary"]["terms"]
    for lang in ("ru", "ar"):
        assert terms[lang]["accuracy"] >= 0.98, terms[lang]["misses"]
    text = pdf_text(example_build / "eg-ru-2019-06-09.ru.ru.pdf")
    annex = " ".join(text[text.upper().index("ПРИЛОЖЕНИЕ: ТЕРМИНОЛОГИЯ"):].split())
    assert "кибербезопасность" in annex
    for phrase in ("dans le domaine de", "en marge de", "partie", "visite", "suivi", "на полях", "сторона"):
        assert phrase not in annex   # reference entries; в области also stands inside a term of the annex


def test_qa_and_the_record_usage_view_agree_and_quote_the_annex_form(example_build: Path) -> None:
    with open(example_build / "qa.tsv", encoding="utf-8") as fh:
        qa = [r for r in csv.DictReader(fh, delimiter="\t") if r["code"] == "term"]
    out = io.StringIO()
    assert main(["glossary", "check", "--record", str(EXAMPLE), "--format", "json"], stdout=out) == 0
    usage = json.loads(out.getvalue())["record"]
    missing = {(r["segment"], lang, r["concept"]) for r in usage for lang in ("ru", "ar")
               if r[lang].startswith("MISSING")}
    flagged = {(r["segment_id"], r["lang"], re.search(r"\(([a-z0-9-]+)\)$", r["message"]).group(1)) for r in qa}
    assert missing == flagged
    for r in qa:
        cid = re.search(r"\(([a-z0-9-]+)\)$", r["message"]).group(1)
        assert f"should be rendered «{SHIPPED.concepts[cid].preferred(r['lang'])}»" in r["message"]

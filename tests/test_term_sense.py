"""A term is enforced only where the text means it (issue 23): the termbase's senses column, the evidence of the
passage (field lexicons, the ICT concepts around), acronyms of other bodies, the recall forms (acronyms in
hyphenated words, Arabic duals), `glossary check` asking for senses, `glossary eval` with a held-out folder,
and QA listing each ambiguous term left unenforced with its evidence."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT

from briefgen.cli import main
from briefgen.errors import GlossaryError
from briefgen.terms.glossary import concept_from_row
from briefgen.terms.layers import base_glossaries, load_glossary
from briefgen.terms.match import index_for
from briefgen.terms.sense import NOT_ENFORCED

SHIPPED = load_glossary(base_glossaries())
DATA = ROOT / "tests" / "data" / "terms"


LAYER_COLUMNS = ("id", "domain", "fr", "ru", "ar", "en", "status", "scope", "senses", "forms", "note")


def write_layer(path: Path, *rows: tuple[str, ...]) -> Path:
    """A glossary layer of these rows, their cells in LAYER_COLUMNS order (the ones left out empty)."""
    lines = ["\t".join(LAYER_COLUMNS), *("\t".join(row + ("",) * (len(LAYER_COLUMNS) - len(row))) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ids(text: str, lang: str, passage: str | None = None) -> list[str]:
    return [m.concept.id for m in index_for(SHIPPED, lang).find(text, passage=passage)]


@pytest.mark.parametrize(("lang", "text", "concept", "enforced", "evidence"), [
    # the head word's other senses: the passage decides, not a list of words written for that term
    ("fr", "Les services forestiers entretiennent des pare-feu dans les forêts de pins.", "firewall", False,
     "nature: forêt de pins"),
    ("fr", "Le pare-feu du ministère filtre le trafic entre les serveurs et Internet.", "firewall", True,
     "ict: serveur"),
    ("ru", "Подводный кабель соединит энергосистемы двух стран и передаст 3 ГВт электроэнергии.",
     "submarine-cable", False, "energy: электроэнергия"),
    ("ar", "تعمل أجهزة الاستشعار المثبتة في الحقول على قياس رطوبة التربة لترشيد الري.", "sensor", False,
     "agriculture: التربة"),
    ("ar", "يقيس المستشعر حركة البيانات في مركز البيانات.", "sensor", True, "concept: data-centre"),
    # two ICT terms with other senses support each other
    ("fr", "La bande passante du réseau dorsal sera doublée.", "bandwidth", True, "concept: backbone-network"),
    # a term of diplomacy is read as the termbase's unless words of its own other senses outweigh
    ("fr", "La délégation régionale de l'agence de l'eau finance les canaux d'irrigation du bassin.", "delegation",
     False, "water: eau"),
    ("fr", "La délégation russe a visité le centre de données.", "delegation", True, ""),
    # an acronym of other bodies: enforced unless another field's words outweigh
    ("fr", "Le PPP de l'opposition a remporté les élections législatives.", "public-private-partnership", False,
     "politics: élections"),
    ("fr", "Le PPP financera le nouveau centre de données.", "public-private-partnership", True, ""),
])
def test_an_ambiguous_term_is_decided_on_the_evidence_of_its_passage(lang: str, text: str, concept: str,
                                                                       enforced: bool, evidence: str) -> None:
    reading = index_for(SHIPPED, lang).read(text)
    assert (concept in [m.concept.id for m in reading.matches]) is enforced
    (decision,) = [d for d in reading.decisions if d.concept == concept]
    assert decision.enforced is enforced
    assert evidence in decision.evidence(), decision.evidence()


def test_without_evidence_an_ambiguous_term_is_not_enforced_and_the_passage_can_supply_it() -> None:
    sentence = "Le pare-feu sera remplacé en mars."
    assert ids(sentence, "fr") == []
    (d,) = index_for(SHIPPED, "fr").read(sentence).unenforced
    assert d.evidence() == "for: none; against: none"
    assert NOT_ENFORCED in d.message()
    passage = "Les serveurs du ministère seront migrés. " + sentence
    assert ids(sentence, "fr", passage=passage) == ["firewall"]
    assert "firewall" in ids(passage, "fr")   # the segment as QA reads it decides alike


def test_unambiguous_terms_and_variants_left_out_of_the_senses_cell_are_matched_as_before() -> None:
    assert ids("Le chiffrement des communications gouvernementales est obligatoire.", "fr") == []
    assert ids("Шифрование защищает государственную связь.", "ru") == ["encryption"]      # only=chiffrement
    assert ids("сетевой протокол", "ru") == ["network-protocol"]
    assert ids("le protocole de communication", "fr") == []
    assert ids("La cybersécurité est une priorité.", "fr") == ["cybersecurity"]
    assert ids("le réseau 5G", "fr") == ["5g"]   # a code has one sense, even in a concept with others


@pytest.mark.parametrize(("lang", "text", "concept"), [
    ("ru", "ИКТ-сектор Египта вырос на 16 процентов.", "ict"),
    ("ru", "Египетские ИТ-компании открыли представительства в Москве.", "information-technology"),
    ("fr", "Les solutions anti-DDoS des fournisseurs d'accès ont absorbé l'attaque.", "ddos-attack"),
    ("ru", "Строительство ЦОДа начнется весной.", "data-centre"),
    ("ar", "وقعت الجامعتان مذكرتي تفاهم في مجال الذكاء الاصطناعي.", "university"),
    ("ar", "وقعت الجامعتان مذكرتي تفاهم في مجال الذكاء الاصطناعي.", "mou"),
    ("ar", "تم الاتفاق على تشكيل فريقي عمل لمتابعة التنفيذ.", "working-group"),
])
def test_acronyms_in_compounds_and_arabic_duals_are_found(lang: str, text: str, concept: str) -> None:
    assert concept in ids(text, lang)


def test_where_two_concepts_overlap_the_longer_one_wins() -> None:
    text = "Le transfert de technologie de montage en surface des composants électroniques est prévu."
    assert ids(text, "fr") == ["surface-mount-technology", "electronic-component"]
    assert ids("Le transfert de technologie est prévu.", "fr") == ["technology-transfer"]


def test_a_final_ya_is_read_as_a_construct_only_before_another_word_of_the_term() -> None:
    assert "digital-economy" in ids("الاقتصاد الرقمي", "ar")
    assert ids("رقمي", "ar") == []


@pytest.mark.parametrize(("cell", "message"), [
    ("Energy", "name fields as lowercase words"),
    ("energy; solo=capteur", "after ';' write 'only='"),
    ("energy; only=détecteur", "after ';' write 'only='"),
])
def test_a_malformed_senses_cell_is_refused_with_a_reason(cell: str, message: str) -> None:
    row = {"id": "sensor2", "domain": "electronics", "fr": "capteur", "ru": "датчик", "ar": "المستشعر",
           "status": "preferred", "senses": cell}
    with pytest.raises(GlossaryError, match=message):
        concept_from_row(row, Path("user.tsv"), 2)


@pytest.mark.parametrize(("cell", "message"), [
    ("ar=مراكز البيانات", "write 'lang:variant=form"),                       # no variant named
    ("ar:مركز المعلومات=مراكز المعلومات", "write 'lang:variant=form"),        # not a variant of the row
    ("ar:مركز البيانات=مركز معالجة البيانات", "already a variant"),
])
def test_a_malformed_forms_cell_is_refused_with_a_reason(cell: str, message: str) -> None:
    row = {"id": "dc2", "domain": "infrastructure", "fr": "centre de données", "ru": "центр обработки данных",
           "ar": "مركز البيانات|مركز معالجة البيانات", "status": "preferred", "forms": cell}
    with pytest.raises(GlossaryError, match=message):
        concept_from_row(row, Path("user.tsv"), 2)


def test_glossary_check_reports_a_form_that_is_another_concepts_term(tmp_path: Path) -> None:
    # a user row whose broken plural is the shipped term of another concept: both would claim the words
    user = write_layer(tmp_path / "user.tsv", ("x-centre", "data", "centre de calcul", "вычислительный центр",
                                               "مركز الحوسبة", "computing centre", "preferred", "", "",
                                               "ar:مركز الحوسبة=مراكز البيانات"))
    out = io.StringIO()
    main(["glossary", "check", str(user)], stdout=out)
    assert any(x.startswith(f"{user}:2: ar: 'مراكز البيانات' of x-centre also belongs to data-centre")
               for x in out.getvalue().splitlines()), out.getvalue()


def test_a_broken_plural_in_the_forms_column_is_found_as_its_variant() -> None:
    # the shipped row lists مراكز البيانات as a form of مركز البيانات, not as a variant of its own
    c = SHIPPED.concepts["data-centre"]
    assert "مراكز البيانات" not in c.terms["ar"] and (0, "مراكز البيانات") in c.forms["ar"]
    m = index_for(SHIPPED, "ar").find("افتتاح مراكز البيانات الجديدة في العاصمة الإدارية")
    assert [(x.concept.id, x.text, x.variant) for x in m] == [("data-centre", "مراكز البيانات", 0)]


def test_glossary_check_asks_for_senses_and_knows_the_fields(tmp_path: Path) -> None:
    telecom = "telecommunications"
    user = write_layer(tmp_path / "user.tsv",
                       ("x-virus", "cybersecurity", "virus", "вирус", "الفيروس", "virus", "preferred"),
                       ("x-cable", telecom, "câble", "кабель", "الكابل", "cable", "preferred", "", "energie"),
                       ("x-pylone", telecom, "pylône", "опора", "البرج", "mast", "preferred", "", "energy"))
    out = io.StringIO()
    assert main(["glossary", "check", str(user), "--alone"], stdout=out) == 1
    lines = out.getvalue().splitlines()
    assert any(x.startswith(f"{user}:3: senses: no field lexicon for energie; known fields: ") for x in lines), lines
    assert not any(f"{user}:4:" in x for x in lines), lines
    # virus is a word of the health lexicon? not in every file: ask only where a lexicon has the word
    warned = [x for x in lines if "senses-missing" in x]
    assert all(f"{user}:2:" in x for x in warned)
    out = io.StringIO()   # the shipped termbase asks for nothing
    assert main(["glossary", "check"], stdout=out) == 0
    assert "senses-missing" not in out.getvalue()


def test_a_one_word_term_of_another_field_without_senses_is_asked_for_them(tmp_path: Path) -> None:
    user = write_layer(tmp_path / "user.tsv", ("x-stade", "ai", "stade", "стадион", "الملعب", "stadium", "preferred"))
    out = io.StringIO()
    assert main(["glossary", "check", str(user), "--alone"], stdout=out) == 0
    assert f"{user}:2: senses: 'stade' has words of other fields (sport)" in out.getvalue()


def test_eval_prints_the_held_out_folder_on_its_own_line_and_says_when_it_is_absent(tmp_path: Path) -> None:
    row = "id\ttext\tmatch\tnot\ttrap\tnote\n{}\n"
    (tmp_path / "fr.tsv").write_text(row.format("x-1\tLa cybersécurité.\tcybersecurity\t\t\t"), encoding="utf-8")
    out = io.StringIO()
    assert main(["glossary", "eval", str(tmp_path)], stdout=out) == 0
    assert f"held-out (untuned): {tmp_path / 'heldout'}: absent, no figures" in out.getvalue()
    (tmp_path / "heldout").mkdir()
    (tmp_path / "heldout" / "fr.tsv").write_text(
        row.format("h-1\tLes forestiers entretiennent des pare-feu en forêt.\t\tfirewall\tpolysemy\t[forestry]"),
        encoding="utf-8")
    out = io.StringIO()
    assert main(["glossary", "eval", str(tmp_path)], stdout=out) == 0
    text = out.getvalue()
    assert f"held-out (untuned): {tmp_path / 'heldout'}\n" in text
    held = text.split("held-out (untuned)")[1]
    assert held.splitlines()[2].split()[:6] == ["fr", "1", "1", "1.000", "1.000", "0.000"], held


def test_qa_lists_each_ambiguous_term_left_unenforced_with_its_evidence(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    anchor = "      - L’adoption de ces technologies de pointe requiert une protection informatique de haut niveau.\n"
    assert anchor in text
    added = "      - Les services forestiers entretiennent des pare-feu dans les forêts de pins du Sinaï.\n"
    record = tmp_path / EXAMPLE.name
    record.write_text(text.replace(anchor, anchor + added), encoding="utf-8")
    out = tmp_path / "out"
    # the double's drafts of the other texts may carry QA errors; what is tested is the warning for this one
    assert main(["build", str(record), "--out", str(out), "--backend", "pseudo", "--no-memory",
                 "--accept-qa-errors"], stdout=io.StringIO(), stderr=io.StringIO()) == 0
    with open(out / record.stem / "qa.tsv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["code"] == "term-sense"]
    assert {r["lang"] for r in rows} == {"ru", "ar"}
    for r in rows:
        assert r["severity"] == "warning"
        assert r["message"].startswith(f"«pare-feu» (firewall) {NOT_ENFORCED}")
        assert "against: agriculture: forestier, " in r["message"] and "nature: forêt de pins" in r["message"]
        assert "pare-feu" in r["source"]


def test_an_acronym_coined_into_a_hyphenated_word_is_the_fields_whatever_words_surround_it() -> None:
    # another field's words nearby do not make «ИКТ-услуги» or «IA-santé» something else: a word coined on the
    # acronym is the acronym's field; joined to another name in capitals it may be anything (IA-DASEN)
    assert "ict" in ids("Выручка от ИКТ-услуг выросла до трех млрд долларов.", "ru")
    assert "artificial-intelligence" in ids("Les essais cliniques en IA-santé sont financés par la banque.", "fr")
    assert "internet-of-things" in ids("IoT-датчики на фермах: сельское хозяйство и урожай.", "ru")


def test_arabic_broken_plurals_of_the_forms_column_and_two_clitics_are_found() -> None:
    # وفود, جدران, أنظمة: broken plurals the terminologist lists in the forms column; ولـ/وبـ: two clitics
    assert "delegation" in ids("استقبل الوزير وفود الدول الأفريقية المشاركة في المنتدى.", "ar")
    assert ids("تحديث جدران الحماية وأنظمة كشف التسلل في الوزارات", "ar") == [
        "firewall", "intrusion-detection-system"]
    assert "data-protection" in ids("ولحماية البيانات أصدرت الهيئة دليلا جديدا للشركات.", "ar")
    # a sound plural of another word is not a listed broken plural: المحاضرات are lectures, not minutes
    assert "minutes" not in ids("ألقى الأستاذ المحاضرات في قاعة الجامعة.", "ar")


def test_a_country_inside_another_name_is_not_the_country_and_qa_says_why() -> None:
    # the toponymist's list (glossaries/names/other-names.tsv): Belarus, Prussia, a Cairo district, a sea
    assert "russia" not in ids("وقعت روسيا البيضاء اتفاقا تجاريا مع الإمارات.", "ar")
    assert "russia" not in ids("ضمت بروسيا الشرقية مقاطعات عدة بعد الحرب.", "ar")
    # one word that is also a common phrase is not listed: بروسيا is «in Russia» as often as Prussia
    assert "russia" in ids("عقد المنتدى الرقمي بروسيا في الربيع.", "ar")
    assert ids("زار الوزير روسيا وبروسيا الشرقية.", "ar") == ["russia"]   # the country beside the name
    assert "japan" not in ids("Les pêcheurs coréens sillonnent la mer du Japon en hiver.", "fr")
    assert "egypt" not in ids("Музей показал статуэтки Древнего Египта.", "ru")
    reading = index_for(SHIPPED, "fr").read("La Russie blanche et la Russie ont signé un accord.")
    assert [m.text for m in reading.matches if m.concept.id == "russia"] == ["Russie"]
    assert [d.message() for d in reading.unenforced] == [
        f"«Russie» (russia) {NOT_ENFORCED} (part of another name; for: none; against: name: Russie blanche)"]
    # nor does the name count as diplomacy beside another term: here only the basin speaks, of water
    reading = index_for(SHIPPED, "fr").read("La délégation de Russie blanche a visité le bassin.")
    assert next(d.message() for d in reading.unenforced) == (
        f"«délégation» (delegation) {NOT_ENFORCED} (a word with other senses; for: none; against: water: bassin)")


def test_a_capital_inside_a_name_is_part_of_it() -> None:
    assert "g20" not in ids("Le groupe des vingt experts rendra son rapport en mai.", "fr")
    assert "g20" in ids("Le sommet du Groupe des Vingt se tiendra en novembre.", "fr")
    assert "russia" in ids("La délégation de la fédération de Russie est arrivée.", "fr")   # Russie still read


def test_a_field_word_is_read_as_listed_not_cut_to_a_stem_another_word_shares() -> None:
    # «البيانو» (a piano, culture) must not count against «الكابل البحري» because «البيانات» (data) shares its stem
    reading = index_for(SHIPPED, "ar").read("ينقل الكابل البحري البيانات بين القارتين بسرعة عالية.")
    assert [m.concept.id for m in reading.matches if m.concept.id == "submarine-cable"] == ["submarine-cable"]
    assert not any("البيانو" in x for d in reading.decisions for x in d.against)


def test_a_term_of_diplomacy_is_read_among_its_own_surroundings_and_not_in_another_field() -> None:
    # a parliament, a state dinner, pupils: where diplomacy and training live, not another sense of their terms
    assert "agreement" in ids("Le Parlement débattra de l'accord de coopération en séance publique.", "fr")
    assert "delegation" in ids("Les délégations ont été reçues au dîner d'État selon l'ordre de préséance.", "fr")
    # a bank and its borrower, or a dance, are another field: the term is not enforced there
    assert "agreement" not in ids("Банк и заемщик подписали соглашение о рефинансировании ипотечного кредита.", "ru")
    assert "partnership" not in ids("Партнерство в фигурном катании требует долгих тренировок на льду.", "ru")
    # another term of diplomacy nearby supports it: a cooperation agreement between universities stays one
    assert "agreement" in ids("وقعت الجامعتان اتفاقية تعاون في مجال التعليم العالي.", "ar")


def test_a_term_in_the_name_of_a_street_or_station_is_not_the_term() -> None:
    assert "university" not in ids("Le consulat a déménagé au 12, rue de l'Université.", "fr")
    assert "university" not in ids("يقع مقر الشركة في شارع الجامعة بالجيزة.", "ar")
    # a rank is not a street: «la place de l'Égypte» stays Egypt
    assert "egypt" in ids("La place de l'Égypte dans le classement mondial a progressé.", "fr")
    reading = index_for(SHIPPED, "fr").read("Le consulat a déménagé au 12, rue de l'Université.")
    assert [d.message() for d in reading.unenforced] == [
        f"«Université» (university) {NOT_ENFORCED} (part of another name; for: none; against: name: rue de "
        "l'Université)"]


def test_a_field_word_inside_a_term_is_part_of_the_term_and_a_phrase_counts_once() -> None:
    # «pousses» of «jeunes pousses» (start-ups) is not agriculture: it does not outweigh the acronym beside it
    assert "ict" in ids("Les jeunes pousses de la filière TIC recevront des subventions.", "fr")
    # « serveurs » read by two spellings of the ICT lexicon is one word; « administration fiscale » one phrase
    reading = index_for(SHIPPED, "fr").read("Le pare-feu des serveurs de l'administration fiscale est renouvelé.")
    (d,) = reading.decisions
    assert d.support == ("ict: serveurs",) and d.against == ("finance: administration fiscale",)


def test_an_arabic_term_is_found_with_its_adjective_agreeing_with_a_plural() -> None:
    # a non-human plural takes its adjective in the feminine: المعالج الدقيق → معالجات دقيقة
    assert "microprocessor" in ids("تستورد الشركة معالجات دقيقة من كوريا الجنوبية لتجميع الحواسيب.", "ar")
    assert "integrated-circuit" in ids("تصنيع دوائر متكاملة في المنطقة التكنولوجية.", "ar")


def test_an_arabic_participle_qualifying_the_word_before_it_is_an_adjective_not_the_university() -> None:
    # الجامعة after a definite feminine noun is «unifying»; QA says why it is not enforced
    reading = index_for(SHIPPED, "ar").read("دعا الوزير إلى الكلمة الجامعة التي توحد الصف.")
    assert "university" not in [m.concept.id for m in reading.matches]
    assert [d.kind for d in reading.unenforced] == ["adjective"]
    # a subject and its object look alike: with its own adjective the university stays the university
    assert "university" in ids("افتتحت الوزارة الجامعة الأهلية الجديدة في العاصمة.", "ar")
    assert "university" in ids("زار الوزير الجامعة الأمريكية بالقاهرة.", "ar")


def test_a_term_inside_a_quoted_name_is_read_on_the_passages_evidence() -> None:
    # « Petit Japon », a shop's name: the country is enforced only if the passage does not speak of another field
    assert "japan" not in ids("La boutique « Petit Japon » vend des kimonos et de la vaisselle au rayon soldes.", "fr")
    assert "japan" in ids("Le Japon a signé l'accord de coopération.", "fr")


def test_the_models_draft_is_a_second_opinion_on_a_term_with_other_senses() -> None:
    from briefgen.translate.base import DictionaryTranslator
    from briefgen.translate.glossed import GlossaryTranslator

    # one ICT word (serveurs) supports «pare-feu»: a weak decision, on which the model's draft has a say
    source = "Le pare-feu protège les serveurs du ministère."
    # the model read «pare-feu» as a wall: its draft carries no rendering the termbase knows for the concept
    inner = DictionaryTranslator({("fr", "ru"): {source: "Стена защищает серверы министерства."}})
    tr = GlossaryTranslator(inner, SHIPPED)
    assert tr.translate([source], "fr", "ru") == ["Стена защищает серверы министерства."]
    assert tr.outcomes["fr", "ru"]["fr-ru"]["declined"] == 1 and tr.failures == []
    assert inner.calls == [("fr", "ru", 1)]   # neither the term alone nor a protected retry was asked
    # where the draft renders it as the termbase does, nothing changes
    ok = DictionaryTranslator({("fr", "ru"): {source: "Брандмауэр защищает серверы министерства."}})
    tr = GlossaryTranslator(ok, SHIPPED)
    assert tr.translate([source], "fr", "ru") == ["Межсетевой экран защищает серверы министерства."]
    # where the passage speaks of ICT plainly, a draft without the term lost it: it is enforced
    plain_ict = "Le pare-feu du réseau informatique protège les serveurs du ministère."
    lost_it = DictionaryTranslator({("fr", "ru"): {plain_ict: "Стена компьютерной сети защищает серверы министерства.",
                                                   "pare-feu": "стена"}})
    tr = GlossaryTranslator(lost_it, SHIPPED)
    assert tr.translate([plain_ict], "fr", "ru") == [
        "Межсетевой экран компьютерной сети защищает серверы министерства."]
    plain = "La cybersécurité du ministère."
    lost = DictionaryTranslator({("fr", "ru"): {plain: "Безопасность министерства.", "cybersécurité": "безопасность"}})
    tr = GlossaryTranslator(lost, SHIPPED)
    assert tr.translate([plain], "fr", "ru") == ["Кибербезопасность министерства."]


def test_qa_warns_where_a_machine_draft_declined_a_term_with_other_senses() -> None:
    from briefgen.qa.checks import check
    from briefgen.record.load import load_record
    from briefgen.record.segments import Segment

    rec = load_record(EXAMPLE).record
    source = "Le pare-feu protège les serveurs de l'ambassade de Russie."
    draft = "Стена защищает серверы посольства."

    def codes(origin: str) -> list[tuple[str, str, str]]:
        issues = check(rec, [Segment("x", source)], {"fr": {"x": source}, "ru": {"x": draft}},
                       {"ru": {"x": origin}}, SHIPPED)
        return sorted((i.severity, i.code, i.message.split(" ", 1)[0]) for i in issues if i.code.startswith("term"))

    # the declined term with other senses is a warning saying why; the unambiguous one lost is still an error
    assert codes("machine") == [("error", "term", "glossary"), ("warning", "term-sense", "«pare-feu»")]
    # a reviewed text is a person's choice: both are warnings, as before
    assert codes("reviewed") == [("warning", "term", "glossary"), ("warning", "term", "glossary")]


def test_the_name_and_adjective_rules_stop_where_the_text_says_something_else() -> None:
    # a minister's quoted words are no name: the term in them is read as in reported speech
    assert "cybersecurity" in ids("« Nous devons renforcer la cybersécurité des hôpitaux », a déclaré le ministre.",
                                  "fr")
    assert "cybersecurity" in ids("«Мы должны укреплять кибербезопасность больниц», — заявил министр.", "ru")
    # a stop or a comma ends a place's name
    assert ids("Le ministre est arrivé à la gare. Russie et Égypte ont signé.", "fr") == ["russia", "egypt"]
    assert "university" in ids("في الشارع، الجامعة تستضيف المنتدى.", "ar")
    # a verb's object is the university (زارت الوزيرة الجامعة), whatever follows
    assert "university" in ids("زارت الوزيرة الجامعة.", "ar")
    assert "university" in ids("افتتحت الوزارة الجامعة في عام 2020.", "ar")


def test_a_broken_plural_keeps_its_variant_in_translation_and_is_not_repaired_into_a_singular() -> None:
    from briefgen.terms.match import target_term
    from briefgen.translate.base import DictionaryTranslator
    from briefgen.translate.glossed import GlossaryTranslator

    (m,) = [x for x in index_for(SHIPPED, "ar").find("تتزايد خروقات البيانات") if x.concept.id == "data-breach"]
    assert m.variant == 1 and target_term(m, "ar", "fr") == "violation de données"   # the pair of خرق البيانات
    source = "Les violations de données se multiplient."
    inner = DictionaryTranslator({("fr", "ar"): {source: "تتزايد خروقات البيانات."}})
    assert GlossaryTranslator(inner, SHIPPED).translate([source], "fr", "ar") == ["تتزايد خروقات البيانات."]


def test_another_wording_is_found_as_the_term_never_printed_and_pairs_with_nothing() -> None:
    from briefgen.terms.match import target_term
    from briefgen.translate.base import DictionaryTranslator
    from briefgen.translate.glossed import GlossaryTranslator

    # «cofinancement» (the wordings column) is the concept, and the translation prints the Russian term
    (m,) = index_for(SHIPPED, "fr").find("Le cofinancement du centre est acquis.")
    assert (m.concept.id, m.text, target_term(m, "fr", "ru")) == ("joint-financing", "cofinancement",
                                                                   "совместное финансирование")
    # a variant still picks its pair (financé conjointement -> совместно финансируемый): the Russian wording
    # «софинансирование» added to the row changes nothing there
    (m,) = index_for(SHIPPED, "fr").find("Le centre sera financé conjointement.")
    assert target_term(m, "fr", "ru") == "совместно финансируемый"
    # a draft that uses the wording gets the term
    source = "Le cofinancement du centre est acquis."
    inner = DictionaryTranslator({("fr", "ru"): {source: "Софинансирование центра обеспечено."}})
    assert GlossaryTranslator(inner, SHIPPED).translate([source], "fr", "ru") == [
        "Совместное финансирование центра обеспечено."]


@pytest.mark.parametrize(("cell", "message"), [
    ("ru софинансирование", "wordings 'ru софинансирование': write 'lang:wording|wording'"),
    ("de:Kofinanzierung", "wordings 'de:Kofinanzierung': write 'lang:wording|wording'"),
    ("fr:financé conjointement", "wordings 'fr:financé conjointement': 'financé conjointement' is already listed"),
    # an abbreviation is read on its passage and pairs with the other languages' abbreviations: a variant
    ("fr:cofinancement|CoFi", "wordings 'fr:cofinancement|CoFi': 'CoFi' is an abbreviation; list it as a variant"),
])
def test_a_malformed_wordings_cell_is_refused_with_a_reason(cell: str, message: str) -> None:
    row = {"id": "joint-financing", "domain": "cooperation", "fr": "financement conjoint|financé conjointement",
           "ru": "совместное финансирование", "ar": "التمويل المشترك", "wordings": cell}
    with pytest.raises(GlossaryError, match=message):
        concept_from_row(row, Path("g.tsv"), 7)


def test_an_arabic_field_word_is_read_as_listed_with_clitics_and_endings_only() -> None:
    from briefgen.terms.morph import arabic_word_as_listed

    # «الأمين» (the secretary-general) is not «الآلام» (pains), though a stem of each is the same
    assert not arabic_word_as_listed("الأمين", "الآلام")
    assert arabic_word_as_listed("بالآلام", "الآلام") and arabic_word_as_listed("بالمستشفيات", "المستشفى")
    assert arabic_word_as_listed("للمستشفى", "المستشفى") and arabic_word_as_listed("محطتين", "المحطة")
    assert not arabic_word_as_listed("موجه", "الموج")   # a router is not a wave
    assert not arabic_word_as_listed("كبار", "البار") and arabic_word_as_listed("والبار", "البار")   # elders, no bar
    evidence = index_for(SHIPPED, "ar")._evidence("رحب الأمين العام بقرار وقف إطلاق النار.", None)
    assert not [h for h in evidence.hits if h[2].startswith("health")]


def test_a_field_word_inside_a_phrase_of_the_ict_lexicon_is_part_of_it() -> None:
    # «почта» of «электронная почта», «التجسس» of «برامج التجسس»: e-mail is no post office, spyware no espionage
    evidence = index_for(SHIPPED, "ru")._evidence("Письмо пришло по электронной почте.", None)
    assert [h[2] for h in evidence.hits if "почт" in h[2]] == ["ict: электронная почта"]


def test_a_term_left_unenforced_frees_its_words_for_a_concept_that_runs_on() -> None:
    # «توطين صناعة» (localisation) read among farms is declined; «صناعة الإلكترونيات» starting inside it is still meant
    reading = index_for(SHIPPED, "ar").read("أكد وزير الزراعة أهمية توطين صناعة الإلكترونيات في مزارع القطن والقمح.")
    assert [m.concept.id for m in reading.matches] == ["electronics-industry"]
    assert [d.concept for d in reading.unenforced] == ["localization-of-production"]
    # but not for a concept nested in them: the words of a declined name are not read one by one
    assert ids("وقعت شركة الاتصالات السعودية عقدا لرعاية الدوري السعودي للمحترفين.", "ar") == []


def test_a_one_sense_ict_concept_running_on_from_a_term_speaks_for_it() -> None:
    # «صناعة الإلكترونيات» shares «صناعة» with «توطين صناعة» and says «الإلكترونيات» past it: the localisation is
    # of production; without it the lone «توطين صناعة» has no evidence either way and is declined
    reading = index_for(SHIPPED, "ar").read("أكد الوزير أهمية نقل التكنولوجيا وتوطين صناعة الإلكترونيات.")
    [d] = reading.decisions
    assert (d.concept, d.enforced) == ("localization-of-production", True)
    assert "concept: electronics-industry" in d.support
    assert "localization-of-production" not in ids("أكد الوزير أهمية توطين صناعة الأدوية.", "ar")


def test_a_concept_sharing_a_terms_words_is_judged_with_its_evidence_and_listed_by_qa_when_declined() -> None:
    from briefgen.qa.checks import check
    from briefgen.record.load import load_record
    from briefgen.record.segments import Segment

    # the data leak, one-sense and ICT, reaches outside «données d'entraînement»: training data
    reading = index_for(SHIPPED, "fr").read("Les experts ont signalé une fuite de données d'entraînement.")
    assert [(m.concept.id, m.shared) for m in reading.matches] == [("data-leak", False), ("training-data", True)]
    # a football club's training data: the sport outweighs it, and QA says the concept was left unenforced
    source = "Le club a fait état d'une fuite de données d'entraînement de ses joueurs."
    reading = index_for(SHIPPED, "fr").read(source)
    assert [m.concept.id for m in reading.matches] == ["data-leak"]
    assert [d.concept for d in reading.unenforced] == ["training-data"]
    rec = load_record(EXAMPLE).record
    target = "Клуб сообщил об утечке данных о тренировках своих игроков."
    issues = check(rec, [Segment("x", source)], {"fr": {"x": source}, "ru": {"x": target}}, {"ru": {"x": "machine"}},
                   SHIPPED)
    assert [(i.code, re.search(r"\(([a-z-]+)\)", i.message).group(1)) for i in issues if i.code.startswith("term")] == [
        ("term-sense", "training-data")]


def test_a_concept_of_another_field_is_that_fields_evidence() -> None:
    # power-grid interconnection is in the termbase to tell «interconnexion» apart: the cable beside it carries
    # power, whichever language says it (it used to count for ICT, its domain being telecommunications)
    for lang, text in (("fr", "Le câble sous-marin assurera l'interconnexion électrique entre la Grèce et Chypre."),
                       ("ru", "Подводный кабель обеспечит объединение энергосистем двух стран."),
                       ("ar", "سيؤمن الكابل البحري الربط الكهربائي بين البلدين.")):
        [d] = index_for(SHIPPED, lang).read(text).decisions
        assert (d.concept, d.enforced, d.against) == ("submarine-cable", False,
                                                      ("energy: power-grid-interconnection",)), lang
    assert "submarine-cable" in ids("Le câble sous-marin reliera les centres de données des deux pays.", "fr")


def concepts_found(layer: Path, code: str) -> list[str]:
    """The concepts `glossary check` of a layer reports with ``code``."""
    out = io.StringIO()
    main(["glossary", "check", str(layer), "--format", "json"], stdout=out)
    return [f["concept"] for f in json.loads(out.getvalue())["findings"] if f["code"] == code]


def test_a_concepts_domain_may_name_a_field_lexicon(tmp_path: Path) -> None:
    # lint takes a field lexicon's name as a domain (a concept kept to tell a sense apart); any other name warns
    layer = write_layer(tmp_path / "layer.tsv",
                        ("pipeline", "water", "conduite d'eau", "водовод", "خط المياه", "water main", "preferred"),
                        ("horoscope", "astrology", "horoscope", "гороскоп", "الأبراج", "horoscope", "preferred"))
    assert concepts_found(layer, "unknown-domain") == ["horoscope"]


def test_names_of_cooperation_organisations_hold_no_cooperation() -> None:
    for lang, text in (("ru", "Саммит Шанхайской организации сотрудничества пройдет в Астане."),
                       ("ar", "تشهد دول مجلس التعاون الخليجي نموا في السياحة البينية."),
                       ("fr", "Le rapport de l'Organisation de coopération et de développement économiques est paru.")):
        reading = index_for(SHIPPED, lang).read(text)
        assert not reading.matches and [(d.concept, d.kind) for d in reading.decisions] == [
            ("cooperation", "other-name")], lang
    assert ids("Стороны обсудили сотрудничество со странами Шанхайской организации сотрудничества.", "ru") == [
        "cooperation"]


def test_an_attacker_is_no_sportsman() -> None:
    # «attaquants», «المهاجمون» run through cybersecurity texts: not words of sport
    for lang, text in (("fr", "Les attaquants ont contourné le pare-feu."),
                       ("ar", "تمكن المهاجمون من تجاوز جدار الحماية.")):
        [d] = index_for(SHIPPED, lang).read(text).decisions
        assert (d.concept, d.against) == ("firewall", ()), lang


def test_a_term_is_no_evidence_for_itself_nor_a_shared_concepts_decision_a_second_opinion(tmp_path: Path) -> None:
    # a concept whose second variant starts inside its first does not support it (a code review's case)
    layer = write_layer(tmp_path / "layer.tsv", ("zz-self", "data", "plan maître|maître zeta", "мастер-план",
                                                 "الخطة الرئيسية", "master plan", "preferred", "",
                                                 "construction; only=plan maître"))
    index = index_for(load_glossary([*base_glossaries(), layer]), "fr")
    reading = index.read("Le bureau a présenté le plan maître zeta.")
    assert [(d.text, d.enforced, d.support) for d in reading.decisions] == [("plan maître", False, ())]
    # an enforced concept sharing a term's words keeps QA's advice to merge it, not the model's-draft warning
    from briefgen.qa.checks import check
    from briefgen.record.load import load_record
    from briefgen.record.segments import Segment
    source = "Les experts ont signalé une fuite de données d'entraînement."
    issues = check(load_record(EXAMPLE).record, [Segment("x", source)],
                   {"fr": {"x": source}, "ru": {"x": "Эксперты сообщили об утечке данных."}}, {"ru": {"x": "machine"}},
                   SHIPPED)
    assert [(i.code, "merged" in i.message) for i in issues if i.code.startswith("term")] == [("term", True)]


def test_the_same_term_said_again_is_no_evidence_for_it() -> None:
    # two sentences about a cable say nothing of which cable it is (a second code review's case)
    reading = index_for(SHIPPED, "fr").read("Le câble sous-marin reliera la Grèce et Chypre. "
                                            "Le câble sous-marin coûtera deux milliards.")
    assert [(d.enforced, d.support) for d in reading.decisions] == [(False, ()), (False, ())]
    # nor is a term of diplomacy: the second delegation does not outweigh the stadium
    reading = index_for(SHIPPED, "fr").read("La délégation est arrivée au stade. La délégation repartira demain.")
    assert [(d.enforced, d.support) for d in reading.decisions] == [(False, ()), (False, ())]


def test_evidence_from_a_concept_crossing_a_term_not_holding_it() -> None:
    from briefgen.terms.match import _Evidence
    # a term at 10..20; one-sense concepts crossing it on either side, one holding it whole, one starting with it
    evidence = _Evidence([], [(5, 15, "concept: left"), (15, 25, "concept: right"), (5, 25, "concept: holder"),
                              (10, 25, "concept: same-start"), (15, 30, "concept: right")])
    assert evidence.around(10, 20, concept="x")[0] == ["concept: left", "concept: right"]
    assert evidence.around(10, 20, concept="left")[0] == ["concept: right"]


def test_a_concept_of_a_field_is_not_read_against_its_own_field(tmp_path: Path) -> None:
    layer = write_layer(tmp_path / "layer.tsv",
                        ("zz-grid", "energy", "réseau électrique", "электросеть", "الشبكة الكهربائية", "power grid",
                         "preferred", "", "construction"),
                        ("zz-power", "energy", "électricité", "электричество", "الكهرباء", "electricity", "preferred"))
    index = index_for(load_glossary([*base_glossaries(), layer]), "fr")
    reading = index.read("Le réseau électrique alimente la centrale nucléaire de Flamanville.")
    assert [(d.concept, d.enforced, d.against) for d in reading.decisions] == [("zz-grid", True, ())]
    assert concepts_found(layer, "senses-missing") == []


def test_a_quoted_title_with_an_abbreviation_is_read_as_a_title() -> None:
    # the full stops of «A.I.» are not a statement's: the film's title is read on the passage's evidence
    text = "Le ciné-club projettera « A.I. Intelligence artificielle », le film de Steven Spielberg."
    reading = index_for(SHIPPED, "fr").read(text)
    assert not reading.matches and [d.kind for d in reading.unenforced] == ["name"]
    assert "artificial-intelligence" in ids("Le ministre a déclaré : « Il faut agir. Intelligence artificielle "
                                            "et données sont l'avenir ».", "fr")
    assert "cybersecurity" in ids("Le ministre a conclu : « Horizon 2030. Cybersécurité » devant les députés.", "fr")


def test_arabic_counterparts_in_the_plural_and_dual_and_the_set_phrase_that_is_not_one() -> None:
    assert "counterpart" in ids("أجرى الوزير سلسلة من الاتصالات الهاتفية مع نظرائه الأفارقة.", "ar")
    assert "counterpart" in ids("استقبل الوزير نظيريه الياباني والروسي.", "ar")
    assert "counterpart" not in ids("شهد المعرض إقبالا منقطع النظير من الزوار العرب والأجانب.", "ar")
    assert "league-of-arab-states" not in ids("تتيح الجامعة العربية المفتوحة برامج البكالوريوس.", "ar")


def test_names_and_set_phrases_that_hold_a_term_in_another_sense() -> None:
    assert "university" not in ids("L'université d'été du parti se tiendra à La Rochelle.", "fr")
    assert "university" in ids("L'université du Caire ouvrira un master en cybersécurité.", "fr")
    assert "computer-vision" not in ids("Офтальмологи диагностируют синдром компьютерного зрения у школьников.", "ru")
    assert "league-of-arab-states" not in ids("В финале Арабской лиги чемпионов встретились клубы.", "ru")
    assert "russia" not in ids("فاز بروسيا دورتموند على ضيفه في الدوري الألماني.", "ar")
    # a gene's coding is no encryption: the Arabic term is read on the passage's evidence
    assert "encryption" not in ids("يدرس الباحثون التشفير الوراثي للبروتينات في المختبر.", "ar")
    assert "encryption" in ids("يحمي التشفير البيانات المخزنة على الخوادم.", "ar")


def test_a_latin_acronym_after_an_arabic_article_is_found_and_kept_in_a_translation() -> None:
    from briefgen.translate.base import DictionaryTranslator
    from briefgen.translate.glossed import GlossaryTranslator

    assert "5g" in ids("تغطي شبكات الـ5G حاليا عشرين مدينة.", "ar")
    assert ids("يجري التوسع في تطبيقات الـIoT وبالـFTTH.", "ar") == ["internet-of-things", "fibre-to-the-home"]
    # a draft that writes the acronym after the article and a clitic gets the term in its place, the clitic kept
    source = "Les réseaux 5G couvrent vingt villes."
    inner = DictionaryTranslator({("fr", "ar"): {source: "وبالـ5G تتحسن الخدمة في عشرين مدينة."}})
    assert GlossaryTranslator(inner, SHIPPED).translate([source], "fr", "ar") == [
        "وبالجيل الخامس تتحسن الخدمة في عشرين مدينة."]


def test_a_russian_field_word_is_read_in_its_own_sense_only() -> None:
    # the listed dictionary form where a reading has it: «улей» (a hive), not the first parse's «уля»
    evidence = index_for(SHIPPED, "ru")._evidence("Пчеловоды проверили ульи на пасеке.", None)
    assert "agriculture: улей" in [h[2] for h in evidence.hits]
    # «дороже» (dearer) shares a lemma with the short form «дорога» (is dear), never with the road
    evidence = index_for(SHIPPED, "ru")._evidence("Подготовка выборок обходится дороже вычислений.", None)
    assert not [h for h in evidence.hits if h[2].startswith("transport")]
    evidence = index_for(SHIPPED, "ru")._evidence("Ремонт дороги завершен.", None)
    assert [h[2] for h in evidence.hits if h[2].startswith("transport")]


def test_a_field_word_inside_a_longer_phrase_of_another_field_is_that_phrase() -> None:
    # «لوقف إطلاق النار» is a ceasefire (politics, the surroundings of diplomacy), not a shooting (police)
    text = "ساهمت الاتصالات التي أجراها الوزير مع نظرائه العرب في التوصل إلى اتفاق لوقف إطلاق النار."
    evidence = index_for(SHIPPED, "ar")._evidence(text, None)
    assert [h[2] for h in evidence.hits if "النار" in h[2]] == ["politics: وقف إطلاق النار"]
    assert "counterpart" in ids(text, "ar")


def test_a_wording_of_a_concept_with_within_phrases_is_found_only_where_one_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("id\tdomain\tfr\tru\tar\tstatus\tscope\twordings\n"
                    "human-resources\tcapacity-building\tressources humaines\tкадры\tالموارد البشرية\tpreferred\t"
                    "within.ru=подготовка кадров|подготовка специалистов\tru:специалисты|человеческий капитал\n",
                    encoding="utf-8")
    out = io.StringIO()
    main(["glossary", "check", str(path)], stdout=out)
    assert "wording 'человеческий капитал' is held by no within.ru phrase, so it is never found" in out.getvalue()
    assert "'специалисты'" not in out.getvalue()
    index = index_for(load_glossary([*base_glossaries(), path]), "ru")
    assert [m.text for m in index.find("Подготовка специалистов начнется в мае.")] == ["специалистов"]
    assert not [m for m in index.find("Специалисты прибыли в Каир.") if m.concept.id == "human-resources"]


@pytest.mark.parametrize(("lang", "text", "concept", "enforced", "kind", "evidence"), [
    # the field where ICT is applied says where, not which sense: with the ICT reading supported, only the fields
    # of the term's senses cell count against it (sensor: energy, health; soils and orchards are neither)
    ("fr", "Des capteurs reliés au logiciel de l'exploitation mesurent l'humidité des sols, l'irrigation des "
     "vergers et la croissance du blé.", "sensor", True, "senses", "for: ict: logiciel; against: none"),
    # a field the senses cell names still counts against (sensor: energy)
    ("fr", "Les capteurs reliés au logiciel de la centrale thermique mesurent la vapeur et l'électricité produites.",
     "sensor", False, "senses", "for: ict: logiciel; against: energy: centrale thermique"),
    # a compound coined on an ICT lexicon word is the field's word (онлайн-кинотеатр)
    ("ru", "Подводный кабель обеспечит работу онлайн-кинотеатров региона.", "submarine-cable", True, "senses",
     "for: ict: онлайн"),
    # the term's words are part of another field's phrase, whatever else the passage says
    ("fr", "La sécurité des réseaux de gaz, surveillée par des capteurs connectés, sera renforcée.",
     "network-security", False, "phrase", "against: energy: réseaux de gaz"),
    ("fr", "Le stage d'avant-saison du XV de France débute lundi.", "internship", False, "phrase",
     "against: sport: stage d'avant-saison"),
    # the lexicon lists the feminine of a person's noun; no rule makes it (croissant would give croissante)
    ("fr", "Titulaire d'un LLM, l'avocate a plaidé.", "large-language-model", False, "acronym",
     "for: none; against: law: avocate"),
    ("fr", "Une part croissante des PME adopte l'IA.", "artificial-intelligence", True, "acronym",
     "for: none; against: none"),
])
def test_the_evidence_reads_where_ict_is_applied_coined_words_and_phrases(lang: str, text: str, concept: str,
                                                                          enforced: bool, kind: str,
                                                                          evidence: str) -> None:
    reading = index_for(SHIPPED, lang).read(text)
    assert (concept in [m.concept.id for m in reading.matches]) is enforced
    (decision,) = [d for d in reading.decisions if d.concept == concept]
    assert (decision.enforced, decision.kind) == (enforced, kind)
    assert evidence in decision.evidence(), decision.evidence()
    if kind == "phrase":
        assert "part of a phrase of another field" in decision.message()


def test_an_arabic_dual_construct_of_a_two_letter_noun_is_found() -> None:
    # خطي إنتاج: two production lines; the construct dual drops its ن and leaves a two-letter stem
    assert ids("افتتح الوزير خطي إنتاج للحواسيب المحمولة.", "ar") == ["production-line"]


@pytest.mark.parametrize(("text", "found", "name"), [
    ("Orange Égypte a lancé une offre de fibre optique.", False, "Orange Égypte"),
    ("Selon Crédit Agricole Égypte, les taux de dépôt augmentent.", False, "Crédit Agricole Égypte"),
    ("En Égypte, le marché de la fibre optique croît.", True, ""),
    ("Le forum Russie Égypte aura lieu au Caire.", True, ""),   # two countries, not a branch's name
    ("Coopération Égypte : bilan de l'année.", True, ""),        # a heading's first capital, a term
    ("Le sommet Afrique Égypte se tiendra au Caire.", True, ""),  # a region CLDR names
])
def test_a_country_after_a_capitalised_name_is_a_branch_of_a_company(text: str, found: bool, name: str) -> None:
    reading = index_for(SHIPPED, "fr").read(text)
    assert ("egypt" in [m.concept.id for m in reading.matches]) is found
    if name:
        (decision,) = [d for d in reading.decisions if d.concept == "egypt"]
        assert (decision.kind, decision.against) == ("other-name", (f"name: {name}",))


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # a coordination shares a term's words: the elided concept is found on its own words
    ("fr", "Le ministère soutient l'apprentissage automatique et profond dans les universités.",
     [("machine-learning", "apprentissage automatique", False), ("deep-learning", "profond", True),
      ("university", "universités", False)]),
    ("ru", "Обсуждались защита и локализация данных.",
     [("data-protection", "защита", True), ("data-localisation", "локализация данных", False)]),
    ("ar", "وضعت الوزارة خطة لمواجهة اختراق وتسريب البيانات.",
     [("data-breach", "اختراق", True), ("data-leak", "وتسريب البيانات", False)]),
    # the coordinated words make no term with the shared ones
    ("fr", "Les réseaux et les centres de données seront modernisés.", [("data-centre", "centres de données", False)]),
    # only all of a term but its head is shared, and a lone French adjective shared by two nouns is plural
    ("fr", "Les services et la conception de produits électroniques seront soutenus.",
     [("electronics-design", "conception de produits électroniques", False)]),
    ("fr", "Les services et la fracture numérique ont été discutés.",
     [("digital-divide", "fracture numérique", False)]),
    # the و of وزارة is the word's own letter, not «and»
    ("ar", "تعزيز أمن وزارة الاتصالات وتكنولوجيا المعلومات",
     [("mcit-egypt", "وزارة الاتصالات وتكنولوجيا المعلومات", False)]),
    ("fr", "La collecte et la localisation des données seront encadrées.",
     [("data-localisation", "localisation des données", False)]),
])
def test_a_concept_elided_by_a_coordination_is_found(lang: str, text: str,
                                                      expected: list[tuple[str, str, bool]]) -> None:
    assert [(m.concept.id, m.text, m.elided) for m in index_for(SHIPPED, lang).find(text)] == expected


def test_a_context_word_counts_anywhere_in_the_sentence_for_a_term_the_passage_decides() -> None:
    # régulateur has a senses cell: its context word may stand past the five-word window, the evidence decides
    assert ids("Le régulateur a attribué une licence de télécommunications à un nouvel opérateur de satellites.",
               "fr")[0] == "telecommunications-regulator"
    # a term with a context scope and no senses keeps the window (numérisation of archives, of the economy)
    assert ids("La numérisation, engagée depuis dix ans par le ministère avec de grands moyens, de tous les registres.",
               "fr") == []
    assert ids("La numérisation des registres.", "fr") == ["digitization"]

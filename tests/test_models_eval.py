"""`briefgen models eval`: a record's drafts scored against its reviewed translations, memory off."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE
from tinymodels import MARIAN_ID, TinyModels

from briefgen.cli import main
from briefgen.config import Settings
from briefgen.memory.store import Memory, Unit
from briefgen.memory.tmx import read_tmx
from briefgen.translate.base import DictionaryTranslator
from briefgen.translate.evaluate import as_json, evaluate, references
from briefgen.translate.pseudo import PseudoTranslator


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def reviewed(lang: str) -> int:
    return len({u.src_text for u in read_tmx(EXAMPLE.with_suffix(".tmx")) if u.tgt_lang == lang})


@pytest.mark.parametrize("backend", ["ct2", "hf"])
def test_eval_scores_the_example_record_per_direction_with_the_model_backends(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    tiny_models.use(monkeypatch)
    code, out, err = run("models", "eval", str(EXAMPLE), "--backend", backend, "--json")
    assert code == 0, err
    rows = {d["direction"]: d for d in json.loads(out)["directions"]}
    assert set(rows) == {"fr-ru", "fr-ar"}
    for direction, row in rows.items():
        assert row["segments"] == reviewed(direction[-2:]) > 20
        assert 0 <= row["chrf"] <= 100 and 0 <= row["bleu"] <= 100
        assert row["term_accuracy"] is None or 0 <= row["term_accuracy"] <= 1
        assert row["engine"].startswith(f"{backend}:{MARIAN_ID}@") and "+glossary:" in row["engine"]
        assert row["metrics"]["chrf"].startswith("nrefs:1|") and "|tok:13a|" in row["metrics"]["bleu"]
    code, text, _ = run("models", "eval", str(EXAMPLE), "--backend", backend)
    assert code == 0 and text.splitlines()[0].split() == ["DIRECTION", "SEGMENTS", "chrF", "BLEU", "TERMS"]
    assert f"fr-ru {rows['fr-ru']['segments']} {rows['fr-ru']['chrf']:.1f}" in " ".join(text.split())


def test_scores_follow_the_translations_and_the_memory_is_never_read_for_drafts(tmp_path: Path) -> None:
    """A translator that returns the reviewed text scores 100; the memory's machine drafts are not used."""
    from briefgen.record.load import load_record
    from briefgen.record.segments import segments

    refs = references(load_record(EXAMPLE), None)

    segs = {s.id: s.source for s in segments(load_record(EXAMPLE).record)}
    table = {("fr", lang): {segs[i]: text for i, text in refs[lang].items()} for lang in ("ru", "ar")}
    memory = tmp_path / "memory.sqlite"
    with Memory(memory) as m:            # a machine draft for every segment: eval must not take it
        m.store(Unit("fr", lang, segs[i], "brouillon", "machine", "x", "eg-ru-2019-06-09", i)
                for lang in ("ru", "ar") for i in refs[lang])
    settings = Settings(memory=memory, use_glossary=False)
    perfect = {s.direction: s for s in evaluate([EXAMPLE], DictionaryTranslator(table), settings)}
    assert perfect["fr-ru"].chrf == perfect["fr-ar"].chrf == 100.0 and perfect["fr-ru"].bleu == 100.0
    pseudo = {s.direction: s for s in evaluate([EXAMPLE], PseudoTranslator(), settings)}
    assert pseudo["fr-ru"].chrf < 60 and pseudo["fr-ru"].segments == perfect["fr-ru"].segments


def test_reviewed_memory_units_are_references_where_the_record_has_no_tmx(tmp_path: Path) -> None:
    record = tmp_path / "eg.yaml"
    shutil.copy(EXAMPLE, record)                                   # no .tmx beside this copy
    from briefgen.record.load import load_record
    from briefgen.record.segments import segments

    seg = segments(load_record(record).record)[3]
    memory = tmp_path / "memory.sqlite"
    with Memory(memory) as m:
        m.store([Unit("fr", "ru", seg.source, "Проверенный перевод.", "reviewed", "review:anna", "eg", seg.id),
                 Unit("fr", "ar", seg.source, "مسودة آلية.", "machine", "ct2:x", "eg", seg.id)])
    scores = evaluate([record], PseudoTranslator(), Settings(memory=memory))
    assert [(s.direction, s.segments) for s in scores] == [("fr-ru", 1)]     # machine drafts are no reference
    assert as_json(scores)["directions"][0]["segments"] == 1


def test_a_pivot_is_scored_leg_by_leg_where_the_record_has_pivot_language_texts(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The tiny registry sends ru→ar through French: a Russian record with reviewed French and Arabic
    translations scores ru→ar, its ru→fr leg and its fr→ar leg."""
    from briefgen.translate.check import SENTENCES

    tiny_models.use(monkeypatch)
    record = tmp_path / "ru-eg.yaml"
    head = "    head:\n      name: {ru: %s, ar: %s, fr: %s}\n"
    record.write_text(
        "id: ru-eg\nsource_lang: ru\ntitle: Рабочая встреча\ndate: 2020-01-15\nvenue: Каир\ndelegations:\n"
        + "  - id: eg\n    country: EG\n    lang: ar\n" + head % ("Амр Талаат", "عمرو طلعت", "Amr Talaat")
        + "  - id: fr\n    country: FR\n    lang: fr\n" + head % ("Жан Дюпон", "جان دوبون", "Jean Dupont")
        + "  - id: ru\n    country: RU\n    lang: ru\n" + head % ("Константин Носков", "كونستانتين نوسكوف", "K. Noskov")
        + "purpose:\n" + "".join(f"  - {s}\n" for s in SENTENCES["ru"])
        + "agenda:\n  - id: ict\n    title: {ru: ИКТ, ar: تكنولوجيا المعلومات, fr: TIC}\n", encoding="utf-8")
    tus = "".join(f'<tu srclang="ru"><tuv xml:lang="ru"><seg>{r}</seg></tuv>'
                  f'<tuv xml:lang="fr"><seg>{f}</seg></tuv><tuv xml:lang="ar"><seg>{a}</seg></tuv></tu>'
                  for r, f, a in zip(SENTENCES["ru"], SENTENCES["fr"], SENTENCES["ar"], strict=True))
    record.with_suffix(".tmx").write_text(f'<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header '
                                          f'srclang="ru" datatype="plaintext" segtype="paragraph" adminlang="en" '
                                          f'creationtool="t" creationtoolversion="1" o-tmf="t"/><body>{tus}</body>'
                                          f'</tmx>', encoding="utf-8")
    code, out, err = run("models", "eval", str(record), "--json", "--backend", "ct2")
    assert code == 0, err
    rows = {(d["direction"], d.get("leg_of")): d for d in json.loads(out)["directions"]}
    assert set(rows) == {("ru-fr", None), ("ru-ar", None), ("ru-fr", "ru-ar"), ("fr-ar", "ru-ar")}
    assert all(r["segments"] == 3 for r in rows.values())
    assert rows["ru-fr", "ru-ar"]["chrf"] > 50 and rows["fr-ar", "ru-ar"]["chrf"] > 50   # the legs translate
    assert rows["ru-ar", None]["engine"].startswith("pivot(fr)[")


def test_a_record_without_reviewed_translations_has_nothing_to_score(tmp_path: Path) -> None:
    record = tmp_path / "eg.yaml"
    shutil.copy(EXAMPLE, record)
    code, out, _ = run("models", "eval", str(record), "--backend", "pseudo")
    assert code == 0 and "nothing to score" in out

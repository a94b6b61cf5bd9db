"""Both neural backends through tiny random-weight models: shapes, order, steering tokens, pivots, laziness.

Random weights translate into garbage, so nothing here looks at wording."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tinymodels import M2M_ID, MARIAN_ID, TinyModels, uncovered_record

from briefgen.config import Settings
from briefgen.errors import ModelError
from briefgen.memory.store import Memory
from briefgen.translate.base import DictionaryTranslator
from briefgen.translate.compose import CachingTranslator, EngineOptions, NeuralTranslator
from briefgen.translate.ct2 import CT2Translator
from briefgen.translate.hf import HFTranslator
from briefgen.translate.loader import make_translator
from briefgen.translate.pseudo import PseudoTranslator

SMALL = EngineOptions(beam_size=2, batch_size=2, max_length_cap=48, threads=1)   # 1 thread: no oversubscription
TEXTS = ["Le ministre a souligné l'importance de la cybersécurité. Les parties sont convenues de poursuivre.",
         "La prochaine réunion se tiendra à Moscou.",
         "   ",
         "Un centre d'excellence sera créé.\nLes experts prépareront un mémorandum d'entente avant la fin.",
         "Merci."]
BACKENDS = {"ct2": CT2Translator, "hf": HFTranslator}


@pytest.fixture
def models(tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch) -> Path:
    return tiny_models.use(monkeypatch)


class Spy:
    """Stands in for ``holder.attr``: records the arguments (and result, under "out") of ``method`` calls and
    passes everything through to the real object (C++ objects cannot be patched in place)."""

    def __init__(self, real: Any, method: str, calls: list[dict[str, Any]]) -> None:
        self._real, self._method, self._calls = real, method, calls

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._real, name)
        if name != self._method:
            return value

        def record(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            self._calls.append({"args": args, **kwargs, "out": result})
            return result

        return record


def spy(holder: Any, attr: str, method: str, calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(holder, attr, Spy(getattr(holder, attr), method, calls))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("direction", [("fr", "ru"), ("fr", "ar"), ("ar", "fr"), ("ru", "ar")])
def test_each_backend_returns_one_translation_per_segment_in_input_order(
        models: Path, backend: str, direction: tuple[str, str]) -> None:
    tr = BACKENDS[backend](SMALL, models)
    out = tr.translate(TEXTS, *direction)
    assert len(out) == len(TEXTS)
    assert out[2] == "   "                                   # blank stays blank, untranslated
    assert all(isinstance(t, str) for t in out)
    assert out[3].count("\n") == 1                           # line breaks survive sentence splitting
    # the same segments in another order come back in that order (batches are made by length, not position)
    assert tr.translate(TEXTS[::-1], *direction) == out[::-1]


def test_ct2_puts_the_target_token_first_and_ends_with_eos(
        models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tr = CT2Translator(SMALL, models)
    calls: list[dict[str, Any]] = []
    for direction in (("fr", "ar"), ("fr", "ru")):
        engine = tr.engine_for(tr.registry.legs(*direction)[0])
        spy(engine, "translator", "translate_batch", calls, monkeypatch)
        tr.translate(TEXTS, *direction)
    fr_ar = [c for c in calls if c["args"][0][0][0] == ">>ara<<"]
    assert fr_ar and all(row[0] == ">>ara<<" for c in fr_ar for row in c["args"][0])
    for call in calls:
        rows = call["args"][0]
        assert all(row[-1] == "</s>" for row in rows)
        assert call["target_prefix"] is None                 # Marian: no forced target token
        longest = max(len(row) for row in rows)
        assert call["max_decoding_length"] <= SMALL.limit(longest)
        assert call["asynchronous"]                         # batches are queued for the workers together
        assert all(len(r.result().hypotheses[0]) <= call["max_decoding_length"] for r in call["out"])
    fr_ru = [c for c in calls if c["args"][0][0][0] != ">>ara<<"]
    assert fr_ru and all(row[0] == ">>rus<<" for c in fr_ru for row in c["args"][0])   # one model, two targets


def test_ct2_gives_m2m100_its_source_token_and_forces_the_target_token(
        models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tr = CT2Translator(SMALL, models)
    engine = tr.engine_for(tr.registry.legs("ar", "fr")[0])
    calls: list[dict[str, Any]] = []
    spy(engine, "translator", "translate_batch", calls, monkeypatch)
    out = tr.translate(["عقد الاجتماع في القاهرة.", "اتفق الطرفان على مواصلة المشاورات. شكر الوزير الوفد."], "ar", "fr")
    assert len(out) == 2
    rows = [row for c in calls for row in c["args"][0]]
    assert len(rows) == 3 and all(row[0] == "__ar__" and row[-1] == "</s>" for row in rows)
    assert all(p == ["__fr__"] for c in calls for p in c["target_prefix"])
    assert not any("__" in t for t in out)                   # language tokens never reach the text


def test_hf_puts_the_prefix_token_first_and_forces_the_m2m100_target_language(
        models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tr = HFTranslator(SMALL, models)
    calls: list[dict[str, Any]] = []
    marian = tr.engine_for(tr.registry.legs("fr", "ar")[0])
    spy(marian, "model", "generate", calls, monkeypatch)
    tr.translate(TEXTS, "fr", "ar")
    ara = marian.tokenizer.convert_tokens_to_ids(">>ara<<")
    assert calls and all(row[0] == ara for c in calls for row in c["input_ids"].tolist())
    assert all("forced_bos_token_id" not in c for c in calls)
    assert all(c["max_new_tokens"] <= SMALL.limit(c["input_ids"].shape[1]) for c in calls)

    calls.clear()
    m2m = tr.engine_for(tr.registry.legs("ar", "fr")[0])
    spy(m2m, "model", "generate", calls, monkeypatch)
    out = tr.translate(["عقد الاجتماع في القاهرة."], "ar", "fr")
    assert len(out) == 1 and "__" not in out[0]
    assert calls[0]["input_ids"][0, 0].item() == m2m.tokenizer.get_lang_id("ar")
    assert calls[0]["forced_bos_token_id"] == m2m.tokenizer.get_lang_id("fr")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pivot_chains_two_models_and_names_both_in_its_signature(
        models: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> None:
    tr = BACKENDS[backend](SMALL, models)
    first, second = tr.registry.legs("ru", "ar")
    assert (first.hub_id, second.hub_id) == (M2M_ID, MARIAN_ID)
    seen: list[str] = []
    real = tr._generate_all

    def generate(engine: Any, entry: Any, batches: Any) -> list[list[str]]:
        seen.append(entry.direction)
        return real(engine, entry, batches)

    monkeypatch.setattr(tr, "_generate_all", generate)
    out = tr.translate(["Стороны договорились продолжить консультации.", "Следующая встреча пройдёт в Москве."],
                       "ru", "ar")
    assert len(out) == 2
    assert seen[0] == "ru-fr" and seen[-1] == "fr-ar" and set(seen) == {"ru-fr", "fr-ar"}
    assert sorted(tr.loaded) == sorted([first.slug, second.slug])
    sig = tr.signature("ru", "ar")
    assert sig.startswith("pivot(fr)[") and M2M_ID in sig and MARIAN_ID in sig


def test_signature_names_backend_model_revision_and_decoding_settings(models: Path) -> None:
    sig = CT2Translator(EngineOptions(beam_size=3), models).signature("fr", "ar")
    assert sig.startswith(f"ct2:{MARIAN_ID}@000000000000;int8;beam=3;")
    assert "tokens=>>ara<<" in sig
    assert HFTranslator(EngineOptions(beam_size=3), models).signature("fr", "ar").startswith("hf:")
    assert CT2Translator(EngineOptions(beam_size=5), models).signature("fr", "ar") != sig


def test_a_backend_reads_nothing_until_asked_to_translate(tmp_path: Path) -> None:
    tr = make_translator(Settings(backend="ct2", models=tmp_path / "none"))
    assert isinstance(tr, NeuralTranslator) and tr.loaded == []
    assert tr.signature("fr", "ru").startswith("ct2:Helsinki-NLP/opus-mt-tc-big-fr-zle@a067115a91f4;")   # no model
    assert tr.translate(["  "], "fr", "ru") == ["  "]
    with pytest.raises(ModelError, match=r"fr→ru \(Helsinki-NLP/opus-mt-tc-big-fr-zle\).*`make models`"):
        tr.translate(["Bonjour."], "fr", "ru")


def test_missing_models_are_named_together_for_every_direction(tmp_path: Path) -> None:
    tr = CT2Translator(SMALL, tmp_path / "none")
    with pytest.raises(ModelError) as err:
        tr.require([("fr", "ar"), ("fr", "ru")])
    message = str(err.value)
    assert "fr→ar (Helsinki-NLP/opus-mt-fr-en, Helsinki-NLP/opus-mt-tc-big-en-ar)" in message
    assert "fr→ru (Helsinki-NLP/opus-mt-tc-big-fr-zle)" in message
    assert "`make models`" in message and "`briefgen models install FILE`" in message


def test_a_rebuild_finds_every_draft_in_the_memory_and_loads_no_model(
        models: Path, tmp_path: Path) -> None:
    from briefgen.pipeline import build

    record = uncovered_record(tmp_path)
    settings = Settings(out_dir=tmp_path / "out", backend="ct2", pdf_variant="none")
    first = make_translator(settings)
    assert isinstance(first, NeuralTranslator)
    result = build(record, settings, translator=first)
    assert first.loads == ["briefgen-tests--tiny-marian"]    # once for both directions, which share it
    assert first.loaded == []                                # and let go when the build is done
    assert result.manifest["translation"]["ar"]["machine"] == 1
    with Memory(settings.memory) as memory:
        units = [u for u in memory.units() if u.status == "machine"]
    assert {u.tgt_lang for u in units} == {"ar", "ru"}
    # the glossary that protected the terms is part of what made each draft
    assert all(u.signature.startswith(first.signature(u.src_lang, u.tgt_lang) + "+glossary:") for u in units)

    again = make_translator(settings)
    assert isinstance(again, NeuralTranslator)
    second = build(record, settings, translator=again)
    assert again.loads == []
    assert second.manifest["signature"] == result.manifest["signature"]


def test_caching_wrapper_stores_machine_drafts_under_the_inner_signature(tmp_path: Path) -> None:
    inner = DictionaryTranslator({}, fallback=PseudoTranslator())
    with Memory(tmp_path / "tm.sqlite") as memory:
        cached = CachingTranslator(inner, memory, record_id="r1")
        out = cached.translate(["Bonjour.", "Merci.", "Bonjour."], "fr", "ru")
        assert out == ["ru:Bonjour.", "ru:Merci.", "ru:Bonjour."]
        assert inner.calls == [("fr", "ru", 2)]                           # each distinct text once
        units = list(memory.units())
        assert {(u.src_text, u.status, u.signature, u.record_id) for u in units} == {
            ("Bonjour.", "machine", inner.signature("fr", "ru"), "r1"),
            ("Merci.", "machine", inner.signature("fr", "ru"), "r1")}
        assert CachingTranslator(inner, memory).translate(["Merci."], "fr", "ru") == ["ru:Merci."]
        assert inner.calls == [("fr", "ru", 2)]                           # the second time, from memory


def test_caching_wrapper_around_a_model_loads_nothing_on_a_hit(models: Path, tmp_path: Path) -> None:
    with Memory(tmp_path / "tm.sqlite") as memory:
        first = CT2Translator(SMALL, models)
        drafts = CachingTranslator(first, memory).translate(TEXTS[:2], "fr", "ru")
        again = CT2Translator(SMALL, models)
        assert CachingTranslator(again, memory).translate(TEXTS[:2], "fr", "ru") == drafts
        assert first.loaded and again.loaded == []
        assert all(u.signature.startswith(f"ct2:{MARIAN_ID}@") for u in memory.units())


FIXED = EngineOptions(beam_size=2, batch_size=2, max_length_cap=48, threads=1, fixed_length_ratio=1.5)


def test_fixed_length_makes_ct2_decode_exactly_the_asked_tokens(models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tr = CT2Translator(FIXED, models)
    engine = tr.engine_for(tr.registry.legs("fr", "ru")[0])
    calls: list[dict[str, Any]] = []
    spy(engine, "translator", "translate_batch", calls, monkeypatch)
    assert len(tr.translate(TEXTS, "fr", "ru")) == len(TEXTS)
    assert calls
    for call in calls:
        rows = call["args"][0]
        expected = min(FIXED.limit(max(map(len, rows))), round(1.5 * sum(map(len, rows)) / len(rows)))
        assert call["min_decoding_length"] == call["max_decoding_length"] == expected
        assert all(len(r.result().hypotheses[0]) == expected for r in call["out"])
    assert ";fixed=1.5x;" in tr.signature("fr", "ru")          # never mixed with normal drafts in the memory


def test_fixed_length_makes_hf_decode_exactly_the_asked_tokens(models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tr = HFTranslator(FIXED, models)
    engine = tr.engine_for(tr.registry.legs("fr", "ru")[0])
    calls: list[dict[str, Any]] = []
    spy(engine, "model", "generate", calls, monkeypatch)
    tr.translate(TEXTS, "fr", "ru")
    assert calls
    for call in calls:
        lengths = call["attention_mask"].sum(dim=1).tolist()
        expected = min(FIXED.limit(max(lengths)), round(1.5 * sum(lengths) / len(lengths)))
        assert call["min_new_tokens"] == call["max_new_tokens"] == expected
        assert call["out"].shape[1] == expected + 1               # the decoder start token, then the new ones


def test_ct2_runs_one_batch_per_thread_side_by_side_even_for_a_short_text(
        models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tr = CT2Translator(EngineOptions(beam_size=2, batch_size=16, max_length_cap=48, threads=2), models)
    engine = tr.engine_for(tr.registry.legs("fr", "ru")[0])
    assert engine.translator.num_translators == 2 and engine.translator.compute_type.startswith("int8")
    calls: list[dict[str, Any]] = []
    spy(engine, "translator", "translate_batch", calls, monkeypatch)
    out = tr.translate(["Les parties sont convenues. Le centre sera créé. La réunion aura lieu. Merci."], "fr", "ru")
    assert len(out) == 1
    assert [len(c["args"][0]) for c in calls] == [2, 2]


def test_retain_unloads_the_models_no_coming_direction_needs(models: Path) -> None:
    tr = CT2Translator(SMALL, models)
    tr.translate(["Merci."], "fr", "ar")
    tr.translate(["شكرا."], "ar", "fr")
    marian, m2m = "briefgen-tests--tiny-marian", "briefgen-tests--tiny-m2m100"
    assert sorted(tr.loaded) == [m2m, marian]
    tr.retain([("ar", "fr"), ("ar", "ru")])
    assert tr.loaded == [m2m]
    tr.retain([("ru", "ar")])                  # a pivot keeps both of its legs
    assert tr.loaded == [m2m]
    tr.translate(["Спасибо."], "ru", "ar")
    assert sorted(tr.loaded) == [m2m, marian]
    tr.retain([])
    assert tr.loaded == [] and tr.loads == [marian, m2m, marian]

"""What the models read: the normalisation each family was trained with, sentences cut to fit the model
(never truncated), and the hf backend's fp32 weights on the CPU."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
from tinymodels import MARIAN_ID, TinyModels

from briefgen.errors import InputError, SetupError
from briefgen.translate.compose import EngineOptions
from briefgen.translate.ct2 import CT2Translator
from briefgen.translate.hf import HFTranslator
from briefgen.translate.preprocess import DEFAULTS, STEPS, Preprocessing, moses_unicode_punctuation
from briefgen.translate.registry import load_registry

MARIAN = DEFAULTS["marian"]


def test_the_punctuation_table_is_moses_replace_unicode_punctuation() -> None:
    """Held to sacremoses' copy of the Moses script (the library OPUS-MT-train's pipeline mirrors)."""
    from sacremoses import MosesPunctNormalizer

    moses = MosesPunctNormalizer()
    every = "".join(src.replace(r"\s*", "") for src, _ in moses.REPLACE_UNICODE_PUNCTUATION)
    for text in (every, f"a{every}b", "L’accord… du 3 juin。  Suite．  fin", "« guillemets » ‘simples’ – tiret"):
        assert moses_unicode_punctuation(text) == moses.replace_unicode_punct(text)


def test_dashes_and_guillemets_are_mapped_as_moses_normalize_punctuation_maps_them() -> None:
    """The vocabularies lack – — « » (test_real_vocab.py): mapped as sacremoses' copy of Moses
    normalize-punctuation.perl maps them."""
    from sacremoses import MosesPunctNormalizer

    from briefgen.translate.preprocess import unknown_punctuation

    table = dict(MosesPunctNormalizer.NORMALIZE_UNICODE + MosesPunctNormalizer.FRENCH_QUOTES)
    for ch in "–—«»":
        assert unknown_punctuation(ch).strip() == table[ch].strip()


@pytest.mark.parametrize(("lang", "raw", "model_reads"), [
    ("fr", "L’accord… « entre » les parties\u00a0: l’UIT.", "L'accord... \"entre\" les parties : l'UIT."),
    ("fr", "Le plan 2019–2024 — 5 € — e‑administration", "Le plan 2019-2024 - 5 EUR - e-administration"),
    ("fr", "cyber\u00adsécurité\u200b et\u2028données\x07", "cybersécurité et données"),
    ("ru", "Стороны\u00a0договорились — «продолжить»…", 'Стороны договорились - "продолжить"...'),
    ("ar", "الأمـــن السِّيبرانيّ، وحمايةُ البيانات", "الأمن السيبراني، وحماية البيانات"),
])
def test_opus_mt_input_is_normalised_as_its_training_data_was(lang: str, raw: str, model_reads: str) -> None:
    assert MARIAN.apply(raw, lang) == model_reads


def test_harakat_and_tatweel_stay_in_text_that_is_not_arabic_source() -> None:
    assert MARIAN.apply("Le mot «السِّيبرانيّ» cité", "fr") == 'Le mot "السِّيبرانيّ" cité'


def test_the_registry_names_the_steps_per_family_and_refuses_unknown_ones(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    registry = load_registry(tmp_path)
    assert registry.families["marian"] == Preprocessing(
        ("moses-unicode-punctuation", "unknown-punctuation", "non-printing-to-space", "squeeze-spaces"),
        ("arabic-marks",))
    assert set(STEPS) >= {*registry.families["m2m100"].steps, *registry.families["nllb"].arabic}
    user = tmp_path / "registry.toml"
    user.write_text('[families.marian]\npreprocess = ["squeeze-spaces"]\n', encoding="utf-8")
    monkeypatch.setenv("BRIEFGEN_REGISTRY", str(user))
    assert load_registry(tmp_path).families["marian"] == Preprocessing(("squeeze-spaces",))
    user.write_text('[families.marian]\npreprocess = ["lowercase"]\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"families\.marian.*unknown preprocessing step\(s\) lowercase"):
        load_registry(tmp_path)


class Recorder:
    """Wraps a sentencepiece processor and records what the backend asks it to encode."""

    def __init__(self, inner: Any, seen: list[str]) -> None:
        self.inner, self.seen = inner, seen

    def encode(self, texts: Any, **kwargs: Any) -> Any:
        self.seen.extend(texts)
        return self.inner.encode(texts, **kwargs)


def test_the_model_reads_normalised_text_and_the_signature_names_the_steps(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny_models.use(monkeypatch)
    tr = CT2Translator(EngineOptions(threads=1))
    engine = tr.engine_for(tr.registry.legs("fr", "ru")[0])
    seen: list[str] = []
    monkeypatch.setattr(engine, "source", Recorder(engine.source, seen))
    tr.translate(["L’accord… sera signé\u00ad demain."], "fr", "ru")
    assert seen and set(seen) == {"L'accord... sera signé demain."}
    assert (";pre=moses-unicode-punctuation+unknown-punctuation+non-printing-to-space+squeeze-spaces"
            "|ar:arabic-marks;") in tr.signature(
        "fr", "ru")


LONG_CLAUSES = ("Les parties ont examiné la coopération, la formation des experts, la protection des données, "
                "la cybersécurité et les centres d'excellence ; elles sont convenues de poursuivre les consultations, "
                "de se réunir à Moscou et d'en informer les deux ministères.")
LONG_WORDS = " ".join(["coopération"] * 40) + "."


@pytest.mark.parametrize("backend", [CT2Translator, HFTranslator])
def test_a_sentence_too_long_for_the_model_is_cut_at_clauses_and_nothing_is_dropped(
        tiny_models: TinyModels, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        backend: type) -> None:
    tiny_models.use(monkeypatch)
    tr = backend(EngineOptions(threads=1, beam_size=1, max_length_cap=60))
    entry = tr.registry.legs("fr", "ru")[0]
    engine = tr.engine_for(entry)
    limit = tr.input_limit(engine, entry)
    pieces: list[list[str]] = []
    generate = tr._generate_all

    def spy(engine: Any, entry: Any, batches: list[list[str]]) -> list[list[str]]:
        pieces.extend(batches)
        return generate(engine, entry, batches)

    monkeypatch.setattr(tr, "_generate_all", spy)
    with caplog.at_level(logging.INFO, logger="briefgen.translate.compose"):
        out = tr.translate([LONG_CLAUSES, "Merci."], "fr", "ru")
    sent = [p for batch in pieces for p in batch]
    assert len(out) == 2 and len(sent) > 2
    assert max(tr.count_tokens(engine, entry, sent)) <= limit                  # every piece fits the model
    assert sorted(" ".join(sent).split()) == sorted(f"{LONG_CLAUSES} Merci.".split())   # nothing dropped
    assert all(p.rstrip().endswith((",", ";", ".")) for p in sent)            # cut at clause boundaries
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="briefgen.translate.compose"):
        tr.translate([f"Point 7 : {LONG_WORDS}"], "fr", "ru")
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "fr→ru: the segment beginning «Point 7 : coopération" in warning
    assert f"more than the {limit} {MARIAN_ID} reads" in warning and "cut between words" in warning


def test_hf_computes_in_float32_on_the_cpu_even_for_a_half_precision_checkpoint(
        tiny_models: TinyModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tc-big checkpoints are saved in float16; transformers 5 would load them so, slow and not the reference."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    from briefgen.translate.models import fetch

    half = tmp_path / "half"
    shutil.copytree(tiny_models.hf[MARIAN_ID], half)
    AutoModelForSeq2SeqLM.from_pretrained(half, dtype=torch.float32).half().save_pretrained(half)
    assert AutoModelForSeq2SeqLM.from_pretrained(half).dtype == torch.float16      # what transformers 5 does
    models = tmp_path / "models"
    registry = load_registry(models, packaged=tiny_models.registry)
    fetch([registry.routes["fr-ru"].model], models, download=lambda h, r, dest, p: shutil.copytree(half, dest) and "1")
    tr = HFTranslator(EngineOptions(threads=1), models, registry)
    engine = tr.engine_for(registry.routes["fr-ru"].model)
    assert engine.model.dtype == torch.float32 and ";torch-float32;" in tr.signature("fr", "ru")
    [out] = tr.translate(["La prochaine réunion se tiendra à Moscou."], "fr", "ru")
    assert out == "Следующая встреча состоится в Москве."
    half_tr = HFTranslator(EngineOptions(hf_dtype="float16"), models, registry)
    with pytest.raises(SetupError, match="--hf-dtype float16 runs only on a GPU"):
        half_tr.translate(["Merci."], "fr", "ru")

"""Tiny translation models built offline, once per test session, through the code paths real models take.

A sentencepiece model is trained on the few dozen lines below (French, Russian, Arabic, English; one shared
vocabulary). A Marian model and an M2M100 model with random weights (d_model 16, one layer each) are saved
with ``save_pretrained`` beside the tokenizer files real checkpoints ship (Marian: source.spm, target.spm,
vocab.json with ``>>ara<<``-style target tokens; M2M100: sentencepiece.bpe.model and vocab.json, the
``__ar__`` language tokens coming from the tokenizer). ``briefgen.translate.models.fetch`` then installs
them, with a downloader that copies the local folder instead of calling the hub, so the real CTranslate2
converter, manifest and layout are used.

Random weights translate into garbage: tests assert shapes, order, counts, tokens and exit codes only.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = """\
La réunion de travail a eu lieu au Caire le 9 juin.
Les deux délégations ont examiné la coopération dans le domaine des technologies de l'information.
Le ministre a souligné l'importance de la cybersécurité et de la protection des données.
Les parties sont convenues de poursuivre les consultations.
Un centre d'excellence sera créé avec le soutien des deux ministères.
La prochaine réunion se tiendra à Moscou.
M. le ministre a remercié la délégation russe pour son accueil.
Les experts prépareront un mémorandum d'entente avant la fin de l'année.
Рабочая встреча состоялась в Каире девятого июня.
Обе делегации обсудили сотрудничество в области информационных технологий.
Министр подчеркнул важность кибербезопасности и защиты данных.
Стороны договорились продолжить консультации.
При поддержке обоих министерств будет создан центр компетенций.
Следующая встреча пройдёт в Москве.
Министр поблагодарил египетскую делегацию за приём.
Эксперты подготовят меморандум о взаимопонимании до конца года.
عقد اجتماع العمل في القاهرة في التاسع من يونيو.
ناقش الوفدان التعاون في مجال تكنولوجيا المعلومات.
أكد الوزير أهمية الأمن السيبراني وحماية البيانات.
اتفق الطرفان على مواصلة المشاورات.
سيتم إنشاء مركز للتميز بدعم من الوزارتين.
سيعقد الاجتماع القادم في موسكو.
شكر الوزير الوفد الروسي على حسن الاستقبال.
سيعد الخبراء مذكرة تفاهم قبل نهاية العام.
The working meeting took place in Cairo on the ninth of June.
Both delegations discussed cooperation in information technology.
The minister stressed the importance of cybersecurity and data protection.
The parties agreed to continue consultations.
A centre of excellence will be created with the support of both ministries.
The next meeting will be held in Moscow.
"""

MARIAN_ID = "briefgen-tests/tiny-marian"
M2M_ID = "briefgen-tests/tiny-m2m100"
COMMIT = "0" * 40                      # what the fake hub reports as the resolved revision
MARIAN_TARGETS = (">>ara<<", ">>fra<<", ">>rus<<", ">>eng<<")
SIZE = {"d_model": 16, "encoder_layers": 1, "decoder_layers": 1, "encoder_attention_heads": 2,
        "decoder_attention_heads": 2, "encoder_ffn_dim": 32, "decoder_ffn_dim": 32, "max_position_embeddings": 256}

# The test registry: Marian for fr→ru and fr→ar (with a >>ara<< prefix), M2M100 (language tokens) for the
# directions out of Russian and Arabic, and ru→ar through French so a pivot chains the two models.
REGISTRY = f"""\
[directions.fr-ru]
family = "marian"
hub_id = "{MARIAN_ID}"
revision = "main"
licence = "test"
score = "random weights"

[directions.fr-ar]
family = "marian"
hub_id = "{MARIAN_ID}"
revision = "main"
prefix = ">>ara<<"

[directions.ru-fr]
family = "m2m100"
hub_id = "{M2M_ID}"
revision = "main"

[directions.ar-fr]
family = "m2m100"
hub_id = "{M2M_ID}"
revision = "main"
src_token = "__ar__"
tgt_token = "__fr__"

[directions.ar-ru]
family = "m2m100"
hub_id = "{M2M_ID}"
revision = "main"

[directions.ru-ar]
pivot = "fr"
"""


@dataclass(frozen=True)
class TinyModels:
    root: Path
    models: Path            # installed models (the BRIEFGEN_MODELS layout)
    registry: Path          # the test registry (BRIEFGEN_REGISTRY)
    hf: dict[str, Path]     # hub id -> the saved Hugging Face folder

    def use(self, monkeypatch: pytest.MonkeyPatch, models: Path | None = None) -> Path:
        """Point BRIEFGEN_MODELS/BRIEFGEN_REGISTRY at these models, or at a copy in ``models`` (for tests that
        damage or replace them). Returns the models folder in use."""
        if models is not None:
            shutil.copytree(self.models, models)
        folder = models or self.models
        monkeypatch.setenv("BRIEFGEN_MODELS", str(folder))
        monkeypatch.setenv("BRIEFGEN_REGISTRY", str(self.registry))
        return folder


def build_tiny_models(root: Path) -> TinyModels:
    import sentencepiece
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, MarianConfig, MarianMTModel

    from briefgen.translate.models import fetch
    from briefgen.translate.registry import load_registry

    work = root / "work"
    work.mkdir(parents=True)
    (work / "corpus.txt").write_text(CORPUS, encoding="utf-8")
    sentencepiece.SentencePieceTrainer.train(
        input=str(work / "corpus.txt"), model_prefix=str(work / "spm"), vocab_size=300, hard_vocab_limit=False,
        character_coverage=1.0, model_type="unigram", unk_id=0, eos_id=1, bos_id=-1, pad_id=-1, minloglevel=2)
    sp = sentencepiece.SentencePieceProcessor(model_file=str(work / "spm.model"))
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]

    marian = root / "hf" / "tiny-marian"
    marian.mkdir(parents=True)
    for name in ("source.spm", "target.spm"):
        shutil.copy(work / "spm.model", marian / name)
    vocab = _vocab({"</s>": 0, "<unk>": 1}, [*pieces, *MARIAN_TARGETS, "<pad>"])
    _write_json(marian / "vocab.json", vocab)
    _write_json(marian / "tokenizer_config.json", {"tokenizer_class": "MarianTokenizer", "source_lang": "fr",
                                                   "target_lang": "ar", "model_max_length": 256})
    torch.manual_seed(1234)
    MarianMTModel(MarianConfig(vocab_size=len(vocab), pad_token_id=vocab["<pad>"], eos_token_id=0,
                               decoder_start_token_id=vocab["<pad>"], forced_eos_token_id=0,
                               share_encoder_decoder_embeddings=True, **SIZE)).save_pretrained(marian)

    m2m = root / "hf" / "tiny-m2m100"
    m2m.mkdir(parents=True)
    shutil.copy(work / "spm.model", m2m / "sentencepiece.bpe.model")
    vocab = _vocab({"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}, pieces)
    _write_json(m2m / "vocab.json", vocab)
    _write_json(m2m / "tokenizer_config.json", {"tokenizer_class": "M2M100Tokenizer", "num_madeup_words": 8,
                                                "model_max_length": 256})
    torch.manual_seed(1234)
    # the tokenizer puts its 100 language tokens after the vocabulary, then 8 filler words
    M2M100ForConditionalGeneration(M2M100Config(vocab_size=len(vocab) + 100 + 8, pad_token_id=1, bos_token_id=0,
                                                eos_token_id=2, decoder_start_token_id=2, scale_embedding=True,
                                                **SIZE)).save_pretrained(m2m)

    hf = {MARIAN_ID: marian, M2M_ID: m2m}

    def local_hub(hub_id: str, revision: str, dest: Path, progress: bool) -> str:
        shutil.copytree(hf[hub_id], dest)
        return COMMIT

    registry = root / "registry.toml"
    registry.write_text(REGISTRY, encoding="utf-8")
    models = root / "models"
    routes = load_registry(models, packaged=registry)
    fetch(routes.models_for(routes.directions(("fr", "ru", "ar"))), models, download=local_hub)
    return TinyModels(root, models, registry, hf)


def _vocab(start: dict[str, int], tokens: list[str]) -> dict[str, int]:
    vocab = dict(start)
    for token in tokens:
        vocab.setdefault(token, len(vocab))
    return vocab


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def uncovered_record(folder: Path) -> Path:
    """tests/data/minimal.yaml plus one plain French outcome: a segment neither the record nor the memory
    translates, so a build needs fr→ar and fr→ru models."""
    source = Path(__file__).parent / "data" / "minimal.yaml"
    record = folder / "uncovered.yaml"
    record.write_text(source.read_text(encoding="utf-8") + "    outcomes:\n      - Les deux parties sont convenues "
                      "de poursuivre la coopération. Un centre d'excellence sera créé au Caire.\n",
                      encoding="utf-8")
    return record

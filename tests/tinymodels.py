"""Tiny translation models built offline, once per test session, laid out as the real checkpoints are and
installed through the code paths real models take.

- ``tiny-marian`` is an opus-mt tc-big model in miniature: French → East Slavic and Arabic with target tokens
  (``>>rus<<``, ``>>ara<<``), a separate ``source.spm`` (trained on French) and ``target.spm`` (Russian and
  Arabic), one joint ``vocab.json`` holding both piece sets and the target tokens, MarianMTModel weights saved
  with ``save_pretrained``.
- ``tiny-m2m100`` is an M2M100 model in miniature: one ``sentencepiece.bpe.model`` and ``vocab.json``, the
  ``__ar__``-style language tokens added by the tokenizer, serving ru→fr, ar→fr and ar→ru.
- ``tiny-marian-broken`` is tiny-marian after a bad conversion of the kind transformers has produced before (the
  tied-embedding bugs of docs/models-research.md §5): its embedding rows are shuffled, so it loads, runs and
  writes fluent-looking nonsense.

Both real models are *trained* (a few seconds, d_model 128, one layer each) to translate the sentences
``briefgen models check`` uses, so that check passes on them for the reason it passes on a real model and
fails on the broken one for the reason it fails on a broken real one. Other input comes back as one of the
memorised sentences: tests on other text assert shapes, order, counts, tokens and exit codes only.

- ``tc-big-fr-en`` and ``base-ar-fr`` (``build_vocab_models``) are random-weight Marian models (d_model 16, one
  layer) on the *real* tokenizer files of opus-mt-tc-big-fr-en and opus-mt-ar-fr (tests/data/tokenizers, with
  their sources and licences): tc-big's own ids (``</s>`` 43311, ``<unk>`` 50387, ``<pad>`` 53016) and 1,024
  positions, the base layout (``</s>`` 0, ``<unk>`` 1, 512 positions). They translate nothing; they read and
  write as the real checkpoints do, for the tests of preprocessing, protection, encoding and decoding.

``briefgen.translate.models.fetch`` installs them with a downloader that copies the local folder instead of
calling the hub, so the real CTranslate2 converter, check, manifest and layout are used. The trained Hugging
Face folders are cached in tests/.cache (keyed by the training recipe and the library versions).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.translate.check import SENTENCES

# Lines for the sentencepiece models beside the check sentences, so the vocabularies look like real ones.
EXTRA = {
    "fr": ["La réunion de travail a eu lieu au Caire le 9 juin.",
           "Le ministre a souligné l'importance de la cybersécurité et de la protection des données.",
           "Un centre d'excellence sera créé avec le soutien des deux ministères."],
    "ru": ["Рабочая встреча состоялась в Каире девятого июня.",
           "Министр подчеркнул важность кибербезопасности и защиты данных.",
           "При поддержке обоих министерств будет создан центр компетенций."],
    "ar": ["عقد اجتماع العمل في القاهرة في التاسع من يونيو.",
           "أكد الوزير أهمية الأمن السيبراني وحماية البيانات.",
           "سيتم إنشاء مركز للتميز بدعم من الوزارتين."],
}

MARIAN_ID = "briefgen-tests/tiny-marian"
BROKEN_ID = "briefgen-tests/tiny-marian-broken"
M2M_ID = "briefgen-tests/tiny-m2m100"
COMMIT = "0" * 40                      # what the fake hub reports as the resolved revision
MARIAN_TARGETS = {"ru": ">>rus<<", "ar": ">>ara<<"}
# tiny in width and depth, but with the 512 positions of the real opus-mt models (their config.json): a double
# that runs out of positions sooner than the real thing fails where a real model does not (the CT2 backend caps
# a decoded line at 512 tokens, as the real models allow)
SIZE = {"d_model": 64, "encoder_layers": 1, "decoder_layers": 1, "encoder_attention_heads": 4,
        "decoder_attention_heads": 4, "encoder_ffn_dim": 128, "decoder_ffn_dim": 128, "max_position_embeddings": 512,
        "dropout": 0.0}

# The test registry: Marian for fr→ru and fr→ar (target tokens, as opus-mt-tc-big-fr-zle and -en-ar need), M2M100
# (language tokens) for the directions out of Russian and Arabic, and ru→ar through French so a pivot chains the
# two models. fr→ru carries a "card" reference output, as the packaged tc-big-fr-zle entry does.
REGISTRY = f"""\
[directions.fr-ru]
family = "marian"
hub_id = "{MARIAN_ID}"
revision = "main"
prefix = ">>rus<<"
licence = "CC-BY-4.0"
attribution = "briefgen test suite"
score = "memorised check sentences"
check_source = "{SENTENCES['fr'][1]}"
check_reference = "{SENTENCES['ru'][1]}"

[directions.fr-ar]
family = "marian"
hub_id = "{MARIAN_ID}"
revision = "main"
prefix = ">>ara<<"
licence = "CC-BY-4.0"

[directions.ru-fr]
family = "m2m100"
hub_id = "{M2M_ID}"
revision = "main"
licence = "MIT"

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
CACHE = Path(__file__).parent / ".cache"


@dataclass(frozen=True)
class TinyModels:
    root: Path
    models: Path            # installed models (the BRIEFGEN_MODELS layout)
    registry: Path          # the test registry (BRIEFGEN_REGISTRY)
    hf: dict[str, Path]     # hub id -> the saved Hugging Face folder (the broken one included)

    def use(self, monkeypatch: pytest.MonkeyPatch, models: Path | None = None) -> Path:
        """Point BRIEFGEN_MODELS/BRIEFGEN_REGISTRY at these models, or at a copy in ``models`` (for tests that
        damage or replace them). Returns the models folder in use."""
        if models is not None:
            shutil.copytree(self.models, models)
        folder = models or self.models
        monkeypatch.setenv("BRIEFGEN_MODELS", str(folder))
        monkeypatch.setenv("BRIEFGEN_REGISTRY", str(self.registry))
        return folder

    def hub(self, hub_id: str, revision: str, dest: Path, progress: bool) -> str:
        """A downloader for ``fetch``: copies the saved folder instead of calling the hub."""
        shutil.copytree(self.hf[hub_id], dest)
        return COMMIT


def build_tiny_models(root: Path) -> TinyModels:
    from briefgen.translate.check import install_check
    from briefgen.translate.models import fetch
    from briefgen.translate.registry import load_registry

    hf = _trained(root / "hf")
    registry = root / "registry.toml"
    registry.write_text(REGISTRY, encoding="utf-8")
    models = root / "models"
    routes = load_registry(models, packaged=registry)
    tiny = TinyModels(root, models, registry, hf)
    fetch(routes.models_for(routes.directions(("fr", "ru", "ar"))), models, download=tiny.hub,
          check=install_check(routes, {}))     # as `briefgen models fetch` installs: checked, both backends
    return tiny


def _trained(folder: Path) -> dict[str, Path]:
    """The Hugging Face folders of the three models, trained once and cached."""
    import torch
    import transformers

    recipe = [inspect.getsource(f) for f in (_marian, _m2m100, _spm, _train, _vocab)]
    key = hashlib.sha256(repr((recipe, SIZE, EXTRA, SENTENCES, MARIAN_TARGETS, torch.__version__,
                               transformers.__version__)).encode())
    cached = CACHE / f"tiny-{key.hexdigest()[:16]}"
    if not (cached / "done").is_file():
        shutil.rmtree(cached, ignore_errors=True)
        work = cached.with_name(cached.name + ".partial")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        _marian(work / "tiny-marian", work / "tiny-marian-broken")
        _m2m100(work / "tiny-m2m100")
        (work / "done").write_text("", encoding="utf-8")
        work.rename(cached)
    shutil.copytree(cached, folder)
    return {MARIAN_ID: folder / "tiny-marian", BROKEN_ID: folder / "tiny-marian-broken", M2M_ID: folder / "tiny-m2m100"}


def _spm(lines: list[str], prefix: Path, size: int) -> list[str]:
    import sentencepiece

    text = prefix.with_suffix(".txt")
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sentencepiece.SentencePieceTrainer.train(
        input=str(text), model_prefix=str(prefix), vocab_size=size, hard_vocab_limit=False, character_coverage=1.0,
        model_type="unigram", unk_id=0, eos_id=1, bos_id=-1, pad_id=-1, minloglevel=2)
    text.unlink()
    sp = sentencepiece.SentencePieceProcessor(model_file=str(prefix.with_suffix(".model")))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _marian(out: Path, broken: Path) -> None:
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir()
    source = _spm([*SENTENCES["fr"], *EXTRA["fr"]], out / "source", 150)
    target = _spm([*SENTENCES["ru"], *SENTENCES["ar"], *EXTRA["ru"], *EXTRA["ar"]], out / "target", 300)
    for name in ("source", "target"):
        (out / f"{name}.model").rename(out / f"{name}.spm")
        (out / f"{name}.vocab").unlink()
    vocab = _vocab({"</s>": 0, "<unk>": 1}, [*source, *target, *MARIAN_TARGETS.values(), ">>fra<<", "<pad>"])
    _write_json(out / "vocab.json", vocab)
    _write_json(out / "tokenizer_config.json", {"tokenizer_class": "MarianTokenizer", "source_lang": "fr",
                                                "target_lang": "zle", "model_max_length": 256,
                                                "separate_vocabs": False})
    _write_json(out / "special_tokens_map.json", {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"})
    tok = MarianTokenizer.from_pretrained(out)
    pairs = [(f"{MARIAN_TARGETS[tgt]} {s}", t) for tgt in ("ru", "ar")
             for s, t in zip(SENTENCES["fr"], SENTENCES[tgt], strict=True)]
    torch.manual_seed(1234)
    model = MarianMTModel(MarianConfig(vocab_size=len(vocab), pad_token_id=vocab["<pad>"], eos_token_id=0,
                                       decoder_start_token_id=vocab["<pad>"], forced_eos_token_id=0,
                                       share_encoder_decoder_embeddings=True, **SIZE))
    batch = tok([s for s, _ in pairs], text_target=[t for _, t in pairs], return_tensors="pt", padding=True)
    batch["labels"][batch["labels"] == vocab["<pad>"]] = -100
    with torch.no_grad():        # the target tokens start loud: the one thing that tells fr→ru from fr→ar
        for token in MARIAN_TARGETS.values():
            model.model.shared.weight[vocab[token]] *= 8
    # fr→ru and fr→ar share their sources, so the language must win by a margin int8 weights keep
    _train(model, batch, loss_goal=0.003, lr=5e-3)
    model.save_pretrained(out)
    # The broken conversion: the same weights with the embedding rows of the target pieces shuffled, as when a
    # converter ties the output projection to the wrong matrix. It loads and runs; it does not translate.
    shutil.copytree(out, broken)
    rows = torch.tensor(sorted({vocab[p] for p in target}))
    with torch.no_grad():
        shuffled = rows[torch.randperm(len(rows), generator=torch.Generator().manual_seed(7))]
        model.model.shared.weight[rows] = model.model.shared.weight[shuffled].clone()
    model.save_pretrained(broken)


def _m2m100(out: Path) -> None:
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer

    out.mkdir()
    pieces = _spm([*(s for lang in ("fr", "ru", "ar") for s in (*SENTENCES[lang], *EXTRA[lang]))], out / "spm", 300)
    (out / "spm.model").rename(out / "sentencepiece.bpe.model")
    (out / "spm.vocab").unlink()
    vocab = _vocab({"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}, pieces)
    _write_json(out / "vocab.json", vocab)
    _write_json(out / "tokenizer_config.json", {"tokenizer_class": "M2M100Tokenizer", "num_madeup_words": 8,
                                                "model_max_length": 256})
    tok = M2M100Tokenizer.from_pretrained(out)
    torch.manual_seed(1234)
    # the tokenizer puts its 100 language tokens after the vocabulary, then 8 filler words
    model = M2M100ForConditionalGeneration(M2M100Config(
        vocab_size=len(vocab) + 100 + 8, pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
        scale_embedding=True, **SIZE))
    inputs, labels = [], []
    for src, tgt in (("ru", "fr"), ("ar", "fr"), ("ar", "ru")):
        for s, t in zip(SENTENCES[src], SENTENCES[tgt], strict=True):
            inputs.append([tok.convert_tokens_to_ids(f"__{src}__"), *tok(s, add_special_tokens=False)["input_ids"], 2])
            labels.append([tok.convert_tokens_to_ids(f"__{tgt}__"), *tok(t, add_special_tokens=False)["input_ids"], 2])
    width, depth = max(map(len, inputs)), max(map(len, labels))
    batch = {"input_ids": torch.tensor([r + [1] * (width - len(r)) for r in inputs]),
             "attention_mask": torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in inputs]),
             "labels": torch.tensor([r + [-100] * (depth - len(r)) for r in labels])}
    _train(model, batch, loss_goal=0.03, lr=1e-2)      # the forced language token decides: less is enough
    model.save_pretrained(out)


def _train(model: object, batch: dict, loss_goal: float, lr: float) -> None:
    """Until the pairs are memorised (the loss below ``loss_goal``), so that int8 weights still translate them."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)          # a model this small runs slower across threads than on one
    try:
        opt = torch.optim.Adam(model.parameters(), lr=lr)   # type: ignore[attr-defined]
        model.train()                                          # type: ignore[attr-defined]
        for _ in range(1500):
            loss = model(**batch).loss                         # type: ignore[operator]
            opt.zero_grad()
            loss.backward()
            opt.step()
            if loss.item() < loss_goal:
                break
        model.eval()                                           # type: ignore[attr-defined]
    finally:
        torch.set_num_threads(threads)


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


# --- tiny models on the real opus-mt tokenizers (tests/data/tokenizers) ------------------------------------
#
# Random weights (d_model 16, one layer): they translate nothing, but they read and write exactly as the real
# checkpoints do, with the real sentencepiece files, ids, special tokens and positions. The tests of
# preprocessing, protection, encoding and decoding run on them (tests/test_real_vocab.py).

TOKENIZERS = Path(__file__).parent / "data" / "tokenizers"
TC_BIG_ID = "briefgen-tests/tc-big-fr-en"      # Helsinki-NLP/opus-mt-tc-big-fr-en's tokenizer, ids and positions
BASE_AR_ID = "briefgen-tests/base-ar-fr"       # Helsinki-NLP/opus-mt-ar-fr's sentencepiece models, base layout
VOCAB_SIZE = {"d_model": 16, "encoder_layers": 1, "decoder_layers": 1, "encoder_attention_heads": 2,
              "decoder_attention_heads": 2, "encoder_ffn_dim": 32, "decoder_ffn_dim": 32, "dropout": 0.0}
VOCAB_REGISTRY = f"""\
[directions.fr-en]
family = "marian"
hub_id = "{TC_BIG_ID}"
revision = "main"
licence = "CC-BY-4.0"
attribution = "OPUS-MT, University of Helsinki (tokenizer files; tests/data/tokenizers)"

[directions.ar-fr]
family = "marian"
hub_id = "{BASE_AR_ID}"
revision = "main"
licence = "CC-BY-4.0"
attribution = "OPUS-MT, University of Helsinki (tokenizer files; tests/data/tokenizers)"
"""


def build_vocab_models(root: Path) -> TinyModels:
    """The tc-big fr→en and base ar→fr tokenizers under random-weight models, installed as ``briefgen models
    fetch`` installs (real CTranslate2 conversion, token check, manifest), without the translation check: a
    random model fails it by design."""
    from briefgen.translate.models import fetch
    from briefgen.translate.registry import load_registry

    hf = {TC_BIG_ID: root / "hf" / "tc-big-fr-en", BASE_AR_ID: root / "hf" / "base-ar-fr"}
    _tc_big_fr_en(hf[TC_BIG_ID])
    _base_ar_fr(hf[BASE_AR_ID])
    registry = root / "registry.toml"
    registry.write_text(VOCAB_REGISTRY, encoding="utf-8")
    models = root / "models"
    routes = load_registry(models, packaged=registry)
    tiny = TinyModels(root, models, registry, hf)
    fetch(routes.models_for(["fr-en", "ar-fr"]), models, download=tiny.hub)
    return tiny


def _tc_big_fr_en(out: Path) -> None:
    """tc-big's own layout: ``</s>`` 43311, ``<unk>`` 50387, ``<pad>`` 53016, 1,024 positions, the real files."""
    real = TOKENIZERS / "opus-mt-tc-big-fr-en"
    out.mkdir(parents=True)
    for name in ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy2(real / name, out / name)
    config = json.loads((real / "config.json").read_text(encoding="utf-8"))
    _random_marian(out, config)


def _base_ar_fr(out: Path) -> None:
    """The 2020 base layout (``</s>`` 0, ``<unk>`` 1, every piece of both sentencepiece models, ``<pad>``
    last), built from the real spm files: the repository they come from has no vocab.json."""
    import sentencepiece

    real = TOKENIZERS / "opus-mt-ar-fr"
    out.mkdir(parents=True)
    pieces = []
    for name in ("source.spm", "target.spm"):
        shutil.copy2(real / name, out / name)
        sp = sentencepiece.SentencePieceProcessor(model_file=str(real / name))
        pieces += [sp.id_to_piece(i) for i in range(sp.get_piece_size())
                   if not (sp.is_unknown(i) or sp.is_control(i))]
    vocab = _vocab({"</s>": 0, "<unk>": 1}, [*pieces, "<pad>"])
    _write_json(out / "vocab.json", vocab)
    _write_json(out / "tokenizer_config.json", {"tokenizer_class": "MarianTokenizer", "source_lang": "ar",
                                                "target_lang": "fr", "model_max_length": 512,
                                                "separate_vocabs": False})
    _write_json(out / "special_tokens_map.json", {"eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"})
    config = json.loads((real / "config.json").read_text(encoding="utf-8"))
    pad = vocab["<pad>"]
    config.update(vocab_size=len(vocab), decoder_vocab_size=len(vocab), pad_token_id=pad,
                  decoder_start_token_id=pad, bad_words_ids=[[pad]])
    _random_marian(out, config)


def _random_marian(out: Path, real: dict) -> None:
    import torch
    from transformers import MarianConfig, MarianMTModel

    keep = ("vocab_size", "decoder_vocab_size", "pad_token_id", "eos_token_id", "forced_eos_token_id",
            "decoder_start_token_id", "bos_token_id", "max_position_embeddings", "activation_function",
            "scale_embedding", "static_position_embeddings", "share_encoder_decoder_embeddings",
            "normalize_embedding")
    torch.manual_seed(1234)
    model = MarianMTModel(MarianConfig(**{k: real[k] for k in keep if k in real}, **VOCAB_SIZE))
    model.eval()
    model.save_pretrained(out)

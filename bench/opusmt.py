"""Translation models with the exact shape of Helsinki-NLP opus-mt checkpoints, random (seeded) weights.

No real weights can be downloaded where briefgen is developed, but decoding cost depends on the shape, not
on the values: MarianMTModel, d_model 512, 6 + 6 layers, 8 heads, FFN 2048, static sinusoidal positions,
one 58,101-entry vocabulary shared by the encoder, the decoder and the output projection. Each model is
saved with ``save_pretrained`` beside the tokenizer files opus-mt ships (source.spm, target.spm,
vocab.json) and installed by ``briefgen.translate.models.fetch`` with a downloader that copies the folder,
so the real CTranslate2 int8 conversion and the real installed layout are what the benchmark runs.

The sentencepiece models are trained on generated text (French for the source; the example record's
reviewed translations and the glossary for Russian and Arabic). The target model then gets low-score
filler pieces in the target script until the vocabulary has its real size: every id the (random) model
can emit decodes to text, and that text re-encodes to about as many pieces, so target tokens can be
counted with the target sentencepiece as for a real model.
"""

from __future__ import annotations

import json
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VOCAB_SIZE = 58101          # the shared vocabulary of an opus-mt pair model
OPUS_MT = {"d_model": 512, "encoder_layers": 6, "decoder_layers": 6, "encoder_attention_heads": 8,
           "decoder_attention_heads": 8, "encoder_ffn_dim": 2048, "decoder_ffn_dim": 2048,
           "max_position_embeddings": 512}
TINY = {"d_model": 32, "encoder_layers": 1, "decoder_layers": 1, "encoder_attention_heads": 2,
        "decoder_attention_heads": 2, "encoder_ffn_dim": 64, "decoder_ffn_dim": 64, "max_position_embeddings": 512}
TINY_VOCAB = 4000
COMMIT = "b" * 40
FORMAT = "bench-opusmt/3"    # bump when the models change, so a stale cache is rebuilt

# Syllables for the filler pieces, in each target's script.
_FILL = {"ru": ("б в г д ж з к л м н п р с т ф х ц ч ш", "а е и о у ы я ю ё"),
         "ar": ("ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي", "ا و ي"),
         "fr": ("b c d f g j l m n p r s t v", "a e i o u é")}
# A little Russian and Arabic prose beyond the example's reviewed translations, so the target
# sentencepiece models see the diplomatic register.
EXTRA = {
    "ru": """\
Стороны обсудили сотрудничество в области кибербезопасности и защиты персональных данных.
Министры договорились укреплять двустороннее сотрудничество в сфере информационно-коммуникационных технологий.
Эксперты двух министерств подготовят дорожную карту до конца года.
Российская сторона представила свой опыт цифровизации государственных услуг.
Египетская сторона выразила заинтересованность в создании центра компетенций по искусственному интеллекту.
Рабочая группа рассмотрит вопросы развития цифровой инфраструктуры в сельских районах.
Стороны подчеркнули важность защиты критической информационной инфраструктуры.
Следующее заседание межправительственной комиссии состоится в Москве.
Делегации обменялись мнениями о международном управлении интернетом.
Министерство цифрового развития предлагает провести семинар по электронным платежам и цифровой идентичности.
""",
    "ar": """\
ناقش الطرفان التعاون في مجال الأمن السيبراني وحماية البيانات الشخصية.
اتفق الوزيران على تعزيز التعاون الثنائي في مجال تكنولوجيا المعلومات والاتصالات.
سيعد خبراء الوزارتين خارطة طريق قبل نهاية العام.
قدم الجانب الروسي تجربته في رقمنة الخدمات الحكومية.
أعرب الجانب المصري عن اهتمامه بإنشاء مركز للتميز في الذكاء الاصطناعي.
سيبحث فريق العمل المشترك تطوير البنية التحتية الرقمية في المناطق الريفية.
أكد الطرفان أهمية حماية البنية التحتية الحرجة للمعلومات.
ستعقد الدورة القادمة للجنة الحكومية المشتركة في موسكو.
تبادل الوفدان وجهات النظر حول الحوكمة الدولية للإنترنت.
تقترح وزارة التنمية الرقمية تنظيم ندوة حول المدفوعات الإلكترونية والهوية الرقمية.
""",
}


@dataclass(frozen=True)
class BenchModels:
    models: Path                 # BRIEFGEN_MODELS layout, one installed model per direction
    registry: Path               # BRIEFGEN_REGISTRY: the directions mapped to these models, no pivot
    directions: list[str]
    arch: str                    # "opus-mt" or "tiny"
    config: dict[str, Any]

    def env(self) -> dict[str, str]:
        return {"BRIEFGEN_MODELS": str(self.models), "BRIEFGEN_REGISTRY": str(self.registry)}


def hub_id(direction: str, arch: str) -> str:
    return f"briefgen-bench/{arch}-{direction}-random"


def cached(cache: Path, directions: list[str], tiny: bool = False) -> BenchModels | None:
    """The installed bench models for ``directions`` if they are all built (reads two small files only)."""
    arch = "tiny" if tiny else "opus-mt"
    root = cache / f"models-{arch}"
    if set(directions) <= _built(root, TINY if tiny else OPUS_MT):
        return BenchModels(root / "installed", root / "registry.toml", list(directions), arch,
                           {**(TINY if tiny else OPUS_MT), "vocab_size": TINY_VOCAB if tiny else VOCAB_SIZE})
    return None


def _built(root: Path, size: dict[str, int]) -> set[str]:
    stamp = root / "done.json"
    done = json.loads(stamp.read_text(encoding="utf-8")) if stamp.is_file() else {}
    return set(done.get("directions", [])) if done.get("format") == FORMAT and done.get("config") == size else set()


def ensure_models(cache: Path, directions: list[str], tiny: bool = False, log: Any = print) -> BenchModels:
    """The installed bench models for ``directions``, built on first use and cached under ``cache``."""
    arch = "tiny" if tiny else "opus-mt"
    root = cache / f"models-{arch}"
    registry = root / "registry.toml"
    stamp = root / "done.json"
    size = TINY if tiny else OPUS_MT
    wanted = {"format": FORMAT, "config": size, "directions": sorted(directions)}
    have = _built(root, size)
    missing = [d for d in directions if d not in have]
    if missing:
        if not have and root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True, exist_ok=True)
        for direction in missing:
            log(f"building the {arch} model for {direction} (once; cached in {root})")
            _build(root, direction, arch, size, TINY_VOCAB if tiny else VOCAB_SIZE)
        have |= set(missing)
        wanted["directions"] = sorted(have)
        stamp.write_text(json.dumps(wanted, indent=1), encoding="utf-8")
        registry.write_text("".join(
            f'[directions.{d}]\nfamily = "marian"\nhub_id = "{hub_id(d, arch)}"\nrevision = "main"\n'
            f'licence = "none (random weights)"\nscore = "benchmark model: random weights"\n\n'
            for d in sorted(have)), encoding="utf-8")
    found = cached(cache, directions, tiny)
    assert found is not None
    return found


def _build(root: Path, direction: str, arch: str, size: dict[str, int], vocab_size: int) -> None:
    import sentencepiece
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    from briefgen.translate.models import fetch
    from briefgen.translate.registry import ModelEntry

    src, tgt = direction.split("-")
    work = root / "work" / direction
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    # BPE at this size cuts the generated French into about 1.4 pieces a word, as opus-mt's vocabularies
    # do on such prose; the target model is unigram so that filler pieces re-encode whole (counting).
    source = _train_spm(work, "source", corpus(src), 850, "bpe")
    target = _train_spm(work, "target", corpus(tgt), 1000, "unigram")
    sp_src = sentencepiece.SentencePieceProcessor(model_file=str(source))
    sp_tgt = sentencepiece.SentencePieceProcessor(model_file=str(target))
    src_pieces = [sp_src.id_to_piece(i) for i in range(sp_src.get_piece_size())]
    tgt_pieces = [sp_tgt.id_to_piece(i) for i in range(sp_tgt.get_piece_size())]
    # Vocabulary as in opus-mt: </s>, <unk>, the pieces of both languages, <pad> last.
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in [*tgt_pieces, *src_pieces]:
        vocab.setdefault(piece, len(vocab))
    # Every entry must decode with the target model: source-only pieces and fillers are added to it.
    extra = [p for p in src_pieces if p not in set(tgt_pieces) and p in vocab and not p.startswith("<")]
    fillers = _fillers(tgt, vocab_size - 1 - len(vocab), set(vocab))
    for piece in fillers:
        vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    assert len(vocab) == vocab_size, (len(vocab), vocab_size)
    floor = min(sp_tgt.get_score(i) for i in range(sp_tgt.get_piece_size())) - 1.0
    _append_pieces(target, [*extra, *fillers], floor)

    hf = work / "hf"
    hf.mkdir()
    shutil.copy(source, hf / "source.spm")
    shutil.copy(target, hf / "target.spm")
    (hf / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (hf / "tokenizer_config.json").write_text(json.dumps(
        {"tokenizer_class": "MarianTokenizer", "source_lang": src, "target_lang": tgt, "model_max_length": 512}),
        encoding="utf-8")
    pad = vocab["<pad>"]
    # The config of opus-mt-fr-ru and its siblings (swish, scaled embeddings, static positions, no
    # final layer norm, the output projection tied to the shared embedding).
    config = MarianConfig(vocab_size=vocab_size, pad_token_id=pad, eos_token_id=0, bos_token_id=0,
                          decoder_start_token_id=pad, forced_eos_token_id=0, activation_function="swish",
                          scale_embedding=True, static_position_embeddings=True, normalize_embedding=False,
                          share_encoder_decoder_embeddings=True, tie_word_embeddings=True, **size)
    torch.manual_seed(sum(map(ord, direction)))
    model = MarianMTModel(config)
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad]], decoder_start_token_id=pad, eos_token_id=0, forced_eos_token_id=0, max_length=512,
        num_beams=4, pad_token_id=pad)
    model.save_pretrained(hf)
    del model

    def local_hub(hub: str, revision: str, dest: Path, progress: bool) -> str:
        shutil.copytree(hf, dest)
        return COMMIT

    entry = ModelEntry(direction=direction, family="marian", hub_id=hub_id(direction, arch))
    fetch([entry], root / "installed", download=local_hub)
    shutil.rmtree(work)           # the installed model keeps its own copy of the Hugging Face files


def corpus(lang: str) -> str:
    """Training text for a language's sentencepiece model."""
    from briefgen.memory.tmx import read_tmx
    from briefgen.terms.tsv import read_tsv

    lines: list[str] = []
    if lang == "fr":
        from workload import french_corpus

        lines.append(french_corpus(3000))
    units = read_tmx(ROOT / "meetings" / "eg-ru-2019-06-09.tmx")
    lines += [u.src_text if u.src_lang == lang else u.tgt_text for u in units if lang in (u.src_lang, u.tgt_lang)]
    layer = read_tsv(ROOT / "glossaries" / "ict.tsv")
    lines += [" ".join(c.terms.get(lang, ())) for c in layer.concepts]
    lines.append(EXTRA.get(lang, ""))
    # Real opus-mt base vocabularies read "<" and "[" (the tokenizer files in tests/data/tokenizers): so do these,
    # or the glossary's placeholder protection has no form to use (translate/vocab.py)
    lines.append("Voir <t1> et [t2], a < b > c [1] " + " ".join("0123456789"))
    return "\n".join(line for line in lines if line.strip()) + "\n"


def _train_spm(work: Path, name: str, text: str, vocab: int, model_type: str) -> Path:
    import sentencepiece

    (work / f"{name}.txt").write_text(text, encoding="utf-8")
    sentencepiece.SentencePieceTrainer.train(
        input=str(work / f"{name}.txt"), model_prefix=str(work / name), vocab_size=vocab, hard_vocab_limit=False,
        character_coverage=1.0, model_type=model_type, unk_id=0, eos_id=1, bos_id=-1, pad_id=-1, minloglevel=2)
    return work / f"{name}.model"


def _fillers(lang: str, n: int, taken: set[str]) -> list[str]:
    """``n`` distinct word-like pieces in the script of ``lang`` (consonant-vowel syllables)."""
    consonants, vowels = (s.split() for s in _FILL.get(lang, _FILL["fr"]))
    syllables = [c + v for c in consonants for v in vowels]
    out: list[str] = []
    width = 1
    while len(out) < n:
        width += 1
        for i in range(len(syllables) ** width):
            word, k = "", i
            for _ in range(width):
                word += syllables[k % len(syllables)]
                k //= len(syllables)
            piece = "▁" + word
            if piece not in taken:
                taken.add(piece)
                out.append(piece)
                if len(out) == n:
                    break
    return out


def _append_pieces(model: Path, pieces: list[str], score: float) -> None:
    """Add NORMAL pieces to a sentencepiece model. The model file is a protobuf ModelProto whose field 1 is
    the repeated piece list; repeated fields appended at the end of a message extend the list, so this
    needs no protobuf library."""
    def varint(n: int) -> bytes:
        out = bytearray()
        while True:
            b, n = n & 0x7F, n >> 7
            out.append(b | (0x80 if n else 0))
            if not n:
                return bytes(out)

    blob = bytearray(model.read_bytes())
    packed_score = struct.pack("<f", score)
    for piece in pieces:
        text = piece.encode("utf-8")
        inner = b"\x0a" + varint(len(text)) + text + b"\x15" + packed_score + b"\x18\x01"   # piece, score, NORMAL
        blob += b"\x0a" + varint(len(inner)) + inner
    model.write_bytes(bytes(blob))

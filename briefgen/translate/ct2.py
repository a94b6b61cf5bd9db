"""CTranslate2 backend: int8 models on the CPU (or CUDA), tokenized with sentencepiece directly.

This module must never import torch or transformers (a ct2 build stays light and starts fast); the
converted model folder carries the sentencepiece files it needs, and the language tokens come from the
registry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import SetupError
from .compose import NeuralTranslator
from .models import SPM_FILES, InstalledModel
from .registry import ModelEntry

log = logging.getLogger(__name__)

EOS = "</s>"
# Tokens that are not text: control tokens, opus-mt target tokens, M2M100 language tokens and fillers.
_NOT_TEXT = re.compile(r"^(<[^<>\s]+>|>>[^<>\s]+<<|__[A-Za-z_]+__|madeupword\d+)$")
_NLLB_CODE = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")


@dataclass
class CT2Engine:
    translator: Any          # ctranslate2.Translator
    source: Any              # sentencepiece.SentencePieceProcessor
    target: Any


class CT2Translator(NeuralTranslator):
    name = "ct2"
    part = "ct2"
    variant = "int8"

    def _load(self, entry: ModelEntry, installed: InstalledModel) -> CT2Engine:
        import ctranslate2
        import sentencepiece

        device = self.options.device
        if device.startswith("cuda") and ctranslate2.get_cuda_device_count() == 0:
            raise SetupError("--device cuda: CTranslate2 sees no CUDA device; build with --device cpu")
        translator = ctranslate2.Translator(str(installed.ct2_dir), device=device, compute_type="default",
                                            inter_threads=1, intra_threads=self.options.threads)
        spm = [sentencepiece.SentencePieceProcessor(model_file=str(installed.ct2_dir / name))
               for name in SPM_FILES[entry.family]]
        return CT2Engine(translator, spm[0], spm[-1])

    def encode(self, engine: CT2Engine, entry: ModelEntry, sentences: Sequence[str]) -> list[list[str]]:
        """The token pieces the model reads: [prefix or source-language token] + pieces + </s>."""
        head = [entry.prefix] if entry.prefix else []
        if entry.family in ("m2m100", "nllb") and entry.src_token:
            head = [entry.src_token]
        room = self.options.max_length_cap - len(head) - 1
        out = []
        for sentence, pieces in zip(sentences, engine.source.encode(list(sentences), out_type=str), strict=True):
            if len(pieces) > room:
                log.warning("%s: a sentence of %d tokens was cut to %d: %.60s…", entry.hub_id, len(pieces), room,
                            sentence)
                pieces = pieces[:room]
            out.append([*head, *pieces, EOS])
        return out

    def decode(self, engine: CT2Engine, entry: ModelEntry, tokens: Sequence[str]) -> str:
        text = [t for t in tokens if not _NOT_TEXT.match(t) and t != entry.tgt_token
                and not (entry.family == "nllb" and _NLLB_CODE.match(t))]
        return str(engine.target.decode(text)).strip()

    def _generate(self, engine: CT2Engine, entry: ModelEntry, sentences: Sequence[str]) -> list[str]:
        source = self.encode(engine, entry, sentences)
        prefix = [[entry.tgt_token] for _ in source] if entry.tgt_token else None
        limit = self.options.limit(max(len(s) for s in source)) + (1 if prefix else 0)
        results = engine.translator.translate_batch(
            source, target_prefix=prefix, beam_size=self.options.beam_size, max_decoding_length=limit,
            max_input_length=0)
        return [self.decode(engine, entry, r.hypotheses[0]) for r in results]

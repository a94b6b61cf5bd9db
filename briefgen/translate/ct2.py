"""CTranslate2 backend: int8 models on the CPU (or CUDA), tokenized with sentencepiece directly.

This module must never import torch or transformers (a ct2 build stays light and starts fast); the
converted model folder carries the sentencepiece files it needs, and the language tokens come from the
registry.
"""

from __future__ import annotations

import logging
import math
import os
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
_SPACES = re.compile(r" {2,}")


@dataclass
class CT2Engine:
    translator: Any          # ctranslate2.Translator
    source: Any              # sentencepiece.SentencePieceProcessor
    target: Any


def cpu_threads(requested: int) -> int:
    """The threads to compute with: as asked, else one per CPU this process may run on (CTranslate2's own
    default is 4, which oversubscribes a 2-core machine)."""
    if requested > 0:
        return requested
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:                   # not on Linux
        return max(1, os.cpu_count() or 1)


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
        # int8 weights and int8 matrix products on the CPU whatever the model was converted to (the
        # signature says int8); the GPU computes in float16 over int8 weights.
        compute_type = "int8_float16" if device.startswith("cuda") else "int8"
        # CPU: one worker per thread, each running whole batches on one core (the weights are shared). On
        # matrices of beam × batch rows, batches side by side keep the cores busier than threads splitting
        # one batch: about a third faster on 2 cores (bench/run.py).
        translator = ctranslate2.Translator(str(installed.ct2_dir), device=device, compute_type=compute_type,
                                            inter_threads=self.workers(), intra_threads=1)
        spm = [sentencepiece.SentencePieceProcessor(model_file=str(installed.ct2_dir / name))
               for name in SPM_FILES[entry.family]]
        return CT2Engine(translator, spm[0], spm[-1])

    def workers(self) -> int:
        """Batches translated at once."""
        return 1 if self.options.device.startswith("cuda") else cpu_threads(self.options.threads)

    def batch_size(self, sentences: int) -> int:
        # short work (an edited paragraph) is still cut into one batch per worker
        return max(1, min(self.options.batch_size, math.ceil(sentences / self.workers())))

    def count_tokens(self, engine: CT2Engine, entry: ModelEntry, sentences: Sequence[str]) -> list[int]:
        return [len(p) for p in engine.source.encode(list(sentences), out_type=str)]

    def encode(self, engine: CT2Engine, entry: ModelEntry, sentences: Sequence[str]) -> list[list[str]]:
        """The token pieces the model reads: [prefix or source-language token] + pieces + </s>. The sentences
        were cut to fit (``NeuralTranslator._fit``); only a single word longer than the limit can still be cut."""
        head = [entry.prefix] if entry.prefix else []
        if entry.family in ("m2m100", "nllb") and entry.src_token:
            head = [entry.src_token]
        room = self.input_limit(engine, entry)
        out = []
        for sentence, pieces in zip(sentences, engine.source.encode(list(sentences), out_type=str), strict=True):
            if len(pieces) > room:
                log.warning("%s: a word of %d tokens was cut to %d: %.60s…", entry.hub_id, len(pieces), room,
                            sentence)
                pieces = pieces[:room]
            out.append([*head, *pieces, EOS])
        return out

    def decode(self, engine: CT2Engine, entry: ModelEntry, tokens: Sequence[str]) -> str:
        text = [t for t in tokens if not _NOT_TEXT.match(t) and t != entry.tgt_token
                and not (entry.family == "nllb" and _NLLB_CODE.match(t))]
        # A piece of the joint vocabulary that target.spm lacks (a source-side piece the model can still emit)
        # comes back from sentencepiece as written, "▁" included: its word boundary is a space, as the
        # transformers tokenizer makes it.
        return _SPACES.sub(" ", str(engine.target.decode(text)).replace("\u2581", " ")).strip()

    def _generate(self, engine: CT2Engine, entry: ModelEntry, sentences: Sequence[str]) -> list[str]:
        return self._generate_all(engine, entry, [list(sentences)])[0]

    def _generate_all(self, engine: CT2Engine, entry: ModelEntry, batches: list[list[str]]) -> list[list[str]]:
        # All batches are queued at once; each worker takes the next as it finishes one. Results keep
        # their order.
        pending = [self._submit(engine, entry, batch) for batch in batches]
        return [[self.decode(engine, entry, r.result().hypotheses[0]) for r in results] for results in pending]

    def _submit(self, engine: CT2Engine, entry: ModelEntry, sentences: Sequence[str]) -> list[Any]:
        source = self.encode(engine, entry, sentences)
        prefix = [[entry.tgt_token] for _ in source] if entry.tgt_token else None
        forced = 1 if prefix else 0          # the decoding lengths count the forced target token
        low, high = self.options.lengths([len(s) for s in source])
        return engine.translator.translate_batch(
            source, target_prefix=prefix, beam_size=self.options.beam_size, asynchronous=True,
            min_decoding_length=low + forced if low else 0, max_decoding_length=high + forced, max_input_length=0)

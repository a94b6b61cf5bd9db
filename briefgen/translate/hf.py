"""Hugging Face transformers backend (``AutoModelForSeq2SeqLM``): the reference the ct2 backend is held to,
and a choice for users who prefer it. Reads the ``hf/`` part of an installed model, never the network."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import SetupError
from .compose import NeuralTranslator
from .models import InstalledModel, quiet_progress, require_hf_stack
from .registry import ModelEntry

log = logging.getLogger(__name__)


@dataclass
class HFEngine:
    model: Any               # a transformers seq2seq model
    tokenizer: Any
    device: str


class HFTranslator(NeuralTranslator):
    name = "hf"
    part = "hf"

    @property
    def variant(self) -> str:        # type: ignore[override]
        return f"torch-{self.options.hf_dtype}"

    def _load(self, entry: ModelEntry, installed: InstalledModel) -> HFEngine:
        require_hf_stack()
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        device = self.options.device
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise SetupError("--device cuda: torch sees no CUDA device; build with --device cpu")
        if self.options.hf_dtype != "float32" and not device.startswith("cuda"):
            raise SetupError(f"--hf-dtype {self.options.hf_dtype} runs only on a GPU (--device cuda); on the CPU "
                             "the hf backend computes in float32")
        if self.options.threads > 0:
            torch.set_num_threads(self.options.threads)
        # transformers 5 loads a checkpoint in the dtype it was saved in (tc-big: float16), which on a CPU is
        # slow and not the fp32 reference this backend is for: fp32 unless a GPU run asks for half precision.
        dtype = getattr(torch, self.options.hf_dtype)
        with quiet_progress(sys.stderr.isatty()):
            tokenizer = AutoTokenizer.from_pretrained(installed.hf_dir, local_files_only=True)
            model = AutoModelForSeq2SeqLM.from_pretrained(installed.hf_dir, local_files_only=True, dtype=dtype)
        model.eval()
        model.to(device)
        # Every call gives max_new_tokens; a checkpoint's own max_length (opus-mt: 512) would only make
        # transformers warn on every batch that the two are both set.
        model.generation_config.max_length = None
        return HFEngine(model, tokenizer, device)

    def count_tokens(self, engine: HFEngine, entry: ModelEntry, sentences: Sequence[str]) -> list[int]:
        self._set_source(engine, entry)
        ids = engine.tokenizer(list(sentences), add_special_tokens=False)["input_ids"]
        return [len(row) for row in ids]

    def input_limit(self, engine: HFEngine, entry: ModelEntry) -> int:
        positions = getattr(engine.model.config, "max_position_embeddings", None) or self.options.max_length_cap
        return min(super().input_limit(engine, entry), positions - 2)

    def encode(self, engine: HFEngine, entry: ModelEntry, sentences: Sequence[str]) -> Any:
        """Tokenizer output for a batch; the prefix or source-language token is first in every row. The
        sentences were cut to fit (``NeuralTranslator._fit``): nothing is truncated silently here."""
        texts = list(sentences)
        if entry.family == "marian" and entry.prefix:
            texts = [f"{entry.prefix} {s}" for s in texts]       # MarianTokenizer splits the >>xx<< token off
        self._set_source(engine, entry)
        batch = engine.tokenizer(texts, return_tensors="pt", padding=True)
        longest = int(batch["attention_mask"].sum(dim=1).max())
        room = self.input_limit(engine, entry) + 2
        if longest > room:       # only a single word longer than the limit gets here
            log.warning("%s: a word of %d tokens was cut to %d", entry.hub_id, longest, room)
            batch = engine.tokenizer(texts, return_tensors="pt", padding=True, truncation=True, max_length=room)
        return batch

    def _set_source(self, engine: HFEngine, entry: ModelEntry) -> None:
        if entry.family != "marian" and entry.src_token:
            tok = engine.tokenizer
            tok.src_lang = entry.src_token.strip("_") if entry.family == "m2m100" else entry.src_token

    def _generate(self, engine: HFEngine, entry: ModelEntry, sentences: Sequence[str]) -> list[str]:
        import torch

        tok = engine.tokenizer
        batch = self.encode(engine, entry, sentences).to(engine.device)
        extra: dict[str, Any] = {}
        drop: set[int] = set()
        if entry.tgt_token:
            forced = tok.convert_tokens_to_ids(entry.tgt_token)
            extra["forced_bos_token_id"] = forced
            drop.add(forced)
        # Language tokens are not always "special" to the tokenizer (transformers 5 and M2M100): drop them.
        drop.update(getattr(tok, "lang_token_to_id", {}).values())
        forced = 1 if entry.tgt_token else 0     # the new tokens count the forced target token
        low, high = self.options.lengths([int(n) for n in batch["attention_mask"].sum(dim=1).tolist()])
        if low:
            extra["min_new_tokens"] = low + forced
        with torch.inference_mode():
            out = engine.model.generate(**batch, num_beams=self.options.beam_size, max_new_tokens=high + forced,
                                        num_return_sequences=1, **extra)
        rows = [[i for i in row.tolist() if i not in drop] for row in out]
        return [t.strip() for t in tok.batch_decode(rows, skip_special_tokens=True)]

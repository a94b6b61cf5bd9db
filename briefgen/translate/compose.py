"""Translators built from other translators.

- ``PivotTranslator`` chains two directions (fr→en→ar) when no direct model is good enough.
- ``CachingTranslator`` puts a translation memory in front of any translator and stores what it makes.
- ``NeuralTranslator`` is the registry-driven base of the ct2 and hf backends: it routes each direction to
  its model (or to a pivot), loads models lazily, cuts paragraphs into sentences and batches them by length.
  Subclasses only load a model and generate for one batch of sentences.
"""

from __future__ import annotations

import logging
import math
from abc import abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import models_dir
from ..errors import BriefgenError, ModelError, ModelNotInstalledError
from .base import Translator, WrappingTranslator
from .clauses import fit
from .models import FIX_MODELS, InstalledModel, installed_commit, open_model, read_manifest
from .registry import ModelEntry, Registry, load_registry
from .sentences import SPLITTER_VERSION, length_batches, split_texts
from .typography import restore
from .vocab import Vocabulary, checked_placeholder

if TYPE_CHECKING:
    from ..config import Settings
    from ..memory.store import Memory

log = logging.getLogger(__name__)


class PivotTranslator(Translator):
    """src → via with ``first``, then via → tgt with ``second`` (the same translator by default)."""

    name = "pivot"

    def __init__(self, first: Translator, via: str, second: Translator | None = None) -> None:
        self.first = first
        self.second = second or first
        self.via = via

    def _translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        middle = self.first.translate(texts, src, self.via)
        return self.second.translate(middle, self.via, tgt)

    def pivot(self, src: str, tgt: str) -> str | None:
        return self.via

    def signature(self, src: str, tgt: str) -> str:
        return f"pivot({self.via})[{self.first.signature(src, self.via)}|{self.second.signature(self.via, tgt)}]"

    def retain(self, directions: Iterable[tuple[str, str]]) -> None:
        directions = list(directions)
        first = [(src, self.via) for src, _ in directions]
        second = [(self.via, tgt) for _, tgt in directions]
        if self.second is self.first:
            self.first.retain(first + second)
        else:
            self.first.retain(first)
            self.second.retain(second)

    def close(self) -> None:
        self.first.close()
        if self.second is not self.first:
            self.second.close()


class CachingTranslator(WrappingTranslator):
    """Looks every text up in the memory first; what ``inner`` translates is stored as a machine unit under
    ``inner``'s signature, so translating the same text again with the same engine costs nothing."""

    name = "cached"

    def __init__(self, inner: Translator, memory: Memory, record_id: str = "",
                 segment_ids: Mapping[str, str] | None = None) -> None:
        super().__init__(inner)
        self.memory = memory
        self.record_id = record_id
        self.segment_ids = segment_ids or {}   # source text -> segment id, kept as provenance

    def _translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        from ..memory.store import Unit

        signature = self.inner.signature(src, tgt)
        found: dict[str, str] = {}
        for text in texts:
            if text not in found:
                unit = self.memory.lookup(src, tgt, text, signature)
                if unit is not None:
                    found[text] = unit.tgt_text
        misses = list(dict.fromkeys(t for t in texts if t not in found))
        if misses:
            drafts = self.inner.translate(misses, src, tgt)
            self.memory.store(Unit(src, tgt, text, draft, "machine", signature, self.record_id,
                                   self.segment_ids.get(text, "")) for text, draft in zip(misses, drafts, strict=True))
            found.update(zip(misses, drafts, strict=True))
        log.info("%s→%s: %d from memory, %d translated", src, tgt, len(texts) - len(misses), len(misses))
        return [found[t] for t in texts]


@dataclass(frozen=True)
class EngineOptions:
    """Decoding settings of the neural backends. Everything that changes the output goes in ``tag()``."""

    device: str = "cpu"
    beam_size: int = 4
    threads: int = 0                 # 0: the backend's own choice
    batch_size: int = 16             # sentences per batch
    # Hard output cap: ratio × longest input of the batch + margin tokens, never above cap. Stops the
    # run-away repetition a model can fall into on odd input; generous enough for fr→ar length changes.
    max_length_ratio: float = 2.0
    max_length_margin: int = 10
    max_length_cap: int = 512
    # Benchmarks only (0: off): every batch decodes exactly this ratio × its mean input length, minimum =
    # maximum. Models with random weights stop at random points; this makes each engine do the work of a
    # real one, and taking the mean keeps the total the same however the sentences are batched.
    fixed_length_ratio: float = 0.0
    hf_dtype: str = "float32"        # the hf backend's weights: float16/bfloat16 only on CUDA, by option

    @classmethod
    def from_settings(cls, settings: Settings) -> EngineOptions:
        return cls(device=settings.device, beam_size=settings.beam_size, threads=settings.threads,
                   batch_size=settings.batch_size, hf_dtype=settings.hf_dtype)

    def limit(self, longest_input: int) -> int:
        return max(1, min(self.max_length_cap,
                          math.ceil(self.max_length_ratio * longest_input) + self.max_length_margin))

    def lengths(self, inputs: Sequence[int]) -> tuple[int, int]:
        """(minimum, maximum) output tokens for a batch whose inputs have these lengths in tokens."""
        cap = self.limit(max(inputs))
        if self.fixed_length_ratio > 0:
            fixed = min(cap, max(1, round(self.fixed_length_ratio * sum(inputs) / len(inputs))))
            return fixed, fixed
        return 0, cap

    def tag(self) -> str:
        fixed = f";fixed={self.fixed_length_ratio:g}x" if self.fixed_length_ratio > 0 else ""
        return (f"beam={self.beam_size};len={self.max_length_ratio:g}x+{self.max_length_margin}"
                f"<={self.max_length_cap}{fixed};{SPLITTER_VERSION}")


class NeuralTranslator(Translator):
    """Base of the model backends. Nothing is read from disk until a direction is actually translated."""

    name = "neural"
    part = "ct2"           # which part of an installed model the backend reads: "ct2" or "hf"
    variant = ""           # weights as run, e.g. int8; part of the signature

    def __init__(self, options: EngineOptions | None = None, models: Path | None = None,
                 registry: Registry | None = None) -> None:
        self.options = options or EngineOptions()
        self.models = Path(models) if models is not None else models_dir()
        self._registry = registry
        self._loaded: dict[str, Any] = {}
        self._vocabs: dict[str, tuple[Vocabulary, str | None] | None] = {}   # slug -> vocabulary, placeholder form
        self._unknown: dict[str, tuple[int, int]] = {}        # model direction -> (<unk> pieces, pieces) given
        self.loads: list[str] = []       # every model folder loaded, in order (a reload appears twice)

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = load_registry(self.models)
        return self._registry

    @property
    def loaded(self) -> list[str]:
        """Model folders currently in memory (tests use it to show a memory hit loads nothing)."""
        return list(self._loaded)

    def signature(self, src: str, tgt: str) -> str:
        route = self.registry.route(src, tgt)
        if route.pivot:
            return PivotTranslator(self, route.pivot).signature(src, tgt)
        entry = route.model
        assert entry is not None
        # The commit the installed model was fetched at; the registry's revision when none is installed
        # (then nothing machine-made by this model can be in the memory anyway).
        commit = installed_commit(self.models, entry) or entry.revision
        if len(commit) == 40:
            commit = commit[:12]             # plenty to tell commits apart; keeps the PDF footer readable
        tokens = f";tokens={','.join(entry.tokens())}" if entry.tokens() else ""
        pre = self.registry.preprocessing(entry).tag()
        return f"{self.name}:{entry.hub_id}@{commit};{self.variant};{self.options.tag()};pre={pre}{tokens}"

    def pivot(self, src: str, tgt: str) -> str | None:
        return self.registry.route(src, tgt).pivot

    def placeholder_form(self, src: str, tgt: str) -> str | None:
        found = self._vocabulary(src, tgt)
        return found[1] if found else super().placeholder_form(src, tgt)

    def reads_inline(self, src: str, tgt: str) -> bool:
        found = self._vocabulary(src, tgt)
        return found[0].reads_inline(tgt) if found else super().reads_inline(src, tgt)

    def unknown_pieces(self) -> dict[str, tuple[int, int]]:
        return dict(self._unknown)

    def _count_unknown(self, entry: ModelEntry, sentences: list[str], src: str, tgt: str) -> None:
        found = self._checked(entry)
        if found is None:
            return
        unk, total, chars = found[0].unknown(sentences)
        if unk:
            log.info("%s→%s: %d of %d pieces given to %s are <unk> (it cannot read %s)", src, tgt, unk, total,
                        entry.hub_id, " ".join(chars))
        before = self._unknown.get(f"{src}-{tgt}", (0, 0))
        self._unknown[f"{src}-{tgt}"] = (before[0] + unk, before[1] + total)

    def _vocabulary(self, src: str, tgt: str) -> tuple[Vocabulary, str | None] | None:
        """The installed src→tgt model's vocabulary and placeholder form, checked once per model; None for a
        pivot or a model not installed (translating then says what is missing)."""
        try:
            route = self.registry.route(src, tgt)
        except ModelError:
            return None
        if route.pivot or route.model is None:
            return None
        return self._checked(route.model)

    def _checked(self, entry: ModelEntry) -> tuple[Vocabulary, str | None] | None:
        if entry.slug not in self._vocabs:
            try:
                installed = open_model(self.models, entry, "ct2")
                self._vocabs[entry.slug] = checked_placeholder(installed.path, installed.manifest, entry.hub_id)
            except BriefgenError:            # not installed or damaged: translating says so
                return None
            except (OSError, RuntimeError, ValueError) as exc:   # tokenizer files sentencepiece cannot read
                log.warning("%s: cannot read its vocabulary (%s); placeholders as first built", entry.hub_id,
                            (str(exc).splitlines() or [type(exc).__name__])[0])
                self._vocabs[entry.slug] = None
        return self._vocabs[entry.slug]

    def require(self, directions: Iterable[tuple[str, str]]) -> None:
        """One ModelError naming every direction whose models are missing or damaged (called by the
        pipeline before it translates, so the user learns everything that is missing at once)."""
        missing: dict[str, list[str]] = {}
        other: list[str] = []
        for src, tgt in directions:
            for leg in self.registry.legs(src, tgt):
                if leg.slug in self._loaded:
                    continue
                try:
                    if read_manifest(self.models / leg.slug) is None:
                        missing.setdefault(f"{src}→{tgt}", []).append(leg.hub_id)
                        continue
                    open_model(self.models, leg, self.part)
                except ModelError as exc:
                    if str(exc) not in other:
                        other.append(str(exc))
        if missing:
            named = ", ".join(f"{d} ({', '.join(ids)})" for d, ids in missing.items())
            other.insert(0, f"no translation model installed for {named} in {self.models}. {FIX_MODELS}")
        if other:
            raise (ModelNotInstalledError if len(other) == 1 and missing else ModelError)(" ".join(other))

    def _translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        route = self.registry.route(src, tgt)
        needed = any(t.strip() for t in texts)
        if needed and any(leg.slug not in self._loaded for leg in self.registry.legs(src, tgt)):
            self.require([(src, tgt)])       # names the direction asked for, pivot legs included
        if route.pivot:
            return PivotTranslator(self, route.pivot).translate(texts, src, tgt)
        entry = route.model
        assert entry is not None
        split = split_texts(texts, src)
        if not split.sentences:
            return split.join([])
        engine = self.engine_for(entry)
        # The normalisation the model was trained with, then every sentence cut to what the model reads.
        sentences = self.registry.preprocessing(entry).apply_all(split.sentences, src)
        pieces, owner = self._fit(engine, entry, sentences, texts, split.layout, src, tgt)
        self._count_unknown(entry, pieces, src, tgt)
        drafts = [""] * len(pieces)
        # Every piece of the direction at once, cut into batches of similar length: one call per direction and
        # build, however many agenda items the sentences come from.
        batches = length_batches(pieces, self.batch_size(len(pieces)))
        results = self._generate_all(engine, entry, [[pieces[i] for i in b] for b in batches])
        for batch, done in zip(batches, results, strict=True):
            if len(done) != len(batch):
                raise ModelError(f"{entry.hub_id} returned {len(done)} sentences for {len(batch)}")
            for i, draft in zip(batch, done, strict=True):
                drafts[i] = draft
        out = [""] * len(sentences)
        for i, draft in zip(owner, drafts, strict=True):
            out[i] = f"{out[i]} {draft.strip()}".strip()
        log.info("%s→%s: %d sentence(s) from %d segment(s) in %d batch(es) with %s", src, tgt, len(out),
                 len(texts), len(batches), entry.hub_id)
        return [restore(t, tgt) for t in split.join(out)]     # the target language's typography back

    def _fit(self, engine: Any, entry: ModelEntry, sentences: list[str], texts: list[str],
             layout: list[tuple[str, str, list[int]]], src: str, tgt: str) -> tuple[list[str], list[int]]:
        """The pieces the model reads and, per piece, the sentence it belongs to. A sentence longer than the
        model takes is cut at clause boundaries, never truncated; a cut between words is reported with the
        segment it falls in, for a translator to check."""
        limit = self.input_limit(engine, entry)
        counts = self.count_tokens(engine, entry, sentences)
        pieces: list[str] = []
        owner: list[int] = []
        for i, (sentence, n) in enumerate(zip(sentences, counts, strict=True)):
            parts, forced = ([sentence], False) if n <= limit else fit(
                sentence, limit, lambda xs: self.count_tokens(engine, entry, xs))
            if len(parts) > 1:
                segment = texts[_text_of(layout, i)].strip()
                if forced:
                    log.warning("%s→%s: the segment beginning «%s» has a sentence of %d tokens, more than the %d "
                                "%s reads, with no clause short enough: it was translated in %d pieces cut "
                                "between words; check that segment's translation", src, tgt, _opening(segment),
                                n, limit, entry.hub_id, len(parts))
                else:
                    log.info("%s→%s: a sentence of %d tokens was translated in %d clauses (limit %d): «%s»", src,
                             tgt, n, len(parts), limit, _opening(segment))
            pieces.extend(parts)
            owner.extend([i] * len(parts))
        return pieces, owner

    def input_limit(self, engine: Any, entry: ModelEntry) -> int:
        """Source tokens the model reads in one sentence, its language token and end-of-sentence included."""
        return self.options.max_length_cap - 1 - (1 if entry.prefix or entry.src_token else 0)

    @abstractmethod
    def count_tokens(self, engine: Any, entry: ModelEntry, sentences: Sequence[str]) -> list[int]:
        """Source tokens of each sentence as the model's tokenizer cuts it (language token and end excluded)."""

    def batch_size(self, sentences: int) -> int:
        """Sentences per batch; backends that run batches in parallel make smaller ones for short work."""
        return self.options.batch_size

    def engine_for(self, entry: ModelEntry) -> Any:
        """The loaded model serving ``entry``, loading it on first use."""
        engine = self._loaded.get(entry.slug)
        if engine is None:
            installed = open_model(self.models, entry, self.part)
            log.info("loading %s (%s) from %s", entry.hub_id, self.name, installed.path)
            try:
                engine = self._load(entry, installed)
            except BriefgenError:
                raise
            except Exception as exc:   # loaders fail in many ways on a bad folder (IndexError, RuntimeError…)
                reason = (str(exc).splitlines() or [type(exc).__name__])[0]
                raise ModelError(f"{installed.path}: cannot load the model ({reason}); the "
                                 f"model folder may be damaged. Re-install it: `briefgen models fetch "
                                 f"{entry.direction}`, or `briefgen models install FILE` offline") from exc
            self._loaded[entry.slug] = engine
            self.loads.append(entry.slug)
            self._checked(entry)         # the placeholder form recorded at install, checked against the vocabulary
        return engine

    def retain(self, directions: Iterable[tuple[str, str]]) -> None:
        keep = {leg.slug for src, tgt in directions for leg in self.registry.legs(src, tgt)}
        for slug in [s for s in self._loaded if s not in keep]:
            log.info("unloading %s", slug)
            del self._loaded[slug]           # the last reference: the model's memory goes with it

    def close(self) -> None:
        self._loaded.clear()

    @abstractmethod
    def _load(self, entry: ModelEntry, installed: InstalledModel) -> Any:
        """Load the model and its tokenizer; any exception but a BriefgenError means a bad model folder."""

    @abstractmethod
    def _generate(self, engine: Any, entry: ModelEntry, sentences: Sequence[str]) -> list[str]:
        """Translate one batch of sentences of similar length."""

    def _generate_all(self, engine: Any, entry: ModelEntry, batches: list[list[str]]) -> list[list[str]]:
        """Translate every batch of a direction; one after the other unless a backend overlaps them."""
        return [self._generate(engine, entry, batch) for batch in batches]


def _text_of(layout: list[tuple[str, str, list[int]]], sentence: int) -> int:
    """Which of the split texts the sentence with this index came from."""
    seen = 0
    for i, (_, _, lines) in enumerate(layout):
        seen += sum(lines)
        if sentence < seen:
            return i
    raise IndexError(sentence)


def _opening(text: str, words: int = 8) -> str:
    head = text.split()
    return " ".join(head[:words]) + (" …" if len(head) > words else "")

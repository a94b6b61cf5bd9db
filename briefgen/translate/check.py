"""``briefgen models check``: does an installed model translate? Run after every fetch and install.

Marian checkpoints have loaded wrongly across transformers versions without an error (tied embeddings and
``lm_head`` in 4.30, the conversion fix of 2024, the weight-loading refactor of v5: docs/models-research.md §5);
a wrong conversion produces fluent garbage or one token repeated, in every brief. So each model translates a few
fixed sentences and is rejected when an output is empty, repeats itself, is not in the target language's script,
or is far from the expected translation — the aligned sentences below, and for registry models whose card or
maintainers published one, the model's own published output (``check_source``/``check_reference``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import BriefgenError, ModelError
from .base import Translator
from .registry import ModelEntry, Registry, Route

log = logging.getLogger(__name__)

# The same three sentences in each language: what a ministry's drafts look like, short enough for any model.
SENTENCES = {
    "fr": ("Les deux délégations ont examiné la coopération dans le domaine des technologies de l'information.",
           "Les parties sont convenues de poursuivre les consultations.",
           "La prochaine réunion se tiendra à Moscou."),
    "ru": ("Обе делегации обсудили сотрудничество в области информационных технологий.",
           "Стороны договорились продолжить консультации.",
           "Следующая встреча состоится в Москве."),
    "ar": ("ناقش الوفدان التعاون في مجال تكنولوجيا المعلومات.",
           "اتفق الطرفان على مواصلة المشاورات.",
           "سيعقد الاجتماع المقبل في موسكو."),
    "en": ("The two delegations discussed cooperation in the field of information technology.",
           "The parties agreed to continue the consultations.",
           "The next meeting will be held in Moscow."),
}
SCRIPTS = {"fr": re.compile(r"[A-Za-zÀ-ÿŒœ]"), "en": re.compile(r"[A-Za-z]"),
           "ru": re.compile(r"[\u0400-\u04ff]"), "ar": re.compile(r"[\u0600-\u06ff]")}
MIN_SCRIPT_SHARE = 0.6     # of an output's letters; names and acronyms in Latin letters stay well below 40 %
MIN_CHRF = 25.0            # against SENTENCES: a working model scores 45-80 on them, garbage under 15
MIN_CARD_CHRF = 40.0       # against the model's own published output: the same model scores near 100
_REPEAT = re.compile(r"(\b\S+(?:\s+\S+){0,3}?)(?:\s+\1){3,}")   # a word or phrase of up to 4 words, 4 times in a row


@dataclass
class CheckResult:
    direction: str
    hub_id: str
    backend: str
    problems: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    chrf: float | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def judge(sources: Sequence[str], outputs: Sequence[str], tgt: str) -> list[str]:
    """What is wrong with these outputs, in words a user can act on (empty: nothing)."""
    problems: list[str] = []
    script = SCRIPTS.get(tgt)
    for source, out in zip(sources, outputs, strict=True):
        shown = f"«{_short(source)}» → «{_short(out)}»"
        if not out.strip():
            problems.append(f"empty output: «{_short(source)}»")
            continue
        if _REPEAT.search(out) or len(out) > 4 * len(source) + 20:
            problems.append(f"repeats itself: {shown}")
            continue
        letters = [ch for ch in out if ch.isalpha()]
        if script is not None and letters:
            share = sum(1 for ch in letters if script.match(ch)) / len(letters)
            if share < MIN_SCRIPT_SHARE:
                problems.append(f"not in the {tgt} script ({share:.0%} of its letters): {shown}")
    return problems


def check_translator(translator: Translator, entry: ModelEntry, backend: str) -> CheckResult:
    """Translate the fixed sentences (and the card's own example) with ``translator`` for ``entry``."""
    import sacrebleu

    src, tgt = entry.direction.split("-")
    result = CheckResult(entry.direction, entry.hub_id, backend)
    sources = list(SENTENCES.get(src, ()))
    try:
        if sources:
            result.outputs = translator.translate(sources, src, tgt)
            result.problems += judge(sources, result.outputs, tgt)
            if tgt in SENTENCES and not result.problems:
                result.chrf = round(sacrebleu.corpus_chrf(result.outputs, [list(SENTENCES[tgt])]).score, 1)
                if result.chrf < MIN_CHRF:
                    result.problems.append(f"far from the expected translations: chrF {result.chrf} < {MIN_CHRF:g} "
                                           f"(«{_short(result.outputs[0])}» for «{_short(sources[0])}»)")
        if entry.check_source and entry.check_reference:
            out = translator.translate([entry.check_source], src, tgt)[0]
            score = sacrebleu.sentence_chrf(out, [entry.check_reference]).score
            if score < MIN_CARD_CHRF:
                result.problems.append(f"far from the output its card publishes: «{_short(out)}» instead of "
                                       f"«{_short(entry.check_reference)}» (chrF {score:.1f} < {MIN_CARD_CHRF:g})")
    except BriefgenError as exc:
        result.problems.append(f"cannot translate: {exc}")
    return result


def check_model(models: Path, entry: ModelEntry, registry: Registry, backends: Sequence[str]) -> list[CheckResult]:
    """Check the model for ``entry`` installed in ``models`` with each backend, memory and glossary off."""
    import importlib

    from .compose import EngineOptions
    from .loader import BACKENDS

    alone = replace(registry, routes={entry.direction: Route(entry.direction, model=entry)}, alternatives=[])
    results = []
    for backend in backends:
        module, cls = BACKENDS[backend]
        translator = getattr(importlib.import_module(module, __package__), cls)(EngineOptions(), models, alone)
        try:
            results.append(check_translator(translator, entry, backend))
        finally:
            translator.close()
    return results


def parts_of(models: Path, entry: ModelEntry) -> list[str]:
    """The backends to check an installed model with: ct2 always; hf when its Hugging Face files were kept and
    this machine has transformers (an offline machine running ct2 only need not install them)."""
    import importlib.util

    from .models import open_model

    has_stack = all(importlib.util.find_spec(m) is not None for m in ("torch", "transformers"))
    if open_model(models, entry, "ct2").has_hf and not has_stack:
        log.info("%s: hf part not checked: torch/transformers are not installed here", entry.hub_id)
    return ["ct2", "hf"] if open_model(models, entry, "ct2").has_hf and has_stack else ["ct2"]


def install_check(registry: Registry, report: dict[str, str]) -> Callable[[Path, ModelEntry], None]:
    """For ``fetch`` and ``install_bundle``: check a staged model before it is put in place (a failure raises
    and installs nothing); what passed is written into ``report`` by model folder name."""
    def check(root: Path, entry: ModelEntry) -> None:
        results = check_model(root, entry, registry, parts_of(root, entry))
        require_ok(results, " (the model already installed, if any, stays in place)")
        report[entry.slug] = ", ".join(f"{r.backend} ok" + (f" (chrF {r.chrf})" if r.chrf is not None else "")
                                       for r in results)
    return check


def require_ok(results: Sequence[CheckResult], where: str) -> None:
    failed = [r for r in results if not r.ok]
    if failed:
        lines = "; ".join(f"{r.hub_id} ({r.backend}, {r.direction}): {', '.join(r.problems)}" for r in failed)
        raise ModelError(f"{lines}. The model does not translate; it was not installed{where}. If the hub's "
                         "files changed, pin a revision that works in registry.toml (see README, Models)")


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"

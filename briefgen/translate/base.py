"""The Translator interface every backend implements, and a dictionary double for tests and dry runs."""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence

from ..errors import ModelError, SetupError
from ..textsafety import limit_problem, neutralize, nfc

log = logging.getLogger(__name__)


_UNKNOWN = re.compile(r"\s*(?:<unk>|\u2047)\s*")


def drop_unknown(text: str, engine: str, src: str, tgt: str) -> str:
    """Remove the unknown-word marks a decoder can emit (``<unk>``, sentencepiece's ⁇): what stood there
    is lost, which the glossary check then reports, but the mark itself must never reach a PDF."""
    if "<unk>" not in text and "\u2047" not in text:
        return text
    log.warning("%s %s→%s: the translation lost words the model could not read (<unk>): %.60s", engine, src,
                tgt, text)
    return _UNKNOWN.sub(" ", text).strip().replace(" ,", ",").replace(" .", ".")


class Translator(ABC):
    """Translates batches of plain-text segments for one direction at a time.

    ``translate`` is implemented once here: it checks the batch shape and removes characters that could
    reorder or hide text in a PDF; subclasses fill ``_translate``.
    ``signature`` names everything that changes the output (backend, model id and revision, settings):
    the memory reuses a machine translation only while the signature that made it is unchanged.
    """

    name = "base"

    def translate(self, texts: Sequence[str], src: str, tgt: str) -> list[str]:
        if not texts:
            return []
        out = self._translate(list(texts), src, tgt)
        if len(out) != len(texts):
            raise SetupError(f"{self.name} returned {len(out)} translations for {len(texts)} segments")
        # a model can emit bidi controls or zero-width characters; none of them may reach a PDF
        out = [nfc(neutralize(drop_unknown(o, self.name, src, tgt))) for o in out]
        for source, text in zip(texts, out, strict=True):
            problem = limit_problem(text)   # a runaway decoder: refused, never stored or printed
            if problem:
                raise ModelError(f"{self.name} {src}→{tgt} made an unusable translation of «{source[:60]}»: its "
                                 f"{problem}; the model may be damaged: install it again or choose another")
        return out

    @abstractmethod
    def _translate(self, texts: list[str], src: str, tgt: str) -> list[str]: ...

    @abstractmethod
    def signature(self, src: str, tgt: str) -> str: ...

    def pivot(self, src: str, tgt: str) -> str | None:
        """The language this translator goes through for src→tgt (fr→en→ar), if any: a glossary enforces
        terms on each leg. The default translates directly."""
        return None

    def placeholder_form(self, src: str, tgt: str) -> str | None:
        """The placeholder form (``"<t{n}>"``) the src→tgt model reads and writes whole, or None when it has
        none (translate/vocab.py). The default: the form pair models were first protected with."""
        return "<t{n}>"

    def reads_inline(self, src: str, tgt: str) -> bool:
        """Whether the src→tgt model reads a term written in ``tgt`` into its source as words."""
        from .scripts import reads

        return reads(src, tgt)

    def unknown_pieces(self) -> dict[str, tuple[int, int]]:
        """Per model direction ("fr-en"), the (unknown, all) pieces of what its model was given so far: the
        share the manifest reports. The default gives no model anything."""
        return {}

    def require(self, directions: Iterable[tuple[str, str]]) -> None:  # noqa: B027 - optional hook
        """Raise one error naming every direction this translator cannot serve (missing models);
        called before a build translates anything. The default serves every direction."""

    def retain(self, directions: Iterable[tuple[str, str]]) -> None:  # noqa: B027 - optional hook
        """Only these directions come next: models none of them needs may be unloaded (they load again
        when asked). The pipeline calls it between directions so a build holds one direction's models at a
        time. The default holds nothing."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release models; the default holds nothing."""


class WrappingTranslator(Translator):
    """A translator around another (memory cache, glossary enforcement): the hooks reach the inner one,
    and the signature is the inner one's unless the wrapper changes the output."""

    def __init__(self, inner: Translator) -> None:
        self.inner = inner

    def signature(self, src: str, tgt: str) -> str:
        return self.inner.signature(src, tgt)

    def pivot(self, src: str, tgt: str) -> str | None:
        return self.inner.pivot(src, tgt)

    def placeholder_form(self, src: str, tgt: str) -> str | None:
        return self.inner.placeholder_form(src, tgt)

    def reads_inline(self, src: str, tgt: str) -> bool:
        return self.inner.reads_inline(src, tgt)

    def unknown_pieces(self) -> dict[str, tuple[int, int]]:
        return self.inner.unknown_pieces()

    def require(self, directions: Iterable[tuple[str, str]]) -> None:
        self.inner.require(directions)

    def retain(self, directions: Iterable[tuple[str, str]]) -> None:
        self.inner.retain(directions)

    def close(self) -> None:
        self.inner.close()


class DictionaryTranslator(Translator):
    """Looks texts up in a table; for tests and dry runs. Unknown texts raise, or go through ``fallback``."""

    name = "dictionary"

    def __init__(self, table: Mapping[tuple[str, str], Mapping[str, str]],
                 fallback: Translator | None = None) -> None:
        self.table = table
        self.fallback = fallback
        self.calls: list[tuple[str, str, int]] = []

    def _translate(self, texts: list[str], src: str, tgt: str) -> list[str]:
        self.calls.append((src, tgt, len(texts)))
        known = self.table.get((src, tgt), {})
        missing = [t for t in texts if t not in known]
        extra: dict[str, str] = {}
        if missing:
            if self.fallback is None:
                raise SetupError(f"dictionary translator has no {src}→{tgt} entry for: {missing[0][:60]}")
            extra = dict(zip(missing, self.fallback.translate(missing, src, tgt), strict=True))
        return [known.get(t, extra.get(t, "")) for t in texts]

    def signature(self, src: str, tgt: str) -> str:
        return f"dictionary:{len(self.table.get((src, tgt), {}))}"

"""Cut paragraphs into sentences for the models, and put the translations back together.

The models were trained on single sentences: a long paragraph given whole tends to come back truncated or
with sentences dropped. pysbd is rule-based (no download) and knows French, Russian and Arabic punctuation
and abbreviations (``M.``, ``т. е.``, ``؟``); a small regex splitter covers any other language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

SPLITTER_VERSION = "pysbd-1"       # part of the engine signature: a new splitter changes the drafts
_FALLBACK = re.compile(r"(?<=[.!?؟…])\s+(?=\S)")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=8)
def _segmenter(lang: str) -> Callable[[str], list[str]]:
    try:
        import pysbd

        seg = pysbd.Segmenter(language=lang, clean=False)
    except (ImportError, ValueError):
        return lambda text: _FALLBACK.split(text)
    return seg.segment


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of one line of text, without surrounding whitespace. Joined by a space they give the line
    back (modulo whitespace); when the splitter would lose characters, the line stays whole."""
    line = text.strip()
    if not line:
        return []
    parts = [p.strip() for p in _segmenter(lang)(line)]
    parts = [p for p in parts if p]
    if _SPACE.sub("", "".join(parts)) != _SPACE.sub("", line):
        return [line]
    return parts


@dataclass
class Split:
    """The sentences of a batch of texts and how to rebuild each text from their translations."""

    sentences: list[str]
    # per text: its leading and trailing whitespace, and per line the number of sentences it holds
    layout: list[tuple[str, str, list[int]]]

    def join(self, translated: Sequence[str]) -> list[str]:
        if len(translated) != len(self.sentences):
            raise ValueError(f"{len(translated)} translations for {len(self.sentences)} sentences")
        out: list[str] = []
        i = 0
        for lead, trail, lines in self.layout:
            rebuilt = []
            for n in lines:
                rebuilt.append(" ".join(t.strip() for t in translated[i:i + n] if t.strip()))
                i += n
            out.append(lead + "\n".join(rebuilt) + trail if any(lines) else lead + trail)
        return out


def split_texts(texts: Sequence[str], lang: str) -> Split:
    """Line breaks are kept as they are; each line is cut into sentences."""
    sentences: list[str] = []
    layout: list[tuple[str, str, list[int]]] = []
    for text in texts:
        body = text.strip()
        lead = text[:len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):] if body else ""
        counts = []
        for line in body.split("\n") if body else []:
            parts = split_sentences(line, lang)
            sentences.extend(parts)
            counts.append(len(parts))
        layout.append((lead, trail, counts))
    return Split(sentences, layout)


def length_batches(items: Sequence[str], batch_size: int,
                   size: Callable[[str], int] = len) -> list[list[int]]:
    """Indices of ``items`` grouped into batches of similar length, longest first: padding is wasted work,
    and a length cap per batch then fits every sentence in it."""
    order = sorted(range(len(items)), key=lambda i: (-size(items[i]), i))
    step = max(1, batch_size)
    return [order[i:i + step] for i in range(0, len(order), step)]

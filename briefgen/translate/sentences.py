"""Cut paragraphs into sentences for the models, and put the translations back together.

The models were trained on single sentences: a paragraph given whole tends to come back truncated or with
sentences dropped, and a sentence cut in two comes back as two worse translations. Where a sentence ends is
decided by ``sentence_ends`` (rules and abbreviation tables per language, held to the labelled set in
tests/data/sentences). A sentence still too long for the model is cut at clause boundaries (``clauses``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from .sentence_ends import GENERIC, RULES, cut_positions

SPLITTER_VERSION = "ends-1"       # part of the engine signature: a new splitter changes the drafts


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of one line of text, without surrounding whitespace. Joined by a space they give the line
    back, modulo whitespace: cuts fall only on spaces, so no character is ever lost."""
    line = text.strip()
    if not line:
        return []
    cuts = [0, *cut_positions(line, RULES.get(lang, GENERIC)), len(line)]
    return [part for a, b in pairwise(cuts) if (part := line[a:b].strip())]


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

"""Cut a sentence too long for a model at its clause boundaries, so that no part of it is ever truncated.

Strongest boundaries first (``;`` ``؛`` ``:``), then commas (``,`` ``،``) and dashes, and only when a clause alone
is still too long, between words. The pieces are translated one by one and joined with a space; the caller is
told when a cut had to fall between words, which a translator should then look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# Each pattern matches the spaces after (or, for a dash, before) a boundary; the text is cut there.
_LEVELS = (
    re.compile(r"(?<=[;؛:])\s+"),
    re.compile(r"(?<=[,،])\s+|\s+(?=[—–]\s)"),
    re.compile(r"\s+"),
)

Count = Callable[[Sequence[str]], list[int]]     # tokens of each text, as the model's tokenizer counts them


def fit(sentence: str, limit: int, count: Count) -> tuple[list[str], bool]:
    """Pieces of ``sentence`` of at most ``limit`` tokens each, joined by spaces they give the sentence back
    (modulo whitespace), and whether a piece had to be cut between words. A single word longer than the limit
    stays whole (the backend then cuts its tokens, and says so)."""
    if count([sentence])[0] <= limit:
        return [sentence], False
    return _fit(sentence, limit, count, 0)


def _fit(text: str, limit: int, count: Count, level: int) -> tuple[list[str], bool]:
    parts = [p for p in _LEVELS[level].split(text) if p]
    at_words = level == len(_LEVELS) - 1
    forced = at_words
    pieces: list[str] = []
    current = ""
    for part in parts:
        joined = f"{current} {part}" if current else part
        if count([joined])[0] <= limit:
            current = joined
            continue
        if current:
            pieces.append(current)
        if count([part])[0] <= limit or at_words:
            current = part
        else:
            sub, sub_forced = _fit(part, limit, count, level + 1)
            forced |= sub_forced
            pieces.extend(sub[:-1])
            current = sub[-1]
    if current:
        pieces.append(current)
    return pieces, forced

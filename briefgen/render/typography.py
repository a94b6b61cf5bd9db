"""How wide a justified line's word-spaces may grow, and the paragraphs set ragged when a line would exceed it.

WeasyPrint breaks lines first-fit and then justifies by widening the spaces, however wide that makes them: a
line before a word that cannot be cut (the paragraph's last word, a name, a document symbol, a step of a URL)
can end up with gaps of several spaces. The PDF is read back (``readback.widest_space``: the widest gap between
two words of each line, from the glyphs' positions); a paragraph with a justified line wider than its
language tolerates is set again ragged (``text-align: left``). Line breaks do not depend on the alignment
(first-fit breaking, justification after), so the lines and the pages stay as they were; only the spacing
of that paragraph changes.

The limits are in ems of the text's size, set from the example's good lines (docs/typography.md has the
measurements): the natural space of Noto Serif is 0.26 em.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Widest word-space (em) a justified line may show, per language whose paragraphs are justified (brief.css
# ``.para``; Arabic is set ragged). Russian composition admits word-spaces from 1/4 to 3/4 of the type size
# (OST 29.124-94, books and journals); the example's good Russian lines reach 0.67 em. French, whose words are
# shorter, is set tighter (its optimum is a third of the em against half for Russian); its good lines reach
# 0.54 em, the first that reads loose 0.94 em.
WORD_SPACE_LIMIT = {"fr": 0.60, "ru": 0.75}


def loose_lines(paragraph: dict[str, Any], limit: float) -> list[dict[str, Any]]:
    """The justified lines of a paragraph read back (``Readback.paragraphs``) whose widest word-space is over
    ``limit``: lines set to the full measure, its last line aside."""
    return [line for line in paragraph.get("lines", []) if line["full"] and line["widest"] > limit]


def loose_paragraphs(paragraphs: dict[str, dict[str, Any]], justified: Iterable[str], limit: float) -> list[str]:
    """The anchors among ``justified`` with a line over ``limit``, in document order of ``justified``."""
    return [name for name in justified if name in paragraphs and loose_lines(paragraphs[name], limit)]


_PARA = re.compile(r'<p class="(para(?: [\w-]+)*)" id="([^"]+)">')


def set_ragged(html: str, anchors: Iterable[str]) -> str:
    """The brief's HTML with the paragraphs anchored as ``anchors`` set ragged (class ``ragged``)."""
    wanted = set(anchors)

    def mark(m: re.Match[str]) -> str:
        return f'<p class="{m.group(1)} ragged" id="{m.group(2)}">' if m.group(2) in wanted else m.group(0)

    return _PARA.sub(mark, html)

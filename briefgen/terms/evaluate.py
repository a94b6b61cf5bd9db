"""Precision and recall of the term matcher on labelled sentences (tests/data/terms/README.md): one TSV per
language with the concepts each sentence must and must not yield."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GlossaryError
from ..files import read_text
from .glossary import Glossary
from .match import index_for

COLUMNS = ("id", "text", "match", "not", "trap", "note")


@dataclass
class Miss:
    sentence: str
    text: str
    concept: str
    kind: str          # "false positive" | "false negative"


@dataclass
class Figures:
    lang: str
    sentences: int = 0
    traps: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    trap_labels: int = 0   # (sentence, concept) pairs of the `not` column: readings that must not be made
    trapped: int = 0       # of those, the ones the matcher made
    misses: list[Miss] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def trap_share(self) -> float:
        """False matches as a share of the traps: the `not` readings the matcher made."""
        return self.trapped / self.trap_labels if self.trap_labels else 0.0


def read_labelled(path: Path) -> list[dict[str, str]]:
    text = read_text(path, error=GlossaryError)
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or any(c not in rows[0] for c in COLUMNS):
        raise GlossaryError("a labelled set needs the columns " + "\t".join(COLUMNS), path=path, line=1)
    return rows


def in_range(sentence_id: str, numbers: tuple[int, int] | None) -> bool:
    """Whether ``fr-301`` falls in (301, 500); every id does when no range is given."""
    if numbers is None:
        return True
    digits = sentence_id.rsplit("-", 1)[-1]
    return digits.isdigit() and numbers[0] <= int(digits) <= numbers[1]


def evaluate(glossary: Glossary, path: Path, lang: str, numbers: tuple[int, int] | None = None) -> Figures:
    """Every concept the matcher reports (terms and avoid forms) against the sentence's labels: a report
    outside ``match`` is a false positive, a label of ``match`` not reported a false negative."""
    usable, avoid = index_for(glossary, lang), index_for(glossary, lang, avoid=True)
    fig = Figures(lang)
    for row in read_labelled(path):
        if not in_range(row["id"], numbers):
            continue
        want, traps = set(row["match"].split()), set(row["not"].split())
        got = {m.concept.id for index in (usable, avoid) for m in index.find(row["text"])}
        fig.sentences += 1
        fig.traps += bool(row["trap"].strip())
        fig.tp += len(want & got)
        fig.fp += len(got - want)
        fig.fn += len(want - got)
        fig.trap_labels += len(traps)
        fig.trapped += len(traps & got)
        fig.misses += [Miss(row["id"], row["text"], c, "false positive") for c in sorted(got - want)]
        fig.misses += [Miss(row["id"], row["text"], c, "false negative") for c in sorted(want - got)]
    return fig


def evaluate_folder(glossary: Glossary, folder: Path, numbers: tuple[int, int] | None = None) -> list[Figures]:
    """The figures of each ``<lang>.tsv`` in the folder, in fr, ru, ar order."""
    return [evaluate(glossary, folder / f"{lang}.tsv", lang, numbers) for lang in ("fr", "ru", "ar")
            if (folder / f"{lang}.tsv").is_file()]

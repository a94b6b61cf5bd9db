"""Which sense a passage gives an ambiguous term (issue 23): the data the decision reads and the decision.

A concept whose ``senses`` cell names other fields (``energy|construction``) has a head word with a
well-known general or other-field sense: it is enforced only where the passage supports the ICT reading.
An acronym variant (``IA``, ``PKI``, ``МСЭ``) collides with other bodies, degrees and parties: it is enforced
unless the passage speaks of another field more than of ICT. Evidence is read from the whole passage (the
segment), never a window of words:

- for: words of the ICT field lexicon (glossaries/fields/ict.tsv) and unambiguous concepts of the ICT
  domains found in the passage;
- against: words of any other field lexicon (glossaries/fields/<field>.tsv).

The term's own words never count. Field lexicons are general vocabulary a terminologist writes for any
text of the field, one row per notion, its words in fr, ru and ar (``|`` between alternatives).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..config import PROJECT_ROOT, glossaries_dir
from .tsv import read_list

ICT = "ict"
# the termbase's domains that are ICT proper: a concept of these (unambiguous) is evidence for the ICT reading;
# cooperation, institutions and capacity-building are diplomacy and training, present in any field's text
ICT_DOMAINS = frozenset({"ai", "cybersecurity", "data", "digital-government", "electronics", "telecommunications"})
# the termbase's domains of diplomacy: another of their concepts nearby supports a term of diplomacy
DIPLOMACY = "diplomacy"
DIPLOMACY_DOMAINS = frozenset({"cooperation", "institutions"})
# Fields a term of diplomacy or training lives among: a parliament that ratifies an agreement, the precedence
# of delegations at a state dinner, pupils on a work placement are its own surroundings, not another sense.
# They count against such a term only where its senses cell names them (accord: law, as a legal settlement).
SURROUNDINGS = {"cooperation": frozenset({"politics", "law", "ceremonial", "hospitality"}),
                "institutions": frozenset({"politics", "law", "ceremonial"}),
                "capacity-building": frozenset({"education", "labour", "politics"})}
LEXICON_LANGS = ("fr", "ru", "ar")
NOT_ENFORCED = "not enforced: the text may use this word in another sense"


def fields_dir() -> Path:
    own = glossaries_dir() / "fields"
    return own if own.is_dir() else PROJECT_ROOT / "glossaries" / "fields"


def field_names() -> set[str]:
    folder = fields_dir()
    return {p.stem for p in folder.glob("*.tsv")} if folder.is_dir() else set()


def load_fields(lang: str, folder: str | None = None) -> dict[str, tuple[str, ...]]:
    """Field name -> its words and phrases in ``lang``, from ``folder`` (the lexicons' folder by default)."""
    return _load(folder or str(fields_dir()), lang)


@lru_cache(maxsize=16)
def _load(folder: str, lang: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for path in sorted(Path(folder).glob("*.tsv")):
        rows = read_list(path, LEXICON_LANGS, "a field lexicon")
        if lang not in LEXICON_LANGS:   # English is a pivot, never a source whose sense is decided
            continue
        words = [w.strip() for row in rows for w in (row.get(lang) or "").split("|") if w.strip()]
        out[path.stem] = tuple(dict.fromkeys(words))
    return out


@dataclass(frozen=True)
class Decision:
    """Whether an ambiguous occurrence is enforced, and why: kept for QA."""
    concept: str
    text: str                       # the term as written
    start: int
    end: int
    enforced: bool
    support: tuple[str, ...] = ()   # "ict: logiciel", "concept: cybersecurity"
    against: tuple[str, ...] = ()   # "energy: électricité"
    kind: str = "senses"            # senses | general | acronym | name | other-name | adjective | phrase

    def evidence(self) -> str:
        def show(items: tuple[str, ...]) -> str:
            return ", ".join(items) if items else "none"
        return f"for: {show(self.support)}; against: {show(self.against)}"

    def message(self) -> str:
        why = {"acronym": "an acronym of other bodies too", "name": "a quoted title or name",
               "other-name": "part of another name",
               "phrase": "part of a phrase of another field", "adjective": "an adjective of the word before it"}.get(
            self.kind, "a word with other senses")
        return f"«{self.text}» ({self.concept}) {NOT_ENFORCED} ({why}; {self.evidence()})"


def decide(kind: str, support: list[str], against: list[str]) -> bool:
    """An ICT term with other senses (kind ``senses``) needs more evidence for ICT than against it. A term
    of diplomacy or training with other senses (``general``: délégation, feuille de route, stage), whose
    termbase reading is the ordinary one in a brief, an acronym, and a term that is all of a quoted title or
    name, are read as the termbase's unless the passage speaks of another field more than of ICT."""
    if kind == "senses":
        return len(support) > len(against)
    return not (against and len(against) > len(support))


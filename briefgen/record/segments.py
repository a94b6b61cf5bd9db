"""Cut a record into translatable segments whose ids come from its structure.

The ids (``agenda.cybersecurity.outcomes.1``) are the same in every language; they drive the paragraph
numbering of the PDFs and every later tool (memory, QA, review, verification).

Who reads a segment is decided here, once: shared segments are in every brief; a delegation's talking
points and notes (``agenda.<item>.points.<delegation>.<n>``, ``….notes.…``) only in its own brief and the
master; the expected position of a delegation in every brief but its own. A segment is translated only
into the languages of the briefs that print it, so one side's lines never reach the other side's
translator, memory export or PDF.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .schema import Person, Record, Text


@dataclass(frozen=True)
class Segment:
    id: str
    source: str                          # text in the record's source language
    given: dict[str, str] = field(default_factory=dict)  # versions a person supplied, used as is
    para: int | None = None              # paragraph number in the briefs, None for headings and labels
    owner: str | None = None             # the delegation whose own paragraph this is (points, notes)
    audience: frozenset[str] | None = None   # delegation ids whose briefs print it; None: every brief
    langs: frozenset[str] | None = None      # the languages it is needed in; None: every language

    def supplied(self, lang: str) -> str | None:
        return self.given.get(lang)

    def shown_to(self, delegation: str | None) -> bool:
        """Whether a delegation's brief prints this segment (``None``: the master, which prints all)."""
        return delegation is None or self.audience is None or delegation in self.audience

    def needed_in(self, lang: str) -> bool:
        return self.langs is None or lang in self.langs


def segments(record: Record) -> list[Segment]:
    """All segments of the record in reading order, numbered paragraphs counted from 1.

    A delegation's own paragraphs (talking points, notes) take no number of the common series: every brief
    then prints the same numbers without gaps, and no brief's numbering betrays how many lines another
    side was given. They are lettered within their block instead (see ``render.labels.letter``).
    """
    out: list[Segment] = []
    counter = 0
    lang_of = {d.id: d.lang for d in record.delegations}

    def add(seg_id: str, text: Text | None, numbered: bool = False, owner: str | None = None,
            audience: frozenset[str] | None = None) -> None:
        nonlocal counter
        if text is None:
            return
        para = None
        if numbered:
            counter += 1
            para = counter
        langs = None if audience is None else frozenset(lang_of[d] for d in audience) | {record.source_lang}
        out.append(Segment(seg_id, text.versions[record.source_lang], dict(text.versions), para,
                           owner, audience, langs))

    for name in ("title", "venue", "occasion", "classification", "host"):
        add(name, getattr(record, name))
    for i, text in enumerate(record.purpose, 1):
        add(f"purpose.{i}", text, numbered=True)
    for d in record.delegations:
        if d.name is not None:
            add(f"delegations.{d.id}.name", d.name)
        add(f"delegations.{d.id}.designation", d.designation)
        add(f"delegations.{d.id}.issuer", d.issuer)
        add(f"delegations.{d.id}.side", d.side)
        for key, person in _people(d.head, d.members):
            add(f"delegations.{d.id}.{key}.name", person.name)
            add(f"delegations.{d.id}.{key}.title", person.title)
    for item in record.agenda:
        base = f"agenda.{item.id}"
        add(f"{base}.title", item.title)
        for i, text in enumerate(item.background, 1):
            add(f"{base}.background.{i}", text, numbered=True)
        for part in ("points", "notes"):
            owned = item.owned(part, record.host_id)
            for d in record.delegations:       # in the record's delegation order, whatever the mapping's
                for i, text in enumerate(owned.get(d.id, []), 1):
                    add(f"{base}.{part}.{d.id}.{i}", text, owner=d.id, audience=frozenset({d.id}))
        others = {d.id for d in record.delegations}
        for who, texts in item.positions.items():
            for i, text in enumerate(texts, 1):
                add(f"{base}.positions.{who}.{i}", text, numbered=True, audience=frozenset(others - {who}))
        for i, text in enumerate(item.outcomes, 1):
            add(f"{base}.outcomes.{i}", text, numbered=True)
        for i, action in enumerate(item.actions, 1):
            add(f"{base}.actions.{i}", action.text)
    for i, contact in enumerate(record.previous_contacts, 1):
        add(f"previous.{i}", contact.text, numbered=True)
    return out


def _people(head: Person, members: list[Person]) -> Iterator[tuple[str, Person]]:
    yield "head", head
    for i, member in enumerate(members, 1):
        yield f"members.{i}", member

"""Cut a record into translatable segments whose ids come from its structure.

The ids (``agenda.cybersecurity.outcomes.1``) are the same in every language; they drive the paragraph
numbering of the PDFs and every later tool (memory, QA, review, verification).
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

    def supplied(self, lang: str) -> str | None:
        return self.given.get(lang)


def segments(record: Record) -> list[Segment]:
    """All segments of the record in reading order, numbered paragraphs counted from 1."""
    out: list[Segment] = []
    counter = 0

    def add(seg_id: str, text: Text | None, numbered: bool = False) -> None:
        nonlocal counter
        if text is None:
            return
        para = None
        if numbered:
            counter += 1
            para = counter
        out.append(Segment(seg_id, text.versions[record.source_lang], dict(text.versions), para))

    for name in ("title", "venue", "occasion", "classification", "host"):
        add(name, getattr(record, name))
    for i, text in enumerate(record.purpose, 1):
        add(f"purpose.{i}", text, numbered=True)
    for d in record.delegations:
        if d.name is not None:
            add(f"delegations.{d.id}.name", d.name)
        add(f"delegations.{d.id}.issuer", d.issuer)
        for key, person in _people(d.head, d.members):
            add(f"delegations.{d.id}.{key}.name", person.name)
            add(f"delegations.{d.id}.{key}.title", person.title)
    for item in record.agenda:
        base = f"agenda.{item.id}"
        add(f"{base}.title", item.title)
        for part in ("background", "points"):
            for i, text in enumerate(getattr(item, part), 1):
                add(f"{base}.{part}.{i}", text, numbered=True)
        for who, texts in item.positions.items():
            for i, text in enumerate(texts, 1):
                add(f"{base}.positions.{who}.{i}", text, numbered=True)
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

"""How long a record's short fields may be: what a cover, a heading, a list of participants or a table cell
can hold and stay on its page. Paragraphs have no limit here (they run on to the next page; the general
limit on any one text is the text-safety one)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

# field (a path with "*" for any index) -> (most characters, where it is printed)
LIMITS: dict[tuple[str, ...], tuple[int, str]] = {
    ("title",): (400, "on the cover"),
    ("venue",): (200, "on the cover"),
    ("occasion",): (400, "on the cover"),
    ("classification",): (60, "on the cover and at the top of every page"),
    ("host",): (300, "on the cover"),
    ("delegations", "*", "name"): (200, "in the participants and the follow-up table"),
    ("delegations", "*", "issuer"): (300, "on the cover"),
    ("delegations", "*", "head", "name"): (150, "in the participants"),
    ("delegations", "*", "head", "title"): (400, "in the participants"),
    ("delegations", "*", "members", "*", "name"): (150, "in the participants"),
    ("delegations", "*", "members", "*", "title"): (400, "in the participants"),
    ("agenda", "*", "title"): (300, "as a heading"),
    ("agenda", "*", "actions", "*", "text"): (1000, "in a row of the follow-up table, which never splits"),
}


def too_long(record: Any) -> tuple[tuple[str | int, ...], str] | None:
    """The first field over its limit, as (path, message), or None."""
    for path, text in _fields(record):
        pattern = tuple("*" if isinstance(p, int) else p for p in path)
        if pattern not in LIMITS:
            continue
        most, where = LIMITS[pattern]
        for lang, version in _versions(text):
            if len(version) > most:
                which = f"the {lang} version" if lang else "the text"
                return path, (f"{which} has {len(version):,} characters; this field is printed {where} and may "
                              f"have at most {most:,}: shorten it")
    return None


def _versions(text: Any) -> Iterator[tuple[str | None, str]]:
    if getattr(text, "source", None) is not None:
        yield None, text.source
    yield from sorted(getattr(text, "versions", {}).items())


def _fields(record: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    for name in ("title", "venue", "occasion", "classification", "host"):
        if getattr(record, name) is not None:
            yield (name,), getattr(record, name)
    for i, d in enumerate(record.delegations):
        for name in ("name", "issuer"):
            if getattr(d, name, None) is not None:
                yield ("delegations", i, name), getattr(d, name)
        people = [(("head",), d.head), *((("members", j), m) for j, m in enumerate(d.members))]
        for where, person in people:
            yield ("delegations", i, *where, "name"), person.name
            if person.title is not None:
                yield ("delegations", i, *where, "title"), person.title
    for i, item in enumerate(record.agenda):
        yield ("agenda", i, "title"), item.title
        for j, action in enumerate(item.actions):
            yield ("agenda", i, "actions", j, "text"), action.text

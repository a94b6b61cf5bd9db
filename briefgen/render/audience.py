"""Paragraphs not every brief may print, and how a set proves none reached the wrong brief.

A delegation's talking points and notes are for its own brief (and the master); the expected position of a
delegation is for every brief but its own. The manifest lists these paragraphs with their audience and a
fingerprint of each version of their text, so that ``briefgen verify`` can look for them in the briefs that
must not have them: by anchor (segment id) and by the text actually drawn on the pages. Fingerprints, not
the texts: a manifest travels with the set, and must not carry one side's lines to the other.

Texts are compared as their letters only (NFKC, case-folded, no digits, spaces, punctuation, hyphens or
tatweel): line breaks, hyphenation, the digits of a locale and the order a PDF extractor puts Arabic-Indic
figures in then make no difference.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from typing import Any

from ..record.segments import Segment

MIN_LETTERS = 24   # a shorter paragraph is checked by its anchor only: a few letters occur anywhere
_PREFIX = 16       # letters hashed first, to find candidate positions in one pass over a page's text


def letters(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalpha() and ch != "\u0640")


def _digest(text: str, key: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16, key=key.encode()[:64]).hexdigest()


def fingerprint(text: str, key: str) -> dict[str, Any] | None:
    """{"letters", "prefix", "digest"} of a text, keyed with the set's signature; None when too short."""
    norm = letters(text)
    if len(norm) < MIN_LETTERS:
        return None
    return {"letters": len(norm), "prefix": _digest(norm[:_PREFIX], key), "digest": _digest(norm, key)}


def restricted(segs: Iterable[Segment], texts: dict[str, dict[str, str]], key: str) -> dict[str, Any]:
    """The manifest's ``restricted`` table: segment id → owner, audience and a fingerprint per language."""
    out: dict[str, Any] = {}
    for s in segs:
        if s.audience is None:
            continue
        versions = {lang: by_id[s.id] for lang, by_id in texts.items() if s.id in by_id} | s.given
        out[s.id] = {"owner": s.owner, "audience": sorted(s.audience),
                     "texts": {lang: fp for lang, text in sorted(versions.items())
                               if (fp := fingerprint(text, key)) is not None}}
    return out


def shared(segs: Iterable[Segment], delegation: str) -> list[str]:
    """Ids of the paragraphs not for ``delegation`` whose words the record itself also gives it: a version the
    record writes of one (its source, or a version given in another language) is contained in the record's
    version in that language of a paragraph the delegation's brief prints (a point both sides were given in
    the same words). Their text on its pages proves nothing; their anchor still does. Taken from the record,
    never from what the brief prints: a translation that carries another side's note is a leak, not a reason
    to stop looking for that note."""
    segs = list(segs)
    shown: dict[str, list[str]] = {}       # lang -> the letters of the record's versions the brief prints
    for s in segs:
        if s.shown_to(delegation):
            for lang, text in s.given.items():
                shown.setdefault(lang, []).append(letters(text))
    out = []
    for s in segs:
        if s.shown_to(delegation):
            continue
        for lang, text in s.given.items():
            norm = letters(text)
            if len(norm) >= MIN_LETTERS and any(norm in other for other in shown.get(lang, [])):
                out.append(s.id)
                break
    return out


def found(page_text: str, table: dict[str, Any], delegation: str, skip: Iterable[str],
          key: str) -> list[tuple[str, str]]:
    """(segment id, language) of every restricted text the brief of ``delegation`` shows but may not.
    ``page_text`` is the brief's text in reading order, pages joined without their running header and footer:
    anything drawn between the halves of a paragraph that crosses a page break hides it. ``skip``: segment ids
    (``shared``), or ``<segment id>:<lang>`` as an older manifest lists them, not looked for."""
    skipped = set(skip)
    wanted: dict[str, tuple[str, str]] = {}      # digest -> (segment id, lang)
    lengths: set[int] = set()
    prefixes: set[str] = set()
    for seg_id, entry in table.items():
        if delegation in entry["audience"]:
            continue
        for lang, fp in entry["texts"].items():
            if seg_id not in skipped and f"{seg_id}:{lang}" not in skipped:
                wanted[fp["digest"]] = (seg_id, lang)
                lengths.add(fp["letters"])
                prefixes.add(fp["prefix"])
    if not wanted:
        return []
    text = letters(page_text)
    # One keyed hash per position finds where a restricted text could start; only there are whole
    # windows hashed, one per length in the table.
    starts = [i for i in range(len(text) - _PREFIX + 1) if _digest(text[i:i + _PREFIX], key) in prefixes]
    hits = {wanted[d] for i in starts for n in lengths if i + n <= len(text)
            if (d := _digest(text[i:i + n], key)) in wanted}
    return sorted(hits)


def whose(seg_id: str, entry: dict[str, Any], reader: str) -> str:
    """A restricted paragraph as a reader of the brief of ``reader`` would name it."""
    part = seg_id.split(".")[2] if seg_id.startswith("agenda.") else ""
    if entry.get("owner"):
        kind = {"points": "talking point", "notes": "note"}.get(part, "paragraph")
        return f"the {entry['owner']} delegation's {kind}"
    if part == "positions":
        return f"the assessment of the {reader} delegation's own position"
    return "a paragraph not for this delegation"

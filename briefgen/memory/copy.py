"""``briefgen memory copy SRC DST``: a memory from one store to another (SQLite to PostgreSQL and back), every
unit with its provenance (reviewer or engine, machine, date) and every stored term rendering, checked at the
end: the destination must then hold each unit of the source with the same content (counts and a SHA-256
over the units, in one canonical order), or the copy is reported as failed.

The units go in as one transaction: a copy that fails leaves the destination as it was. A unit the
destination already holds with another translation takes the source's (the source is the one being copied);
the destination's other units stay.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import SetupError
from .base import Rendering, Unit
from .location import Location, shown
from .store import Memory


@dataclass(frozen=True)
class CopyReport:
    units: int
    renderings: int
    digest: str           # sha256 over the copied units' content, the same read back from both stores
    dst_units: int        # what the destination holds now, its own units included


def _key(u: Unit) -> tuple[str, ...]:
    return (u.src_lang, u.tgt_lang, u.src_text, u.status, u.signature, u.segment_id)


def _content(u: Unit) -> tuple[str, ...]:
    return (*_key(u), u.tgt_text)


def digest(rows: Iterable[tuple[str, ...]]) -> str:
    h = hashlib.sha256()
    for row in sorted(rows):
        h.update(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
    return h.hexdigest()


def _rendering_key(r: Rendering) -> tuple[str, ...]:
    return (r.engine, r.src_lang, r.tgt_lang, r.term, r.rendering)


def copy_memory(src: Location, dst: Location) -> CopyReport:
    if shown(src) == shown(dst) or str(src) == str(dst):
        raise SetupError(f"{shown(dst)}: this is the memory being copied; name another destination")
    with Memory(src, read_only=True) as source:
        units = list(source.units())
        renderings = list(source.backend.all_renderings())
    with Memory(dst, read_only=False) as dest:
        dest.store(units)
        dest.keep_all_renderings(renderings)
        after = list(dest.units())
        after_renderings = {_rendering_key(r)[:4]: r for r in dest.backend.all_renderings()}
    wanted = {_key(u): u for u in units}
    held = {_key(u): u for u in after if _key(u) in wanted}
    expected, found = digest(_content(u) for u in wanted.values()), digest(_content(u) for u in held.values())
    missing = len(wanted) - len(held)
    if missing or expected != found:
        differ = sum(1 for k, u in wanted.items() if k in held and held[k].tgt_text != u.tgt_text)
        raise SetupError(f"{shown(dst)}: the copy does not match {shown(src)} ({missing} of {len(wanted)} units "
                         f"missing, {differ} with another text); another program changed one of them meanwhile: "
                         "run the copy again")
    lost = [r for r in renderings if after_renderings.get(_rendering_key(r)[:4]) is None]
    if lost:
        raise SetupError(f"{shown(dst)}: {len(lost)} of {len(renderings)} term renderings did not arrive; run the "
                         "copy again")
    return CopyReport(len(wanted), len(renderings), found, len(after))

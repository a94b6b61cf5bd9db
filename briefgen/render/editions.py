"""The PDFs of a set: one edition per delegation in its language, the master in the record's language, and
the parallel editions for interpreters; which paragraphs each edition shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from babel import Locale

from ..record.schema import Delegation, Record
from ..record.segments import Segment
from .localize import locale_for


@dataclass(frozen=True)
class Edition:
    """One PDF of the set: for a delegation in its language, or the master in the source language.

    A parallel edition (``parallel_with`` = the source language) sets the source text beside the
    delegation's language, for interpreters.
    """

    key: str            # delegation id, "master", or "<delegation id>-parallel"
    lang: str
    locale: Locale
    delegation: Delegation | None = None
    parallel_with: str | None = None

    def filename(self, record_id: str, ext: str = "pdf") -> str:
        if self.parallel_with and self.delegation is not None:
            return f"{record_id}.{self.delegation.id}.{self.parallel_with}-{self.lang}.parallel.{ext}"
        return f"{record_id}.{self.key}.{self.lang}.{ext}"


def editions(record: Record) -> list[Edition]:
    out = [Edition(d.id, d.lang, locale_for(d.lang, d.country, d.locale), d) for d in record.delegations]
    out.append(Edition("master", record.source_lang, locale_for(record.source_lang)))
    return out


def parallel_editions(record: Record) -> list[Edition]:
    """One per delegation working in another language than the record's (a French one needs none)."""
    return [Edition(f"{d.id}-parallel", d.lang, locale_for(d.lang, d.country, d.locale), d,
                    parallel_with=record.source_lang)
            for d in record.delegations if d.lang != record.source_lang]


def shown(seg_id: str, ed: Edition) -> bool:
    """Whether an edition shows a segment: a delegation's brief leaves out its own expected position."""
    if ed.delegation is None:
        return True
    parts = seg_id.split(".")
    return not (len(parts) >= 4 and parts[0] == "agenda" and parts[2] == "positions"
                and parts[3] == ed.delegation.id)


def paragraphs_shown(segs: Iterable[Segment], ed: Edition) -> list[Segment]:
    """The numbered paragraphs an edition prints; their numbers are the record's, so gaps can occur."""
    return [s for s in segs if s.para is not None and shown(s.id, ed)]

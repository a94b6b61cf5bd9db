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


def segments_shown(segs: Iterable[Segment], ed: Edition) -> list[Segment]:
    """The segments an edition prints: a delegation's brief has the shared ones, its own talking points and
    notes, and the other sides' expected positions; the master has all."""
    own = ed.delegation.id if ed.delegation else None
    return [s for s in segs if s.shown_to(own)]


def annex_segments(segs: Iterable[Segment], ed: Edition) -> list[Segment]:
    """The segments whose terms an edition's annex lists: those it shows, less the cover lines it does not
    print (another delegation's issuer; the host when the delegation's brief has its own issuer, and on the
    master, which the protocol service heads)."""
    segs = list(segs)
    own = ed.delegation.id if ed.delegation else None
    own_issuer = f"delegations.{own}.issuer"
    has_own_issuer = own is not None and any(s.id == own_issuer for s in segs)

    def printed(s: Segment) -> bool:
        if s.id.startswith("delegations.") and s.id.endswith(".issuer"):
            return s.id == own_issuer
        if s.id in ("host", "classification"):
            return own is not None and not (s.id == "host" and has_own_issuer)
        return True

    return [s for s in segments_shown(segs, ed) if printed(s)]


def paragraphs_shown(segs: Iterable[Segment], ed: Edition) -> list[Segment]:
    """The numbered paragraphs an edition prints; their numbers are the record's, so a brief that leaves
    out its own expected position has a gap there."""
    return [s for s in segments_shown(segs, ed) if s.para is not None]

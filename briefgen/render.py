"""Build what each brief shows (a plain view model) and render it to HTML with jinja2."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale

from .config import RTL_LANGUAGES, templates_dir
from .labels import LABELS
from .localize import country_name, css_counter_style, digits, locale_for, long_date, month_year, number
from .record import Delegation, Record
from .segment import Segment


@dataclass(frozen=True)
class Edition:
    """One PDF of the set: for a delegation in its language, or the master in the source language."""

    key: str            # delegation id, or "master"
    lang: str
    locale: Locale
    delegation: Delegation | None = None

    def filename(self, record_id: str, ext: str = "pdf") -> str:
        return f"{record_id}.{self.key}.{self.lang}.{ext}"


def editions(record: Record) -> list[Edition]:
    out = [Edition(d.id, d.lang, locale_for(d.lang, d.country, d.locale), d) for d in record.delegations]
    out.append(Edition("master", record.source_lang, locale_for(record.source_lang)))
    return out


@dataclass
class BriefContext:
    record: Record
    segments: list[Segment]
    texts: dict[str, dict[str, str]]      # lang -> segment id -> text
    signature: str
    version: str
    terms: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # lang -> annex rows


def short_signature(signature: str) -> str:
    """The footer's form of the build signature: 12 hex digits of its hash."""
    return hashlib.sha256(signature.encode()).hexdigest()[:12]


@lru_cache(maxsize=4)
def _environment(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


def render_html(ctx: BriefContext, edition: Edition, folder: Path | None = None) -> str:
    env = _environment((folder or templates_dir()).resolve())
    return env.get_template("brief.html.j2").render(**view(ctx, edition))


def view(ctx: BriefContext, ed: Edition) -> dict[str, Any]:
    rec, lang, loc = ctx.record, ed.lang, ed.locale
    texts = ctx.texts[lang]
    labels = LABELS[lang]
    by_id = {s.id: s for s in ctx.segments}

    def t(seg_id: str) -> str:
        return digits(texts[seg_id], loc)

    def para(seg_id: str) -> dict[str, str]:
        return {"id": seg_id, "num": number(by_id[seg_id].para or 0, loc), "text": t(seg_id)}

    def maybe(seg_id: str) -> str | None:
        return t(seg_id) if seg_id in texts else None

    def delegation_name(d: Delegation) -> str:
        return maybe(f"delegations.{d.id}.name") or country_name(d.country, loc)

    # The recipient's own delegation is listed first; heads before members.
    order = sorted(rec.delegations, key=lambda d: d.id != (ed.delegation.id if ed.delegation else None))
    participants = [{
        "name": delegation_name(d),
        "people": [{"name": t(f"delegations.{d.id}.{key}.name"),
                    "title": maybe(f"delegations.{d.id}.{key}.title"), "head": key == "head"}
                   for key in ["head", *(f"members.{i}" for i in range(1, len(d.members) + 1))]],
    } for d in order]
    names = {d.id: delegation_name(d) for d in rec.delegations}

    agenda, actions = [], []
    for item in rec.agenda:
        base = f"agenda.{item.id}"
        agenda.append({
            "id": base,
            "title": t(f"{base}.title"),
            "background": [para(f"{base}.background.{i}") for i in range(1, len(item.background) + 1)],
            "points": [para(f"{base}.points.{i}") for i in range(1, len(item.points) + 1)],
            "positions": [{"label": labels["position"].format(who=names[who]),
                           "paras": [para(f"{base}.positions.{who}.{i}") for i in range(1, len(ps) + 1)]}
                          for who, ps in item.positions.items()],
            "outcomes": [para(f"{base}.outcomes.{i}") for i in range(1, len(item.outcomes) + 1)],
        })
        for i, action in enumerate(item.actions, 1):
            actions.append({"id": f"{base}.actions.{i}", "text": t(f"{base}.actions.{i}"),
                            "owner": names[action.owner],
                            "due": digits(long_date(action.due, loc), loc) if action.due else ""})

    venue = t("venue")
    place_date = digits(long_date(rec.date, loc), loc)
    return {
        "lang": lang,
        "dir": "rtl" if lang in RTL_LANGUAGES else "ltr",
        "counter_style": css_counter_style(loc),
        "L": labels,
        "page_label": labels["page"],
        "title": t("title"),
        "doc_kind": labels["doc_kind"],
        "symbol": f"{rec.id}/v{rec.version}",
        "date": place_date,
        "venue": venue + (f", {country_name(rec.country, loc)}" if rec.country and
                          country_name(rec.country, loc) not in venue else ""),
        "occasion": maybe("occasion"),
        "classification": maybe("classification"),
        "host": maybe("host"),
        "prepared_for": names[ed.delegation.id] if ed.delegation else None,
        "master_note": labels["master"] if ed.delegation is None else None,
        "purpose": [para(f"purpose.{i}") for i in range(1, len(rec.purpose) + 1)],
        "participants": participants,
        "agenda": agenda,
        "actions": actions,
        "previous": [{"date": digits(month_year(c.date, loc), loc), **para(f"previous.{i}")}
                     for i, c in enumerate(rec.previous_contacts, 1)],
        "terms": ctx.terms.get(lang, []),
        "signature": ctx.signature,
        "version": ctx.version,
        "short_signature": short_signature(ctx.signature),
    }

"""What each brief shows: a plain view model per edition (texts in the edition's language, numbers, dates and
names in its locale, the sections its delegation may see), for the templates to lay out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from babel import Locale

from ..config import LANGUAGES, RTL_LANGUAGES
from ..figures import Localized, hints_of, join, localize
from ..record.schema import Delegation, Record
from ..record.segments import Segment
from .addressee import addressee, named
from .editions import Edition
from .labels import LABELS, doubled, item_number, letter
from .localize import (
    capitalized,
    country_name,
    css_counter_style,
    language_name,
    locale_for,
    long_date,
    month_year,
    names_country,
    number,
    number_list,
    typeset,
)


@dataclass
class BriefContext:
    record: Record
    segments: list[Segment]
    texts: dict[str, dict[str, str]]      # lang -> segment id -> text
    signature: str
    version: str
    terms: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # lang -> annex rows {lang: term}


def short_signature(signature: str) -> str:
    """The footer's form of the build signature: 12 hex digits of its hash."""
    return hashlib.sha256(signature.encode()).hexdigest()[:12]


def _page_label(label: str) -> dict[str, str]:
    before, rest = label.split("{page}")
    middle, after = rest.split("{pages}")
    return {"before": before, "middle": middle, "after": after}


def view(ctx: BriefContext, ed: Edition) -> dict[str, Any]:
    rec, lang, loc = ctx.record, ed.lang, ed.locale
    texts = ctx.texts[lang]
    labels = LABELS[lang]
    by_id = {s.id: s for s in ctx.segments}
    own = ed.delegation.id if ed.delegation else None

    def t(seg_id: str, paragraph: bool = False) -> Localized:
        # numbers in the locale's conventions; an ambiguous one ("1.250") read as the source segment has it
        source = by_id[seg_id].source if seg_id in by_id else texts[seg_id]
        hints = hints_of(source, rec.source_lang) if lang != rec.source_lang else ()
        return typeset(localize(texts[seg_id], lang, loc, hints), lang, loc, paragraph)

    def para(seg_id: str) -> dict[str, Any]:
        n = by_id[seg_id].para or 0
        # the number column has a fixed width (brief.css); 100 and over are sized to themselves
        return {"id": seg_id, "num": number(n, loc), "wide": n >= 100, "text": t(seg_id, paragraph=True)}

    def paras(base: str, count: int) -> list[dict[str, Any]]:
        return [para(f"{base}.{i}") for i in range(1, count + 1) if by_id[f"{base}.{i}"].shown_to(own)]

    def lettered(base: str, count: int) -> list[dict[str, Any]]:
        return [{"id": f"{base}.{i}", "mark": letter(i, lang), "wide": doubled(i, lang),
                 "text": t(f"{base}.{i}", paragraph=True)}
                for i in range(1, count + 1) if by_id[f"{base}.{i}"].shown_to(own)]

    def maybe(seg_id: str) -> Localized | None:
        return t(seg_id) if seg_id in texts else None

    def delegation_name(d: Delegation) -> str:
        return str(maybe(f"delegations.{d.id}.name") or country_name(d.country, loc))

    # The recipient's own delegation is listed first; heads before members.
    order = sorted(rec.delegations, key=lambda d: d.id != own)
    participants = [{
        "id": d.id,
        "name": delegation_name(d),
        # "Délégation égyptienne", "Российская делегация", "الوفد المصري" when the record names it so
        "heading": (capitalized(str(t(f"delegations.{d.id}.designation"))) if d.designation is not None
                    else f"{labels['delegation']}{labels['colon']}{delegation_name(d)}"),
        "own": d.id == own,
        "people": [{"name": t(f"delegations.{d.id}.{key}.name"),
                    "title": maybe(f"delegations.{d.id}.{key}.title"), "head": key == "head"}
                   for key in ["head", *(f"members.{i}" for i in range(1, len(d.members) + 1))]],
    } for d in order]
    names = {d.id: delegation_name(d) for d in rec.delegations}
    # an action's owner is a side («Египетская сторона», «الجانب المصري») when the record names it so
    sides = {d.id: str(maybe(f"delegations.{d.id}.side") or names[d.id]) for d in rec.delegations}

    agenda, actions = [], []
    for n, item in enumerate(rec.agenda, 1):
        base = f"agenda.{item.id}"
        positions = [{"who": who, "label": labels["position"].format(who=named(lang, sides[who])),
                      "paras": paras(f"{base}.positions.{who}", len(ps))}
                     for who, ps in item.positions.items() if who != own]
        # A delegation's own talking points and notes: in its brief under the plain heading, in the master
        # every delegation's, each headed with its owner.
        owned = []
        for d in rec.delegations:
            for part in ("points", "notes"):
                block = lettered(f"{base}.{part}.{d.id}", len(item.owned(part, rec.host_id).get(d.id, [])))
                if block:
                    owned.append({"part": part, "owner": d.id, "paras": block,
                                  "label": labels[part] if own else labels[f"{part}_of"].format(who=names[d.id])})
        agenda.append({
            "id": base,
            "number": item_number(n, lang) or number(n, loc),
            "title": t(f"{base}.title"),
            "background": paras(f"{base}.background", len(item.background)),
            "owned": owned,
            "positions": [p for p in positions if p["paras"]],
            "outcomes": paras(f"{base}.outcomes", len(item.outcomes)),
        })
        for i, action in enumerate(item.actions, 1):
            actions.append({"id": f"{base}.actions.{i}", "text": t(f"{base}.actions.{i}"),
                            "owner": capitalized(sides[action.owner]),   # a column of its own
                            "due": long_date(action.due, loc) if action.due else ""})

    venue = t("venue")
    # "Москва, Российская Федерация" already names Россия: the country is added only when it is not named
    where = country_name(rec.country, loc) if rec.country else None
    if where and not names_country(str(venue), where):
        venue = join(venue, labels["comma"], where)
    # a delegation's brief is issued by the ministry the record names for it (default: the host)
    issuer = (maybe(f"delegations.{ed.delegation.id}.issuer") if ed.delegation else None) or maybe("host")
    # The master prints every delegation's talking points and notes, so it goes to neither side: it is the
    # protocol service's internal master, headed and marked so, never on a ministry's letterhead or under the
    # marking of the briefs that are issued.
    classification = maybe("classification")
    if ed.delegation is None:
        issuer, classification = labels["master_issuer"], labels["master_marking"]
    # A delegation's brief leaves out its own expected position; one note on the cover says that the numbering
    # is shared by both briefs and which paragraphs this one skips (a note inside an item would speak of
    # paragraphs in other sections).
    omitted = sorted(s.para for s in ctx.segments if s.para is not None and not s.shown_to(own))
    numbering_note = (labels["omitted_one" if len(omitted) == 1 else "omitted_many"].format(
        numbers=number_list(omitted, loc)) if omitted else None)
    return {
        "lang": lang,
        "dir": "rtl" if lang in RTL_LANGUAGES else "ltr",
        "counter_style": css_counter_style(loc),
        "L": labels,
        "page_label": _page_label(labels["page"]),
        "title": t("title"),
        "title_class": _title_class(len(texts["title"])),
        "doc_kind": labels["doc_kind"],
        "symbol": f"{rec.id}/v{rec.version}",
        "date": long_date(rec.date, loc),
        "venue": venue,
        "occasion": maybe("occasion"),
        "classification": classification,
        "host": issuer,
        "prepared_for": (addressee(lang, _plain(maybe(f"delegations.{ed.delegation.id}.designation")),
                                   names[ed.delegation.id]) if ed.delegation else None),
        "numbering_note": numbering_note,
        "master_note": (labels["master"].format(language=language_name(lang, loc))
                        if ed.delegation is None else None),
        "purpose": paras("purpose", len(rec.purpose)),
        "participants": participants,
        "agenda": agenda,
        "actions": actions,
        # the date opens its paragraph: «12. Mars 2019 : visite…», «12. Март 2019 г.: визит…»
        "previous": [{"date": capitalized(month_year(c.date, loc)), **para(f"previous.{i}")}
                     for i, c in enumerate(rec.previous_contacts, 1)],
        "terms": _terms(ctx.terms.get(ed.key, []), lang, loc, labels),
        "signature": ctx.signature,
        "version": ctx.version,
        "short_signature": short_signature(ctx.signature),
    }


def _title_class(length: int) -> str | None:
    """A long title is set smaller on the cover rather than pushed off it (brief.css: h1.long, h1.very-long)."""
    return None if length <= 160 else "long" if length <= 280 else "very-long"


def _terms(rows: list[dict[str, str]], lang: str, loc: Locale, labels: dict[str, str]) -> dict[str, Any] | None:
    """The key-terms annex: the brief's language first, then the others, headed by language names; its note
    counts the languages it gives ("in the two languages of the meeting")."""
    present = {k for row in rows for k, v in row.items() if v}
    columns = [code for code in (lang, *(c for c in LANGUAGES if c != lang)) if code in present]
    if not rows or not columns:
        return None
    return {
        "note": {3: labels["terms_note"], 2: labels["terms_note_two"]}.get(len(columns)),
        "columns": [{"lang": c, "dir": "rtl" if c in RTL_LANGUAGES else "ltr",
                     "name": capitalized(language_name(c, loc))} for c in columns],
        # the glossary writes the straight apostrophe; French print uses the typographic one
        "rows": [[{"lang": c, "dir": "rtl" if c in RTL_LANGUAGES else "ltr",
                   "text": row.get(c, "").replace("'", "’") if c == "fr" else row.get(c, "")}
                  for c in columns] for row in rows if any(row.get(c) for c in columns)],
    }


# --- parallel edition -----------------------------------------------------------------------------------

def parallel_view(ctx: BriefContext, ed: Edition) -> dict[str, Any]:
    """The delegation's brief and the same brief in the source language, walked together into table rows.

    Both sides come from ``view`` for the same delegation, so rows pair the same segment by construction:
    one row per paragraph (with its number), heading rows for sections, items and sub-sections.
    """
    assert ed.parallel_with is not None and ed.delegation is not None
    src = Edition(ed.key, ed.parallel_with, locale_for(ed.parallel_with), ed.delegation)
    a, b = view(ctx, src), view(ctx, ed)
    rows: list[dict[str, Any]] = []

    def row(kind: str, left: str | Localized, right: str | Localized, seg_id: str | None = None,
            num: str = "") -> None:
        rows.append({"kind": kind, "id": seg_id, "num": num, "mark": "", "src": left, "tgt": right})

    def label(key: str) -> None:
        row("section", a["L"][key], b["L"][key])

    def paragraphs(pa: list[dict[str, Any]], pb: list[dict[str, Any]]) -> None:
        for x, y in zip(pa, pb, strict=True):
            row("para", x["text"], y["text"], x["id"], y["num"])

    row("title", a["title"], b["title"])
    for key in ("occasion", "classification", "host"):
        if a[key]:
            row("fact", a[key], b[key])
    row("fact", a["venue"], b["venue"])
    if a["purpose"]:
        label("purpose")
        paragraphs(a["purpose"], b["purpose"])
    label("participants")
    for da, db in zip(a["participants"], b["participants"], strict=True):
        row("sub", da["heading"], db["heading"])
        for pa, pb in zip(da["people"], db["people"], strict=True):
            row("person", _person(pa, a["L"]), _person(pb, b["L"]))
    label("agenda")
    for ia, ib in zip(a["agenda"], b["agenda"], strict=True):
        row("item", join(ia["number"], a["L"]["item_sep"], ia["title"]),
            join(ib["number"], b["L"]["item_sep"], ib["title"]))
        if ia["background"]:
            row("sub", a["L"]["background"], b["L"]["background"])
            paragraphs(ia["background"], ib["background"])
        for oa, ob in zip(ia["owned"], ib["owned"], strict=True):
            row("sub", oa["label"], ob["label"])
            for x, y in zip(oa["paras"], ob["paras"], strict=True):
                rows.append({"kind": "para", "id": x["id"], "num": "", "mark": y["mark"], "src": x["text"],
                             "tgt": y["text"]})
        for pos_a, pos_b in zip(ia["positions"], ib["positions"], strict=True):
            row("sub", pos_a["label"], pos_b["label"])
            paragraphs(pos_a["paras"], pos_b["paras"])
        if ia["outcomes"]:
            row("sub", a["L"]["outcomes"], b["L"]["outcomes"])
            paragraphs(ia["outcomes"], ib["outcomes"])
    if a["actions"]:
        label("actions")
        for xa, xb in zip(a["actions"], b["actions"], strict=True):
            row("action", _action(xa, a["L"]), _action(xb, b["L"]), xa["id"])
    if a["previous"]:
        label("previous")
        for xa, xb in zip(a["previous"], b["previous"], strict=True):
            row("para", join(xa["date"], a["L"]["colon"], xa["text"]), join(xb["date"], b["L"]["colon"], xb["text"]),
                xa["id"], xb["num"])
    return {**b, "src_lang": a["lang"], "src_dir": a["dir"], "src_L": a["L"], "src_title": a["title"],
            # Each column is headed by its language's own name (Français, العربية): one for each reader.
            "src_name": capitalized(language_name(a["lang"], locale_for(a["lang"]))),
            "tgt_name": capitalized(language_name(b["lang"], ed.locale)),
            "dir": "ltr",  # the table runs left to right; each cell carries its own direction
            "tgt_dir": b["dir"], "rows": rows}


def _plain(text: Localized | None) -> str | None:
    return str(text) if text else None


def _person(p: dict[str, Any], labels: dict[str, str]) -> Localized:
    text = join(p["name"], *((labels["comma"], p["title"]) if p["title"] else ()))
    return join(text, f" ({labels['head']})") if p["head"] else text


def _action(x: dict[str, Any], labels: dict[str, str]) -> Localized:
    parts = [f"{labels['owner']}{labels['colon']}{x['owner']}"]
    if x["due"]:
        parts.append(f"{labels['due']}{labels['colon']}{x['due']}")
    return join(x["text"], " — ", labels["comma"].join(parts))

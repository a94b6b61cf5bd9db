"""Build what each brief shows (a plain view model) and render it to HTML with jinja2.

Autoescape is on and stays on: record text reaches the HTML only through jinja's escaping or through
``isolate`` (which escapes every piece itself and adds nothing but ``<bdi>`` tags of its own).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from markupsafe import Markup, escape

from .config import LANGUAGES, RTL_LANGUAGES, templates_dir
from .labels import LABELS, item_number
from .localize import (
    capitalized,
    country_name,
    css_counter_style,
    digits,
    language_name,
    locale_for,
    long_date,
    month_year,
    number,
)
from .record import Delegation, Record
from .segment import Segment

STYLESHEETS = ("brief.css",)
RTL_STYLESHEETS = ("rtl.css",)


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


# --- bidi isolation -------------------------------------------------------------------------------------

_LATIN = "A-Za-z\u00c0-\u024f"
_LATIN_WORD = rf"[{_LATIN}0-9](?:[{_LATIN}0-9@._%+\-/&'’:]*[{_LATIN}0-9])?"
_LATIN_RUN = re.compile(rf"{_LATIN_WORD}(?:[ \u00a0]+{_LATIN_WORD})*")
_HAS_LETTER = re.compile(rf"[{_LATIN}]")
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_RUN = re.compile(rf"[{_ARABIC}]+(?:[ \u00a0]+[{_ARABIC}]+)*")


def isolate(text: object, direction: str = "ltr") -> Markup:
    """Escape ``text`` and wrap each run of the other script in ``<bdi>`` so the bidi algorithm keeps it whole.

    In right-to-left text, Latin-script runs (e-mail addresses, "Next Technology Leaders", the document
    symbol) become left-to-right islands; in left-to-right text, Arabic runs become right-to-left ones.
    Every piece of ``text`` passes through ``escape``; only the ``<bdi>`` tags are ours.
    """
    if isinstance(text, Markup):  # already HTML (our own label markup); leave it alone
        return text
    raw = str(text)
    if direction == "rtl":
        pattern, tag = _LATIN_RUN, Markup('<bdi dir="ltr">{}</bdi>')
    else:
        pattern, tag = _ARABIC_RUN, Markup('<bdi dir="rtl" lang="ar">{}</bdi>')
    out: list[Markup] = []
    pos = 0
    for m in pattern.finditer(raw):
        if direction == "rtl" and not _HAS_LETTER.search(m.group()):
            continue  # bare figures: the bidi algorithm already orders them
        out.append(escape(raw[pos:m.start()]))
        out.append(tag.format(m.group()))  # Markup.format escapes its arguments
        pos = m.end()
    out.append(escape(raw[pos:]))
    return Markup("").join(out)


def css_string(text: object) -> Markup:
    """A quoted CSS string for a ``<style>`` element: every character outside [A-Za-z0-9 ] as a CSS escape.

    HTML escaping is useless inside ``<style>`` (entities are not decoded there), so this escapes for CSS;
    ``<``, ``&``, quotes and backslashes can then neither end the string nor the element.
    """
    out = []
    for ch in str(text):
        if (ch.isalnum() and ch.isascii()) or ch == " ":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return Markup('"' + "".join(out) + '"')


@jinja2.pass_context
def _isolate_filter(context: jinja2.runtime.Context, text: object, direction: str | None = None) -> Markup:
    return isolate(text, direction or context.get("dir", "ltr"))


@lru_cache(maxsize=4)
def _environment(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["iso"] = _isolate_filter
    env.filters["css_str"] = css_string
    return env


def _stylesheets(folder: Path, rtl: bool, inline: bool) -> list[dict[str, Any]]:
    """Links for WeasyPrint (served by its locked-down fetcher), or the CSS itself for a standalone preview."""
    names = [*STYLESHEETS, *(RTL_STYLESHEETS if rtl else ())]
    if not inline:
        return [{"href": name, "css": None} for name in names]
    # Our own template files, not record text: safe to put into <style> as they are.
    return [{"href": None, "css": Markup((folder / name).read_text(encoding="utf-8"))} for name in names]


def render_html(ctx: BriefContext, edition: Edition, folder: Path | None = None, *, inline_css: bool = False) -> str:
    """The HTML of one edition. ``inline_css`` puts the stylesheets inside it (the HTML preview)."""
    folder = (folder or templates_dir()).resolve()
    env = _environment(folder)
    if edition.parallel_with:
        data, template = parallel_view(ctx, edition), "parallel.html.j2"
    else:
        data, template = view(ctx, edition), "brief.html.j2"
    data["stylesheets"] = _stylesheets(folder, data["dir"] == "rtl", inline_css)
    return env.get_template(template).render(**data)


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

    def t(seg_id: str) -> str:
        return digits(texts[seg_id], loc)

    def para(seg_id: str) -> dict[str, str]:
        return {"id": seg_id, "num": number(by_id[seg_id].para or 0, loc), "text": t(seg_id)}

    def paras(base: str, count: int) -> list[dict[str, str]]:
        return [para(f"{base}.{i}") for i in range(1, count + 1) if shown(f"{base}.{i}", ed)]

    def maybe(seg_id: str) -> str | None:
        return t(seg_id) if seg_id in texts else None

    def delegation_name(d: Delegation) -> str:
        return maybe(f"delegations.{d.id}.name") or country_name(d.country, loc)

    # The recipient's own delegation is listed first; heads before members.
    order = sorted(rec.delegations, key=lambda d: d.id != own)
    participants = [{
        "id": d.id,
        "name": delegation_name(d),
        "own": d.id == own,
        "people": [{"name": t(f"delegations.{d.id}.{key}.name"),
                    "title": maybe(f"delegations.{d.id}.{key}.title"), "head": key == "head"}
                   for key in ["head", *(f"members.{i}" for i in range(1, len(d.members) + 1))]],
    } for d in order]
    names = {d.id: delegation_name(d) for d in rec.delegations}

    agenda, actions = [], []
    for n, item in enumerate(rec.agenda, 1):
        base = f"agenda.{item.id}"
        positions = [{"who": who, "label": labels["position"].format(who=names[who]),
                      "paras": paras(f"{base}.positions.{who}", len(ps))}
                     for who, ps in item.positions.items() if who != own]
        agenda.append({
            "id": base,
            "number": item_number(n, lang) or number(n, loc),
            "title": t(f"{base}.title"),
            "background": paras(f"{base}.background", len(item.background)),
            "points": paras(f"{base}.points", len(item.points)),
            "positions": [p for p in positions if p["paras"]],
            "outcomes": paras(f"{base}.outcomes", len(item.outcomes)),
        })
        for i, action in enumerate(item.actions, 1):
            actions.append({"id": f"{base}.actions.{i}", "text": t(f"{base}.actions.{i}"),
                            "owner": names[action.owner],
                            "due": digits(long_date(action.due, loc), loc) if action.due else ""})

    venue = t("venue")
    where = country_name(rec.country, loc) if rec.country else None
    return {
        "lang": lang,
        "dir": "rtl" if lang in RTL_LANGUAGES else "ltr",
        "counter_style": css_counter_style(loc),
        "L": labels,
        "page_label": _page_label(labels["page"]),
        "title": t("title"),
        "doc_kind": labels["doc_kind"],
        "symbol": f"{rec.id}/v{rec.version}",
        "date": digits(long_date(rec.date, loc), loc),
        "venue": venue + (f"{labels['comma']}{where}" if where and where not in venue else ""),
        "occasion": maybe("occasion"),
        "classification": maybe("classification"),
        "host": maybe("host"),
        "prepared_for": names[ed.delegation.id] if ed.delegation else None,
        "master_note": (labels["master"].format(language=language_name(lang, loc))
                        if ed.delegation is None else None),
        "purpose": paras("purpose", len(rec.purpose)),
        "participants": participants,
        "agenda": agenda,
        "actions": actions,
        "previous": [{"date": digits(month_year(c.date, loc), loc), **para(f"previous.{i}")}
                     for i, c in enumerate(rec.previous_contacts, 1)],
        "terms": _terms(ctx.terms.get(lang, []), lang, loc),
        "signature": ctx.signature,
        "version": ctx.version,
        "short_signature": short_signature(ctx.signature),
    }


def _terms(rows: list[dict[str, str]], lang: str, loc: Locale) -> dict[str, Any] | None:
    """The key-terms annex: the brief's language first, then the other two, headed by language names."""
    present = {k for row in rows for k, v in row.items() if v}
    columns = [code for code in (lang, *(c for c in LANGUAGES if c != lang)) if code in present]
    if not rows or not columns:
        return None
    return {
        "columns": [{"lang": c, "dir": "rtl" if c in RTL_LANGUAGES else "ltr",
                     "name": capitalized(language_name(c, loc))} for c in columns],
        "rows": [[{"lang": c, "dir": "rtl" if c in RTL_LANGUAGES else "ltr", "text": row.get(c, "")}
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

    def row(kind: str, left: str, right: str, seg_id: str | None = None, num: str = "") -> None:
        rows.append({"kind": kind, "id": seg_id, "num": num, "src": left, "tgt": right})

    def label(key: str) -> None:
        row("section", a["L"][key], b["L"][key])

    def paragraphs(pa: list[dict[str, str]], pb: list[dict[str, str]]) -> None:
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
        row("sub", f"{a['L']['delegation']}{a['L']['colon']}{da['name']}",
            f"{b['L']['delegation']}{b['L']['colon']}{db['name']}")
        for pa, pb in zip(da["people"], db["people"], strict=True):
            row("person", _person(pa, a["L"]), _person(pb, b["L"]))
    label("agenda")
    for ia, ib in zip(a["agenda"], b["agenda"], strict=True):
        row("item", f"{ia['number']}{a['L']['item_sep']}{ia['title']}",
            f"{ib['number']}{b['L']['item_sep']}{ib['title']}")
        for part in ("background", "points"):
            if ia[part]:
                row("sub", a["L"][part], b["L"][part])
                paragraphs(ia[part], ib[part])
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
            row("para", f"{xa['date']}{a['L']['colon']}{xa['text']}", f"{xb['date']}{b['L']['colon']}{xb['text']}",
                xa["id"], xb["num"])
    return {**b, "src_lang": a["lang"], "src_dir": a["dir"], "src_L": a["L"], "src_title": a["title"],
            # Each column is headed by its language's own name (Français, العربية): one for each reader.
            "src_name": capitalized(language_name(a["lang"], locale_for(a["lang"]))),
            "tgt_name": capitalized(language_name(b["lang"], ed.locale)),
            "dir": "ltr",  # the table runs left to right; each cell carries its own direction
            "tgt_dir": b["dir"], "rows": rows}


def _person(p: dict[str, Any], labels: dict[str, str]) -> str:
    text = p["name"] + (f"{labels['comma']}{p['title']}" if p["title"] else "")
    return text + (f" ({labels['head']})" if p["head"] else "")


def _action(x: dict[str, str], labels: dict[str, str]) -> str:
    parts = [f"{labels['owner']}{labels['colon']}{x['owner']}"]
    if x["due"]:
        parts.append(f"{labels['due']}{labels['colon']}{x['due']}")
    return f"{x['text']} — {labels['comma'].join(parts)}"

"""HTML of a brief with jinja2: the environment, the stylesheets, and the escaping helpers the templates use.

Autoescape is on and stays on: record text reaches the HTML only through jinja's escaping or through
``isolate`` (which escapes every piece itself and adds nothing but ``<bdi>`` tags of its own).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..config import templates_dir
from ..figures import Localized
from .editions import Edition
from .view import BriefContext, parallel_view, view

STYLESHEETS = ("brief.css",)
RTL_STYLESHEETS = ("rtl.css",)


# --- bidi isolation -------------------------------------------------------------------------------------

_LATIN = "A-Za-z\u00c0-\u024f"
_LATIN_WORD = rf"[{_LATIN}0-9](?:[{_LATIN}0-9@._%+\-/&'’:]*[{_LATIN}0-9])?"
_LATIN_RUN = re.compile(rf"{_LATIN_WORD}(?:[ \u00a0]+{_LATIN_WORD})*")
_HAS_LETTER = re.compile(rf"[{_LATIN}]")
_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_RUN = re.compile(rf"[{_ARABIC}]+(?:[ \u00a0]+[{_ARABIC}]+)*")


_FIGURE = Markup('<bdi dir="{}" class="fig">{}</bdi>')
_CODE = Markup('<bdi dir="ltr" class="code">{}</bdi>')
_SYMBOL = Markup('<bdi dir="ltr" class="code nw">{}</bdi>')
_URL_ISLAND = Markup('<bdi dir="ltr" class="code url">{}</bdi>')
_CHUNK = Markup('<span class="nw">{}</span>')
_KEEP = Markup('<span class="nh">{}</span>')
# An identifier up to this many characters never breaks (a document symbol, a code, an e-mail address, one step
# of a URL): the narrowest column that prints identifiers (the parallel edition's, about 80 mm at 9.5 pt) holds
# some 45. A longer one (a key, a hash) breaks where it must rather than leave the page.
UNBREAKABLE = 30
_URL_START = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)
_URL_STEP = re.compile(r"[^/]*/+|[^/]+")
_URL_SUBSTEP = re.compile(r"[._~-]*[^._~-]+(?:/+)?|[._~-]+")


def identifier(text: str) -> Markup:
    """An identifier as a left-to-right island that breaks only at natural points: a URL after a ``/`` of its
    path (its scheme glued to the host: "https://" never ends a line), a symbol ("DZ-RU/2024/17") or another
    code not at all, unless it is longer than any line could hold."""
    if _URL_START.match(text):
        steps = _URL_STEP.findall(text)
        if len(steps) > 1 and steps[0].endswith("//"):     # "https://" + "www.mcit.gov.eg/": one step
            steps[:2] = [steps[0] + steps[1]]
        # A step too long for a narrow column is cut before its dots, hyphens and underscores, as style manuals
        # cut URLs: a hyphen then starts the next line and cannot be taken for a hyphenation.
        pieces = [piece for step in steps
                  for piece in ([step] if len(step) <= UNBREAKABLE else _URL_SUBSTEP.findall(step))]
        # <wbr>: a break opportunity between two unbreakable pieces, and only there
        parts = [_CHUNK.format(piece) if len(piece) <= UNBREAKABLE else escape(piece) for piece in pieces]
        return _URL_ISLAND.format(Markup("<wbr>").join(parts))
    return (_SYMBOL if len(text) <= UNBREAKABLE else _CODE).format(text)


def isolate(text: object, direction: str = "ltr") -> Markup:
    """Escape ``text`` and wrap each run of the other script in ``<bdi>`` so the bidi algorithm keeps it whole.

    In right-to-left text, Latin-script runs (e-mail addresses, "Next Technology Leaders", the document
    symbol) become left-to-right islands; in left-to-right text, Arabic runs become right-to-left ones.
    A localised text (``figures.Localized``) brings its numbers and identifiers as pieces: each becomes an
    island of its own (a number never breaks across lines; an identifier may break anywhere rather than leave
    the page), and its words not to hyphenate are marked. Every piece of ``text`` passes through ``escape``;
    only the tags are ours.
    """
    if isinstance(text, Markup):  # already HTML (our own label markup); leave it alone
        return text
    if isinstance(text, Localized):
        out: list[Markup] = []
        for piece in text.pieces:
            if piece.kind == "number":
                out.append(_FIGURE.format(piece.dir, piece.text))
            elif piece.kind == "code":
                out.append(identifier(piece.text))
            elif piece.kind == "keep":
                out.append(_KEEP.format(_runs(piece.text, direction)))
            else:
                out.append(_runs(piece.text, direction))
        return Markup("").join(out)
    return _runs(str(text), direction)


def _runs(raw: str, direction: str) -> Markup:
    if direction == "rtl":
        pattern, tag = _LATIN_RUN, Markup('<bdi dir="ltr">{}</bdi>')
    else:
        pattern, tag = _ARABIC_RUN, Markup('<bdi dir="rtl" lang="ar">{}</bdi>')
    out = []
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

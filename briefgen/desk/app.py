"""The desk's web application (Starlette): one record, its target languages, a page per language.

Security, since the record and the drafts are untrusted text (see docs/desk.md): every request carries the
run's token (the address printed with it sets a SameSite=Strict cookie); every POST carries the CSRF token
derived from it and, when the browser sends one, an Origin of this very server; the Host header must be the
address served (no DNS rebinding); bodies are capped; the client names segments and languages only, checked
against the record, never a path; jinja2 escapes everything.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import RTL_LANGUAGES, Settings
from ..errors import BriefgenError, GlossaryError, SetupError
from ..memory.review import ReviewEdit, StaleEditError, save_review, sidecar_of
from ..record.load import LoadedRecord, load_record, target_langs
from ..record.segments import segments
from ..render.localize import language_name, locale_for
from ..terms.glossary import Glossary
from ..terms.layers import glossary_for, layer_paths, load_glossary
from ..terms.lint import problems
from ..textsafety import text_problem
from .preview import Previewer, language_editions
from .rows import FILTERS, FINDING_FILTERS, Row, current_text, desk_rows, live_check, version_of

log = logging.getLogger(__name__)

MAX_BODY = 256 * 1024          # bytes of one request: a paragraph is a few kilobytes at most
TOKEN_COOKIE = "briefgen_desk"
REVIEWER_COOKIE = "briefgen_reviewer"
STATUS_LABELS = {"missing": "Missing", "changed": "Changed since reviewed", "machine": "Machine draft",
                 "reused": "Reused from another record", "reviewed": "Reviewed", "given": "Given in the record"}
_HERE = Path(__file__).resolve().parent
_STATIC = {"desk.css": ("text/css; charset=utf-8", _HERE / "static" / "desk.css"),
           "desk.js": ("text/javascript; charset=utf-8", _HERE / "static" / "desk.js")}
_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
                                       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
                                       "base-uri 'none'",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


@dataclass
class DeskConfig:
    record: Path
    settings: Settings
    token: str
    hosts: frozenset[str] | None = None    # Host headers accepted; None: any (--allow-remote)
    lang: str | None = None                # the language the address opens on


class Desk:
    """The record being reviewed, reloaded when its file changes, and the one lock saves take."""

    def __init__(self, config: DeskConfig) -> None:
        self.config = config
        self.settings = config.settings
        self.save_lock = threading.Lock()    # check-then-save of one desk is one step (two people, one record)
        self._loaded: LoadedRecord | None = None
        self._glossary: Glossary | None = None
        self._stamp: tuple[int, int] | None = None
        self.previewer = Previewer(config.settings)
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(_HERE / "templates"), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.csrf = hmac.new(config.token.encode(), b"csrf", hashlib.sha256).hexdigest()
        self.record()    # a record with errors stops the server before it listens

    def record(self) -> tuple[LoadedRecord, Glossary]:
        try:
            stat = self.config.record.stat()
        except OSError as exc:    # moved or deleted while the desk runs: say so on the page, keep serving
            raise SetupError(f"{self.config.record}: cannot read the record any more ({exc.strerror}); put it "
                             "back, or restart the desk") from exc
        stamp = (stat.st_mtime_ns, stat.st_size)
        if self._loaded is None or self._glossary is None or stamp != self._stamp:
            self._loaded = load_record(self.config.record)
            self._glossary = _glossary_of(self._loaded.path, self.settings)
            self._stamp = stamp
        return self._loaded, self._glossary

    def langs(self) -> list[str]:
        return target_langs(self.record()[0])

    def render(self, name: str, status: int = 200, **data: Any) -> HTMLResponse:
        return HTMLResponse(self.env.get_template(name).render(**data), status_code=status, headers=_HEADERS)


def _glossary_of(record: Path, settings: Settings) -> Glossary:
    """The build's glossary, refused as the build refuses it; but where the build names the first error and
    counts the others, the desk names every row at fault, since the desk cannot open until all are fixed."""
    try:
        return glossary_for(record, settings)
    except GlossaryError as refused:
        try:
            errors = [f for f in problems(load_glossary(layer_paths(record, settings))) if f.severity == "error"]
        except GlossaryError:
            raise refused from None
        if len(errors) < 2:
            raise
        first = errors[0]
        rows = " · ".join((f"line {f.line}: " if f.file == first.file else f"{f.file}:{f.line}: ")
                          + (f"{f.column}: " if f.column else "") + f.message for f in errors)
        raise GlossaryError(f"{len(errors)} errors, and `briefgen build` refuses this glossary too: {rows}; fix "
                            "each row (whoever keeps the glossary chooses the translation that stays), then start "
                            "the desk again", path=first.file, line=first.line) from None


def create_app(config: DeskConfig) -> ASGIApp:
    desk = Desk(config)
    routes = [Route("/", partial(_home, desk)),
              Route("/static/{name}", _static),
              Route("/reviewer", partial(_reviewer, desk), methods=["POST"]),
              Route("/{lang}", partial(_page, desk)),
              Route("/{lang}/save", partial(_save, desk), methods=["POST"]),
              Route("/{lang}/check", partial(_check, desk), methods=["POST"]),
              Route("/{lang}/preview.pdf", partial(_preview, desk))]
    app = Starlette(routes=routes, exception_handlers={BriefgenError: partial(_failed, desk)})
    return _Guard(app, desk)


# --- routes -------------------------------------------------------------------------------------------------

async def _home(desk: Desk, request: Request) -> Response:
    lang = desk.config.lang or desk.langs()[0]
    return RedirectResponse(f"/{lang}", status_code=303)


async def _static(request: Request) -> Response:
    entry = _STATIC.get(request.path_params["name"])      # a fixed table: no client path reaches the disk
    if entry is None:
        return PlainTextResponse("not found", status_code=404)
    return Response(entry[1].read_bytes(), media_type=entry[0], headers=_HEADERS)


def _lang(desk: Desk, request: Request) -> str | None:
    lang = request.path_params["lang"]
    return lang if lang in desk.langs() else None


def _not_found(desk: Desk, what: str) -> Response:
    return desk.render("error.html.j2", 404, title="Not found", message=what, back="/")


def _reviewer_of(request: Request, form: Any = None) -> str:
    name = (form.get("reviewer") if form is not None else None) or unquote(request.cookies.get(REVIEWER_COOKIE, ""))
    return " ".join(str(name).split())[:80]


async def _page(desk: Desk, request: Request) -> Response:
    lang = _lang(desk, request)
    if lang is None:
        return _not_found(desk, f"this record has no translation into '{request.path_params['lang']}'; "
                                f"it has: {', '.join(desk.langs())}")
    show = request.query_params.get("show") or None
    if show not in (None, *FILTERS):
        show = None
    loaded, glossary = desk.record()
    rows = desk_rows(loaded, lang, desk.settings, glossary)
    counts = _counts(rows)
    shown = [r for r in rows if r.matches(show)]
    rec = loaded.record
    loc = locale_for("en")
    eds = language_editions(loaded, lang)
    manifest = desk.settings.out_dir / rec.id / "manifest.json"
    last_build = (f"{manifest.parent}, written {_mtime(manifest)}" if manifest.is_file() else "")
    return desk.render("desk.html.j2", lang=lang, lang_name=language_name(lang, loc).capitalize(),
                       rtl=lang in RTL_LANGUAGES, dir="rtl" if lang in RTL_LANGUAGES else "ltr",
                       source_lang=rec.source_lang, source_dir="rtl" if rec.source_lang in RTL_LANGUAGES else "ltr",
                       record_id=rec.id, record_title=rec.title.versions[rec.source_lang], rows=shown, show=show,
                       filters=FILTERS, counts=counts, finish=_finish(counts), csrf=desk.csrf,
                       reviewer=_reviewer_of(request),
                       status_labels=STATUS_LABELS, here=f"/{lang}" + (f"?show={show}" if show else ""),
                       previews=[{"key": ed.key, "label": _edition_label(ed.key, len(eds))} for ed in eds],
                       last_build=last_build, out_dir=str(desk.settings.out_dir),
                       sidecar=str(sidecar_of(desk.config.record)), record_file=str(desk.config.record))


def _edition_label(key: str, count: int) -> str:
    return f"the {key} brief" if count > 1 else "the brief"


def _mtime(path: Path) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")


def _counts(rows: list[Row], checked: bool = True) -> dict[str, int]:
    return {"all": len(rows), "editable": sum(r.editable for r in rows),
            "reviewed": sum(r.status == "reviewed" for r in rows), "given": sum(r.status == "given" for r in rows),
            **{key: sum(r.matches(key) for r in rows) for key in FILTERS if checked or key not in FINDING_FILTERS}}


def _progress(counts: dict[str, int]) -> str:
    given = f" · {counts['given']} given in the record" if counts["given"] else ""
    return f"{counts['reviewed']} of {counts['editable']} reviewed{given}"


def _done(counts: dict[str, int]) -> bool:
    """Every text this language needs is reviewed: nothing missing, no draft, nothing changed."""
    return counts["editable"] > 0 and counts["reviewed"] == counts["editable"]


def _finish(counts: dict[str, int]) -> str:
    """What the page says once nothing is missing ("" before): all reviewed, or how many still await a
    confirmation (machine drafts, reused or changed texts are printed, but nobody has confirmed them)."""
    if _done(counts):
        return f"✓ All {counts['editable']} texts reviewed: none is missing."
    if counts["editable"] and not counts["missing"]:
        waiting = counts["editable"] - counts["reviewed"]
        return f"None is missing; {waiting} {'text awaits' if waiting == 1 else 'texts await'} confirmation."
    return ""


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


async def _save(desk: Desk, request: Request) -> Response:
    lang = _lang(desk, request)
    form = await request.form()
    if lang is None:
        return _not_found(desk, "no such language in this record")
    seg_id, text = str(form.get("seg", "")), str(form.get("text", ""))
    version, show = str(form.get("version", "")), str(form.get("show", ""))
    show = show if show in FILTERS else ""
    back = f"/{lang}" + (f"?show={show}" if show else "")
    reviewer = _reviewer_of(request, form)
    loaded, glossary = desk.record()
    seg = next((s for s in segments(loaded.record) if s.id == seg_id and s.needed_in(lang)), None)
    problem = None
    if seg is None or seg.supplied(lang) is not None:
        problem = f"segment '{seg_id}' is not a text to translate into {lang} in this record"
    elif not reviewer or text_problem(reviewer):
        problem = "give your name first (the field at the top of the page): it is recorded with what you confirm"
    elif not " ".join(text.split()):
        problem = "the translation is empty: type it, or leave the text unconfirmed"
    if problem:
        if _wants_json(request):
            return JSONResponse({"message": problem}, status_code=400, headers=_HEADERS)
        return desk.render("error.html.j2", 400, title="Not saved", message=problem, back=back)
    assert seg is not None
    try:
        with desk.save_lock:
            now = current_text(loaded, seg, lang, desk.settings)
            if version_of(now) != version:
                raise StaleEditError(seg_id, now, text)
            save_review(desk.config.record, lang, [ReviewEdit(seg_id, seg.source, text, True, expected=now)],
                        desk.settings, reviewer=reviewer, loaded=loaded)
    except StaleEditError as stale:
        log.info("stale save of %s refused", seg_id)
        theirs = version_of(stale.current)
        if _wants_json(request):
            return JSONResponse({"error": "stale", "current": stale.current, "mine": text, "version": theirs},
                                status_code=409, headers=_HEADERS)
        rec = loaded.record
        return desk.render("conflict.html.j2", 409, seg_id=seg_id, para=seg.para, source=seg.source,
                           source_lang=rec.source_lang, lang=lang, current=stale.current, mine=text,
                           version=theirs, csrf=desk.csrf, reviewer=reviewer, show=show,
                           dir="rtl" if lang in RTL_LANGUAGES else "ltr",
                           source_dir="rtl" if rec.source_lang in RTL_LANGUAGES else "ltr")
    rows = desk_rows(loaded, lang, desk.settings, glossary, only={seg_id})
    saved = next(r for r in rows if r.id == seg_id)
    # the next text to review: in the page's filter (findings are not recomputed for a save: the next text).
    # The counts a save returns are the statuses' (every row's status is known); the page adjusts its QA errors
    # and Warnings counts by the saved row's own findings, the only ones a save changes.
    following = [r for r in rows[rows.index(saved) + 1:]
                 if r.editable and (show in ("", *FINDING_FILTERS) or r.matches(show))]
    counts = _counts(rows, checked=False)
    if _wants_json(request):
        response: Response = JSONResponse(
            {"id": seg_id, "version": saved.version, "text": saved.text, "status": saved.status,
             "status_label": STATUS_LABELS[saved.status], "progress": _progress(counts),
             "counts": counts, "done": _done(counts), "finish": _finish(counts),
             "checks": [f.__dict__ for f in saved.checks], "next": following[0].id if following else None},
            headers=_HEADERS)
    else:
        anchor = f"#row-{quote(following[0].id if following else seg_id)}"
        response = RedirectResponse(back + anchor, status_code=303)
    _keep_reviewer(response, reviewer)
    return response


async def _check(desk: Desk, request: Request) -> Response:
    lang = _lang(desk, request)
    form = await request.form()
    if lang is None:
        return JSONResponse({"message": "no such language in this record"}, status_code=404, headers=_HEADERS)
    seg_id, text = str(form.get("seg", "")), str(form.get("text", ""))
    loaded, glossary = desk.record()
    seg = next((s for s in segments(loaded.record) if s.id == seg_id and s.needed_in(lang)), None)
    if seg is None:
        return JSONResponse({"message": f"no segment '{seg_id}' in {lang}"}, status_code=404, headers=_HEADERS)
    if not " ".join(text.split()):
        return JSONResponse({"checks": []}, headers=_HEADERS)
    problem = text_problem(text)
    checks = ([{"severity": "error", "code": "text", "message": problem}] if problem else
              [f.__dict__ for f in live_check(loaded, glossary, seg, lang, text)])
    return JSONResponse({"checks": checks}, headers=_HEADERS)


async def _reviewer(desk: Desk, request: Request) -> Response:
    form = await request.form()
    name = _reviewer_of(request, form)
    back = str(form.get("back", ""))
    target = back if back.startswith("/") and not back.startswith("//") and urlsplit(back).netloc == "" else "/"
    response: Response = (JSONResponse({"reviewer": name}, headers=_HEADERS) if _wants_json(request)
                          else RedirectResponse(target, status_code=303))
    if name and not text_problem(name):
        _keep_reviewer(response, name)
    return response


def _keep_reviewer(response: Response, name: str) -> None:
    response.set_cookie(REVIEWER_COOKIE, quote(name), max_age=30 * 86400, httponly=True, samesite="strict")


async def _preview(desk: Desk, request: Request) -> Response:
    lang = _lang(desk, request)
    if lang is None:
        return _not_found(desk, "no such language in this record")
    loaded, glossary = desk.record()
    eds = language_editions(loaded, lang)
    key = request.query_params.get("edition") or (eds[0].key if eds else "")
    edition = next((ed for ed in eds if ed.key == key), None)
    if edition is None:
        return _not_found(desk, f"no brief '{key}' in {lang}")
    import anyio

    pdf = await anyio.to_thread.run_sync(desk.previewer.pdf, loaded, glossary, edition)
    return Response(pdf, media_type="application/pdf",
                    headers={**_HEADERS, "Content-Security-Policy": "default-src 'none'; sandbox",
                             "Content-Disposition": f'inline; filename="{edition.filename(loaded.record.id)}"'})


async def _failed(desk: Desk, request: Request, exc: Exception) -> Response:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    log.warning("%s %s: %s", request.method, request.url.path, message)
    if _wants_json(request):
        return JSONResponse({"message": message}, status_code=422, headers=_HEADERS)
    return desk.render("error.html.j2", 422, title="Not done", message=message, back="/")


# --- the guard in front of every route ------------------------------------------------------------------------

class _Guard:
    """Token, Host, Origin/CSRF and size checks before any route runs (pure ASGI, so the body cap holds for
    chunked uploads too)."""

    def __init__(self, app: ASGIApp, desk: Desk) -> None:
        self.app, self.desk = app, desk

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = self.desk.config.token
        hosts = self.desk.config.hosts
        host = request.headers.get("host", "")
        if hosts is not None and host not in hosts:
            await _deny(400, "this desk answers only at the address it printed", scope, receive, send)
            return
        given = request.query_params.get("token")
        cookie = request.cookies.get(TOKEN_COOKIE, "")
        if given is not None and hmac.compare_digest(given.encode(), token.encode()):
            if request.method == "GET":    # the printed address: keep the token in a cookie, drop it from the URL
                response = RedirectResponse(request.url.path if request.url.path != "/" else "/", status_code=303)
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
                await response(scope, receive, send)
                return
        elif not (cookie and hmac.compare_digest(cookie.encode(), token.encode())):
            await _deny(403, "this desk needs the address with its token, as `briefgen review serve` printed it",
                        scope, receive, send)
            return
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            await _deny(413, f"request larger than {MAX_BODY // 1024} KB", scope, receive, send)
            return
        if request.method not in ("GET", "HEAD"):
            origin = request.headers.get("origin")
            if origin is not None and urlsplit(origin).netloc != host:
                await _deny(403, "cross-site request refused", scope, receive, send)
                return
            receive = _capped(receive)
            body = await _read_body(receive)
            if body is None:
                await _deny(413, f"request larger than {MAX_BODY // 1024} KB", scope, receive, send)
                return
            if not _csrf_ok(body, request.headers.get("content-type", ""), self.desk.csrf):
                await _deny(403, "the form is not from this desk (missing or wrong csrf field): reload the page",
                            scope, receive, send)
                return
            receive = _replay(body)
        await self.app(scope, receive, send)


async def _deny(status: int, message: str, scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse(f"{status}: {message}\n", status_code=status, headers=_HEADERS)(scope, receive, send)


def _capped(receive: Receive) -> Receive:
    seen = 0

    async def inner() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > MAX_BODY:
            raise _TooLarge
        return message

    return inner


class _TooLarge(Exception):
    pass


async def _read_body(receive: Receive) -> bytes | None:
    chunks = []
    try:
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)
    except _TooLarge:
        return None


def _replay(body: bytes) -> Receive:
    sent = False

    async def inner() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return inner


def _csrf_ok(body: bytes, content_type: str, expected: str) -> bool:
    from urllib.parse import parse_qs

    if not content_type.startswith("application/x-www-form-urlencoded"):
        return False     # the desk's forms and script send only this
    try:
        fields = parse_qs(body.decode("utf-8"), max_num_fields=32)
    except (UnicodeDecodeError, ValueError):
        return False
    given = fields.get("csrf", [""])[0]
    return hmac.compare_digest(given.encode(), expected.encode())

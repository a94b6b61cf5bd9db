"""Check that a folder of briefs is still the matched set a build wrote.

For every file listed in ``manifest.json``: it is present with the recorded sha256; it carries the set's
build signature (PDF metadata and page footer); it declares the language the manifest gives; and it has
the paragraph numbers of the record: the numbered-paragraph anchors (PDF named destinations, one per
segment id) and, at each anchor, the number actually printed there (Arabic-Indic digits read as figures);
and, in a delegation's brief, no paragraph outside its audience — another delegation's talking points or
notes, or the assessment of its own expected position — neither listed for it in the manifest, nor anchored
in the PDF, nor drawn on its pages as text (found by the fingerprints the manifest keeps, see
``render.audience``, in the text of the pages' text area joined across pages, so that a paragraph crossing a
page break is found whole).

The set is complete: the manifest lists files, and among them a brief for every delegation the record asked
for in its working language, the master copy, and the parallel editions when the set was built with them;
nothing else. With the record itself (``verify_set(folder, record)``) the set is checked against the record
rather than against what the manifest says of it: same record version, the editions the record makes, its
segments; whose brief each file is, the paragraphs not for every brief and the words the record gives both
sides (the leak check's whitelist) come from the record, never from the manifest; and the set's language
versions agree, paragraph by paragraph, in the numbers and identifiers they print (``render.agreement``). The
QA reports and HTML previews the manifest lists must be there with their sha256. A set whose build found QA
errors is matched but not ready to send, unless the build accepted them (``build --accept-qa-errors``,
recorded in the manifest): ``Report.ok`` is both.

A difference is reported, not raised: the result lists each one with the file it concerns. A folder that
is not a build's output (no folder, no or unreadable manifest, a manifest field of the wrong shape) is an
``InputError`` (exit 2) naming the field.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import RTL_LANGUAGES
from .errors import InputError
from .figures import to_latin_digits
from .files import read_bytes, read_json
from .render import audience
from .render.view import short_signature

if TYPE_CHECKING:
    from .render.readback import Readback

log = logging.getLogger(__name__)

# A printed paragraph number, one text run of its own: "12." (fr, ru) or "١٢ -" (ar). The mark is required,
# so a bare year set apart (a bold date) is not taken for one. Right-to-left runs come out mark first.
_MARK = r"[.\-–]"
_NUMBER = re.compile(rf"^\s*(?:({_MARK})\s*)?([0-9\u0660-\u0669\u06f0-\u06f9]+)\s*({_MARK})?\s*$")


def _printed_number(text: str) -> str | None:
    m = _NUMBER.match(text)
    if not m or not (m.group(1) or m.group(3)):
        return None
    return str(int(to_latin_digits(m.group(2))))


@dataclass(frozen=True)
class Difference:
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@dataclass(frozen=True)
class QaState:
    """What the manifest says of the set's QA: its errors, the PDFs they are in, and whether the build was told
    to send the set anyway (``build --accept-qa-errors``)."""

    errors: int
    files: tuple[str, ...]
    accepted: bool

    def describe(self) -> str:
        where = ", ".join(self.files) or "the set"
        return f"{self.errors} QA error{'s' if self.errors != 1 else ''} in {where}"

    def remedy(self) -> str:
        return (f"correct {'it' if self.errors == 1 else 'them'} and rebuild, or rebuild with --accept-qa-errors "
                "to send it anyway")


def qa_state(manifest: dict[str, Any]) -> QaState:
    """The QA state a build recorded; a manifest from before ``qa_errors`` counts the errors of ``qa``."""
    errors = manifest.get("qa_errors")
    if not isinstance(errors, int):
        summary = manifest.get("qa") if isinstance(manifest.get("qa"), dict) else {}
        errors = sum(c.get("error", 0) for c in summary.values() if isinstance(c, dict)
                     and isinstance(c.get("error", 0), int))
    files = tuple(f["file"] for f in manifest.get("files", [])
                  if isinstance(f, dict) and isinstance(f.get("qa_errors"), int) and f["qa_errors"] > 0)
    options = manifest.get("options") if isinstance(manifest.get("options"), dict) else {}
    return QaState(errors, files, options.get("accept_qa_errors") is True)


@dataclass
class Report:
    folder: Path
    signature: str
    files: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    qa: QaState = QaState(0, (), False)

    @property
    def matched(self) -> bool:
        """The files are the set the build wrote and agree with each other (and the record)."""
        return not self.differences

    @property
    def ok(self) -> bool:
        """Matched, and ready to send: no QA error, or the build accepted them by flag."""
        return self.matched and (not self.qa.errors or self.qa.accepted)


def verify_set(folder: Path | str, record: Path | str | None = None) -> Report:
    """Compare every file of ``folder`` with its manifest, and the set with what ``record`` (or, without it,
    the manifest) asks for; see the module docstring for what is checked."""
    folder = Path(folder)
    manifest = _load_manifest(folder)
    report = Report(folder, manifest["signature"], qa=qa_state(manifest))
    para_ids: dict[str, str] = {str(k): v for k, v in manifest["paragraphs"].items()}
    listed = set()
    read: dict[str, Readback] = {}       # file name -> the PDF read back, for the record's checks
    # who may read what: the record's word when it is given (a manifest is a file anyone can edit)
    from_record = _record_audiences(manifest, Path(record)) if record is not None else None
    for entry in manifest["files"]:
        name = entry["file"]
        listed.add(name)
        report.files.append(name)
        seen = (from_record or {}).get(name) or _Audience(entry.get("delegation"), manifest.get("restricted", {}),
                                                          tuple(entry.get("unchecked_texts", [])))
        report.differences.extend(_check_file(folder, entry, manifest["signature"], para_ids, seen, read))
    for path in sorted(folder.glob("*.pdf")):
        if path.name not in listed:
            report.differences.append(Difference(path.name, "not listed in manifest.json: not part of this set"))
    for entry in manifest.get("other_files", []):   # QA reports and previews: present and unchanged
        report.differences.extend(_check_file(folder, entry, manifest["signature"], para_ids))
    if not manifest["files"]:
        report.differences.append(Difference("manifest.json", "lists no files: this is not a complete set; "
                                                              "rebuild it with `briefgen build`"))
    elif record is not None:
        report.differences.extend(_against_record(manifest, Path(record), read))
    else:
        report.differences.extend(_completeness(manifest))
    report.differences.extend(_qa_listed(folder, manifest, report.qa))
    log.info("verified %s: %d files, %d differences", folder, len(report.files), len(report.differences))
    return report


def _qa_listed(folder: Path, manifest: dict[str, Any], qa: QaState) -> list[Difference]:
    """The manifest's count of QA errors against the errors qa.tsv lists (a manifest edited to say none)."""
    if not any(isinstance(f, dict) and f.get("file") == "qa.tsv" for f in manifest.get("other_files", [])):
        return []
    try:
        text = read_bytes(folder / "qa.tsv", InputError, MAX_PDF_BYTES).decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    except (InputError, OSError, UnicodeDecodeError, csv.Error):
        return []                                  # missing or damaged: a difference of its own already
    listed = sum(1 for row in rows if row.get("severity") == "error")
    if listed != qa.errors:
        return [Difference("manifest.json", f"says {qa.errors} QA errors, but qa.tsv lists {listed}: "
                                            "rebuild the set")]
    return []


def _load_manifest(folder: Path) -> dict[str, Any]:
    if not folder.is_dir():
        raise InputError("no such folder; give the folder a build wrote, e.g. out/<record-id>", path=folder)
    path = folder / "manifest.json"
    if not path.is_file():
        raise InputError("no manifest.json here: not a folder written by `briefgen build` "
                         "(give out/<record-id>)", path=folder)
    try:
        manifest = read_json(path)
    except InputError as exc:
        raise InputError(f"unreadable manifest ({exc.detail}); rebuild the set with `briefgen build`",
                         path=path) from None
    problem = _shape(manifest)
    if problem:
        raise InputError(f"field {problem}; rebuild the set with `briefgen build`", path=path)
    return manifest


MAX_PDF_BYTES = 256 * 1024 * 1024   # a brief is a few hundred kilobytes

_TEXT, _TEXTS, _NUMBER_OF_LETTERS = "text", "a list of texts", "a whole number"


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number",
            type(None): "null"}.get(type(value), type(value).__name__)


def _shape(manifest: Any) -> str | None:
    """``<field>: <what is wrong>`` for the first field of ``manifest`` verify cannot read, else None: a
    manifest edited by hand or by another program is bad input (exit 2), never a traceback nor a difference."""
    def wrong(where: str, value: Any, want: str, optional: bool = False) -> str | None:
        ok = {_TEXT: isinstance(value, str),
              _TEXTS: isinstance(value, list) and all(isinstance(v, str) for v in value),
              _NUMBER_OF_LETTERS: isinstance(value, int) and not isinstance(value, bool),
              "an object": isinstance(value, dict), "a list": isinstance(value, list)}[want]
        if ok or (optional and value is None):
            return None
        return f"{where}: is {_kind(value)}, must be {want}{' or null' if optional else ''}"

    if not isinstance(manifest, dict):
        return f"(the whole file): is {_kind(manifest)}, must be an object"
    for name, want in (("signature", _TEXT), ("paragraphs", "an object"), ("files", "a list")):
        if name not in manifest:
            return f"{name}: missing"
        if problem := wrong(name, manifest[name], want):
            return problem
    for number, seg_id in manifest["paragraphs"].items():
        if problem := wrong(f"paragraphs.{number}", seg_id, _TEXT):
            return problem
    if problem := wrong("segments", manifest.get("segments", []), _TEXTS):
        return problem
    if "qa_errors" in manifest and (problem := wrong("qa_errors", manifest["qa_errors"], _NUMBER_OF_LETTERS)):
        return problem
    for key in ("files", "other_files"):
        entries = manifest.get(key, [])
        if problem := wrong(key, entries, "a list"):
            return problem
        for i, entry in enumerate(entries):
            where = f"{key}[{i}]"
            if problem := wrong(where, entry, "an object"):
                return problem
            needed = ("file", "sha256", "lang") if key == "files" else ("file", "sha256")
            for name in needed:
                if name not in entry:
                    return f"{where}.{name}: missing"
                if problem := wrong(f"{where}.{name}", entry[name], _TEXT):
                    return problem
            if "qa_errors" in entry and (problem := wrong(f"{where}.qa_errors", entry["qa_errors"],
                                                          _NUMBER_OF_LETTERS)):
                return problem
            for name, want, optional in (("edition", _TEXT, True), ("delegation", _TEXT, True),
                                         ("paragraphs", _TEXTS, False), ("segments", _TEXTS, False),
                                         ("unchecked_texts", _TEXTS, False)):
                if name in entry and (problem := wrong(f"{where}.{name}", entry[name], want, optional)):
                    return problem
    restricted = manifest.get("restricted", {})
    if problem := wrong("restricted", restricted, "an object"):
        return problem
    for seg_id, entry in restricted.items():
        where = f"restricted.{seg_id}"
        if problem := wrong(where, entry, "an object"):
            return problem
        for name, want in (("audience", _TEXTS), ("texts", "an object")):
            if name not in entry:
                return f"{where}.{name}: missing"
            if problem := wrong(f"{where}.{name}", entry[name], want):
                return problem
        if problem := wrong(f"{where}.owner", entry.get("owner"), _TEXT, optional=True):
            return problem
        for lang, fp in entry["texts"].items():
            if problem := wrong(f"{where}.texts.{lang}", fp, "an object"):
                return problem
            for name, want in (("letters", _NUMBER_OF_LETTERS), ("prefix", _TEXT), ("digest", _TEXT)):
                if name not in fp:
                    return f"{where}.texts.{lang}.{name}: missing"
                if problem := wrong(f"{where}.texts.{lang}.{name}", fp[name], want):
                    return problem
    return None


def _edition_name(key: str) -> str:
    if key == "master":
        return "master copy"
    if key.endswith("-parallel"):
        return f"parallel edition of delegation {key.removesuffix('-parallel')}"
    return f"brief of delegation {key}"


def _completeness(manifest: dict[str, Any]) -> list[Difference]:
    """The editions the manifest's own list of delegations asks for, each in its language, and no other."""
    delegations = manifest.get("delegations")
    if not (isinstance(delegations, list) and all(isinstance(d, dict) and isinstance(d.get("id"), str)
                                                  and isinstance(d.get("lang"), str) for d in delegations)):
        return [Difference("manifest.json", "does not list the delegations the record asked for (an older briefgen "
                                            "wrote it), so completeness cannot be checked: rebuild the set, or "
                                            "verify it with --record")]
    src = manifest.get("source_lang")
    options = manifest.get("options") if isinstance(manifest.get("options"), dict) else {}
    wanted = {"master": src, **{d["id"]: d["lang"] for d in delegations}}
    if options.get("parallel"):
        wanted |= {f"{d['id']}-parallel": d["lang"] for d in delegations if d["lang"] != src}
    by_edition = {f.get("edition"): f for f in manifest["files"]}
    diffs = []
    for key, lang in wanted.items():
        entry = by_edition.get(key)
        if entry is None:
            diffs.append(Difference("manifest.json", f"lists no {_edition_name(key)} ({lang}), which the record "
                                                     "asks for: the set is incomplete; rebuild it"))
        elif entry["lang"] != lang:
            diffs.append(Difference(entry["file"], f"manifest.json lists the {_edition_name(key)} in "
                                                   f"{entry['lang']}, but it is to be in {lang}"))
    for entry in manifest["files"]:
        if entry.get("edition") not in wanted:
            diffs.append(Difference(entry["file"], "listed in manifest.json, but the record asks for no such brief"))
    return diffs


def _against_record(manifest: dict[str, Any], path: Path, read: dict[str, Readback]) -> list[Difference]:
    """The set against the record itself: its version, the editions it makes, its segments; and what its
    language versions print agrees (``render.agreement``)."""
    from .record.load import load_record
    from .record.segments import segments
    from .render.editions import editions, parallel_editions

    rec = (loaded := load_record(path)).record
    if manifest.get("record_id") != rec.id:
        return [Difference("manifest.json", f"this is the set of record '{manifest.get('record_id')}', not of "
                                            f"{path} ('{rec.id}')")]
    diffs = []
    if manifest.get("record_sha256") != loaded.sha256:
        diffs.append(Difference("manifest.json", f"built from another version of {path} (the record has changed "
                                                 "since): rebuild the set"))
    options = manifest.get("options") if isinstance(manifest.get("options"), dict) else {}
    eds = editions(rec) + (parallel_editions(rec) if options.get("parallel") else [])
    wanted = {ed.filename(rec.id): ed for ed in eds}
    listed = {f["file"]: f for f in manifest["files"]}
    for name, ed in wanted.items():
        if name not in listed:
            diffs.append(Difference(name, f"the record asks for this {_edition_name(ed.key)} ({ed.lang}), but "
                                          "manifest.json does not list it: the set is incomplete; rebuild it"))
        elif listed[name]["lang"] != ed.lang:
            diffs.append(Difference(name, f"manifest.json gives it language {listed[name]['lang']}, the record "
                                          f"{ed.lang}"))
    for name in listed:
        if name not in wanted:
            diffs.append(Difference(name, "listed in manifest.json, but the record asks for no such brief"))
    ids = [s.id for s in segments(rec)]
    if manifest.get("segments") != ids:
        missing = [i for i in ids if i not in (manifest.get("segments") or [])]
        diffs.append(Difference("manifest.json", "its segments are not the record's" +
                                (f" (missing {', '.join(missing[:3])}{' …' if len(missing) > 3 else ''})"
                                 if missing else "") + ": rebuild the set"))
    diffs.extend(_audience_differences(manifest, rec, segments(rec), wanted))
    diffs.extend(_agreement(rec, segments(rec), eds, read))
    return diffs


def _record_audiences(manifest: dict[str, Any], path: Path) -> dict[str, _Audience] | None:
    """Per file the record asks for: whose brief it is, the paragraphs not for every brief and those the record
    gives both sides, all from the record. The fingerprints of their texts are those of the record's own
    versions and of the reviewed translations in its .tmx, with the manifest's (the machine drafts) added;
    ``_audience_differences`` reports a manifest whose table is not the record's. None for another record's
    set (a difference of its own)."""
    from .record.load import load_record
    from .record.segments import segments
    from .render.editions import editions, parallel_editions

    loaded = load_record(path)
    rec = loaded.record
    if manifest.get("record_id") != rec.id:
        return None
    segs = segments(rec)
    table = audience.restricted(segs, _dossier_texts(loaded, segs), manifest["signature"])
    for seg_id, entry in table.items():
        listed = manifest.get("restricted", {}).get(seg_id, {}).get("texts", {})
        entry["texts"] = {**listed, **entry["texts"]}
    out = {}
    for ed in editions(rec) + parallel_editions(rec):
        who = ed.delegation.id if ed.delegation else None
        out[ed.filename(rec.id)] = _Audience(who, table, tuple(audience.shared(segs, who)) if who else ())
    return out


def _dossier_texts(loaded: Any, segs: list[Any]) -> dict[str, dict[str, str]]:
    """The reviewed translations of the record's .tmx that are for its current text, by language and segment."""
    from .errors import BriefgenError
    from .memory.tmx import read_sidecar

    sidecar = loaded.path.with_suffix(".tmx")
    if not sidecar.is_file():
        return {}
    sources = {s.id: s.source for s in segs}
    try:
        units = read_sidecar(sidecar, loaded.record.id, sources)
    except BriefgenError as exc:        # the build refused it too; verify looks at what it can
        log.warning("%s", exc)
        return {}
    out: dict[str, dict[str, str]] = {}
    for u in units:
        if u.status == "reviewed" and sources.get(u.segment_id) == u.src_text:
            out.setdefault(u.tgt_lang, {})[u.segment_id] = u.tgt_text
    return out


def _audience_differences(manifest: dict[str, Any], rec: Any, segs: list[Any], wanted: dict[str, Any]) \
        -> list[Difference]:
    """Where the manifest's audience table, or whose brief it says a file is, is not the record's."""
    diffs = []
    listed = manifest.get("restricted", {})
    mine = audience.restricted(segs, {}, manifest["signature"])
    wrong = [seg_id for seg_id, entry in mine.items()
             if seg_id not in listed or listed[seg_id]["audience"] != entry["audience"]
             or listed[seg_id].get("owner") != entry["owner"]
             or any(listed[seg_id]["texts"].get(lang) != fp for lang, fp in entry["texts"].items())]
    wrong += [seg_id for seg_id in listed if seg_id not in mine]
    if wrong:
        diffs.append(Difference("manifest.json", "its table of paragraphs not for every brief is not the record's "
                                                 f"({', '.join(wrong[:3])}{' …' if len(wrong) > 3 else ''}): "
                                                 "rebuild the set"))
    for f in manifest["files"]:
        ed = wanted.get(f["file"])
        if ed is None:
            continue
        who = ed.delegation.id if ed.delegation else None
        if "delegation" not in f or f["delegation"] != who:
            said = (f"says it is {_whose_brief(f['delegation'])}" if "delegation" in f
                    else "does not say whose brief it is")
            diffs.append(Difference(f["file"], f"manifest.json {said}; the record makes it {_whose_brief(who)}"))
    return diffs


def _whose_brief(delegation: str | None) -> str:
    return f"the brief of delegation {delegation}" if delegation else "the master copy"


def _agreement(rec: Any, segs: list[Any], eds: list[Any], read: dict[str, Readback]) -> list[Difference]:
    """The numbers and identifiers of each numbered paragraph, as the set's PDFs print them, against the master
    copy's (the record's numbering, not the manifest's)."""
    from .render.agreement import Printed, compare

    printed = {ed.key: Printed(ed.filename(rec.id), ed.lang, read[ed.filename(rec.id)])
               for ed in eds if not ed.parallel_with and ed.filename(rec.id) in read}
    master = printed.pop("master", None)
    if master is None:
        return []                      # missing or unreadable: a difference of its own already
    paragraphs = {str(s.para): s.id for s in segs if s.para is not None}
    return [Difference(d.file, d.message) for d in compare(master, list(printed.values()), paragraphs)]


def _check_file(folder: Path, entry: dict[str, Any], signature: str, para_ids: dict[str, str],
                seen: _Audience | None = None, read: dict[str, Readback] | None = None) -> list[Difference]:
    name = entry["file"]
    diffs: list[Difference] = []

    def diff(message: str) -> None:
        diffs.append(Difference(name, message))

    if Path(name).name != name:  # a manifest must not point outside its folder
        diff("file name in manifest.json is not a plain file name")
        return diffs
    path = folder / name
    if not path.is_file():
        diff("listed in manifest.json but missing")
        return diffs
    try:
        data = read_bytes(path, InputError, MAX_PDF_BYTES)
    except InputError as exc:
        diff(exc.detail)
        return diffs
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry["sha256"]:
        diff(f"content differs from the build (sha256 {digest[:12]}…, manifest.json has {entry['sha256'][:12]}…)")
    if not name.endswith(".pdf"):
        return diffs
    try:
        pdf = _read_pdf(data, rtl=entry["lang"] in RTL_LANGUAGES and not entry.get("source_lang"))
    except Exception as exc:  # pypdf raises many kinds on damaged files; the user needs one line
        diff(f"not a readable PDF ({exc})")
        return diffs
    if read is not None:
        read[name] = pdf.readback

    found = pdf.signature
    if found != signature:
        shown = short_signature(found) if found else "none"
        diff(f"build signature {shown} differs from the set's {short_signature(signature)}")
    elif short_signature(signature) not in pdf.text:
        diff(f"page footers do not show the set's signature {short_signature(signature)}")
    if pdf.lang != entry["lang"]:
        diff(f"declares language {pdf.lang or 'none'} (/Lang), manifest.json says {entry['lang']}")

    expected = {n: para_ids[n] for n in entry.get("paragraphs", para_ids) if n in para_ids}
    expected_ids = {v: k for k, v in expected.items()}
    anchors = {k: v for k, v in pdf.anchors.items() if k in para_ids.values()}
    for seg_id, number in sorted(expected_ids.items(), key=lambda kv: int(kv[1])):
        if seg_id not in anchors:
            diff(f"paragraph {number} ({seg_id}) has no anchor")
            continue
        shown_number = pdf.number_at(*anchors[seg_id])
        if shown_number is None:
            diff(f"paragraph {number} ({seg_id}): no paragraph number printed at its anchor")
        elif shown_number != number:
            diff(f"paragraph {seg_id} is numbered {shown_number}, the record numbers it {number}")
    for seg_id in sorted(set(anchors) - set(expected_ids)):
        number = next(k for k, v in para_ids.items() if v == seg_id)
        diff(f"paragraph {number} ({seg_id}) is not one this edition prints")
    if seen is not None and seen.delegation:
        diffs.extend(Difference(name, m) for m in _leaks(entry, pdf, seen, signature))
    return diffs


@dataclass(frozen=True)
class _Audience:
    """Whose brief a file is, the paragraphs not for every brief (with fingerprints of their texts), and those
    whose words the record gives both sides: from the record with ``--record``, else from the manifest."""

    delegation: str | None
    table: dict[str, Any]
    shared: tuple[str, ...]


def _leaks(entry: dict[str, Any], pdf: _Pdf, seen: _Audience, signature: str) -> list[str]:
    """Paragraphs outside this delegation's audience that its brief lists, anchors or shows as text."""
    who, table = seen.delegation, seen.table
    barred = {seg_id for seg_id, r in table.items() if who not in r["audience"]}
    out = []
    for seg_id in sorted(barred & set(entry.get("segments", []))):
        out.append(f"manifest.json lists {audience.whose(seg_id, table[seg_id], who)} ({seg_id}) in this brief")
    for seg_id in sorted(barred & set(pdf.anchors)):
        out.append(f"{audience.whose(seg_id, table[seg_id], who)} ({seg_id}) is printed here "
                   "(its anchor is in the PDF)")
    if any(table[seg_id]["texts"] for seg_id in barred):
        for seg_id, lang in audience.found(pdf.page_text, table, who, seen.shared, signature):
            out.append(f"{audience.whose(seg_id, table[seg_id], who)} ({seg_id}) is printed here: "
                       f"its text ({lang}) is on the pages")
    return out


@dataclass
class _Pdf:
    signature: str | None
    lang: str | None
    text: str
    anchors: dict[str, tuple[int, float]]                        # name -> (page index, top y)
    numbers: dict[int, list[tuple[float, float, str]]]          # page -> [(baseline y, size, number)]
    body: list[str] = field(default_factory=list)               # the runs in the pages' text area, as drawn
    readback: Readback | None = None

    @functools.cached_property
    def page_text(self) -> str:
        """The text drawn in the pages' text area, every page joined, for finding a paragraph's text: the running
        header and footer (``MARGIN``, as ``Readback.paragraphs`` leaves them out) would otherwise sit between
        the two halves of a paragraph that crosses a page break. Runs come in drawing order, which puts a line's
        runs in reading order; a right-to-left run's characters come visually, and are put back."""
        return "\n".join(_logical(text) for text in self.body)

    def number_at(self, page: int, top: float) -> str | None:
        """The paragraph number printed on the first line below an anchor's top edge."""
        best: tuple[float, str] | None = None
        for y, size, num in self.numbers.get(page, []):
            gap = top - y
            if -1 <= gap <= 3 * size and (best is None or gap < best[0]):
                best = (gap, num)
        return best[1] if best else None


def _read_pdf(data: bytes, rtl: bool = False) -> _Pdf:
    from .render.readback import read_pdf

    back = read_pdf(data)
    numbers: dict[int, list[tuple[float, float, str]]] = {}
    for run in back.runs:
        printed = _printed_number(run.text)
        if printed is not None:
            numbers.setdefault(run.page, []).append((run.y, run.size, printed))
    if rtl:   # a right-to-left brief's lines in reading order: another script's words embedded in one stay whole
        body = [text for line in back.lines() for text in _rtl_line(line)]
    else:
        body = [run.text for run in back.runs if back.in_text_area(run)]
    return _Pdf(back.signature, back.lang, back.text, back.anchors, numbers, body, back)


def _rtl_line(line: list[Any]) -> list[str]:
    """The runs of one line of a right-to-left paragraph (left to right as drawn) in reading order: from the
    right, each right-to-left run on its own, a stretch of left-to-right runs (a Russian sentence quoted in an
    Arabic paragraph) as drawn."""
    groups: list[list[str]] = []
    for run in line:
        ltr = not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in run.text)
        if ltr and groups and groups[-1][0] == "ltr":
            groups[-1].append(run.text)
        else:
            groups.append(["ltr" if ltr else "rtl", run.text])
    return [text for group in reversed(groups) for text in group[1:]]


def _logical(text: str) -> str:
    """A run drawn right to left (visual order) in reading order; a left-to-right stretch in it (a Latin name)
    reads as it did."""
    if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return text
    drawn, out, i = text[::-1], [], 0
    while i < len(drawn):
        if unicodedata.bidirectional(drawn[i]) != "L":
            out.append(drawn[i])
            i += 1
            continue
        j = end = i
        while j < len(drawn) and unicodedata.bidirectional(drawn[j]) not in ("R", "AL"):
            end = j + 1 if unicodedata.bidirectional(drawn[j]) == "L" else end
            j += 1
        out.append(drawn[i:end][::-1])
        i = end
    return "".join(out)

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
segments. The QA reports and HTML previews the manifest lists must be there with their sha256.

A difference is reported, not raised: the result lists each one with the file it concerns. A folder that
is not a build's output (no folder, no or unreadable manifest, a manifest field of the wrong shape) is an
``InputError`` (exit 2) naming the field.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .figures import to_latin_digits
from .files import read_bytes, read_json
from .render import audience
from .render.view import short_signature

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


@dataclass
class Report:
    folder: Path
    signature: str
    files: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def verify_set(folder: Path | str, record: Path | str | None = None) -> Report:
    """Compare every file of ``folder`` with its manifest, and the set with what ``record`` (or, without it,
    the manifest) asks for; see the module docstring for what is checked."""
    folder = Path(folder)
    manifest = _load_manifest(folder)
    report = Report(folder, manifest["signature"])
    para_ids: dict[str, str] = {str(k): v for k, v in manifest["paragraphs"].items()}
    listed = set()
    for entry in manifest["files"]:
        name = entry["file"]
        listed.add(name)
        report.files.append(name)
        report.differences.extend(_check_file(folder, entry, manifest["signature"], para_ids,
                                              manifest.get("restricted", {})))
    for path in sorted(folder.glob("*.pdf")):
        if path.name not in listed:
            report.differences.append(Difference(path.name, "not listed in manifest.json: not part of this set"))
    for entry in manifest.get("other_files", []):   # QA reports and previews: present and unchanged
        report.differences.extend(_check_file(folder, entry, manifest["signature"], para_ids))
    if not manifest["files"]:
        report.differences.append(Difference("manifest.json", "lists no files: this is not a complete set; "
                                                              "rebuild it with `briefgen build`"))
    elif record is not None:
        report.differences.extend(_against_record(manifest, Path(record)))
    else:
        report.differences.extend(_completeness(manifest))
    log.info("verified %s: %d files, %d differences", folder, len(report.files), len(report.differences))
    return report


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


def _against_record(manifest: dict[str, Any], path: Path) -> list[Difference]:
    """The set against the record itself: its version, the editions it makes, its segments."""
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
    return diffs


def _check_file(folder: Path, entry: dict[str, Any], signature: str,
                para_ids: dict[str, str], restricted: dict[str, Any] | None = None) -> list[Difference]:
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
        pdf = _read_pdf(data)
    except Exception as exc:  # pypdf raises many kinds on damaged files; the user needs one line
        diff(f"not a readable PDF ({exc})")
        return diffs

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
    if entry.get("delegation"):
        diffs.extend(Difference(name, m) for m in _leaks(entry, pdf, restricted or {}, signature))
    return diffs


def _leaks(entry: dict[str, Any], pdf: _Pdf, restricted: dict[str, Any], signature: str) -> list[str]:
    """Paragraphs outside this delegation's audience that its brief lists, anchors or shows as text."""
    who = entry["delegation"]
    barred = {seg_id for seg_id, r in restricted.items() if who not in r["audience"]}
    out = []
    for seg_id in sorted(barred & set(entry.get("segments", []))):
        out.append(f"manifest.json lists {_whose(seg_id, restricted[seg_id], who)} ({seg_id}) in this brief")
    for seg_id in sorted(barred & set(pdf.anchors)):
        out.append(f"{_whose(seg_id, restricted[seg_id], who)} ({seg_id}) is printed here (its anchor is in the PDF)")
    if any(restricted[seg_id]["texts"] for seg_id in barred):
        for seg_id, lang in audience.found(pdf.page_text, restricted, who, entry.get("unchecked_texts", []),
                                           signature):
            out.append(f"{_whose(seg_id, restricted[seg_id], who)} ({seg_id}) is printed here: "
                       f"its text ({lang}) is on the pages")
    return out


def _whose(seg_id: str, entry: dict[str, Any], reader: str) -> str:
    part = seg_id.split(".")[2] if seg_id.startswith("agenda.") else ""
    if entry.get("owner"):
        kind = {"points": "talking point", "notes": "note"}.get(part, "paragraph")
        return f"the {entry['owner']} delegation's {kind}"
    if part == "positions":
        return f"the assessment of the {reader} delegation's own position"
    return "a paragraph not for this delegation"


@dataclass
class _Pdf:
    signature: str | None
    lang: str | None
    text: str
    anchors: dict[str, tuple[int, float]]                        # name -> (page index, top y)
    numbers: dict[int, list[tuple[float, float, str]]]          # page -> [(baseline y, size, number)]
    body: list[str] = field(default_factory=list)               # the runs in the pages' text area, as drawn

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


def _read_pdf(data: bytes) -> _Pdf:
    from .render.readback import read_pdf

    back = read_pdf(data)
    numbers: dict[int, list[tuple[float, float, str]]] = {}
    for run in back.runs:
        printed = _printed_number(run.text)
        if printed is not None:
            numbers.setdefault(run.page, []).append((run.y, run.size, printed))
    body = [run.text for run in back.runs if back.in_text_area(run)]
    return _Pdf(back.signature, back.lang, back.text, back.anchors, numbers, body)


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

"""What the desk shows for one language: every text that language's briefs print, in the record's order, with
its section, its current translation and where that comes from, the glossary terms that apply, the findings of
the last build's QA and of the checks run now."""

from __future__ import annotations

import csv
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..memory.lookup import latest_translations
from ..memory.provenance import open_memory, read_dossier
from ..qa.checks import Issue, check
from ..record.load import LoadedRecord
from ..record.segments import Segment, segments
from ..terms.glossary import Glossary
from ..terms.match import as_shown, index_for, target_term

log = logging.getLogger(__name__)

# reused: a reviewed translation the memory holds from another record, printed until this record's own is
# confirmed (docs/memory.md); the machine-drafts filter lists it with the drafts: both await confirmation
STATUSES = ("missing", "changed", "machine", "reused", "reviewed", "given")
FILTERS = {"missing": "Missing", "machine": "Machine drafts", "qa": "QA errors", "warnings": "Warnings",
           "changed": "Changed"}
# filters counted from the findings (the last build's and the checks'), not from the statuses alone
FINDING_FILTERS = {"qa": "error", "warnings": "warning"}
_KINDS = {"background": "Background", "points": "Talking points", "notes": "Notes", "outcomes": "Outcomes",
          "actions": "Follow-up actions", "expected": "Expected position", "title": "Heading"}
_COVER = {"title", "venue", "occasion", "classification", "host"}


@dataclass(frozen=True)
class Finding:
    severity: str
    code: str
    message: str


@dataclass
class Row:
    seg: Segment
    section: str
    text: str                          # the translation a build would print now ("" when missing)
    status: str                        # one of STATUSES
    previous: tuple[str, str] | None   # (source, translation) before the source changed
    terms: list[tuple[str, str, str]] = field(default_factory=list)   # (source words, target form, concept)
    last_qa: list[Finding] = field(default_factory=list)              # the last build's qa.tsv
    checks: list[Finding] = field(default_factory=list)               # checks of the text as it is now

    @property
    def id(self) -> str:
        return self.seg.id

    @property
    def version(self) -> str:
        return version_of(self.text)

    @property
    def lines(self) -> int:
        """The height of its text field: room for the text as it is, within reason."""
        return max(2, min(12, len(self.text or self.seg.source) // 60 + 2))

    @property
    def editable(self) -> bool:
        return self.status != "given"

    def flagged(self, severity: str) -> bool:
        """Whether the last build or the checks found something of ``severity`` in this text: a warning
        confirmed anyway stays findable under its filter."""
        return any(f.severity == severity for f in self.last_qa + self.checks)

    def matches(self, show: str | None) -> bool:
        if show in FINDING_FILTERS:
            return self.flagged(FINDING_FILTERS[show])
        return (show is None or self.status == show or (show == "missing" and self.status == "changed"
                                                        and not self.text)
                or (show == "machine" and self.status == "reused"))


def version_of(text: str) -> str:
    """The version a form carries: a save made on another version of the text is refused."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def section_of(seg: Segment, titles: dict[str, tuple[int, str]]) -> str:
    parts = seg.id.split(".")
    if parts[0] in _COVER:
        return "Cover"
    if parts[0] == "purpose":
        return "Purpose"
    if parts[0] == "delegations":
        return "Delegations"
    if parts[0] == "previous":
        return "Previous meetings"
    if parts[0] == "agenda" and len(parts) > 2:
        n, title = titles.get(parts[1], (0, parts[1]))
        kind = _KINDS.get(parts[2], parts[2].capitalize())
        owner = f" ({seg.owner})" if seg.owner else ""
        return f"Item {n} · {title} — {kind}{owner}"
    return parts[0].capitalize()


def read_last_qa(out_dir: Path, record_id: str, lang: str) -> dict[str, list[Finding]]:
    """The findings the last build wrote to ``<out>/<record id>/qa.tsv`` for ``lang``, by segment id."""
    path = out_dir / record_id / "qa.tsv"
    found: dict[str, list[Finding]] = {}
    if not path.is_file():
        return found
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row.get("lang") == lang and row.get("segment_id"):
                    found.setdefault(row["segment_id"], []).append(
                        Finding(row.get("severity", ""), row.get("code", ""), row.get("message", "")))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:   # a damaged report hides findings; say so, go on
        log.warning("%s: cannot read the last QA report (%s)", path, exc)
    return found


def findings(issues: list[Issue]) -> list[Finding]:
    return [Finding(i.severity, i.code, i.message) for i in issues]


def live_check(loaded: LoadedRecord, glossary: Glossary, seg: Segment, lang: str, text: str) -> list[Finding]:
    """The build's own QA checks (numbers, identifiers, glossary terms, placeholder remnants, participants'
    names, length) run on one text as the translator has typed it."""
    rec = loaded.record
    texts = {rec.source_lang: {seg.id: seg.source}, lang: {seg.id: " ".join(text.split())}}
    return findings(check(rec, [seg], texts, {lang: {seg.id: "reviewed"}}, glossary))


def current_text(loaded: LoadedRecord, seg: Segment, lang: str, settings: Settings) -> str:
    """The translation of one segment a build would print now ("" when none): what a form's version is of."""
    tr = latest_translations(loaded, [seg], [lang], settings.memory)
    return tr.texts.get(lang, {}).get(seg.id, "")


def desk_rows(loaded: LoadedRecord, lang: str, settings: Settings, glossary: Glossary,
              only: set[str] | None = None) -> list[Row]:
    """Every row of the page; with ``only``, the checks, terms and last findings of those rows alone (a save
    answers with its own row and the page's counts, not with every row's checks again)."""
    rec = loaded.record
    src = rec.source_lang
    segs = [s for s in segments(rec) if s.needed_in(lang)]
    tr = latest_translations(loaded, segs, [lang], settings.memory)
    texts, origin = tr.texts.get(lang, {}), tr.origin.get(lang, {})
    checked = segs if only is None else [s for s in segs if s.id in only]
    issues = check(rec, checked, {src: tr.texts[src], lang: texts}, {lang: origin}, glossary)
    by_seg: dict[str, list[Issue]] = {}
    for i in issues:
        if i.code != "untranslated" or texts.get(i.segment_id):   # "missing" is the row's status already
            by_seg.setdefault(i.segment_id, []).append(i)
    last = read_last_qa(settings.out_dir, rec.id, lang) if only is None else {}
    titles = {item.id: (n, item.title.versions[src]) for n, item in enumerate(rec.agenda, 1)}
    src_index = index_for(glossary, src) if glossary.concepts else None
    rows = []
    # the translation each text had before its source changed: the record's .tmx first, then the memory
    dossier = read_dossier(loaded)
    unsettled = [s for s in segs if origin.get(s.id, "missing") in ("missing", "machine", "reused")]
    earlier = {s.id: dossier.previous(s, lang, src) for s in unsettled}
    memory = open_memory(settings.memory)      # one read-only connection for every row, none without a memory
    if memory is not None:
        with memory:
            earlier |= {s.id: memory.previous(rec.id, s.id, src, lang) for s in unsettled if earlier[s.id] is None}
    for s in segs:
        text = texts.get(s.id, "")
        status = origin.get(s.id, "missing")
        unit = earlier.get(s.id)
        # the newest translation this segment had, kept for another source: the text changed since
        previous = (unit.src_text, unit.tgt_text) if unit is not None and unit.src_text != s.source else None
        if previous is not None:
            status = "changed"
        terms = []
        if src_index is not None and (only is None or s.id in only):
            for m in src_index.find(s.source):
                if m.concept.terms.get(lang):
                    terms.append((as_shown(m, src), target_term(m, src, lang), m.concept.id))
        rows.append(Row(s, section_of(s, titles), text, status, previous, terms, last.get(s.id, []),
                        findings(by_seg.get(s.id, []))))
    return rows

"""XLIFF 1.2 round trip with translators' CAT tools (Trados, memoQ, OmegaT read and write 1.2).

Export writes every segment of one record and language with its id, source, current target, state and
notes (glossary terms, QA issues). Import takes the translator's edits as reviewed translations; a unit
whose source changed since export is stale and not imported.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import __version__
from ..errors import ExchangeError
from ..files import base_language, parse_xml, replacing
from ..textsafety import nfc, text_problem

NS = "urn:oasis:names:tc:xliff:document:1.2"
BG = "urn:briefgen:xliff"          # our attributes: record id, origin of each target
X = f"{{{NS}}}"
# XLIFF 1.2 target states: machine drafts still need review; reviewed text is final.
# a reviewed translation reused from another record is offered for review, like a draft: confirmed, it becomes
# the record's own (in its .tmx)
STATE_OF = {"machine": "needs-review-translation", "reused": "needs-review-translation", "reviewed": "final",
            "given": "final"}
REVIEWED_STATES = {"translated", "final", "signed-off"}
MARK = b'tool-id="briefgen"'        # how the output guard knows an XLIFF file is ours


@dataclass
class ExportUnit:
    id: str
    source: str
    target: str | None
    origin: str                   # given | reviewed | machine | missing
    notes: list[tuple[str, str]] = field(default_factory=list)   # (from, text)
    previous: tuple[str, str] | None = None   # (source, target) the segment had before its source changed


def write_xliff(path: Path, record_id: str, record_file: str, src: str, tgt: str, units: list[ExportUnit]) -> None:
    root = etree.Element(f"{X}xliff", nsmap={None: NS, "bg": BG}, version="1.2")
    f = etree.SubElement(root, f"{X}file", {"original": record_file, "source-language": src,
                                            "target-language": tgt, "datatype": "plaintext",
                                            "tool-id": "briefgen", f"{{{BG}}}record": record_id})
    header = etree.SubElement(f, f"{X}header")
    etree.SubElement(header, f"{X}tool", {"tool-id": "briefgen", "tool-name": "briefgen",
                                          "tool-version": __version__})
    body = etree.SubElement(f, f"{X}body")
    for u in units:
        tu = etree.SubElement(body, f"{X}trans-unit", {"id": u.id, "resname": u.id, f"{{{BG}}}origin": u.origin,
                                                       "approved": "yes" if u.origin in ("reviewed", "given")
                                                       else "no"})
        etree.SubElement(tu, f"{X}source").text = u.source
        if u.target is not None:
            target = etree.SubElement(tu, f"{X}target", state=STATE_OF.get(u.origin, "needs-translation"))
            target.text = u.target
            if u.origin == "given":
                tu.set("translate", "no")
        for who, text in u.notes:
            etree.SubElement(tu, f"{X}note", {"from": who}).text = text
        if u.previous is not None:
            # The translation the segment had before its source changed, as CAT tools show a fuzzy match: a
            # starting point, never a target (an untouched unit must not pass for a reviewed one).
            old_source, old_target = u.previous
            quality = round(100 * difflib.SequenceMatcher(None, old_source, u.source).ratio())
            alt = etree.SubElement(tu, f"{X}alt-trans", {"match-quality": str(quality),
                                                          "origin": "briefgen:previous-translation"})
            etree.SubElement(alt, f"{X}source").text = old_source
            etree.SubElement(alt, f"{X}target").text = old_target
    # written beside and renamed over: a full disk or a kill leaves the earlier export whole, never half a file
    with replacing(path) as tmp:
        tmp.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


@dataclass
class ImportedUnit:
    id: str
    source: str
    target: str
    state: str
    origin: str


@dataclass
class XliffFile:
    record_id: str
    original: str
    src: str
    tgt: str
    units: list[ImportedUnit]


def read_xliff(path: Path) -> XliffFile:
    root = parse_xml(path)
    if etree.QName(root).localname != "xliff" or root.get("version") != "1.2":
        raise ExchangeError("not an XLIFF 1.2 file (export it again with `briefgen review export`)", path=path)
    files = root.findall(f"{X}file")
    if len(files) != 1:
        raise ExchangeError(f"expected one <file> element, found {len(files)}", path=path)
    f = files[0]
    record_id = f.get(f"{{{BG}}}record")
    if not record_id:
        raise ExchangeError("this XLIFF was not exported by briefgen (no record id); "
                            "export it with `briefgen review export`", path=path, line=f.sourceline)
    units = []
    lines: dict[str, int] = {}
    for tu in f.iter(f"{X}trans-unit"):
        source, target = tu.find(f"{X}source"), tu.find(f"{X}target")
        if not tu.get("id") or source is None:
            raise ExchangeError("trans-unit without id or source", path=path, line=tu.sourceline)
        state = target.get("state", "") if target is not None else ""
        if not state and tu.get("approved") == "yes":
            state = "final"   # some CAT tools confirm a unit with approved="yes" and leave state out
        texts = []
        for element in (source, target):
            text = "".join(element.itertext()) if element is not None else ""
            problem = text_problem(text)
            if problem:   # refused here, so a text no brief could print never reaches the memory
                raise ExchangeError(problem, path=path, line=element.sourceline, field=f"unit {tu.get('id')}")
            texts.append(nfc(text))   # CAT tools on some systems write decomposed (NFD) text
        unit = ImportedUnit(tu.get("id", ""), texts[0], texts[1], state, tu.get(f"{{{BG}}}origin", ""))
        if unit.id in lines:
            twin = next(u for u in units if u.id == unit.id)
            if twin != unit:   # which one the translator meant cannot be guessed: both are shown
                raise ExchangeError(f"unit {unit.id} appears twice with different content (also on line "
                                    f"{lines[unit.id]}): keep one of the two and import again",
                                    path=path, line=tu.sourceline)
            continue
        lines[unit.id] = tu.sourceline or 0
        units.append(unit)
    return XliffFile(record_id, f.get("original", ""), base_language(f.get("source-language") or ""),
                     base_language(f.get("target-language") or ""), units)

"""TMX 1.4 exchange for the translation memory: multilingual units, one ``tu`` per segment."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import __version__
from ..errors import ExchangeError
from ..files import XML_LANG, base_language, parse_xml
from ..textsafety import nfc, text_problem
from .store import Unit

STATUS_PROP = "x-briefgen-status"
SIGNATURE_PROP = "x-briefgen-signature"
RECORD_PROP = "x-briefgen-record"         # the header's: the record whose translations the file holds
MARK = b'creationtool="briefgen"'         # how the output guard knows a TMX file is ours


@dataclass
class TmxFile:
    units: list[Unit]
    record_id: str = ""        # the record the file says it holds (header prop x-briefgen-record), or ""
    record_line: int | None = None
    named: dict[str, int] = field(default_factory=dict)   # records named in tuids (<record>/<segment>) -> line
    lines: list[int] = field(default_factory=list)        # the line of each unit's tu, in the order of units


def read_tmx(path: Path, record_id: str = "", *, reviewed: bool = False) -> list[Unit]:
    """Every source→target pair in the file (see ``read_tmx_file``)."""
    return read_tmx_file(path, record_id, reviewed=reviewed).units


def read_tmx_file(path: Path, record_id: str = "", *, reviewed: bool = False) -> TmxFile:
    """Every source→target pair in the file. The source language is the unit's ``srclang``, else the
    header's; region codes are dropped (fr-FR is fr). A unit's status is briefgen's ``x-briefgen-status``;
    without it (a TMX from another tool) the unit is a machine draft unless ``reviewed`` says the file is
    reviewed work. Texts enter in NFC; texts that could hide or reorder text, or exceed the limits, are
    refused with the unit's line and id."""
    root = parse_xml(path)
    if root.tag != "tmx":
        raise ExchangeError("not a TMX file (root element is not <tmx>)", path=path)
    header = root.find("header")
    default_src = _lang(header.get("srclang", "")) if header is not None else ""
    declared = header.find(f"prop[@type='{RECORD_PROP}']") if header is not None else None
    tmx = TmxFile([])
    if declared is not None:
        tmx.record_id, tmx.record_line = (declared.text or "").strip(), declared.sourceline
    # a one-record file (`memory export --record`) files its units under the record its header names
    record_id = record_id or tmx.record_id
    for tu in root.iter("tu"):
        tuid = tu.get("tuid", "")
        where = f"unit {tuid}" if tuid else None
        src = _lang(tu.get("srclang", "")) or default_src
        if not src or src == "*all*":
            raise ExchangeError("translation unit has no source language (srclang)", path=path, line=tu.sourceline,
                                field=where)
        props = {p.get("type"): (p.text or "") for p in tu.findall("prop")}
        texts, tuv_props = {}, {}
        for tuv in tu.findall("tuv"):
            lang = _lang(tuv.get(XML_LANG) or tuv.get("lang") or "")
            seg = tuv.find("seg")
            if lang and seg is not None:
                text = "".join(seg.itertext()).strip()
                problem = text_problem(text)
                if problem:
                    raise ExchangeError(problem, path=path, line=tuv.sourceline,
                                        field=f"{where} ({lang})" if where else lang)
                texts[lang] = nfc(text)
                tuv_props[lang] = {**props, **{p.get("type"): (p.text or "") for p in tuv.findall("prop")}}
        if src not in texts:
            raise ExchangeError(f"translation unit has no {src} text", path=path, line=tu.sourceline, field=where)
        unit_record, seg_id = _ids(tuid, record_id)
        named = _ids(tuid, "")[0]
        if named:
            tmx.named.setdefault(named, tu.sourceline or 0)
        for lang, text in texts.items():
            if lang != src and text:
                status = tuv_props[lang].get(STATUS_PROP, "reviewed" if reviewed else "machine")
                if status not in ("machine", "reviewed"):
                    raise ExchangeError(f"unknown status '{status}' ({STATUS_PROP} is machine or reviewed)",
                                        path=path, line=tu.sourceline, field=where)
                tmx.units.append(Unit(src, lang, texts[src], text, status,
                                      tuv_props[lang].get(SIGNATURE_PROP, f"tmx:{path.name}"), unit_record, seg_id))
                tmx.lines.append(tu.sourceline or 0)
    return tmx


def read_sidecar(path: Path, record_id: str, sources: Mapping[str, str]) -> list[Unit]:
    """The units of a record's .tmx (see ``read_sidecar_file``)."""
    return read_sidecar_file(path, record_id, sources).units


def read_sidecar_file(path: Path, record_id: str, sources: Mapping[str, str]) -> TmxFile:
    """The translations kept beside a record (``<record>.tmx``, ``sources``: its segment ids and texts): put
    there as the record's own, so reviewed unless a unit says otherwise. A file that names another record (in
    its header or its units' ids), or none of whose units is one of the record's segments (by id or by source
    text), is refused: its translations would be filed under this record."""
    tmx = read_tmx_file(path, record_id, reviewed=True)
    other = tmx.record_id if tmx.record_id and tmx.record_id != record_id else next(
        (r for r in tmx.named if r != record_id), "")
    if other:
        line = tmx.record_line if other == tmx.record_id else tmx.named[other]
        raise ExchangeError(f"this file holds the translations of record '{other}', not of '{record_id}', the "
                            "record beside it; name it after its own record or move it away", path=path, line=line)
    texts = set(sources.values())
    if tmx.units and not any(u.segment_id in sources or u.src_text in texts for u in tmx.units):
        ids = [u.segment_id for u in tmx.units if u.segment_id]
        count = len({(u.segment_id, u.src_text) for u in tmx.units})
        which = f"neither an id such as {ids[0]} nor a source text" if ids else "no source text"
        raise ExchangeError(f"none of its {count} units belongs to record '{record_id}' ({which} is the "
                            "record's): is it another record's .tmx? name it after its own record or move it away",
                            path=path)
    return tmx


def _ids(tuid: str, record_id: str) -> tuple[str, str]:
    """(record id, segment id) of a ``tuid``: ``title`` in one record's file, ``<record>/title`` in a file of
    several records, ``#2`` after either when a segment needed a second unit (see write_tmx)."""
    base = tuid.split("#", 1)[0]
    record, sep, seg = base.rpartition("/")
    return (record if sep and not record_id else record_id), (seg if sep else base)


def _lang(code: str) -> str:
    return code if code == "*all*" else base_language(code)


def write_tmx(units: Iterable[Unit], path: Path, record_id: str | None = None) -> int:
    """Write units as TMX: one multilingual ``tu`` per segment, its ``tuid`` unique in the file — the segment
    id in one record's file (``record_id``), ``<record>/<segment>`` in a file of several, ``#2`` added when a
    segment has a second unit in a language (the memory can hold drafts of several engines). Status and
    signature are the ``tu``'s properties when its translations share them, else each ``tuv``'s."""
    root = etree.Element("tmx", version="1.4")
    units = list(units)
    srclangs = sorted({u.src_lang for u in units})
    header = etree.SubElement(root, "header", creationtool="briefgen", creationtoolversion=__version__,
                              segtype="paragraph", adminlang="en", datatype="plaintext", **{"o-tmf": "briefgen"},
                              srclang=srclangs[0] if len(srclangs) == 1 else "*all*")
    if record_id:
        etree.SubElement(header, "prop", type=RECORD_PROP).text = record_id
    body = etree.SubElement(root, "body")
    groups: dict[tuple[str, str, str, str, int], list[Unit]] = {}
    for u in units:
        n = 0
        while any(m.tgt_lang == u.tgt_lang for m in groups.get((u.record_id, u.src_lang, u.src_text,
                                                                  u.segment_id, n), [])):
            n += 1
        groups.setdefault((u.record_id, u.src_lang, u.src_text, u.segment_id, n), []).append(u)
    used: dict[str, int] = {}
    for (record, src, text, seg_id, _), members in groups.items():
        base = seg_id if record_id is not None or not record else f"{record}/{seg_id}"
        used[base] = used.get(base, 0) + 1
        tuid = base if used[base] == 1 else f"{base}#{used[base]}"
        tu = etree.SubElement(body, "tu", srclang=src, **({"tuid": tuid} if seg_id else {}))
        shared = len({(m.status, m.signature) for m in members}) == 1
        if shared:
            _props(tu, members[0])
        _tuv(tu, src, text)
        for u in members:
            tuv = _tuv(tu, u.tgt_lang, u.tgt_text)
            if not shared:
                _props(tuv, u, before=tuv[0])
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return len(groups)


def _props(parent: etree._Element, unit: Unit, before: etree._Element | None = None) -> None:
    for kind, value in ((STATUS_PROP, unit.status), (SIGNATURE_PROP, unit.signature)):
        prop = etree.Element("prop", type=kind)
        prop.text = value
        if before is not None:
            before.addprevious(prop)     # in a tuv, props come before the seg
        else:
            parent.append(prop)


def _tuv(tu: etree._Element, lang: str, text: str) -> etree._Element:
    tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
    etree.SubElement(tuv, "seg").text = text
    return tuv

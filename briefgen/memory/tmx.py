"""TMX 1.4 exchange for the translation memory: multilingual units, one ``tu`` per segment."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .. import __version__
from ..errors import ExchangeError
from ..files import XML_LANG, base_language, parse_xml
from ..textsafety import nfc, text_problem
from .store import Unit

STATUS_PROP = "x-briefgen-status"
SIGNATURE_PROP = "x-briefgen-signature"
RECORD_PROP = "x-briefgen-record"


@dataclass
class TmxFile:
    units: list[Unit]
    record_id: str = ""        # the record the file says it holds (header prop x-briefgen-record), or ""
    record_line: int | None = None


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
    units: list[Unit] = []
    for tu in root.iter("tu"):
        tuid = tu.get("tuid", "")
        where = f"unit {tuid}" if tuid else None
        src = _lang(tu.get("srclang", "")) or default_src
        if not src or src == "*all*":
            raise ExchangeError("translation unit has no source language (srclang)", path=path, line=tu.sourceline,
                                field=where)
        props = {p.get("type"): (p.text or "") for p in tu.findall("prop")}
        status = props.get(STATUS_PROP, "reviewed" if reviewed else "machine")
        if status not in ("machine", "reviewed"):
            raise ExchangeError(f"unknown status '{status}' ({STATUS_PROP} is machine or reviewed)", path=path,
                                line=tu.sourceline, field=where)
        texts = {}
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
        if src not in texts:
            raise ExchangeError(f"translation unit has no {src} text", path=path, line=tu.sourceline, field=where)
        for lang, text in texts.items():
            if lang != src and text:
                units.append(Unit(src, lang, texts[src], text, status,
                                  props.get(SIGNATURE_PROP, f"tmx:{path.name}"), record_id, tuid))
    if declared is None:
        return TmxFile(units)
    return TmxFile(units, (declared.text or "").strip(), declared.sourceline)


def read_sidecar(path: Path, record_id: str, sources: Mapping[str, str]) -> list[Unit]:
    """The translations kept beside a record (``<record>.tmx``, ``sources``: its segment ids and texts): put
    there as the record's own, so reviewed unless a unit says otherwise. A file that names another record, or
    none of whose units is one of the record's segments (by id or by source text), is refused: its
    translations would be filed under this record."""
    tmx = read_tmx_file(path, record_id, reviewed=True)
    if tmx.record_id and tmx.record_id != record_id:
        raise ExchangeError(f"this file holds the translations of record '{tmx.record_id}', not of '{record_id}', "
                            "the record beside it; name it after its own record or move it away", path=path,
                            line=tmx.record_line)
    texts = set(sources.values())
    if tmx.units and not any(u.segment_id in sources or u.src_text in texts for u in tmx.units):
        ids = [u.segment_id for u in tmx.units if u.segment_id]
        count = len({(u.segment_id, u.src_text) for u in tmx.units})
        which = f"neither an id such as {ids[0]} nor a source text" if ids else "no source text"
        raise ExchangeError(f"none of its {count} units belongs to record '{record_id}' ({which} is the "
                            "record's): is it another record's .tmx? name it after its own record or move it away",
                            path=path)
    return tmx.units


def _lang(code: str) -> str:
    return code if code == "*all*" else base_language(code)


def write_tmx(units: Iterable[Unit], path: Path, record_id: str = "") -> int:
    """Write units as TMX; units sharing source, segment and status become one multilingual ``tu``. With
    ``record_id`` the header names the record the units belong to (a record's sidecar ``.tmx``)."""
    root = etree.Element("tmx", version="1.4")
    units = list(units)
    srclangs = sorted({u.src_lang for u in units})
    header = etree.SubElement(root, "header", creationtool="briefgen", creationtoolversion=__version__,
                     segtype="paragraph", adminlang="en", datatype="plaintext", **{"o-tmf": "briefgen"},
                     srclang=srclangs[0] if len(srclangs) == 1 else "*all*")
    if record_id:
        etree.SubElement(header, "prop", type=RECORD_PROP).text = record_id
    body = etree.SubElement(root, "body")
    groups: dict[tuple[str, str, str, str, str], list[Unit]] = {}
    for u in units:
        groups.setdefault((u.src_lang, u.src_text, u.segment_id, u.status, u.signature), []).append(u)
    for (src, text, seg_id, status, signature), members in groups.items():
        tu = etree.SubElement(body, "tu", srclang=src, **({"tuid": seg_id} if seg_id else {}))
        etree.SubElement(tu, "prop", type=STATUS_PROP).text = status
        etree.SubElement(tu, "prop", type=SIGNATURE_PROP).text = signature
        _tuv(tu, src, text)
        for u in members:
            _tuv(tu, u.tgt_lang, u.tgt_text)
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return len(groups)


def _tuv(tu: etree._Element, lang: str, text: str) -> None:
    tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
    etree.SubElement(tuv, "seg").text = text

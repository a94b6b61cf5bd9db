"""TMX 1.4 exchange for the translation memory: multilingual units, one ``tu`` per segment."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from .. import __version__
from ..errors import ExchangeError
from ..files import XML_LANG, base_language, parse_xml
from ..textsafety import text_problem
from .store import Unit

STATUS_PROP = "x-briefgen-status"
SIGNATURE_PROP = "x-briefgen-signature"
RECORD_PROP = "x-briefgen-record"         # the header's: the record whose translations the file holds
MARK = b'creationtool="briefgen"'         # how the output guard knows a TMX file is ours


def read_tmx(path: Path, record_id: str = "") -> list[Unit]:
    """Every source→target pair in the file. The source language is the unit's ``srclang``, else the
    header's; region codes are dropped (fr-FR is fr). Texts that could hide or reorder text are refused."""
    root = parse_xml(path)
    if root.tag != "tmx":
        raise ExchangeError("not a TMX file (root element is not <tmx>)", path=path)
    header = root.find("header")
    default_src = _lang(header.get("srclang", "")) if header is not None else ""
    units: list[Unit] = []
    for tu in root.iter("tu"):
        src = _lang(tu.get("srclang", "")) or default_src
        if not src or src == "*all*":
            raise ExchangeError("translation unit has no source language (srclang)", path=path, line=tu.sourceline)
        props = {p.get("type"): (p.text or "") for p in tu.findall("prop")}
        texts, tuv_props = {}, {}
        for tuv in tu.findall("tuv"):
            lang = _lang(tuv.get(XML_LANG) or tuv.get("lang") or "")
            seg = tuv.find("seg")
            if lang and seg is not None:
                texts[lang] = "".join(seg.itertext()).strip()
                tuv_props[lang] = {**props, **{p.get("type"): (p.text or "") for p in tuv.findall("prop")}}
                problem = text_problem(texts[lang])
                if problem:
                    raise ExchangeError(f"{lang}: {problem}", path=path, line=tuv.sourceline)
        if src not in texts:
            raise ExchangeError(f"translation unit has no {src} text", path=path, line=tu.sourceline)
        unit_record, seg_id = _ids(tu.get("tuid", ""), record_id)
        for lang, text in texts.items():
            if lang != src and text:
                status = tuv_props[lang].get(STATUS_PROP, "reviewed")
                if status not in ("machine", "reviewed"):
                    raise ExchangeError(f"unknown status '{status}'", path=path, line=tu.sourceline)
                units.append(Unit(src, lang, texts[src], text, status,
                                  tuv_props[lang].get(SIGNATURE_PROP, f"tmx:{path.name}"), unit_record, seg_id))
    return units


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

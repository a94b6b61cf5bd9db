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
        status = props.get(STATUS_PROP, "reviewed")
        if status not in ("machine", "reviewed"):
            raise ExchangeError(f"unknown status '{status}'", path=path, line=tu.sourceline)
        texts = {}
        for tuv in tu.findall("tuv"):
            lang = _lang(tuv.get(XML_LANG) or tuv.get("lang") or "")
            seg = tuv.find("seg")
            if lang and seg is not None:
                texts[lang] = "".join(seg.itertext()).strip()
                problem = text_problem(texts[lang])
                if problem:
                    raise ExchangeError(f"{lang}: {problem}", path=path, line=tuv.sourceline)
        if src not in texts:
            raise ExchangeError(f"translation unit has no {src} text", path=path, line=tu.sourceline)
        for lang, text in texts.items():
            if lang != src and text:
                units.append(Unit(src, lang, texts[src], text, status,
                                  props.get(SIGNATURE_PROP, f"tmx:{path.name}"), record_id,
                                  tu.get("tuid", "")))
    return units


def _lang(code: str) -> str:
    return code if code == "*all*" else base_language(code)


def write_tmx(units: Iterable[Unit], path: Path) -> int:
    """Write units as TMX; units sharing source, segment and status become one multilingual ``tu``."""
    root = etree.Element("tmx", version="1.4")
    units = list(units)
    srclangs = sorted({u.src_lang for u in units})
    etree.SubElement(root, "header", creationtool="briefgen", creationtoolversion=__version__,
                     segtype="paragraph", adminlang="en", datatype="plaintext", **{"o-tmf": "briefgen"},
                     srclang=srclangs[0] if len(srclangs) == 1 else "*all*")
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

"""TBX-Basic (ISO 30042) import and export, so translators can use the termbase in their CAT tools."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from ..errors import GlossaryError
from ..files import XML_LANG, base_language, parse_xml
from .glossary import TERM_LANGS, Concept, Layer, concept_from_row

TBX_NS = "urn:iso:std:iso:30042:ed-2"
_STATUS_TO_TBX = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts",
                  "avoid": "deprecatedTerm-admn-sts"}
_STATUS_FROM_TBX = {v: k for k, v in _STATUS_TO_TBX.items()} | {"supersededTerm-admn-sts": "avoid"}
# TBX-Basic has no data category for where a concept applies; an entry-level note is what CAT tools keep.
# the termbase's own columns TBX-Basic has no place for, each kept in a note "<column>: <cell>"
NOTE_COLUMNS = ("scope", "senses", "forms", "wordings")
NOTE_PREFIXES = tuple(f"{column}:" for column in NOTE_COLUMNS)
MARK = b"<p>briefgen ICT glossary</p>"    # how the output guard knows a TBX file is ours


def write_tbx(concepts: Iterable[Concept], path: Path) -> int:
    root = etree.Element("tbx", nsmap={None: TBX_NS}, type="TBX-Basic", style="dca")
    root.set(XML_LANG, "en")
    header = etree.SubElement(root, "tbxHeader")
    desc = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(desc, "p").text = "briefgen ICT glossary"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    n = 0
    for c in concepts:
        entry = etree.SubElement(body, "conceptEntry", id=c.id)
        if c.domain:
            etree.SubElement(entry, "descrip", type="subjectField").text = c.domain
        if c.note:
            etree.SubElement(entry, "note").text = c.note
        cells = c.row()
        for column in NOTE_COLUMNS:
            if cells[column]:
                etree.SubElement(entry, "note").text = f"{column}: {cells[column]}"
        for lang in TERM_LANGS:
            variants = c.terms.get(lang, ())
            if not variants:
                continue
            lang_sec = etree.SubElement(entry, "langSec")
            lang_sec.set(XML_LANG, lang)
            for i, term in enumerate(variants):
                sec = etree.SubElement(lang_sec, "termSec")
                etree.SubElement(sec, "term").text = term
                status = c.status if i == 0 or c.status == "avoid" else "admitted"
                etree.SubElement(sec, "termNote", type="administrativeStatus").text = _STATUS_TO_TBX[status]
        n += 1
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    return n


def read_tbx(path: Path, bad_rows: list[GlossaryError] | None = None) -> Layer:
    root = parse_xml(path, error=GlossaryError)
    if etree.QName(root).localname not in ("tbx", "martif"):
        raise GlossaryError("not a TBX file (root element is not <tbx>)", path=path)
    concepts = []
    for entry in root.iter("{*}conceptEntry", "{*}termEntry"):
        cid = entry.get("id") or ""
        if not cid:
            raise GlossaryError("concept entry without id", path=path, line=entry.sourceline)
        terms: dict[str, tuple[str, ...]] = {}
        statuses = set()
        for lang_sec in entry.iter("{*}langSec", "{*}langSet"):
            lang = base_language(lang_sec.get(XML_LANG) or "")
            variants = []
            for sec in lang_sec.iter("{*}termSec", "{*}tig", "{*}ntig"):
                term = sec.find(".//{*}term")
                if term is None or not (term.text or "").strip():
                    continue
                variants.append(term.text.strip())
                note = sec.find(".//{*}termNote[@type='administrativeStatus']")
                if note is not None and note.text:
                    statuses.add(_STATUS_FROM_TBX.get(note.text.strip(), "preferred"))
            if lang in TERM_LANGS and variants:
                terms[lang] = tuple(variants)
        domain = entry.find("{*}descrip[@type='subjectField']")
        notes = [(n.text or "").strip() for n in entry.findall("{*}note")]
        columns = {column: next((n.removeprefix(prefix).strip() for n in notes if n.startswith(prefix)), "")
                   for column, prefix in zip(NOTE_COLUMNS, NOTE_PREFIXES, strict=True)}
        note = next((n for n in notes if not n.startswith(NOTE_PREFIXES)), "")
        if any("|" in v for variants in terms.values() for v in variants):
            raise GlossaryError("a term contains '|', which separates variants in briefgen glossaries",
                                path=path, line=entry.sourceline)
        # the same checks as a TSV row: id syntax, status, unsafe characters
        row = {"id": cid, "domain": (domain.text or "") if domain is not None else "",
               **{lang: "|".join(v) for lang, v in terms.items()},
               "status": "avoid" if statuses == {"avoid"} else "preferred",
               **columns, "note": note}
        try:
            concepts.append(concept_from_row(row, path, entry.sourceline or 0))
        except GlossaryError as exc:
            if bad_rows is None:
                raise
            bad_rows.append(exc)
    return Layer(path, concepts)

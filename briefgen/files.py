"""Reading the files users give briefgen (records, glossaries, XLIFF, TMX, TBX): UTF-8 only, size-capped, XML
parsed with no DTD, no entity expansion and no network, with errors that say how to fix the file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ExchangeError, InputError, RecordError

if TYPE_CHECKING:
    from lxml import etree

MAX_BYTES = 2 * 1024 * 1024  # a meeting record is a few kilobytes; anything near this is a mistake


def read_text(path: Path, error: type[InputError] = RecordError, max_bytes: int = MAX_BYTES) -> str:
    """Decode a user's text file as UTF-8 (BOM tolerated), with errors that say how to fix it."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise error(f"file is {size / 1e6:.1f} MB, larger than the {max_bytes // (1024 * 1024)} MB limit; "
                        "is this the right file?", path=path)
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror}", path=path) from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise error("file is UTF-16; save it as UTF-8", path=path)
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if b"\x00" in raw:
        raise error("file contains NUL bytes: it is binary, not a text file", path=path,
                    line=raw[: raw.index(b"\x00")].count(b"\n") + 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
                    path=path, line=line) from exc


# --- XML (TBX, XLIFF, TMX) ------------------------------------------------------------------------------

MAX_XML_BYTES = 50 * 1024 * 1024
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def base_language(code: str) -> str:
    """The language of a tag as CAT tools write it: fr-FR, ru_RU and AR all name fr, ru, ar."""
    return code.replace("_", "-").split("-")[0].lower()


def parse_xml(path: Path, error: type[InputError] = ExchangeError) -> etree._Element:
    from lxml import etree  # only the exchange commands need it

    text = read_text(path, error=error, max_bytes=MAX_XML_BYTES)
    if "<!ENTITY" in text or "<!DOCTYPE" in text:
        raise error("DOCTYPE and entity declarations are not allowed (they can read files or expand "
                    "without limit); remove the <!DOCTYPE …> block", path=path,
                    line=text[: text.find("<!")].count("\n") + 1)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        return etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise error(f"XML syntax error: {exc.msg}", path=path, line=exc.lineno) from exc

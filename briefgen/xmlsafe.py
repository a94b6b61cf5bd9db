"""One way to parse untrusted XML: no DTD loading, no entity expansion, no network."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .errors import ExchangeError
from .yamlsource import read_text

MAX_XML_BYTES = 50 * 1024 * 1024
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def base_language(code: str) -> str:
    """The language of a tag as CAT tools write it: fr-FR, ru_RU and AR all name fr, ru, ar."""
    return code.replace("_", "-").split("-")[0].lower()


def parse_xml(path: Path, error: type[ExchangeError] = ExchangeError) -> etree._Element:
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

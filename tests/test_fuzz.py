"""Arbitrary input to the readers gives a value or briefgen's own error — never another exception."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import BriefgenError
from briefgen.memory.tmx import read_tmx
from briefgen.memory.xliff import read_xliff
from briefgen.record.load import load_record
from briefgen.terms.tbx import read_tbx
from briefgen.terms.tsv import read_tsv

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

yaml_like = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda s: s.encode("utf-8")),
    st.lists(st.sampled_from(["id: x", "source_lang: fr", "title: T", "date: 2020-01-01", "venue: V",
                              "delegations:", "  - id: eg", "    country: EG", "    lang: ar", "    head:",
                              "      name: N", "agenda:", "  - id: a", "    title: A", "    points: [P]",
                              "- ", "&a x", "*a", "{", "]", ": :", "\t", "'", "\"", "date: 2019-02-30"]),
             max_size=20).map(lambda lines: "\n".join(lines).encode("utf-8")),
)

xml_like = st.one_of(
    st.binary(max_size=300),
    st.lists(st.sampled_from(['<?xml version="1.0"?>', "<tbx>", "</tbx>", "<xliff version=\"1.2\">", "</xliff>",
                              "<file>", "</file>", "<body>", "</body>", "<conceptEntry id='a'>", "</conceptEntry>",
                              "<langSec xml:lang='fr'>", "</langSec>", "<termSec>", "</termSec>", "<term>t</term>",
                              "<trans-unit id='x'>", "</trans-unit>", "<source>s</source>", "<target>t</target>",
                              "<tmx version='1.4'>", "</tmx>", "<header srclang='fr'/>", "<tu>", "</tu>",
                              "<tuv xml:lang='fr'><seg>x</seg></tuv>", "&amp;", "&x;", "<!DOCTYPE a>", "<"]),
             max_size=25).map(lambda parts: "".join(parts).encode("utf-8")),
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("name", "reader", "inputs"), [
    ("r.yaml", load_record, yaml_like),
    ("g.tsv", read_tsv, st.one_of(st.binary(max_size=300), st.lists(st.text(max_size=30), max_size=10).map(
        lambda cells: ("id\tdomain\tfr\tru\tar\ten\tstatus\tnote\n" + "\t".join(cells)).encode("utf-8")))),
    ("g.tbx", read_tbx, xml_like),
    ("f.xlf", read_xliff, xml_like),
    ("m.tmx", read_tmx, xml_like),
])
def test_readers_return_a_value_or_raise_briefgens_error(tmp_path: Path, name: str, reader, inputs) -> None:
    @FUZZ
    @given(data=inputs)
    def check(data: bytes) -> None:
        path = _write(tmp_path, name, data)
        with contextlib.suppress(BriefgenError):
            reader(path)

    check()

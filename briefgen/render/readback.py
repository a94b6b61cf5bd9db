"""Read a PDF back as it was drawn: its text runs with their positions, its named destinations (the paragraph
anchors), and the text of each paragraph in reading order.

Text extractors put right-to-left runs back into logical order by guessing from the characters, and they
count Arabic-Indic digits as right-to-left letters, so "١٢" can come out as "٢١". Here each text-showing
operation is decoded through its font's ToUnicode map, in drawing (visual, left-to-right) order — for figures
their reading order — and placed with the font's glyph widths. ``verify`` (the number printed at each
anchor) and the build's rendered-text check (the numbers and identifiers each paragraph prints; nothing
outside the page) read PDFs with this.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MARGIN = 56.0   # points (about 20 mm) at the top and bottom of a page: the running header and footer


@dataclass(frozen=True)
class Run:
    """One text-showing operation: its page, horizontal extent, baseline, font size and text (as drawn), and
    the horizontal extent of each of its words (stretches without a space), as the glyphs were placed."""

    page: int
    x0: float
    x1: float
    y: float
    size: float
    text: str
    words: tuple[tuple[float, float], ...] = ()


# What separates words on a line: the space, and the no-break and thin spaces a brief sets inside a figure or
# between a figure and its unit (a justified line stretches only the first, but every one is a gap on the page).
_SPACES = frozenset(" \u00a0\u2009\u202f\u2007")


@dataclass
class Readback:
    signature: str | None
    lang: str | None
    pages: list[tuple[float, float]]                                # (width, height) of each page
    runs: list[Run]
    anchors: dict[str, tuple[int, float]] = field(default_factory=dict)   # name -> (page, top y)
    lefts: dict[str, float] = field(default_factory=dict)                 # name -> left x, where the PDF says

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.runs)

    def in_text_area(self, r: Run) -> bool:
        """Whether a run's whole glyph box lies between the running header and footer: the header's baseline
        lies a little inside ``MARGIN`` from the top edge (its small letters sit above the body), its letters
        not."""
        return r.y - 0.3 * r.size > MARGIN and r.y + 0.8 * r.size < self.pages[r.page][1] - MARGIN

    def lines(self) -> list[list[Run]]:
        """The runs of the pages' text area as lines, page by page and top to bottom, each line's runs left to
        right."""
        out: list[list[Run]] = []
        for page in range(len(self.pages)):
            out.extend(_lines([r for r in self.runs if r.page == page and self.in_text_area(r)], rtl=False))
        return out

    def off_page(self) -> list[Run]:
        """Runs with a glyph beyond the page's edges."""
        out = []
        for r in self.runs:
            width, height = self.pages[r.page]
            if r.x0 < -0.5 or r.x1 > width + 0.5 or r.y - 0.3 * r.size < -0.5 or r.y + 0.8 * r.size > height + 0.5:
                out.append(r)
        return out

    def paragraphs(self, ids: Iterable[str], rtl: bool = False, column: float | None = None,
                   numbered: bool = True) -> dict[str, dict[str, Any]]:
        """What is printed between each anchor in ``ids`` and the next anchor (of any element), running headers
        and footers left out: {"text": the lines joined, "runs": each run's text, "lines": each line's text and
        its widest word-space} in reading order (lines top to bottom; within a line, runs right to left when
        ``rtl``). An identifier broken across lines is whole again in the runs that hold its pieces, even with
        other table cells on its lines. ``column``: only what is printed from this x (points) rightwards — one
        column of a table whose rows are the anchors. ``numbered``: each paragraph's first line starts with its
        number, set in a box of its own width, so the gap after it is no word-space."""
        order = sorted(self.anchors.items(), key=lambda kv: (kv[1][0], -kv[1][1]))
        wanted = set(ids)
        found: dict[str, list[list[Run]]] = {}
        for i, (name, (page, top)) in enumerate(order):
            if name not in wanted:
                continue
            end_page, end_top = order[i + 1][1] if i + 1 < len(order) else (len(self.pages) - 1, -1.0)
            lines: list[list[Run]] = []
            for p in range(page, end_page + 1):
                height = self.pages[p][1]
                upper = top + 2 if p == page else height - MARGIN
                lower = end_top + 2 if p == end_page else MARGIN
                # (a run with no text is a break opportunity drawn as nothing: <wbr> in a URL)
                runs = [r for r in self.runs if r.page == p and lower < r.y <= upper and self.in_text_area(r)
                        and r.text and (column is None or r.x0 >= column - 0.5)]
                lines.extend(_lines(runs, rtl))
            found[name] = lines
        # A line set to the full measure ends (its last word, not a space drawn after it) where the longest lines
        # of these paragraphs end: a justified paragraph's lines but its last; a short paragraph stops short.
        edge = max((_end(line) for lines in found.values() for line in lines), default=0.0)
        out: dict[str, dict[str, Any]] = {}
        for name, lines in found.items():
            texts = [_joined(line, rtl) for line in lines]
            out[name] = {"text": " ".join(texts), "runs": [r.text for line in lines for r in line],
                         "lines": [{"text": text, "widest": widest_space(line, skip_first=numbered and n == 0),
                                    "full": n < len(lines) - 1 and _end(line) >= edge - 1.0}
                                   for n, (text, line) in enumerate(zip(texts, lines, strict=True))]}
        return out

    def column_at(self, name: str) -> float | None:
        """The left edge (points) of the element anchored as ``name`` (a table's header cell), if it is there."""
        return self.lefts.get(name)


def _end(line: list[Run]) -> float:
    """Where a line's ink ends on the right: its last word's end (a run of spaces alone: the run's end)."""
    return max((x1 for r in line for _, x1 in r.words), default=max(r.x1 for r in line))


def widest_space(line: list[Run], skip_first: bool = False) -> float:
    """The widest gap between two words of a line, in ems of the type beside it (0 for a line of one word).
    Words are placed by their glyphs' advances (kerning and justification included), across the line's runs;
    ``skip_first``: leave out the gap after the first word (a paragraph number in its fixed-width box)."""
    words = sorted((x0, x1, r.size) for r in line for x0, x1 in r.words)
    gaps = [(b[0] - a[1]) / max(a[2], b[2]) for a, b in itertools.pairwise(words)]
    if skip_first:
        gaps = gaps[1:]
    return round(max(gaps, default=0.0), 3)


def _lines(runs: list[Run], rtl: bool) -> list[list[Run]]:
    lines: list[list[Run]] = []
    for r in sorted(runs, key=lambda r: -r.y):
        if lines and abs(lines[-1][0].y - r.y) <= 0.35 * max(r.size, lines[-1][0].size):
            lines[-1].append(r)
        else:
            lines.append([r])
    for line in lines:
        line.sort(key=lambda r: -r.x1 if rtl else r.x0)
        if rtl:
            line[:] = _islands_in_order(line)
    return lines


def _islands_in_order(line: list[Run]) -> list[Run]:
    """A right-to-left line's runs (right to left) with each left-to-right island read left to right: runs
    without a right-to-left letter that touch one another (the steps of a URL, each a box of its own) are one
    island, and an island reads from its left end."""
    out: list[Run] = []
    island: list[Run] = []
    for r in line:
        if island and not (_ltr(r) and abs(island[-1].x0 - r.x1) < 0.15 * r.size):
            out.extend(reversed(island))
            island = []
        if _ltr(r):
            island.append(r)
        else:
            out.append(r)
    out.extend(reversed(island))
    return out


def _ltr(r: Run) -> bool:
    """Whether a run is left to right: a Latin letter or a digit and no right-to-left letter (punctuation alone
    takes the direction of the text around it)."""
    kinds = {unicodedata.bidirectional(ch) for ch in r.text}
    return not kinds & {"R", "AL"} and bool(kinds & {"L", "EN", "AN"})


def _joined(line: list[Run], rtl: bool) -> str:
    """A line's runs as one text: runs that touch are joined without a space (a figure split by fonts)."""
    text = line[0].text
    for prev, cur in itertools.pairwise(line):
        gap = (prev.x0 - cur.x1) if rtl else (cur.x0 - prev.x1)
        text += ("" if gap < 0.15 * cur.size else " ") + cur.text
    return text


def read_pdf(data: bytes) -> Readback:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    meta = reader.metadata or {}
    lang = reader.trailer["/Root"].get("/Lang")
    anchors: dict[str, tuple[int, float]] = {}
    lefts: dict[str, float] = {}
    for dest_name, dest in reader.named_destinations.items():
        page = reader.get_destination_page_number(dest)
        if page is not None and dest.top is not None:
            anchors[str(dest_name)] = (page, float(dest.top))
            if dest.left is not None:
                lefts[str(dest_name)] = float(dest.left)
    pages, runs = [], []
    fonts: dict[int, _Font] = {}
    for index, page in enumerate(reader.pages):
        box = page.mediabox
        pages.append((float(box.width), float(box.height)))
        runs.extend(_text_runs(page, index, fonts))
    signature = meta.get("/briefgensignature")
    return Readback(str(signature) if signature is not None else None, str(lang) if lang is not None else None,
                    pages, runs, anchors, lefts)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: cm sets CTM = m × CTM)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


@dataclass
class _Font:
    cmap: dict[int, str]
    code_bytes: int            # 2 for Identity-H CID fonts
    widths: dict[int, float]   # code -> width in 1/1000 of the font size
    default: float


_TOKEN = re.compile(rb"(%[^\r\n]*)|(<<|>>|\[|\])|<([0-9A-Fa-f\s]*)>|(\()|/([^\s/\[\]()<>{}%]*)"
                    rb"|([-+]?(?:\d+\.?\d*|\.\d+))|([A-Za-z'\"*][A-Za-z0-9*]*)")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _operations(data: bytes) -> Any:
    """(operands, operator) of a content stream: numbers as floats, strings as bytes, names as '/Name' text,
    arrays as lists; dictionaries (marked-content properties) are skipped. A small reader of what PDF
    writers put into page content, many times faster than a general parser."""
    stack: list[list[Any]] = [[]]
    pos, end = 0, len(data)
    depth = 0                                   # inside << >>
    while pos < end:
        m = _TOKEN.search(data, pos)
        if m is None:
            break
        pos = m.end()
        comment, bracket, hexstr, paren, name, number, word = m.groups()
        if comment is not None:
            continue
        if bracket is not None:
            if bracket == b"<<":
                depth += 1
            elif bracket == b">>":
                depth -= 1
            elif depth:
                pass
            elif bracket == b"[":
                stack.append([])
            elif len(stack) > 1:
                inner = stack.pop()
                stack[-1].append(inner)
            continue
        if paren is not None:
            value, pos = _literal(data, pos)
            if not depth:
                stack[-1].append(value)
            continue
        if depth:
            continue
        if hexstr is not None:
            digits = re.sub(rb"\s", b"", hexstr)
            stack[-1].append(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()))
        elif name is not None:
            stack[-1].append("/" + name.decode("latin-1"))
        elif number is not None:
            stack[-1].append(float(number))
        elif word is not None:
            if word == b"BI":                   # inline image: its data is binary; skip to EI
                stop = data.find(b"EI", pos)
                pos = end if stop < 0 else stop + 2
                stack = [[]]
                continue
            yield stack[0], word
            stack = [[]]


def _literal(data: bytes, pos: int) -> tuple[bytes, int]:
    out, level = bytearray(), 1
    while pos < len(data):
        ch = data[pos]
        pos += 1
        if ch == 0x5C and pos < len(data):      # backslash
            nxt = data[pos]
            pos += 1
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
            elif 0x30 <= nxt <= 0x37:
                digits = bytes([nxt])
                while len(digits) < 3 and pos < len(data) and 0x30 <= data[pos] <= 0x37:
                    digits += bytes([data[pos]])
                    pos += 1
                out.append(int(digits, 8) & 0xFF)
            elif nxt not in (0x0A, 0x0D):
                out.append(nxt)
            continue
        if ch == 0x28:
            level += 1
        elif ch == 0x29:
            level -= 1
            if level == 0:
                break
        out.append(ch)
    return bytes(out), pos


def _text_runs(page: Any, index: int, fonts: dict[int, _Font]) -> list[Run]:
    """Every text-showing operation of a page, placed in page space."""
    contents = page.get_contents()
    if contents is None:
        return []
    resources = page.get("/Resources", {}).get("/Font", {})
    ctm, stack = _IDENTITY, []
    tm: Matrix = _IDENTITY
    font: _Font | None = None
    size, char_space, word_space, scale = 0.0, 0.0, 0.0, 1.0
    runs: list[Run] = []
    for operands, op in _operations(contents.get_data()):
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop() if stack else _IDENTITY
        elif op == b"cm":
            ctm = _mul(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
        elif op == b"BT":
            tm = _IDENTITY
        elif op == b"Tm":
            tm = tuple(float(v) for v in operands)  # type: ignore[assignment]
        elif op in (b"Td", b"TD"):
            tm = _mul((1.0, 0.0, 0.0, 1.0, float(operands[0]), float(operands[1])), tm)
        elif op == b"Tc":
            char_space = float(operands[0])
        elif op == b"Tw":
            word_space = float(operands[0])
        elif op == b"Tz":
            scale = float(operands[0]) / 100
        elif op == b"Tf":
            ref = resources.get(operands[0])
            size = float(operands[1])
            font = None
            if ref is not None:
                key = id(ref.get_object())
                if key not in fonts:
                    fonts[key] = _load_font(ref.get_object())
                font = fonts[key]
        elif op in (b"TJ", b"Tj") and font is not None:
            parts = operands[0] if op == b"TJ" else [operands[0]]
            text, advance = [], 0.0
            words: list[tuple[float, float]] = []     # each word's (start, end) advance in text space
            word: list[float] | None = None
            for part in parts:
                if not isinstance(part, bytes):       # a kerning adjustment, in 1/1000 of the font size
                    advance -= float(part) / 1000 * size * scale
                    continue
                raw = part
                for i in range(0, len(raw) - font.code_bytes + 1, font.code_bytes):
                    code = int.from_bytes(raw[i:i + font.code_bytes], "big")
                    char = font.cmap.get(code, "")
                    text.append(char)
                    spacing = char_space + (word_space if font.code_bytes == 1 and code == 32 else 0.0)
                    glyph = font.widths.get(code, font.default) / 1000 * size * scale
                    if char and char in _SPACES:
                        if word is not None:
                            words.append((word[0], word[1]))
                            word = None
                    elif word is None:
                        word = [advance, advance + glyph]
                    else:
                        word[1] = advance + glyph
                    advance += glyph + spacing * scale
            if word is not None:
                words.append((word[0], word[1]))
            start = _mul(tm, ctm)
            end = _mul(_mul((1.0, 0.0, 0.0, 1.0, advance, 0.0), tm), ctm)
            x0, x1 = sorted((start[4], end[4]))
            ends = ((start[4] + a * start[0], start[4] + b * start[0]) for a, b in words)   # in page space
            placed = tuple((min(p, q), max(p, q)) for p, q in ends)
            runs.append(Run(index, x0, x1, start[5], abs(size * (start[3] or 1.0)), "".join(text), placed))
            tm = _mul((1.0, 0.0, 0.0, 1.0, advance, 0.0), tm)
    return runs


def _load_font(font: Any) -> _Font:
    cmap, code_bytes = _to_unicode(font)
    widths: dict[int, float] = {}
    default = 1000.0
    if "/DescendantFonts" in font:
        cid = font["/DescendantFonts"][0].get_object()
        default = float(cid.get("/DW", 1000))
        w = [v.get_object() if hasattr(v, "get_object") else v for v in cid.get("/W", [])]
        i = 0
        while i < len(w):
            first = int(w[i])
            if isinstance(w[i + 1], list):
                for offset, width in enumerate(w[i + 1]):
                    widths[first + offset] = float(width)
                i += 2
            else:
                for code in range(first, int(w[i + 1]) + 1):
                    widths[code] = float(w[i + 2])
                i += 3
    elif "/Widths" in font:
        first = int(font.get("/FirstChar", 0))
        for offset, width in enumerate(font["/Widths"]):
            widths[first + offset] = float(width)
        default = 0.0
    return _Font(cmap, code_bytes, widths, default)


def _to_unicode(font: Any) -> tuple[dict[int, str], int]:
    """The font's ToUnicode map (code → text) and its code width in bytes (2 for Identity-H CID fonts)."""
    width = 2 if "/DescendantFonts" in font else 1
    cmap: dict[int, str] = {}
    stream = font.get("/ToUnicode")
    if stream is None:
        return cmap, width
    data = stream.get_object().get_data().decode("latin-1")

    def text(hex_: str) -> str:
        return bytes.fromhex(hex_).decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            cmap[int(src, 16)] = text(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            base = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                cmap[code] = chr(base + offset) if base + offset < 0x110000 else ""
    return cmap, width

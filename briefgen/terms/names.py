"""Names that hold a country's name but mean something else (glossaries/names/other-names.tsv): a region (Haute-Égypte,
صعيد مصر), a historical state (Russie kiévienne, بروسيا — Prussia, not ب + روسيا), another country (روسيا
البيضاء), a sea, a plant, a federation. A country of the termbase is not reported inside one of them. The list
also holds the few other names and set phrases that contain a term in another sense (الجامعة العربية المفتوحة, a
university; منقطع النظير, unparalleled).

One row per name: ``country`` (the termbase id), ``fr``, ``ru``, ``ar`` (alternatives separated by ``|``),
``note``. A toponymist's list, written for any text, not for the sentences of the evaluation sets.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..config import PROJECT_ROOT, glossaries_dir
from .tsv import read_list

NAMES_FILE = Path("names", "other-names.tsv")   # beside the layers, not one of them
ADDRESS_FILE = Path("names", "address-words.tsv")
NAME_LANGS = ("fr", "ru", "ar")


def names_path(name: Path = NAMES_FILE) -> Path:
    own = glossaries_dir() / name
    return own if own.is_file() else PROJECT_ROOT / "glossaries" / name


def address_words(lang: str) -> tuple[str, ...]:
    """Words that start the name of a street, station or district (rue, улица, شارع): a term right after one
    is part of a place's name (rue de l'Université, شارع الجامعة)."""
    if lang not in NAME_LANGS:
        return ()
    rows = _rows(str(names_path(ADDRESS_FILE)), NAME_LANGS)
    return tuple(dict.fromkeys(w.strip() for row in rows for w in (row.get(lang) or "").split("|") if w.strip()))


def other_names(lang: str) -> dict[str, tuple[str, ...]]:
    """Concept id -> the other names that hold it, in ``lang``."""
    if lang not in NAME_LANGS:
        return {}
    out: dict[str, list[str]] = {}
    for row in _rows(str(names_path()), ("country", *NAME_LANGS)):
        names = [n.strip() for n in (row.get(lang) or "").split("|") if n.strip()]
        out.setdefault((row.get("country") or "").strip(), []).extend(names)
    return {cid: tuple(dict.fromkeys(names)) for cid, names in out.items() if cid}


@lru_cache(maxsize=8)
def _rows(path: str, columns: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    """The rows of one of the lists, which must have ``columns``; none where the file is absent."""
    file = Path(path)
    return tuple(read_list(file, columns, file.name)) if file.is_file() else ()

"""`briefgen new`: the skeleton of a record, every field explained in a comment, ``…`` wherever the officer
types, and names as mappings with exactly the languages the set needs.

Written from the schema's own fields and descriptions (so a field added to the schema appears here), with
an example in the record's language where the schema gives one per language. Filled in, it passes
`briefgen check`; untouched, `check` names every ``…`` still to fill.
"""

from __future__ import annotations

import re
import textwrap
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..config import LANGUAGES
from ..errors import InputError
from .schema import (
    LANGUAGE_NAMES,
    PLACEHOLDER,
    Delegation,
    Record,
    bare_type,
    is_proper_name,
    is_text,
    refers_to_delegation,
)

SCHEMA_FILE = "record.schema.json"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Optional fields with a good default, shown commented out: most records leave them alone.
_COMMENTED = {("Delegation", "locale"), ("Delegation", "name"), ("Record", "host_delegation")}


@dataclass(frozen=True)
class DelegationSpec:
    id: str
    lang: str
    country: str
    locale: str | None = None     # given with `new --locale ID:LOCALE`

    @classmethod
    def parse(cls, text: str) -> DelegationSpec:
        """``tn:ar:TN``: the delegation's id, the language of its brief, its country."""
        parts = text.split(":")
        if len(parts) != 3:
            raise InputError(f"--delegation '{text}': write it as ID:LANG:COUNTRY, e.g. tn:ar:TN")
        ident, lang, country = parts[0].strip(), parts[1].strip().lower(), parts[2].strip().upper()
        if not _ID.match(ident) or ident == "master":
            raise InputError(f"--delegation '{text}': the id '{ident}' must be lowercase letters, digits and '-' "
                             "(and not 'master')")
        if lang not in LANGUAGES:
            raise InputError(f"--delegation '{text}': the language must be one of {', '.join(LANGUAGES)}")
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise InputError(f"--delegation '{text}': the country must be a two-letter ISO code, e.g. TN")
        return cls(ident, lang, country)


def with_locales(specs: list[DelegationSpec], locales: list[str]) -> list[DelegationSpec]:
    """The delegations with the locales given as ``ID:LOCALE`` (``eg:ar_EG``), each checked against CLDR and
    the delegation's language."""
    from dataclasses import replace

    from babel import Locale, UnknownLocaleError

    by_id = {s.id: s for s in specs}
    for text in locales:
        ident, _, code = text.partition(":")
        ident, code = ident.strip(), code.strip().replace("-", "_")
        if ident not in by_id or not code:
            raise InputError(f"--locale '{text}': write it as ID:LOCALE for one of the delegations "
                             f"({', '.join(by_id)}), e.g. {specs[0].id}:{specs[0].lang}_{specs[0].country}")
        try:
            locale = Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            raise InputError(f"--locale '{text}': unknown locale '{code}' (use a CLDR code such as ar_EG)") from None
        spec = by_id[ident]
        if locale.language != spec.lang:
            raise InputError(f"--locale '{text}': '{code}' is not a locale of the {ident} delegation's language "
                             f"'{spec.lang}' (e.g. {spec.lang}_{spec.country})")
        by_id[ident] = replace(spec, locale=code)
    return [by_id[s.id] for s in specs]


def skeleton(record_id: str, source: str, delegations: list[DelegationSpec], path: str = "<this file>") -> str:
    if not _ID.match(record_id):
        raise InputError(f"the record id '{record_id}' must be lowercase letters, digits and '-', "
                         "e.g. tn-ru-2024-06-05")
    if source not in LANGUAGES:
        raise InputError(f"--source must be one of {', '.join(LANGUAGES)}")
    if not delegations:
        raise InputError("give at least one --delegation ID:LANG:COUNTRY, e.g. --delegation tn:ar:TN")
    ids = [d.id for d in delegations]
    if len(set(ids)) != len(ids):
        raise InputError("each --delegation needs its own id")
    writer = _Writer(record_id, source, delegations, path)
    writer.model(Record, 0, top=True)
    return writer.text()


class _Writer:
    def __init__(self, record_id: str, source: str, delegations: list[DelegationSpec], path: str) -> None:
        self.record_id, self.source, self.delegations = record_id, source, delegations
        self.needed = [source] + [lang for lang in LANGUAGES
                                  if lang != source and any(d.lang == lang for d in delegations)]
        self.delegation: DelegationSpec | None = None
        language = LANGUAGE_NAMES[source]
        names = "{" + ", ".join(f"{lang}: {PLACEHOLDER}" for lang in self.needed) + "}"
        self.lines = [
            f"# yaml-language-server: $schema={SCHEMA_FILE}",
            f"# Meeting record {record_id}, started by `briefgen new`. Replace every {PLACEHOLDER} with the text, "
            "delete the",
            f"# optional lines you do not need, then run:  briefgen check {path}",
            f"# - Plain texts are in {language} (source_lang: {source}) and are translated for each delegation; "
            "a mapping",
            f"#   {names} is used exactly as given.",
            f"# - Names are never machine-translated: give each in every language of this set: {names}.",
            '# - Indent with spaces, never tabs. Dates: YYYY-MM-DD. Put a text containing ": " in "double quotes".',
            "",
        ]

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    # -- one model's fields, in the schema's order ------------------------------------------------------

    def model(self, model: type[BaseModel], indent: int, *, top: bool = False, first_prefix: str = "") -> None:
        for i, (name, info) in enumerate(model.model_fields.items()):
            prefix = first_prefix if i == 0 and first_prefix else " " * indent
            if top and name in ("delegations", "agenda", "previous_contacts", "purpose"):
                self.lines.append("")
            self.field(model, name, info, indent, prefix)

    def field(self, model: type[BaseModel], name: str, info: FieldInfo, indent: int, prefix: str) -> None:
        pad = " " * indent
        key = (model.__name__, name)
        given = self._given(key)
        if given is None or name == "lang":
            self.comment(info, pad, prefix)
        tp = bare_type(info.annotation)
        lead = f"{prefix}{name}:"
        if given is not None:
            self.lines.append(f"{lead} {given}")
        elif key in _COMMENTED:
            self.lines.append(f"{pad}# {name}: {self._names() if is_proper_name(info) else PLACEHOLDER}")
        elif is_proper_name(info):
            self.lines.append(f"{lead} {self._names()}")
        elif _is_model(tp):
            self.lines.append(lead)
            self.model(tp, indent + 2)
        elif typing.get_origin(tp) is list:
            self.lines.append(lead)
            item = bare_type(typing.get_args(tp)[0])
            if model is Record and name == "delegations":
                for spec in self.delegations:
                    self.delegation = spec
                    self.model(Delegation, indent + 4, first_prefix=f"{pad}  - ")
                self.delegation = None
            elif _is_model(item):
                self.model(item, indent + 4, first_prefix=f"{pad}  - ")
            else:
                self.lines.append(f"{pad}  - {PLACEHOLDER}")
        elif typing.get_origin(tp) is dict:
            self.lines.append(lead)
            for spec in self.delegations:
                self.lines.append(f"{pad}  {spec.id}:")
                self.lines.append(f"{pad}    - {PLACEHOLDER}")
        else:
            self.lines.append(f"{lead} {PLACEHOLDER}")

    def comment(self, info: FieldInfo, pad: str, prefix: str) -> None:
        text = info.description or ""
        example = self._example(info)
        if refers_to_delegation(info):     # this record's own ids, not the schema's example
            text += f" Here: {' or '.join(d.id for d in self.delegations)}."
        elif example and "e.g." not in text:
            text += f" E.g. {example}"
        if not text:
            return
        # A comment about the first field of a list item goes above the item's "- " line.
        at = pad if not prefix.strip() else prefix[: len(prefix) - len(prefix.lstrip())]
        for line in textwrap.wrap(text, width=110 - len(at)):
            self.lines.append(f"{at}# {line}")

    def _example(self, info: FieldInfo) -> str | None:
        examples = info.examples or []
        if not examples or not isinstance(examples[0], (str, int)):
            return None
        if len(examples) == len(LANGUAGES) and all(isinstance(e, str) for e in examples) and is_text(info):
            return str(examples[LANGUAGES.index(self.source)])
        return str(examples[0])

    def _names(self) -> str:
        return "{" + ", ".join(f"{lang}: {PLACEHOLDER}" for lang in self.needed) + "}"

    def _given(self, key: tuple[str, str]) -> str | None:
        if key == ("Record", "id"):
            return self.record_id
        if key == ("Record", "version"):
            return "1"
        if key == ("Record", "source_lang"):
            return self.source
        if self.delegation is not None and key[0] == "Delegation" and key[1] in ("id", "country", "lang"):
            return getattr(self.delegation, key[1])
        if self.delegation is not None and key == ("Delegation", "locale"):
            return self.delegation.locale
        return None


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel) and tp.__name__ != "Text"



"""The meeting record's schema: the fields a record has, their validation and cross-checks.

Field errors raised by the models' own checks carry the path of the field (``FieldError.where``), so the
loader can name the line."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from ..config import LANGUAGES
from ..textsafety import text_problem

Lang = Literal["fr", "ru", "ar"]

def _clean_text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem.replace("texts are plain", "records are plain text"))
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        raise ValueError("empty text")
    return value


class Text(BaseModel):
    """Localized text: a string in the record's source language, or versions supplied by a person."""

    model_config = ConfigDict(frozen=True)
    versions: dict[str, str]
    source: str | None = None  # the plain string, before the record says which language it is in


def _to_text(value: Any) -> Any:
    if isinstance(value, Text):
        return value
    if isinstance(value, str):
        return Text(versions={}, source=_clean_text(value))
    if isinstance(value, dict):
        bad = [k for k in value if k not in LANGUAGES]
        if bad:
            raise ValueError(f"unsupported language '{bad[0]}' (supported: {', '.join(LANGUAGES)})")
        versions = {}
        for lang, text in value.items():
            if not isinstance(text, str):
                raise ValueError(f"the {lang} version must be text")
            versions[lang] = _clean_text(text)
        if not versions:
            raise ValueError("empty text")
        return Text(versions=versions)
    raise ValueError("expected text, or a mapping of language codes (fr, ru, ar) to text")


LText = Annotated[Text, BeforeValidator(_to_text)]
Ident = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Model):
    name: LText
    title: LText | None = None


class Delegation(_Model):
    id: Ident
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    lang: Lang
    locale: str | None = None   # CLDR locale for dates and digits; default: lang + country (e.g. ar_EG)
    name: LText | None = None   # e.g. "Arab Republic of Egypt"; default: the CLDR country name
    head: Person
    members: list[Person] = []

    @field_validator("id")
    @classmethod
    def _not_master(cls, value: str) -> str:
        if value == "master":   # <record>.master.<lang>.pdf is the master copy's file
            raise ValueError("'master' names the master copy; choose another delegation id")
        return value

    @model_validator(mode="after")
    def _locale_of_lang(self) -> Delegation:
        if self.locale is None:
            return self
        from babel import Locale, UnknownLocaleError
        try:
            locale = Locale.parse(self.locale.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            raise FieldError(("locale",), f"unknown locale '{self.locale}' (use a CLDR code such as ar_EG)") from None
        if locale.language != self.lang:
            raise FieldError(("locale",), f"locale '{self.locale}' is not a locale of '{self.lang}' "
                                           f"(use e.g. {self.lang}_{self.country})")
        return self


class Action(_Model):
    text: LText
    owner: Ident
    due: dt.date | None = None


class AgendaItem(_Model):
    id: Ident
    title: LText
    background: list[LText] = []
    points: list[LText] = []
    positions: dict[str, list[LText]] = {}   # expected position of a delegation, by delegation id
    outcomes: list[LText] = []
    actions: list[Action] = []


class Contact(_Model):
    date: Annotated[str, Field(pattern=r"^\d{4}-\d{2}(-\d{2})?$")]
    text: LText

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str) -> str:
        year, month, *day = (int(p) for p in value.split("-"))
        dt.date(year, month, day[0] if day else 1)  # raises ValueError for an impossible date
        return value


class Record(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
    version: Annotated[int, Field(ge=1)] = 1
    source_lang: Lang
    title: LText
    date: dt.date
    venue: LText
    country: Annotated[str | None, Field(pattern=r"^[A-Z]{2}$")] = None  # where the meeting takes place
    occasion: LText | None = None
    classification: LText | None = None
    host: LText | None = None
    purpose: list[LText] = []
    delegations: Annotated[list[Delegation], Field(min_length=1)]
    agenda: Annotated[list[AgendaItem], Field(min_length=1)]
    previous_contacts: list[Contact] = []

    @model_validator(mode="after")
    def _cross_checks(self) -> Record:
        _unique("delegations", [d.id for d in self.delegations])
        _unique("agenda", [a.id for a in self.agenda])
        known = {d.id for d in self.delegations}
        for i, item in enumerate(self.agenda):
            for j, action in enumerate(item.actions):
                if action.owner not in known:
                    raise FieldError(("agenda", i, "actions", j, "owner"),
                                      f"unknown delegation '{action.owner}' (known: {', '.join(sorted(known))})")
            for who in item.positions:
                if who not in known:
                    raise FieldError(("agenda", i, "positions", who),
                                      f"unknown delegation '{who}' (known: {', '.join(sorted(known))})")
        return self


class FieldError(ValueError):
    def __init__(self, where: tuple[str | int, ...], message: str) -> None:
        self.where = where
        super().__init__(message)


def _unique(field: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            raise FieldError((field, i, "id"), f"duplicate id '{ident}'")
        seen.add(ident)


def resolve_source(value: Any, lang: str, where: tuple[str | int, ...] = ()) -> Any:
    """Give every plain string the record's source language."""
    if isinstance(value, Text):
        if value.source is not None:
            return Text(versions={lang: value.source})
        if lang not in value.versions:
            raise FieldError(where, f"the text has no '{lang}' version, the record's source language")
        return value
    if isinstance(value, BaseModel):
        changes = {name: resolve_source(getattr(value, name), lang, (*where, name))
                   for name in type(value).model_fields}
        return value.model_copy(update=changes)
    if isinstance(value, list):
        return [resolve_source(v, lang, (*where, i)) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {k: resolve_source(v, lang, (*where, k)) for k, v in value.items()}
    return value

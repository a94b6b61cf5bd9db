"""The meeting record's schema: the fields a record has, their validation and cross-checks.

Field errors raised by the models' own checks carry the path of the field (``FieldError.where``), so the
loader can name the line."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import types
import typing
import unicodedata
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from ..config import LANGUAGES
from ..figures import too_many_digits
from ..textsafety import text_problem

Lang = Literal["fr", "ru", "ar"]

def _clean_text(value: str) -> str:
    problem = text_problem(value) or too_many_digits(value)
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


LANGUAGE_NAMES = {"fr": "French", "ru": "Russian", "ar": "Arabic"}
PLACEHOLDER = "…"     # what `briefgen new` leaves where the officer types


@dataclass(frozen=True)
class RecordFacts:
    """What a record says about itself that other fields are checked against: its language, its
    delegations' ids and who reads each language of its set. The loader reads them from the raw record
    and passes them as validation context (``{"record": facts}``), so that every field can be checked in
    one pass and every problem reported at once; without a context these checks are skipped (and the
    model's own cross-checks below still run)."""

    source_lang: str | None = None
    delegations: tuple[str, ...] | None = None
    readers: dict[str, tuple[str, ...]] = field(default_factory=dict)   # lang -> who reads it

    @classmethod
    def of(cls, data: Any) -> RecordFacts:
        if not isinstance(data, dict):
            return cls()
        src = data.get("source_lang") if data.get("source_lang") in LANGUAGES else None
        raw = data.get("delegations")
        ids = tuple(d["id"] for d in raw if isinstance(d, dict) and isinstance(d.get("id"), str)) \
            if isinstance(raw, list) else None
        readers: dict[str, list[str]] = {}
        if src is not None:
            readers[src] = ["the master copy"]
            for d in raw if isinstance(raw, list) else []:
                if isinstance(d, dict) and d.get("lang") in LANGUAGES and isinstance(d.get("id"), str):
                    readers.setdefault(d["lang"], []).append(d["id"])
        return cls(src, ids, {lang: tuple(who) for lang, who in readers.items()})

    def who_reads(self, langs: list[str]) -> str:
        """"the tn delegation's brief", "the master copy and the eg and fr delegations' briefs"."""
        who = [w for lang in langs for w in self.readers.get(lang, ())]
        parts = ["the master copy"] if "the master copy" in who else []
        ids = sorted({w for w in who if w != "the master copy"})
        if len(ids) == 1:
            parts.append(f"the {ids[0]} delegation's brief")
        elif ids:
            parts.append(f"the {', '.join(ids[:-1])} and {ids[-1]} delegations' briefs")
        return " and ".join(parts)


def _facts(info: ValidationInfo | None) -> RecordFacts:
    facts = (info.context or {}).get("record") if info is not None and isinstance(info.context, dict) else None
    return facts if isinstance(facts, RecordFacts) else RecordFacts()


def _to_text(value: Any, info: ValidationInfo | None) -> Any:
    if isinstance(value, Text):
        return value
    src = _facts(info).source_lang
    if isinstance(value, str):
        text = _clean_text(value)
        return Text(versions={src: text}) if src else Text(versions={}, source=text)
    if isinstance(value, dict):
        versions = _versions(value)
        if src and src not in versions:
            raise ValueError(f"the text has no '{src}' version, the record's source language: add {src}: …, "
                             f"or write the text as a plain {LANGUAGE_NAMES[src]} string")
        return Text(versions=versions)
    raise ValueError(f"must be a text, or a mapping from language ({', '.join(LANGUAGES)}) to text, "
                     "e.g. {fr: …, ar: …}")


def _versions(value: dict) -> dict[str, str]:
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
    return versions


def _to_name(value: Any, info: ValidationInfo) -> Any:
    """A proper name: given by a person in every language the set needs, never machine-translated."""
    facts = _facts(info)
    if facts.source_lang is None or not isinstance(value, (str, dict)):
        return _to_text(value, info)
    given = {facts.source_lang: _clean_text(value)} if isinstance(value, str) else _versions(value)
    missing = [lang for lang in LANGUAGES if lang in facts.readers and lang not in given]
    if not missing:
        return Text(versions=given)
    readers = facts.who_reads(missing)
    names = " or ".join(f"{LANGUAGE_NAMES[lang]} ({lang})" for lang in missing)
    shown = ", ".join([f"{k}: {v}" for k, v in given.items()] + [f"{lang}: {PLACEHOLDER}" for lang in missing])
    raise ValueError(f"no {names} form of this name, which {readers} {'need' if ' and ' in readers else 'needs'}; "
                     f"names are never machine-translated: write it as {{{shown}}}")


def _known_delegation(value: Any, info: ValidationInfo) -> Any:
    known = _facts(info).delegations
    if known is not None and isinstance(value, str) and value not in known:
        raise ValueError(f"unknown delegation '{value}' (known: {', '.join(sorted(known)) or 'none'})")
    return value


def _day(value: Any) -> Any:
    """A day written YYYY-MM-DD, and only that: YAML numbers (a Unix time) and other spellings are refused."""
    if isinstance(value, dt.date):
        return value
    return _calendar_date(value, day_required=True)


def _month_or_day(value: Any) -> Any:
    _calendar_date(value, day_required=False)
    return str(value).strip()


_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def _calendar_date(value: Any, *, day_required: bool) -> dt.date:
    form = "YYYY-MM-DD, e.g. 2024-06-05" if day_required else "YYYY-MM-DD or YYYY-MM, e.g. 2024-06-05 or 2024-06"
    text = str(value).strip() if isinstance(value, (str, int, float)) else None
    m = _DATE.match(text) if text is not None and text.isascii() else None
    if m is None or (day_required and m.group(3) is None):
        kind = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else repr(value)
        shown = f" (not '{text}')" if text is not None else f" (not {kind})"
        digits = " with the digits 0-9" if text and not text.isascii() and any(c.isdigit() for c in text) else ""
        raise ValueError(f"write dates as {form.replace(', e.g.', digits + ', e.g.', 1)}{shown}")
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    if not 1 <= month <= 12:
        raise ValueError(f"'{text}' is not a date: the month must be 01 to 12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"'{text}' is not a date: {calendar.month_name[month]} {year} has {last} days")
    return dt.date(year, month, day)


_TEXT_SCHEMA = {"anyOf": [
    {"type": "string", "minLength": 1, "description": "in the record's language (source_lang); translated"},
    {"type": "object", "description": "the text in each language given, used as is",
     "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGUAGES},
     "additionalProperties": False, "minProperties": 1}]}
LText = Annotated[Text, BeforeValidator(_to_text), WithJsonSchema(_TEXT_SCHEMA)]
# A proper name (a person's, a delegation's official name): never machine-translated, so it must be given in
# every language of the set; the schema marks such fields with "x-proper-name".
ProperName = Annotated[Text, BeforeValidator(_to_name), WithJsonSchema({**_TEXT_SCHEMA, "x-proper-name": True})]
Ident = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
# A delegation id used elsewhere in the record (owner, positions): must name one of its delegations.
DelegationRef = Annotated[str, BeforeValidator(_known_delegation), Field(pattern=r"^[a-z0-9][a-z0-9-]*$",
                                                                          max_length=64)]
Day = Annotated[dt.date, BeforeValidator(_day),
                WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})]
MonthOrDay = Annotated[str, BeforeValidator(_month_or_day),
                       WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"})]


def _owned_shape(value: Any) -> Any:
    if not isinstance(value, list | dict):
        raise ValueError("expected a list of paragraphs, or one list per delegation id ({eg: [...], ru: [...]})")
    return value


# Paragraphs one delegation owns (talking points, notes): by delegation id, or a plain list, which is the
# host delegation's. Tagged so that an error inside either form names the field as the record wrote it.
Owned = Annotated[
    Annotated[list[LText], Tag("list")] | Annotated[dict[DelegationRef, list[LText]], Tag("dict")],
    Discriminator(lambda v: "list" if isinstance(v, list) else "dict"),
    BeforeValidator(_owned_shape),
]


def _validators(info: Any) -> list[Any]:
    """The functions of every BeforeValidator on a field, however its type nests them."""
    found, todo = [], [*getattr(info, "metadata", []), getattr(info, "annotation", None)]
    while todo:
        item = todo.pop()
        if isinstance(item, BeforeValidator):
            found.append(item.func)
        todo.extend(typing.get_args(item) if typing.get_args(item) else ())
        todo.extend(getattr(item, "__metadata__", ()))
    return found


def bare_type(tp: Any) -> Any:
    """The type inside Annotated and Optional; of a union of forms (a list, or a mapping by delegation), the
    mapping when there is one, else the first."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin not in (typing.Union, types.UnionType):
            return tp
        forms = [a for a in typing.get_args(tp) if a is not type(None)]
        tp = next((a for a in forms if typing.get_origin(bare_type(a)) is dict), forms[0])


def is_proper_name(info: Any) -> bool:
    """Whether a model field (pydantic FieldInfo) is a proper name, never machine-translated."""
    return _to_name in _validators(info)


def refers_to_delegation(info: Any) -> bool:
    """Whether a model field holds a delegation id of the record (owner)."""
    return _known_delegation in _validators(info)


def is_text(info: Any) -> bool:
    """Whether a model field holds localized text (a proper name or text to translate)."""
    return bool({_to_name, _to_text} & set(_validators(info)))


def _examples(fr: str, ru: str, ar: str) -> list[str]:
    """Examples of a text field, one per language in LANGUAGES order (the skeleton shows the record's own)."""
    return [dict(fr=fr, ru=ru, ar=ar)[lang] for lang in LANGUAGES]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Model):
    name: Annotated[ProperName, Field(
        description="The person's name in every language of the set, e.g. {ru: …, ar: …}: names are never "
                    "machine-translated.",
        examples=[{"fr": "Nizar Ben Néji", "ru": "Низар Бен Наджи", "ar": "نزار بن ناجي"}])]
    title: Annotated[LText | None, Field(
        description="The person's function.",
        examples=_examples("Ministre des Technologies de la communication",
                           "Министр технологий связи Тунисской Республики", "وزير تكنولوجيات الاتصال"))] = None


class Delegation(_Model):
    id: Annotated[Ident, Field(
        description="A short id for the delegation, used in file names, owner and positions: lowercase letters, "
                    "digits and '-'.", examples=["tn", "ru"])]
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="The delegation's country: two-letter "
                                  "ISO 3166-1 code in capitals.", examples=["TN", "RU", "EG"])]
    lang: Annotated[Lang, Field(description="The language of this delegation's brief.")]
    locale: Annotated[str | None, Field(
        description="Optional. The CLDR locale of its dates and digits; by default its language and country "
                    "(e.g. ar_TN: Latin digits, Maghreb month names).", examples=["ar_TN", "ar_EG"])] = None
    name: Annotated[ProperName | None, Field(
        description="Optional. The delegation's official name, when not its country's name (from CLDR); a proper "
                    "name, so in every language of the set.")] = None
    designation: Annotated[LText | None, Field(
        description="Optional. The delegation as running text names it, nominative, without article; the cover of "
                    "its brief then reads «Для российской делегации», «أعدت للوفد المصري», «À l'intention de la "
                    "délégation égyptienne» (without it, a form with the country's name).",
        examples=_examples("délégation égyptienne", "египетская делегация", "الوفد المصري"))] = None
    issuer: Annotated[LText | None, Field(
        description="Optional. The ministry that issues this delegation's brief, printed on its cover; by default "
                    "the record's host.")] = None
    head: Annotated[Person, Field(description="The head of delegation: name and title.")]
    members: Annotated[list[Person], Field(description="Optional. The other members, each with name and title "
                                                       "like the head.")] = []

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
    text: Annotated[LText, Field(description="What is to be done.", examples=_examples(
        "Préparer une étude de faisabilité du centre.", "Подготовить технико-экономическое обоснование центра.",
        "إعداد دراسة جدوى للمركز."))]
    owner: Annotated[DelegationRef, Field(description="The delegation that acts: one of the record's delegation "
                                                      "ids.", examples=["tn"])]
    due: Annotated[Day | None, Field(description="Optional. When it is due, YYYY-MM-DD.",
                                     examples=["2024-09-30"])] = None


class AgendaItem(_Model):
    id: Annotated[Ident, Field(
        description="A short id for the item (the paragraphs' ids are made from it): lowercase letters, digits "
                    "and '-'.", examples=["cybersecurity", "e-government"])]
    title: Annotated[LText, Field(description="The item's title.", examples=_examples(
        "Coopération dans le domaine de la cybersécurité", "Сотрудничество в области кибербезопасности",
        "التعاون في مجال الأمن السيبراني"))]
    background: Annotated[list[LText], Field(description="Optional. Facts every delegation may read, one "
                                                         "paragraph per item.")] = []
    points: Annotated[Owned, Field(
        description="Optional. Talking points, each delegation's own, by delegation id ({tn: […], ru: […]}); a "
                    "plain list is the host delegation's (host_delegation). Printed only in the owner's brief "
                    "and the master.")] = []
    notes: Annotated[Owned, Field(
        description="Optional. Notes for one delegation's eyes only, by delegation id like points (a plain list: "
                    "the host delegation's). Printed only in the owner's brief and the master.")] = []
    positions: Annotated[dict[DelegationRef, list[LText]], Field(
        description="Optional. Each delegation's expected position, by delegation id, one paragraph per item; "
                    "a delegation's own brief leaves its own out.")] = {}
    outcomes: Annotated[list[LText], Field(description="Optional. What was agreed, one outcome per item.")] = []
    actions: Annotated[list[Action], Field(description="Optional. Follow-up actions: text, owner, due.")] = []

    def owned(self, part: str, host: str | None) -> dict[str, list[Text]]:
        """``points`` or ``notes`` by owning delegation id; a plain list belongs to ``host``."""
        value = getattr(self, part)
        return {host: value} if isinstance(value, list) else value


class Contact(_Model):
    date: Annotated[MonthOrDay, Field(description="When, YYYY-MM or YYYY-MM-DD.", examples=["2024-03"])]
    text: Annotated[LText, Field(description="What happened.", examples=_examples(
        "Visite du ministre à Tunis.", "Визит министра в Тунис.", "زيارة الوزير إلى تونس."))]


class Record(_Model):
    """A meeting record: one YAML file, one set of briefing notes (a brief per delegation and a master copy)."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80,
                             description="The record's id, in file names and in the document symbol "
                                         "<id>/v<version>: lowercase letters, digits and '-'.",
                             examples=["tn-ru-2024-06-05"])]
    version: Annotated[int, Field(ge=1, description="The record's version: raise it when the record changes after "
                                                    "the briefs went out (symbol <id>/v2).", examples=[1])] = 1
    source_lang: Annotated[Lang, Field(description="The language the record is written in: its plain texts are "
                                                   "in it and are translated for each delegation.")]
    title: Annotated[LText, Field(description="The meeting's title, as on the cover.", examples=_examples(
        "Entretien bilatéral des ministres chargés du numérique",
        "Российско-тунисские переговоры по вопросам цифрового развития",
        "لقاء ثنائي بين وزيري تكنولوجيا المعلومات والاتصالات"))]
    date: Annotated[Day, Field(description="The day of the meeting, YYYY-MM-DD.", examples=["2024-06-05"])]
    venue: Annotated[LText, Field(description="Where the meeting takes place: city or building.",
                                  examples=_examples("Tunis", "Санкт-Петербург", "القاهرة"))]
    country: Annotated[str | None, Field(pattern=r"^[A-Z]{2}$", description="The country of the venue: "
                                         "two-letter ISO 3166-1 code in capitals.", examples=["RU"])] = None
    occasion: Annotated[LText | None, Field(description="Optional. The event the meeting is part of.",
                                            examples=_examples(
        "En marge du Forum économique international de Saint-Pétersbourg",
        "На полях Петербургского международного экономического форума",
        "على هامش منتدى سانت بطرسبرغ الاقتصادي الدولي"))] = None
    classification: Annotated[LText | None, Field(
        description="Optional. The handling marking printed on every page.",
        examples=_examples("Usage officiel", "Для служебного пользования", "للاستخدام الرسمي"))] = None
    host: Annotated[LText | None, Field(
        description="Optional. The ministry that issues the briefs, on the cover.",
        examples=_examples("Ministère des Technologies de la communication",
                           "Министерство цифрового развития, связи и массовых коммуникаций Российской Федерации",
                           "وزارة الاتصالات وتكنولوجيا المعلومات"))] = None
    host_delegation: Annotated[DelegationRef | None, Field(
        description="Optional. The host's delegation id: talking points and notes given as a plain list are its "
                    "own. Not needed when the record has one delegation, or one whose brief is in the record's "
                    "language (the officer's own).", examples=["tn"])] = None
    purpose: Annotated[list[LText], Field(description="Optional. Why the meeting is held, one paragraph per "
                                                      "item.")] = []
    delegations: Annotated[list[Delegation], Field(min_length=1, description="The delegations: each gets a brief "
                                                                             "in its own language.")]
    agenda: Annotated[list[AgendaItem], Field(min_length=1, description="The agenda items, in order.")]
    previous_contacts: Annotated[list[Contact], Field(description="Optional. Earlier contacts between the "
                                                                  "sides, one paragraph each.")] = []

    @property
    def host_id(self) -> str | None:
        """The host delegation, owner of talking points and notes given as a plain list: the one the record
        names, else its only delegation, else the only one whose brief is in the record's language (the
        officer writes in their own). None when that does not settle it: a plain list is then refused, since
        a guess could hand one side's talking points to the other."""
        if self.host_delegation is not None:
            return self.host_delegation
        own = [d.id for d in self.delegations if d.lang == self.source_lang]
        return self.delegations[0].id if len(self.delegations) == 1 else own[0] if len(own) == 1 else None

    @model_validator(mode="after")
    def _cross_checks(self) -> Record:
        from .limits import too_long

        over = too_long(self)
        if over is not None:
            raise FieldError(*over)
        _unique("delegations", [d.id for d in self.delegations])
        _unique("agenda", [a.id for a in self.agenda])
        known = {d.id for d in self.delegations}
        if self.host_delegation is not None and self.host_delegation not in known:
            raise FieldError(("host_delegation",),
                             f"unknown delegation '{self.host_delegation}' (known: {', '.join(sorted(known))})")
        for i, item in enumerate(self.agenda):
            for j, action in enumerate(item.actions):
                if action.owner not in known:
                    raise FieldError(("agenda", i, "actions", j, "owner"),
                                      f"unknown delegation '{action.owner}' (known: {', '.join(sorted(known))})")
            for part in ("positions", "points", "notes"):
                value = getattr(item, part)
                for who in value if isinstance(value, dict) else ():
                    if who not in known:
                        raise FieldError(("agenda", i, part, who),
                                         f"unknown delegation '{who}' (known: {', '.join(sorted(known))})")
                if part != "positions" and isinstance(value, list) and value and self.host_id is None:
                    ids = sorted(known)
                    raise FieldError(("agenda", i, part),
                                     f"whose {'talking points' if part == 'points' else 'notes'} are these? give them "
                                     f"by delegation ({part}: {{{ids[0]}: [...], {ids[1]}: [...]}}), or name the "
                                     f"host's delegation at the top of the record (host_delegation: {ids[0]})")
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

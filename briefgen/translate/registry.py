"""Which model serves which direction: ``briefgen/translate/models.toml``, overridable per direction by the user.

The user's file (``BRIEFGEN_REGISTRY``, else ``registry.toml`` in the models folder) has the packaged layout;
each ``[directions.X]`` table there replaces the packaged one as a whole, so an override never mixes fields
of two models.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, ModelError
from .preprocess import DEFAULTS, Preprocessing

PACKAGED = Path(__file__).resolve().parent / "models.toml"
USER_FILE = "registry.toml"
FAMILIES = ("marian", "m2m100", "nllb")
DIRECTION = re.compile(r"^([a-z]{2,3})-([a-z]{2,3})$")
# NLLB names languages with script; M2M100 with __xx__ tokens (both derived when the registry omits them).
NLLB_CODES = {"fr": "fra_Latn", "ru": "rus_Cyrl", "ar": "arb_Arab", "en": "eng_Latn"}
_MODEL_KEYS = {"family", "hub_id", "revision", "prefix", "src_token", "tgt_token", "licence", "score", "size",
               "note", "attribution", "card", "check_source", "check_reference"}


def parse_direction(text: str) -> tuple[str, str]:
    m = DIRECTION.match(text.strip().lower())
    if not m or m.group(1) == m.group(2):
        raise InputError(f"'{text}' is not a translation direction; write it as source-target, e.g. fr-ru")
    return m.group(1), m.group(2)


@dataclass(frozen=True)
class ModelEntry:
    """One checkpoint serving one direction, with the tokens that steer it."""

    direction: str
    family: str
    hub_id: str
    revision: str = "main"
    prefix: str | None = None
    src_token: str | None = None
    tgt_token: str | None = None
    licence: str = ""
    score: str = ""
    size: str = ""
    note: str = ""
    attribution: str = ""
    card: str = ""
    check_source: str = ""        # a sentence and the model's own published output for it (card, maintainers)
    check_reference: str = ""

    @property
    def slug(self) -> str:
        """Folder name of the installed model: one folder per checkpoint, shared by the directions it serves."""
        return self.hub_id.replace("/", "--")

    def tokens(self) -> list[str]:
        """Tokens that must exist in the model's vocabulary for this entry to work."""
        return [t for t in (self.prefix, self.src_token, self.tgt_token) if t]


@dataclass(frozen=True)
class Route:
    direction: str
    model: ModelEntry | None = None      # a direct model, or
    pivot: str | None = None             # a language to translate through
    licence: str = ""
    score: str = ""

    @property
    def src(self) -> str:
        return self.direction.split("-")[0]

    @property
    def tgt(self) -> str:
        return self.direction.split("-")[1]


@dataclass
class Registry:
    routes: dict[str, Route]
    alternatives: list[ModelEntry] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)
    families: dict[str, Preprocessing] = field(default_factory=lambda: dict(DEFAULTS))

    def preprocessing(self, entry: ModelEntry) -> Preprocessing:
        """The normalisation the entry's model family was trained with (``[families.X]``)."""
        return self.families.get(entry.family, DEFAULTS[entry.family])

    def route(self, src: str, tgt: str) -> Route:
        direction = f"{src}-{tgt}"
        route = self.routes.get(direction)
        if route is None:
            files = ", ".join(str(p) for p in self.sources)
            raise ModelError(f"no model is registered for {src}→{tgt} (registry: {files}); "
                             f"add a [directions.{direction}] table to {USER_FILE} in the models folder")
        return route

    def legs(self, src: str, tgt: str) -> list[ModelEntry]:
        """The models a direction needs, in the order they run (two for a pivot)."""
        route = self.route(src, tgt)
        if route.pivot:
            return [self._direct(src, route.pivot, route), self._direct(route.pivot, tgt, route)]
        assert route.model is not None
        return [route.model]

    def _direct(self, src: str, tgt: str, via: Route) -> ModelEntry:
        leg = self.route(src, tgt)
        if leg.model is None:
            raise ModelError(f"{via.direction} pivots through {via.pivot}, but {leg.direction} is itself a pivot; "
                             "a pivot leg must name a model")
        return leg.model

    def directions(self, languages: tuple[str, ...]) -> list[str]:
        """The directions among ``languages``, in a stable order."""
        return [f"{s}-{t}" for s in languages for t in languages if s != t and f"{s}-{t}" in self.routes]

    def models_for(self, directions: list[str]) -> list[ModelEntry]:
        """Distinct checkpoints behind ``directions`` (pivot legs included), first use first."""
        seen: dict[str, ModelEntry] = {}
        for d in directions:
            for leg in self.legs(*parse_direction(d)):
                seen.setdefault(leg.slug, leg)
        return list(seen.values())


def user_registry_path(models: Path) -> Path | None:
    env = os.environ.get("BRIEFGEN_REGISTRY")
    if env:
        path = Path(env)
        if not path.is_file():
            raise InputError("BRIEFGEN_REGISTRY names a file that does not exist", path=path)
        return path
    path = models / USER_FILE
    return path if path.is_file() else None


def load_registry(models: Path, packaged: Path = PACKAGED) -> Registry:
    """The packaged registry with the user's override applied."""
    data = _read(packaged)
    routes = _routes(data, packaged)
    alternatives = _alternatives(data, packaged)
    families = {**DEFAULTS, **_families(data, packaged)}
    sources = [packaged]
    user = user_registry_path(models)
    if user is not None:
        extra = _read(user)
        routes.update(_routes(extra, user))
        alternatives += _alternatives(extra, user)
        families.update(_families(extra, user))
        sources.append(user)
    registry = Registry(routes, alternatives, sources, families)
    for route in routes.values():      # a bad pivot is found now, not in the middle of a build
        if route.pivot:
            registry.legs(route.src, route.tgt)
    return registry


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise InputError(f"cannot read the model registry ({exc.strerror})", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path=path) from exc


def _routes(data: dict[str, Any], path: Path) -> dict[str, Route]:
    tables = data.get("directions", {})
    if not isinstance(tables, dict):
        raise InputError("[directions] must be a table of direction tables", path=path)
    out: dict[str, Route] = {}
    for direction, table in tables.items():
        where = f"directions.{direction}"
        src, tgt = _direction(direction, path, where)
        if not isinstance(table, dict):
            raise InputError("must be a table", path=path, field=where)
        pivot = table.get("pivot")
        if pivot is not None:
            unknown = set(table) - {"pivot", "licence", "score", "note"}
            if unknown:
                raise InputError(f"a pivot route takes no model fields ({', '.join(sorted(unknown))})",
                                 path=path, field=where)
            if not isinstance(pivot, str) or pivot in (src, tgt):
                raise InputError("pivot must be a third language code", path=path, field=where)
            out[f"{src}-{tgt}"] = Route(f"{src}-{tgt}", pivot=pivot, licence=str(table.get("licence", "")),
                                        score=str(table.get("score", "")))
        else:
            entry = _entry(table, src, tgt, path, where)
            out[f"{src}-{tgt}"] = Route(f"{src}-{tgt}", model=entry, licence=entry.licence, score=entry.score)
    return out


def _families(data: dict[str, Any], path: Path) -> dict[str, Preprocessing]:
    out: dict[str, Preprocessing] = {}
    for family, table in data.get("families", {}).items():
        where = f"families.{family}"
        if family not in FAMILIES:
            raise InputError(f"family '{family}' is not one of {', '.join(FAMILIES)}", path=path, field=where)
        if not isinstance(table, dict) or set(table) - {"preprocess", "arabic"}:
            raise InputError("takes only 'preprocess' and 'arabic' (lists of step names)", path=path, field=where)
        steps, arabic = table.get("preprocess", []), table.get("arabic", [])
        if not all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in (steps, arabic)):
            raise InputError("'preprocess' and 'arabic' must be lists of step names", path=path, field=where)
        try:
            out[family] = Preprocessing(tuple(steps), tuple(arabic))
        except ValueError as exc:
            raise InputError(str(exc), path=path, field=where) from None
    return out


def _alternatives(data: dict[str, Any], path: Path) -> list[ModelEntry]:
    out: list[ModelEntry] = []
    for i, table in enumerate(data.get("alternatives", [])):
        where = f"alternatives[{i}]"
        if not isinstance(table, dict):
            raise InputError("must be a table", path=path, field=where)
        rest = {k: v for k, v in table.items() if k != "directions"}
        for direction in table.get("directions", []):
            out.append(_entry(rest, *_direction(direction, path, where), path, where))
    return out


def _direction(text: str, path: Path, where: str) -> tuple[str, str]:
    try:
        return parse_direction(text)
    except InputError as exc:
        raise InputError(exc.detail, path=path, field=where) from None


def _entry(table: dict[str, Any], src: str, tgt: str, path: Path, where: str) -> ModelEntry:
    unknown = set(table) - _MODEL_KEYS
    if unknown:
        raise InputError(f"unknown field(s) {', '.join(sorted(unknown))}", path=path, field=where)
    for key in ("family", "hub_id"):
        if not isinstance(table.get(key), str) or not table[key]:
            raise InputError(f"'{key}' is required", path=path, field=where)
    family = table["family"]
    if family not in FAMILIES:
        raise InputError(f"family '{family}' is not one of {', '.join(FAMILIES)}", path=path, field=where)
    values = {k: str(v) for k, v in table.items()}
    if family == "m2m100":
        values.setdefault("src_token", f"__{src}__")
        values.setdefault("tgt_token", f"__{tgt}__")
    elif family == "nllb":
        values.setdefault("src_token", NLLB_CODES.get(src, ""))
        values.setdefault("tgt_token", NLLB_CODES.get(tgt, ""))
        if not values["src_token"] or not values["tgt_token"]:
            raise InputError("nllb entries outside fr/ru/ar/en need src_token and tgt_token", path=path,
                             field=where)
    return ModelEntry(direction=f"{src}-{tgt}", **values)

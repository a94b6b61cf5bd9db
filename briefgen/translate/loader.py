"""Pick a backend by name; backends are imported only when asked for (torch stays out of ct2 builds).

Constructing a translator reads nothing: the registry and the models are opened when a direction is
first translated, so a build fully covered by the record and the memory needs no model at all.
"""

from __future__ import annotations

import importlib
from dataclasses import replace

from ..config import Settings
from ..errors import SetupError
from .base import Translator

# backend name -> (module, class); the module is imported on demand
BACKENDS = {"ct2": (".ct2", "CT2Translator"), "hf": (".hf", "HFTranslator")}


def make_translator(settings: Settings) -> Translator | None:
    if settings.backend is None:
        return None
    if settings.backend == "pseudo":
        from .pseudo import PseudoTranslator

        return PseudoTranslator()
    if settings.backend == "auto":   # ct2 opens no model until a segment needs one
        settings = replace(settings, backend="ct2")
    if settings.backend not in BACKENDS:
        raise SetupError(f"backend '{settings.backend}' is not available; choose one of ct2, hf, pseudo")
    from .compose import EngineOptions

    module, cls = BACKENDS[settings.backend]
    backend = getattr(importlib.import_module(module, __package__), cls)
    return backend(EngineOptions.from_settings(settings), settings.models)

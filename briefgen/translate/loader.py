"""Pick a backend by name; backends are imported only when asked for (torch stays out of ct2 builds)."""

from __future__ import annotations

from ..config import Settings
from .base import PseudoTranslator, Translator


def make_translator(settings: Settings) -> Translator | None:
    if settings.backend is None:
        return None
    if settings.backend == "pseudo":
        return PseudoTranslator()
    from ..errors import SetupError
    raise SetupError(f"backend '{settings.backend}' is not available in this version")

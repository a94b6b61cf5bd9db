"""Machine translation behind one interface; heavy backends are imported lazily by name."""

from .base import DictionaryTranslator, Translator

__all__ = ["DictionaryTranslator", "Translator"]

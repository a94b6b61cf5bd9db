"""briefgen: matched Arabic, Russian and French briefing notes from one meeting record.

The public API: ``load_record``, ``build``, ``Settings`` and the ``errors`` module. They are loaded on first
use, so ``import briefgen`` (and ``briefgen --help``) stays fast.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from . import errors
    from .config import Settings
    from .pipeline import build
    from .record.load import load_record

_LAZY = {"load_record": (".record.load", "load_record"), "build": (".pipeline", "build"),
         "Settings": (".config", "Settings"), "errors": (".errors", None)}

__all__ = ["Settings", "__version__", "build", "errors", "load_record"]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = _LAZY[name]
    loaded = importlib.import_module(module, __name__)
    return loaded if attr is None else getattr(loaded, attr)

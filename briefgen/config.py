"""Settings shared by the CLI and the API: one defaults table, no import-time side effects."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

LANGUAGES = ("fr", "ru", "ar")
RTL_LANGUAGES = frozenset({"ar"})
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def templates_dir() -> Path:
    return Path(os.environ.get("BRIEFGEN_TEMPLATES", PROJECT_ROOT / "templates"))


def glossaries_dir() -> Path:
    return Path(os.environ.get("BRIEFGEN_GLOSSARIES", PROJECT_ROOT / "glossaries"))


# A memory named by one of these is a PostgreSQL database (kept as text), anything else an SQLite file.
MEMORY_URL_SCHEMES = ("postgresql://", "postgres://")


def memory_path() -> Path | str:
    """BRIEFGEN_MEMORY: an SQLite file (default: in the user's data folder) or a ``postgresql://`` URL."""
    env = os.environ.get("BRIEFGEN_MEMORY")
    if env and env.lower().startswith(MEMORY_URL_SCHEMES):
        return env
    return Path(env) if env else Path(user_data_dir("briefgen")) / "memory.sqlite"


def models_dir() -> Path:
    env = os.environ.get("BRIEFGEN_MODELS")
    return Path(env) if env else Path(user_cache_dir("briefgen")) / "models"


@dataclass
class Settings:
    """Everything that changes a build. Defaults here are the documented defaults of the CLI."""

    out_dir: Path = Path("out")
    backend: str | None = None          # auto|ct2|hf|pseudo; None: record and memory only (the library default)
    device: str = "cpu"
    beam_size: int = 4
    threads: int = 0                    # 0: the backend's own choice
    batch_size: int = 16
    hf_dtype: str = "float32"           # hf backend weights; float16/bfloat16 only with a CUDA device
    use_memory: bool = True
    memory: Path | str = field(default_factory=memory_path)   # str: a postgresql:// URL
    models: Path = field(default_factory=models_dir)
    glossaries: list[Path] = field(default_factory=list)   # user layers, after the shipped ones
    use_glossary: bool = True
    term_strategy: str = "auto"         # auto|repair|inline|placeholder: the first tried per leg (glossed.py)
    pdf_variant: str = "pdf/ua-1"
    parallel: bool = False
    html: bool = False
    jobs: int = 0                       # processes rendering PDFs side by side; 0: one per CPU
    reuse_output: bool = True           # keep the set in out_dir when it is exactly what this build would write
    accept_qa_errors: bool = False      # the set is to be sent despite its QA errors: recorded in the manifest

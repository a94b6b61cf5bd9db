"""Shared fixtures: every test gets its own memory and models folder; the example is built once."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_support import Cluster
from tinymodels import TinyModels, build_tiny_models, build_vocab_models

# No test may reach the network: the Hugging Face libraries stay offline even in session fixtures.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "meetings" / "eg-ru-2019-06-09.yaml"

# Nothing the suite runs may touch the user's own folders (their memory, their models, caches): from here on,
# before any session fixture builds anything, HOME and the XDG folders are one temporary folder, removed at
# the end; each test then gets a HOME, a memory and a models folder of its own (_isolated).
SESSION_HOME = Path(tempfile.mkdtemp(prefix="briefgen-tests-home-"))
XDG = {"XDG_DATA_HOME": ".local/share", "XDG_CONFIG_HOME": ".config", "XDG_CACHE_HOME": ".cache",
       "XDG_STATE_HOME": ".local/state"}
os.environ["HOME"] = str(SESSION_HOME)
for _var, _sub in XDG.items():
    os.environ[_var] = str(SESSION_HOME / _sub)
os.environ["BRIEFGEN_MEMORY"] = str(SESSION_HOME / "memory.sqlite")
os.environ["BRIEFGEN_MODELS"] = str(SESSION_HOME / "models")
atexit.register(shutil.rmtree, SESSION_HOME, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):   # the caches stay the session's
        monkeypatch.setenv(var, str(home / XDG[var]))
    monkeypatch.setenv("BRIEFGEN_MEMORY", str(home / "memory.sqlite"))
    monkeypatch.setenv("BRIEFGEN_MODELS", str(home / "models"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


def pdf_text(path: Path) -> str:
    """All text of a PDF, NFKC-normalized (Arabic presentation forms become plain letters)."""
    from pypdf import PdfReader

    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() or "" for p in PdfReader(path).pages))


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """out/<record-id> of one build of the example record, from its shipped translations only."""
    from briefgen.cli import main

    home = tmp_path_factory.mktemp("example")
    old = os.environ.get("BRIEFGEN_MEMORY")
    os.environ["BRIEFGEN_MEMORY"] = str(home / "memory.sqlite")
    try:
        assert main(["build", str(EXAMPLE), "--out", str(home / "out"), "--html"]) == 0
    finally:
        if old is None:
            os.environ.pop("BRIEFGEN_MEMORY")
        else:
            os.environ["BRIEFGEN_MEMORY"] = old
    return home / "out" / "eg-ru-2019-06-09"


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    """Tiny random-weight Marian and M2M100 models, installed once per session (see tests/tinymodels.py)."""
    return build_tiny_models(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def vocab_models(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    """Random-weight models on the real tc-big fr→en and base ar→fr tokenizers, installed once per session."""
    return build_vocab_models(tmp_path_factory.mktemp("vocab"))


# --- extra sets for the document-design and verify tests (helpers in design_support.py) ---------------

@pytest.fixture(scope="session")
def parallel_pdfa_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built with --parallel --pdf-variant pdf/a-3u --html."""
    from design_support import build

    home = tmp_path_factory.mktemp("parallel")
    return build(EXAMPLE, home, "--parallel", "--pdf-variant", "pdf/a-3u", "--html")


@pytest.fixture(scope="session")
def variant_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example without its optional sections and with both sides' expected positions (eg-ru-variant)."""
    from design_support import build, example_copy, without_optional_sections

    home = tmp_path_factory.mktemp("variant")
    return build(example_copy(home / "record", without_optional_sections, "eg-ru-variant"), home, "--html")


@pytest.fixture(scope="session")
def modified_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with one sentence (purpose 1) changed, built to another folder: same file names."""
    from design_support import build, change_one_sentence, example_copy

    home = tmp_path_factory.mktemp("modified")
    return build(example_copy(home / "record", change_one_sentence), home)


@pytest.fixture
def copy(example_build: Path, tmp_path: Path) -> Path:
    """A private copy of the example set, to damage (verify tests)."""
    import shutil

    target = tmp_path / example_build.name
    shutil.copytree(example_build, target)
    return target


# --- terminology with the honest double (test_terms_survive.py, test_glossary.py) -------------------------

RECORDS = ROOT / "tests" / "data" / "records"
PSEUDO_RECORDS = (EXAMPLE, RECORDS / "ru-dz-2024-05-14.yaml", RECORDS / "eg-ru-sn-2024-11-20.yaml")


@pytest.fixture(scope="session")
def pseudo_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """out/<record-id> of the example and the Russian- and Arabic-source test records, each built with the
    honest double (--backend pseudo) and no memory: fr→ru, fr→ar (via en), ru→fr, ar→ru, ar→fr. Each record
    is copied with its glossary but without its .tmx, which a build prints even without the memory: every
    text is drafted."""
    import io

    from briefgen.cli import main

    home = tmp_path_factory.mktemp("pseudo")
    out = {}
    for original in PSEUDO_RECORDS:
        record = home / "records" / original.name
        record.parent.mkdir(exist_ok=True)
        shutil.copy(original, record)
        if original.with_suffix(".glossary.tsv").is_file():
            shutil.copy(original.with_suffix(".glossary.tsv"), record.with_suffix(".glossary.tsv"))
        # the double's drafts have QA errors (that is what it is for): the set is accepted to be read back
        assert main(["build", str(record), "--out", str(home), "--backend", "pseudo", "--no-memory",
                     "--accept-qa-errors"],
                    stdout=io.StringIO(), stderr=io.StringIO()) == 0
        out[original.stem] = home / original.stem
    return out


# --- a real PostgreSQL server (tests/pg_support.py) ----------------------------------------------------------

@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One test server for the session, in a temporary folder, stopped and removed at the end."""
    cluster = Cluster()
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def pg_db(pg_cluster: Cluster) -> str:
    """A fresh empty database on the test server (its name)."""
    return pg_cluster.new_database()

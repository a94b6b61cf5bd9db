"""Nobody's own memory is touched by a test run: the suite writes nothing outside its temporary folders, and
the read-only commands (and a build without the memory) write nothing in the user's folders either."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import EXAMPLE, ROOT
from platformdirs import user_cache_dir, user_data_dir

import briefgen
from briefgen.config import memory_path, models_dir


def _env(home: Path) -> dict[str, str]:
    """The environment of a user whose HOME and data folder are ``home``, with no BRIEFGEN_* settings, running
    the briefgen this test imports."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFGEN_", "XDG_"))}
    env |= {"HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(briefgen.__file__).parents[1]),
                                                        os.environ.get("PYTHONPATH")]))}
    return env


def _inside(path: Path, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())


def test_every_test_has_its_home_memory_and_models_in_a_temporary_folder(monkeypatch) -> None:
    tmp = Path(tempfile.gettempdir())
    assert _inside(Path(os.environ["BRIEFGEN_MEMORY"]), tmp) and _inside(Path(os.environ["BRIEFGEN_MODELS"]), tmp)
    monkeypatch.delenv("BRIEFGEN_MEMORY")
    monkeypatch.delenv("BRIEFGEN_MODELS")
    for path in (Path.home(), Path(user_data_dir("briefgen")), Path(user_cache_dir("briefgen")), memory_path(),
                 models_dir()):
        assert _inside(path, tmp), path


def test_read_only_commands_and_a_build_without_memory_write_nothing_in_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    shutil.copy(EXAMPLE.with_suffix(".tmx"), tmp_path / EXAMPLE.with_suffix(".tmx").name)
    record = tmp_path / EXAMPLE.name
    out = tmp_path / "out"
    for argv in (["check", str(record)],
                 ["review", "export", str(record), "--lang", "ru", "-o", str(tmp_path / "ru.xlf")],
                 ["build", str(record), "--out", str(out), "--no-memory", "--backend", "none",
                  "--pdf-variant", "none"],
                 ["verify", str(out / "eg-ru-2019-06-09"), "--record", str(record)],
                 ["schema"], ["doctor"]):
        done = subprocess.run([sys.executable, "-m", "briefgen", *argv], env=_env(home), cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode in (0, 1), (argv, done.stderr)
        assert not list(home.iterdir()), (argv, sorted(str(p) for p in home.rglob("*")))


def test_the_suite_run_with_an_empty_home_writes_nothing_there(tmp_path: Path) -> None:
    """A part of the suite that builds, reviews and imports, run as a user would run it: HOME and the data
    folder are an empty folder, which stays empty."""
    home = tmp_path / "home"
    home.mkdir()
    tests = ["tests/test_provenance.py::test_a_review_imported_for_one_copy_does_not_override_another_copys_own_tmx",
             "tests/test_memory_failures.py"]
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--basetemp",
                           str(tmp_path / "basetemp"), *tests], env=_env(home), cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
    assert not list(home.iterdir()), sorted(str(p) for p in home.rglob("*"))

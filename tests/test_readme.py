"""The README a newcomer reads: short, every command it shows accepted as shown, every link to a file that exists."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from briefgen.cli.main import _parser

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _shell_lines() -> list[str]:
    """The command lines of the README's ```sh blocks, comments cut off."""
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S):
        for line in block.splitlines():
            command = line.split("#", 1)[0].strip()
            if command:
                lines.append(command)
    return lines


def test_the_readme_is_at_most_250_lines() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 250


def test_every_file_the_readme_links_exists() -> None:
    targets = re.findall(r"\]\(([^)#]+)", README.read_text(encoding="utf-8"))
    assert targets, "the README links its docs"
    assert [t for t in targets if not (ROOT / t).is_file()] == []


@pytest.mark.parametrize("line", [line for line in _shell_lines() if line.startswith("briefgen ")])
def test_every_briefgen_command_the_readme_shows_is_accepted(line: str) -> None:
    # argparse exits 2 on an unknown command or option: the command would not run as shown
    _parser().parse_args(shlex.split(line)[1:])


def test_every_make_target_the_readme_shows_exists() -> None:
    targets = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), flags=re.M))
    shown = {line.split()[1] for line in _shell_lines() if line.startswith("make ")}
    assert {"setup", "briefs", "test"} <= shown
    assert shown - targets == set()

"""Helpers for the desk's tests: a copy of the example with Arabic texts left missing, the desk started as a
user starts it (`briefgen review serve` in its own process), and a headless Chromium from Debian's packages."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT
from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def example_missing(folder: Path, missing: tuple[str, ...]) -> Path:
    """The example record and its .tmx in ``folder``, without the Arabic translations of ``missing``."""
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / EXAMPLE.name
    record.write_bytes(EXAMPLE.read_bytes())
    tree = etree.parse(str(EXAMPLE.with_suffix(".tmx")))
    for seg_id in missing:
        tu = tree.find(f".//tu[@tuid='{seg_id}']")
        for tuv in tu.findall("tuv"):
            if tuv.get(XML_LANG) == "ar":
                tu.remove(tuv)
    tree.write(str(record.with_suffix(".tmx")), encoding="UTF-8", xml_declaration=True)
    return record


def tmx_text(tmx: Path, seg_id: str, lang: str) -> tuple[str, str] | None:
    """(text, signature) of a segment's translation in a .tmx, or None."""
    tu = etree.parse(str(tmx)).find(f".//tu[@tuid='{seg_id}']")
    if tu is None:
        return None
    for tuv in tu.findall("tuv"):
        if tuv.get(XML_LANG) == lang:
            sig = tuv.find("prop[@type='x-briefgen-signature']")
            if sig is None:
                sig = tu.find("prop[@type='x-briefgen-signature']")
            return tuv.findtext("seg"), (sig.text if sig is not None else "")
    return None


def plain(text: str) -> str:
    """Text compared as letters: NFKC (Arabic presentation forms become letters), no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class Served:
    url: str              # the printed address, token included
    base: str             # http://127.0.0.1:port
    process: subprocess.Popen
    record: Path


@contextmanager
def serve(record: Path, out: Path, *extra: str) -> Iterator[Served]:
    """`briefgen review serve` in its own process, stopped with Ctrl+C (SIGINT) at the end, which must end it
    cleanly (exit 0, its closing line printed)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "briefgen", "review", "serve", str(record), "--lang", "ar",
                                "--port", "0", "--out", str(out), *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = process.stdout.readline()
        assert "open http://127.0.0.1:" in first, first + process.stderr.read()
        url = first.split("open ", 1)[1].strip()
        base = url.split("/ar?", 1)[0]
        yield Served(url, base, process, record)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            rest, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0, err
    assert "desk stopped" in rest, rest + err
    assert "Traceback" not in err, err


def chromium(downloads: Path) -> object:
    """A headless Chromium driven by Selenium through Debian's chromedriver (no Selenium Manager, no network).
    Skips where no browser can start, unless BRIEFGEN_REQUIRE_BROWSER=1 (CI), where that is a failure."""
    os.environ["SE_OFFLINE"] = "true"
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:
        return _no_browser(f"selenium is not installed ({exc})")
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        return _no_browser(f"{CHROMIUM} or {CHROMEDRIVER} missing (make setup installs Debian's chromium and "
                           "chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="profile-", dir=downloads)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", f"--user-data-dir={profile}", "--lang=en-GB"):
        options.add_argument(arg)
    try:
        return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    except WebDriverException as exc:
        return _no_browser(f"Chromium did not start: {str(exc).splitlines()[0]}")


def _no_browser(why: str) -> None:
    if os.environ.get("BRIEFGEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"BRIEFGEN_REQUIRE_BROWSER=1 but no browser: {why}")
    pytest.skip(f"no browser: {why}")

"""What this machine has for building briefs: Python, WeasyPrint and Pango, the fonts, memory and models.

``run_checks`` returns plain results; the CLI prints them. A *required* check that fails means
`make briefs` cannot produce correct PDFs here (exit 2); the others are information (the translation
memory and models are optional: the example builds from the translations shipped beside it).
Collaborators (the font lister, the folders) are parameters, so tests can describe any machine.
"""

from __future__ import annotations

import logging
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import memory_path, models_dir

log = logging.getLogger(__name__)

# The faces the templates name (brief.css, rtl.css): a serif for Latin and Cyrillic, a Naskh for Arabic.
LATIN_FACES = ("Noto Serif",)
ARABIC_FACES = ("Amiri", "Noto Naskh Arabic")
APT_FONTS = "sudo apt-get install fonts-noto-core fonts-hosny-amiri fontconfig"
APT_PANGO = "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
MIN_PANGO = (1, 44)

FontLister = Callable[[], dict[str, set[str]]]   # family -> styles


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True
    fix: str | None = None


def run_checks(*, fonts: FontLister | None = None, memory: Path | str | None = None,
               models: Path | None = None) -> list[Check]:
    checks = [_python(), *_weasyprint()]
    checks.extend(_fonts((fonts or installed_fonts)()))
    checks.append(_memory(memory or memory_path()))
    checks.append(_models(models or models_dir()))
    checks.append(_poppler())
    return checks


def _python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check("Python", ok, platform.python_version() + ("" if ok else " (briefgen needs 3.11 or later)"),
                 fix=None if ok else "install Python 3.11 or later, then `make setup`")


def _weasyprint() -> list[Check]:
    try:
        import weasyprint
        from weasyprint.text.ffi import pango
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is installed but Pango is not
        return [Check("WeasyPrint", False, f"cannot be loaded: {exc}", fix=f"`make setup`; {APT_PANGO}")]
    raw = pango.pango_version()
    version = (raw // 10000, raw // 100 % 100, raw % 100)
    ok = version[:2] >= MIN_PANGO
    return [Check("WeasyPrint", True, weasyprint.__version__),
            Check("Pango", ok, ".".join(map(str, version)) + ("" if ok else " (WeasyPrint needs 1.44 or later)"),
                  fix=None if ok else APT_PANGO)]


def installed_fonts() -> dict[str, set[str]]:
    """Families and styles fontconfig knows: from `fc-list`, else by asking fontconfig through WeasyPrint."""
    if shutil.which("fc-list"):
        try:
            listing = subprocess.run(["fc-list", "--format", "%{family}\t%{style}\n"], capture_output=True,
                                     text=True, timeout=30, check=True).stdout
        except (OSError, subprocess.SubprocessError) as exc:
            log.info("fc-list failed (%s); asking fontconfig directly", exc)
        else:
            found: dict[str, set[str]] = {}
            for line in listing.splitlines():
                families, _, styles = line.partition("\t")
                for family in families.split(","):
                    found.setdefault(family.strip(), set()).update(s.strip() for s in styles.split(","))
            return found
    return _fontconfig_match((*LATIN_FACES, *ARABIC_FACES))


def _fontconfig_match(families: tuple[str, ...]) -> dict[str, set[str]]:
    """Which of ``families`` fontconfig resolves to themselves (not to a fallback face); styles unknown."""
    try:
        from weasyprint.text.ffi import ffi, fontconfig
    except (ImportError, OSError):
        return {}
    found: dict[str, set[str]] = {}
    config = fontconfig.FcInitLoadConfigAndFonts()
    try:
        for family in families:
            pattern = fontconfig.FcPatternCreate()
            fontconfig.FcPatternAddString(pattern, b"family", family.encode())
            fontconfig.FcConfigSubstitute(config, pattern, 0)
            fontconfig.FcDefaultSubstitute(pattern)
            match = fontconfig.FcFontMatch(config, pattern, ffi.new("FcResult *"))
            value = ffi.new("FcChar8 **")
            if (match != ffi.NULL and fontconfig.FcPatternGetString(match, b"family", 0, value) == 0
                    and ffi.string(value[0]).decode().casefold() == family.casefold()):
                found[family] = {"Regular", "Bold"}
            fontconfig.FcPatternDestroy(pattern)
            if match != ffi.NULL:
                fontconfig.FcPatternDestroy(match)
    finally:
        fontconfig.FcConfigDestroy(config)
    return found


def _has(fonts: dict[str, set[str]], family: str, bold: bool = False) -> bool:
    styles = next((s for f, s in fonts.items() if f.casefold() == family.casefold()), None)
    if styles is None:
        return False
    return not bold or any("bold" in s.casefold() for s in styles)


def _fonts(fonts: dict[str, set[str]]) -> list[Check]:
    out = []
    for family in LATIN_FACES:
        regular, bold = _has(fonts, family), _has(fonts, family, bold=True)
        detail = "regular and bold found" if regular and bold else (
            "bold missing (headings would be synthesized)" if regular else
            "not found: Latin and Cyrillic text would fall back to another face")
        out.append(Check(f"font {family}", regular and bold, detail, fix=None if regular and bold else APT_FONTS))
    arabic = [f for f in ARABIC_FACES if _has(fonts, f)]
    if arabic:
        detail = f"{arabic[0]} found" + (" (used first)" if arabic[0] == ARABIC_FACES[0] else
                                         f" ({ARABIC_FACES[0]} missing; {arabic[0]} is the fallback)")
    else:
        detail = f"neither {' nor '.join(ARABIC_FACES)} found: Arabic would use whatever face fontconfig picks"
    out.append(Check("font Arabic", bool(arabic), detail, fix=None if arabic else APT_FONTS))
    return out


def _memory(path: Path | str) -> Check:
    if isinstance(path, str):     # a department's PostgreSQL memory: reached read-only, its password masked
        return _shared_memory(path)
    state = f"{path.stat().st_size // 1024} KiB" if path.is_file() else "not created yet (made by the first build)"
    return Check("translation memory", True, f"{path} ({state}; BRIEFGEN_MEMORY to move it)", required=False)


def _shared_memory(url: str) -> Check:
    from .errors import SetupError
    from .memory.location import shown
    from .memory.store import Memory

    try:
        with Memory(url, read_only=True) as memory:
            detail = f"{memory.where} (PostgreSQL, reachable; BRIEFGEN_MEMORY to move it)"
    except SetupError as exc:
        return Check("translation memory", False, str(exc), required=False, fix=f"see docs/memory-postgresql.md "
                     f"({shown(url)})")
    return Check("translation memory", True, detail, required=False)


def _models(folder: Path) -> Check:
    """Which translation directions the installed models serve; a record needing another one stops unless
    its texts are covered (the record, its .tmx, the memory), which `briefgen check RECORD` tells."""
    try:
        folders = sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        folders = []
    installed, missing, used = installed_directions(folder)
    stops = ("a record needing {which} stops unless the record, its .tmx or the memory covers its texts "
             "(`briefgen check RECORD` says which)")
    install = "`make models` (networked machine) or `briefgen models install BUNDLE.tar` (offline)"
    other = [f for f in folders if f not in used]
    extra = f"; other folders: {', '.join(other)}" if other else ""
    if not installed:
        detail = f"{folder}: none installed, no translation direction available{extra}"
        fix = f"no translation model is installed: {stops.format(which='a translation')}; {install} installs them"
    elif missing:
        detail = f"{folder}: installed: {', '.join(installed)}; not installed: {', '.join(missing)}{extra}"
        fix = f"models are installed for {', '.join(installed)} only: {stops.format(which='another direction')}"
    else:
        return Check("models", True, f"{folder}: installed: {', '.join(installed)}{extra}", required=False)
    return Check("models", False, detail, required=False, fix=fix)


def installed_directions(folder: Path) -> tuple[list[str], list[str], set[str]]:
    """(directions whose every model is installed and whole, the other directions, the model folders used)."""
    from .config import LANGUAGES
    from .errors import BriefgenError
    from .translate.models import status
    from .translate.registry import load_registry

    try:
        registry = load_registry(folder)
    except BriefgenError as exc:
        log.warning("cannot read the model registry: %s", exc)
        return [], [], set()
    installed, missing, used = [], [], set()
    for direction in registry.directions(LANGUAGES):
        src, tgt = direction.split("-")
        legs = registry.legs(src, tgt)
        if all(status(folder, leg)[0].startswith("installed") for leg in legs):
            installed.append(f"{src}→{tgt}")
            used.update(leg.slug for leg in legs)
        else:
            missing.append(f"{src}→{tgt}")
    return installed, missing, used


def _poppler() -> Check:
    tools = [t for t in ("pdftoppm", "pdftotext", "pdffonts") if shutil.which(t)]
    ok = len(tools) == 3
    return Check("poppler-utils", ok, "found (the tests render pages with it)" if ok else
                 "missing: only the tests need it (sudo apt-get install poppler-utils)", required=False)

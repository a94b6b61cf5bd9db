"""Helpers for the document-design and verify tests: variant records, builds, reading PDFs and page images.

The session fixtures in conftest.py call these, so each extra set is built once per test run.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "meetings" / "eg-ru-2019-06-09.yaml"
MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
RID = "eg-ru-2019-06-09"

# The one sentence the "modified" record changes (purpose 1), supplied in every language.
CHANGED_PURPOSE = {
    "fr": "Convenir d'une coopération dans le domaine de la cybersécurité et d'un calendrier commun.",
    "ru": "Договориться о сотрудничестве в области кибербезопасности и о совместном графике.",
    "ar": "الاتفاق على التعاون في مجال الأمن السيبراني وعلى جدول زمني مشترك.",
}
# Expected positions of both sides, for the variant record.
POSITIONS = {
    "eg": {"fr": "L'Égypte souhaite que le centre soit opérationnel d'ici 2021.",
           "ru": "Египет хотел бы, чтобы центр заработал к 2021 году.",
           "ar": "تأمل مصر أن يبدأ المركز عمله بحلول عام 2021."},
    "ru": {"fr": "La Russie est prête à partager son expérience de la formation des spécialistes.",
           "ru": "Россия готова поделиться опытом подготовки специалистов.",
           "ar": "روسيا مستعدة لتبادل خبرتها في إعداد المتخصصين."},
}


def example_copy(folder: Path, mutate: Callable[[dict[str, Any]], None] | None = None,
                 name: str = RID) -> Path:
    """The example record (with its reviewed .tmx beside it) copied into ``folder``, changed by ``mutate``."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    if mutate is not None:
        mutate(data)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    shutil.copyfile(EXAMPLE.with_suffix(".tmx"), path.with_suffix(".tmx"))
    shutil.copyfile(EXAMPLE.with_suffix(".glossary.tsv"), path.with_suffix(".glossary.tsv"))   # its dossier
    return path


def change_one_sentence(data: dict[str, Any]) -> None:
    data["purpose"][0] = dict(CHANGED_PURPOSE)


def without_optional_sections(data: dict[str, Any]) -> None:
    """No purpose, occasion, classification, actions or previous contacts; both sides' expected positions."""
    data["id"] = "eg-ru-variant"
    for key in ("purpose", "occasion", "classification", "previous_contacts"):
        data.pop(key, None)
    for item in data["agenda"]:
        item.pop("actions", None)
    data["agenda"][0]["positions"] = {who: [dict(text)] for who, text in POSITIONS.items()}


@contextmanager
def memory_at(path: Path) -> Iterator[None]:
    """BRIEFGEN_MEMORY for a session-scoped build (monkeypatch is per test)."""
    old = os.environ.get("BRIEFGEN_MEMORY")
    os.environ["BRIEFGEN_MEMORY"] = str(path)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("BRIEFGEN_MEMORY")
        else:
            os.environ["BRIEFGEN_MEMORY"] = old


def build(record: Path, home: Path, *flags: str) -> Path:
    """Build ``record`` with the CLI into ``home``/out; returns out/<record-id>."""
    from briefgen.cli import main
    from briefgen.record.load import load_record

    out = io.StringIO()
    with memory_at(home / "memory.sqlite"):
        code = main(["build", str(record), "--out", str(home / "out"), *flags], stdout=out, stderr=out)
    assert code == 0, out.getvalue()
    return home / "out" / load_record(record).record.id


def rewrite_manifest(folder: Path, change: Callable[[dict[str, Any]], Any]) -> None:
    """Change a set's manifest.json in place (verify tests)."""
    import json

    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False))


def verify_problems(out: str) -> list[str]:
    """The difference lines of `briefgen verify` output, without its summary lines."""
    return [line for line in out.splitlines() if not line.endswith(("matched set", "difference(s)"))
            and ": matched set of" not in line]


def run_cli(args: list[str]) -> tuple[int, str, str]:
    from briefgen.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def run(*args: str) -> tuple[int, str, str]:
    """``run_cli`` with the command's words as arguments: ``run("check", path)``."""
    return run_cli(list(args))


def qa_rows(folder: Path) -> list[dict[str, str]]:
    """The rows of a set's qa.tsv, as dictionaries keyed by its header."""
    import csv

    with open(folder / "qa.tsv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def pdf_text(path: Path) -> str:
    """All text of a PDF, NFKC-normalized; cached, since several tests read the same sets."""
    stat = path.stat()
    return _pdf_text(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _pdf_text(path: Path, size: int, mtime: int) -> str:
    from pypdf import PdfReader

    return unicodedata.normalize("NFKC", "\n".join(p.extract_text() or "" for p in PdfReader(path).pages))


def page_images(pdf: Path, folder: Path, dpi: int = 40) -> list[Path]:
    """Every page of ``pdf`` as a PNG (poppler's pdftoppm), in page order."""
    folder.mkdir(parents=True, exist_ok=True)
    prefix = folder / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, timeout=120)
    return sorted(folder.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def minimal_context(terms: dict[str, list[dict[str, str]]] | None = None, record: Path = MINIMAL) -> Any:
    """A BriefContext from a record whose every text is supplied in all three languages (no memory)."""
    from briefgen.record.load import load_record
    from briefgen.record.segments import segments
    from briefgen.render.view import BriefContext

    rec = load_record(record).record
    segs = segments(rec)
    texts = {lang: {s.id: s.given[lang] for s in segs} for lang in ("fr", "ru", "ar")}
    return BriefContext(record=rec, segments=segs, texts=texts, signature="test-signature", version="0",
                        terms=terms or {})


@contextmanager
def tmpfs(folder: Path, size: str, owner: str | None = None) -> Iterator[Path]:
    """A small tmpfs mounted on ``folder`` (a real full disk or read-only medium; mounting needs root), owned
    by the system user ``owner`` when given (a server's own account)."""
    import uuid

    import pytest

    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs (a real full disk or read-only medium) needs root; CI runs as root")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", f"briefgen-test-{uuid.uuid4().hex[:8]}",
                           str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): a container without CAP_SYS_ADMIN")
    try:
        if owner is not None:
            import pwd

            user = pwd.getpwnam(owner)
            os.chown(folder, user.pw_uid, user.pw_gid)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)

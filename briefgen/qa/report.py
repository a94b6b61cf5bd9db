"""The QA report of a build: qa.tsv for tools, qa.html for a person (grouped by language and severity)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import jinja2

from ..config import templates_dir
from ..memory.provenance import ORIGINS
from ..textsafety import spreadsheet_cell
from .checks import SEVERITIES, Issue

TSV_COLUMNS = ("lang", "severity", "segment_id", "para", "code", "message", "origin", "source", "target")


def qa_tsv(issues: list[Issue]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(TSV_COLUMNS)
    for i in issues:
        row = i.row()
        writer.writerow([spreadsheet_cell(" ".join(row[c].split())) for c in TSV_COLUMNS])
    return buf.getvalue()


def qa_html(record_id: str, signature: str, issues: list[Issue], origin: dict[str, dict[str, str]],
            source_lang: str, folder: Path | None = None) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder or templates_dir()), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    langs = sorted(lang for lang in origin if lang != source_lang)
    # the master's language has issues too when its PDF prints a number wrongly (rendered-text check)
    shown = sorted(set(langs) | {i.lang for i in issues})
    groups = [{"lang": lang, "severity": sev, "issues": [i for i in issues if i.lang == lang and i.severity == sev]}
              for lang in shown for sev in SEVERITIES]
    status = {lang: {kind: sorted(sid for sid, o in origin[lang].items() if o == kind)
                     for kind in ORIGINS} for lang in langs}
    return env.get_template("qa.html.j2").render(record_id=record_id, signature=signature, groups=groups,
                                                 status=status, langs=langs, total=len(issues))

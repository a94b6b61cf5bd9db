"""Command line: parses arguments, sets up logging and progress bars, maps errors to exit codes.

No logic lives here: every command calls the library. Heavy modules are imported inside commands so
``briefgen --help`` stays fast and never imports torch.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from .. import __version__
from ..errors import BriefgenError
from .checks import register as register_checks
from .models import register as register_models

log = logging.getLogger("briefgen")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="briefgen",
        description="Matched Arabic, Russian and French briefing notes from one meeting record.")
    p.add_argument("--version", action="version", version=f"briefgen {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log what each stage does")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser("build", help="build the PDF briefs of one or more meeting records")
    b.add_argument("records", nargs="+", type=Path, metavar="RECORD", help="meeting record (.yaml)")
    b.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    b.add_argument("--backend", choices=["auto", "ct2", "hf", "pseudo", "none"], default="auto",
                   help="machine translation for segments the record and memory do not cover: auto (default) "
                        "uses ct2 with the installed models; none stops and lists them; pseudo is a test double")
    b.add_argument("--device", default="cpu", type=_device, help="cpu, cuda or cuda:N (ct2 backend)")
    b.add_argument("--beam-size", type=_at_least(1), default=4, help="beam size (default: 4; 1 is greedy)")
    b.add_argument("--threads", type=_at_least(0), default=0, help="CPU threads for translation (0: automatic)")
    b.add_argument("--hf-dtype", choices=["float32", "float16", "bfloat16"], default="float32",
                   help="weights of the hf backend; half precision only with --device cuda (default: float32)")
    b.add_argument("--no-memory", action="store_true", help="neither read nor write the translation memory")
    b.add_argument("--glossary", type=Path, action="append", default=[], metavar="FILE",
                   help="extra glossary layer (TSV or TBX) after the shipped ones; repeatable, later wins")
    b.add_argument("--no-glossary", action="store_true", help="translate without glossary enforcement")
    b.add_argument("--term-strategy", choices=["auto", "repair", "inline", "placeholder"], default="auto",
                   help="how glossary terms are enforced first (auto: repair the model's own rendering, then "
                        "protect only where that fails; the others follow where they can work)")
    b.add_argument("--pdf-variant", default="pdf/ua-1", choices=["pdf/ua-1", "pdf/a-3u", "none"])
    b.add_argument("--html", action="store_true", help="also write the HTML of each brief for a preview")
    b.add_argument("--force", action="store_true",
                   help="render the PDFs again even when the set in --out is up to date, and replace files of "
                        "the set changed since they were written (an annotated brief)")
    b.add_argument("--fail-on-qa", choices=["error", "warning"], default="error",
                   help="exit 1 when QA finds issues of this severity or worse (default: error; the briefs are "
                        "still written, for the reviewer)")
    b.add_argument("--accept-qa-errors", action="store_true",
                   help="send the set despite its QA errors: exit 0, and the manifest records that they were "
                        "accepted (verify then says so)")
    b.add_argument("--jobs", type=_at_least(0), default=0, metavar="N",
                   help="render PDFs in N processes side by side (default: one per CPU; 1: in this process)")
    b.add_argument("--parallel", action="store_true",
                   help="also write a parallel edition per delegation (source beside its language, for interpreters)")
    b.set_defaults(func=_cmd_build)

    from . import glossary, record, review

    record.register(sub)
    glossary.register(sub)
    review.register(sub)
    register_models(sub)
    register_checks(sub)
    return p


def _cmd_build(args: argparse.Namespace, out: TextIO) -> int:
    from ..config import Settings
    from ..pipeline import build_all
    from ..translate.loader import make_translator

    settings = Settings(out_dir=args.out, backend=None if args.backend == "none" else args.backend,
                        device=args.device, beam_size=args.beam_size, hf_dtype=args.hf_dtype,
                        threads=args.threads, use_memory=not args.no_memory, pdf_variant=args.pdf_variant,
                        html=args.html, glossaries=args.glossary, use_glossary=not args.no_glossary,
                        term_strategy=args.term_strategy, parallel=args.parallel,
                        reuse_output=not args.force, jobs=args.jobs, accept_qa_errors=args.accept_qa_errors)
    from ..qa.checks import fails
    from ..verify import qa_state

    translator = make_translator(settings)
    failed = False
    try:
        for result in build_all(args.records, settings, translator=translator, progress=_progress()):
            qa = ", ".join(f"{lang} {c['error']} error(s) {c['warning']} warning(s)"
                           for lang, c in sorted(result.manifest["qa"].items())) or "no issues"
            done = "up to date, nothing rendered" if result.reused else f"{len(result.files)} PDFs"
            print(f"{result.out_dir}: {done}; QA: {qa} (see qa.html)", file=out)
            state = qa_state(result.manifest)
            if state.errors and not state.accepted:
                print(f"briefgen: {result.out_dir}: {state.describe()}: not ready to send (see "
                      f"{result.out_dir / 'qa.html'}); {state.remedy()}", file=args.stderr)
                failed = True
            elif args.fail_on_qa == "warning":
                failed |= fails(result.issues, "warning")
    finally:
        if translator is not None:
            translator.close()
    return 1 if failed else 0


def _at_least(low: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be {low} or more, not {value}")
        return value

    return parse


def _device(text: str) -> str:
    if text == "cpu" or text == "cuda" or (text.startswith("cuda:") and text[5:].isdigit()):
        return text
    raise argparse.ArgumentTypeError(f"'{text}' is not a device: use cpu, cuda or cuda:N")


def _progress() -> Callable[[str, int, int], None] | None:
    """A tqdm bar per stage on a terminal; nothing in pipes and CI."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="seg" if "translate" in stage else "pdf",
                                     leave=False)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = _parser()
    args = parser.parse_args(argv)
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO if args.verbose else logging.WARNING)
    if args.command is None:
        parser.print_help(out)
        return 2
    args.stderr = err   # for commands that report warnings beside their result
    try:
        return args.func(args, out)
    except BriefgenError as exc:
        for line in exc.report(verbose=args.verbose):
            print(line, file=err)
        return exc.exit_code
    except OSError as exc:   # a folder that cannot be written, a disk that is full: the user can act on it
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"briefgen: error: {where}{exc.strerror or exc}", file=err)
        return 2
    except KeyboardInterrupt:
        print("briefgen: interrupted; the previous briefs are unchanged", file=err)
        return 130
    finally:
        log.removeHandler(handler)

"""PDFs rendered side by side in worker processes (``--jobs N``): WeasyPrint lays out one document on one core,
so the PDFs of a set, and the sets of a multi-record build, render in parallel.

Each job is HTML in, PDF and what was read back from it out: the text of each paragraph anchor and the runs
that leave the page, for the build's rendered-text check. Workers are forked from a server that imported
WeasyPrint once (multiprocessing's forkserver, started in a thread as soon as the pool is made; the build
makes it before it translates), so a worker starts warm and never inherits the threads of a translation
engine. One job, or ``jobs=1``, renders in this process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .pdf import Renderer

log = logging.getLogger(__name__)


PARALLEL_COLUMN = "column-target"   # the anchor of a parallel edition's target-language column (parallel.html.j2)


@dataclass(frozen=True)
class Job:
    html: str
    anchors: tuple[str, ...]      # the paragraph anchors whose printed text is read back
    rtl: bool
    column: str | None = None     # read only the table column whose header is anchored so (a parallel edition's
                                  # target language), not the whole row
    justified: tuple[str, ...] = ()   # the anchors of justified paragraphs, whose word-spaces are held to ...
    word_space: float | None = None   # ... this limit (em; typography.WORD_SPACE_LIMIT), or set ragged


@dataclass
class Rendered:
    pdf: bytes
    paragraphs: dict[str, dict[str, Any]] = field(default_factory=dict)   # anchor -> {"text", "runs"} as printed
    off_page: list[tuple[int, str]] = field(default_factory=list)   # (page number from 1, text) beyond the page
    ragged: list[str] = field(default_factory=list)   # justified paragraphs set ragged: a line was too loose
    justified: tuple[str, ...] = ()                   # the job's justified paragraphs and their limit, for QA
    word_space: float | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:           # not on Linux
        return max(1, os.cpu_count() or 1)


_RENDERERS: dict[tuple[str, str], Renderer] = {}


def _exit_with(build: int) -> None:
    """In a worker: leave when the build that started the pool is gone. A worker's parent is the fork server,
    not the build, so a build killed outright (SIGKILL, an out-of-memory kill, a closed terminal) would otherwise
    leave its idle workers behind for good."""
    import time

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(build, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:   # the pid now belongs to another user's process: ours is gone
                os._exit(0)

    threading.Thread(target=watch, name="exit-with-build", daemon=True).start()


def render(assets: str, variant: str, job: Job) -> Rendered:
    """One PDF and its read-back (runs in a worker, or here)."""
    from .readback import read_pdf
    from .typography import loose_paragraphs, set_ragged

    key = (assets, variant)
    if key not in _RENDERERS:
        _RENDERERS[key] = Renderer(Path(assets), variant)
    renderer = _RENDERERS[key]
    pdf = renderer.pdf(job.html)
    back = read_pdf(pdf)
    column = back.column_at(job.column) if job.column else None
    paragraphs = back.paragraphs(job.anchors, job.rtl, column=column, numbered=job.column is None)
    ragged: list[str] = []
    if job.word_space is not None:
        ragged = loose_paragraphs(paragraphs, job.justified, job.word_space)
    if ragged:
        # rendered again with those paragraphs ragged: the same lines and pages, without the wide gaps
        log.info("%d paragraph(s) set ragged: a justified line's word-space was over %.2f em (%s)",
                 len(ragged), job.word_space, ", ".join(ragged))
        pdf = renderer.pdf(set_ragged(job.html, ragged))
        back = read_pdf(pdf)
        paragraphs = back.paragraphs(job.anchors, job.rtl, column=column, numbered=job.column is None)
    return Rendered(pdf, paragraphs, [(r.page + 1, r.text) for r in back.off_page()], ragged, job.justified,
                    job.word_space)


def warm(assets: str, variant: str) -> None:
    """Import WeasyPrint and set up the fonts before the first real job."""
    key = (assets, variant)
    if key not in _RENDERERS:
        _RENDERERS[key] = Renderer(Path(assets), variant)


class RenderPool:
    """Renders jobs in ``jobs`` worker processes (or in this process when ``jobs`` is 1)."""

    def __init__(self, assets: Path, variant: str, jobs: int = 0) -> None:
        self.assets = str(assets.resolve())
        self.variant = variant
        self.jobs = jobs or default_jobs()
        self._executor: ProcessPoolExecutor | None = None
        self._starting: threading.Thread | None = None
        self._failed: BaseException | None = None
        if self.jobs > 1:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["briefgen.render.worker", "weasyprint"])
            self._executor = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context,
                                                 initializer=_exit_with, initargs=(os.getpid(),))
            # Starting a worker waits until the fork server has imported WeasyPrint (about a second): done in a
            # thread, so that the build goes on translating meanwhile.
            self._starting = threading.Thread(target=self._start, name="render-pool-start", daemon=True)
            self._starting.start()

    def _start(self) -> None:
        assert self._executor is not None
        try:
            for _ in range(self.jobs):
                self._executor.submit(warm, self.assets, self.variant)
        except BaseException as exc:   # handed to the build's thread: raised where it submits a PDF
            self._failed = exc

    def _started(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        if self._failed is not None:
            failed, self._failed = self._failed, None
            raise failed

    def submit(self, job: Job) -> Future[Rendered]:
        self._started()
        if self._executor is None:
            done: Future[Rendered] = Future()
            try:
                done.set_result(render(self.assets, self.variant, job))
            except BaseException as exc:   # delivered through the future, as a worker's would be
                done.set_exception(exc)
            return done
        return self._executor.submit(render, self.assets, self.variant, job)

    def map(self, jobs: Iterable[Job]) -> list[Future[Rendered]]:
        return [self.submit(job) for job in jobs]

    def close(self) -> None:
        try:
            self._started()
        except Exception as exc:    # the build stops for another reason already, or never rendered
            log.debug("render workers did not start: %s", exc)
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

"""The ``Output`` protocol: what every output format of ``stdkit build`` implements.

An *output* is one module under ``toolkit/render/`` (or anywhere) that defines an object
with this interface, registered by one line in :data:`toolkit.render.OUTPUTS`::

    class MyOutput:
        name = "reports"                 # build/ step name, shown by --only and the summary
        reads = ("tables",)              # outputs whose *files* its jobs read (run after them)
        names_of = ()                    # outputs of which it reads only *which* files exist

        def plan(self, ctx: BuildContext) -> list[Job]:
            return [Job(self.name, f"reports/{sid}", (sid,)) for sid in sorted(ctx.corpus.standards)]

        def run(self, ctx: BuildContext, job: Job) -> list[Path]:
            sid = job.args[0]
            ...write under ctx.out / "reports"..., reading ctx.corpus
            return [paths written]       # files, or folders whose files all belong to the job

    OUTPUT = MyOutput()

and in ``toolkit/render/__init__.py``::

    OUTPUTS = (..., ("reports", "toolkit.render.reports:OUTPUT"))

That is all: the engine (:mod:`toolkit.build.engine`) imports only this module and the
registry, never a writer, and no writer imports the engine.  A registered module that
cannot be imported, or whose object has another ``name``, stops the build with an
error (it never silently drops an output).

**What a job read is recorded, not declared.**  ``ctx.corpus`` is a recording view of
the corpus (:class:`toolkit.deps.RecordingCorpus`): every record, id list and corpus
method the job reads is noted with the digest of what it saw, and stored in the build
manifest.  The next build re-runs exactly the jobs whose recorded inputs changed (and
the jobs that read their files).  Files and other inputs outside the corpus are noted
with ``ctx.note_file(path)``, ``ctx.note_tree(folder)`` or ``value = ctx.probe(fn,
*args)`` (``fn(root, *args)``, e.g. the git baseline of a page); options through
``ctx.review``.  ``plan()`` is recorded the same way: while nothing it read changed,
the next build reuses its jobs without importing the module, so a no-op build imports
no writer (keep heavy imports — pandas, WeasyPrint, MkDocs — in the writer functions
or in modules the output imports inside ``run``).  The code of ``toolkit/``, the
templates, library versions and ``SOURCE_DATE_EPOCH`` are covered for every job.

A writer that needs a projection of many records (the indicator ids each draft uses)
should compute it with a :func:`toolkit.deps.derived` function, so only the projection
is recorded.  Jobs run in forked worker processes, longest (``cost``) first; they must
write new files only under ``ctx.out`` (a staging folder holding hard links to the
previous build: never write *into* an existing file — unlink it first — unless the job
sets ``reuses_previous`` and links unchanged files from ``ctx.previous`` itself).
Outputs must be deterministic: same inputs, same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol, runtime_checkable


@dataclass(frozen=True)
class Job:
    """One unit of output, as planned by :meth:`Output.plan`.

    ``key`` is unique in the build (``drafts/<standard-id>``; the output's name for an
    output built whole); ``args`` JSON-able values for :meth:`Output.run`.  ``after``:
    outputs whose files this job reads (default: the output's ``reads``); ``names_of``:
    outputs of which it reads only which files exist (default: the output's
    ``names_of``) — it may run alongside them on the names the previous build recorded
    (``ctx.predicted``), and runs again if they turn out different.  ``cost``: longer
    jobs start first.  ``reuses_previous``: the job hard-links unchanged files of the
    previous build (read-only) itself.
    """

    output: str
    key: str
    args: tuple = ()
    after: tuple[str, ...] | None = None
    names_of: tuple[str, ...] | None = None
    cost: int = 1
    reuses_previous: bool = False

    def to_json(self) -> dict:
        """The job as stored in the manifest."""
        lst = lambda v: None if v is None else list(v)  # noqa: E731
        return {"output": self.output, "args": list(self.args), "after": lst(self.after),
                "names_of": lst(self.names_of), "cost": self.cost, "reuses_previous": self.reuses_previous}

    @classmethod
    def from_json(cls, key: str, d: dict) -> "Job":
        """Inverse of :meth:`to_json` (raises ``KeyError``/``TypeError`` on a malformed entry)."""
        tup = lambda v: None if v is None else tuple(v)  # noqa: E731
        return cls(str(d["output"]), key, tuple(d.get("args") or ()), tup(d.get("after")), tup(d.get("names_of")),
                   int(d.get("cost", 1)), bool(d.get("reuses_previous", False)))


@dataclass
class BuildContext:
    """What an output's ``plan`` and ``run`` get.

    ``corpus``: the corpus (a recording view during a build, see the module docstring);
    ``out``: the folder to write into (the staging folder); ``root``: the project root;
    ``previous``: the previous complete ``build/`` (read-only) or None; ``predicted``:
    for a job with ``names_of``, ``{relative path: file}`` of the files those outputs
    will hold, when they are still being written (else None: read ``out``);
    ``recorder``: where reads are noted (None outside the engine: nothing is recorded);
    ``env``: digest of code, templates and libraries (a salt for caches of one's own).
    In the engine ``review`` is recorded as an input when a job reads it.
    """

    corpus: Any
    out: Path
    root: Path
    review: bool = False
    quiet: bool = False
    previous: Path | None = None
    predicted: dict[str, str] | None = None
    recorder: Any = None
    env: str = ""
    written: list[Path] = field(default_factory=list)

    def note_file(self, path: Path | str) -> None:
        """Record a project file the job read (no-op outside the engine)."""
        if self.recorder is not None:
            self.recorder.note_file(path)

    def note_tree(self, path: Path | str) -> None:
        """Record every file under a project folder the job read (no-op outside the engine)."""
        if self.recorder is not None:
            self.recorder.note_tree(path)

    def probe(self, fn: Callable, *args) -> Any:
        """``fn(root, *args)``, recorded as an input (module-level ``fn``, JSON-able ``args``)."""
        if self.recorder is not None:
            return self.recorder.probe(fn, *args)
        return fn(self.root, *args)

    def whole_corpus(self):
        """The plain corpus, for code that reads all of it (recorded as depending on everything)."""
        whole = getattr(self.corpus, "whole", None)
        return whole() if whole is not None else self.corpus


@runtime_checkable
class Output(Protocol):
    """An output format of ``stdkit build`` (see the module docstring)."""

    name: str
    reads: tuple[str, ...]
    names_of: tuple[str, ...]

    def plan(self, ctx: BuildContext) -> list[Job]:
        """The jobs of this output for ``ctx.corpus`` (reads are recorded)."""
        ...

    def run(self, ctx: BuildContext, job: Job) -> list[Path]:
        """Write one job's files under ``ctx.out``; return them (or folders of them)."""
        ...


def run_whole(output: Output, ctx: BuildContext) -> list[Path]:
    """Every job of ``output`` in order into ``ctx.out`` (no cache, no recording); returns the paths."""
    written: list[Path] = []
    for job in output.plan(ctx):
        written += output.run(ctx, job)
    return written

"""Build stage: ``stdkit build`` — what to (re)build, cached by recorded inputs, written atomically.

Modules (imports point down this list; nothing here imports a writer)::

    engine.py     orchestration: plan against the manifest, stage, run, swap
    scheduler.py  the process pool: which job may start, workers that die with their parent
    manifest.py   build/.stdkit-manifest.json: jobs, their recorded inputs and outputs
    staging.py    the lock (fcntl.flock), the staging folder, the swap into build/
    digest.py     digest of code, templates, libraries and environment

The outputs themselves are registered in :data:`toolkit.render.OUTPUTS` and implement
:class:`toolkit.render.base.Output`; what a job read is recorded by :mod:`toolkit.deps`.
This package's ``__init__`` stays light so that :mod:`toolkit.render.diff_outputs` can take the
build lock (:func:`toolkit.build.staging.build_lock`) without importing the engine.
"""
from __future__ import annotations

MANIFEST_NAME = ".stdkit-manifest.json"
"""The manifest of the last build, inside ``build/``."""


class BuildError(Exception):
    """A build could not run (lock held, target not stdkit's, a job failed to plan). Message is user-facing."""

"""Render stage: one writer per format, all fed the resolved corpus / document tree.

Writers take ``(corpus, out_dir)`` (or a :class:`toolkit.document.Document`) and
return the list of files they wrote.  They never read YAML.

:data:`OUTPUTS` is the registry of ``stdkit build``'s outputs: one line per output,
``(name, "module:attribute")`` of an object implementing
:class:`toolkit.render.base.Output` (see that module for how to add one).  Order is
the order of the build summary; which output waits for which comes from the outputs'
own ``reads``/``names_of``.  Nothing is imported here: :func:`load_output` imports an
output's module when the build needs it.
"""
from __future__ import annotations

OUTPUTS: tuple[tuple[str, str], ...] = (
    ("data", "toolkit.render.data:OUTPUT"),
    ("tables", "toolkit.render.tables:OUTPUT"),
    ("drafts", "toolkit.render.drafts:OUTPUT"),
    ("reviews", "toolkit.render.reviews:OUTPUT"),
    ("evaluation", "toolkit.render.evaluation_template:OUTPUT"),
    ("site", "toolkit.render.site:OUTPUT"),
)


class OutputMissing(Exception):
    """A registered output cannot be loaded (module renamed or removed, object missing or misnamed)."""


def output_names() -> list[str]:
    """Names of the registered outputs, in registry order (imports nothing)."""
    return [name for name, _ in OUTPUTS]


def load_output(name: str):
    """The registered output ``name`` (imports its module).

    Raises :class:`OutputMissing` if ``name`` is not registered, its module cannot be
    imported, the attribute is missing, or the object's ``name`` differs.
    """
    import importlib

    spec = dict(OUTPUTS).get(name)
    if spec is None:
        raise OutputMissing(f"no output named {name!r} is registered in toolkit.render.OUTPUTS")
    mod, _, attr = spec.partition(":")
    try:
        obj = getattr(importlib.import_module(mod), attr)
    except ModuleNotFoundError as exc:
        if exc.name is not None and mod.startswith(exc.name):
            raise OutputMissing(f"output {name!r} is registered as {spec}, but module {mod} does not exist "
                                "(renamed or removed? update toolkit.render.OUTPUTS)") from None
        raise
    except AttributeError:
        raise OutputMissing(f"output {name!r} is registered as {spec}, but {mod} defines no {attr}") from None
    if getattr(obj, "name", None) != name:
        raise OutputMissing(f"output {spec} is named {getattr(obj, 'name', None)!r}, registered as {name!r}")
    return obj

"""Imports every check module so that each registers its family (order = run order).

Families and their codes (documented in :mod:`toolkit.codes`):
references E2xx, uniqueness E302/W303, cells E4xx, units E5xx, transmission E6xx,
coverage E7xx/W7xx, structure E8xx/W8xx, terminology E85x, plausibility W9xx/E904,
language W95x.  Artifacts (A0xx) run only with ``--artifacts``
(:func:`toolkit.checks.artifacts.check_artifacts`).
"""
from toolkit.checks import references  # noqa: F401
from toolkit.checks import uniqueness  # noqa: F401
from toolkit.checks import cells  # noqa: F401
from toolkit.checks import units  # noqa: F401
from toolkit.checks import transmission  # noqa: F401
from toolkit.checks import coverage  # noqa: F401
from toolkit.checks import structure  # noqa: F401
from toolkit.checks import terminology  # noqa: F401
from toolkit.checks import plausibility  # noqa: F401
from toolkit.checks import language  # noqa: F401

"""Imports every check module so that each registers its family (order = run order)."""
from toolkit.checks import references  # noqa: F401

"""Shared fixtures: the real corpus, loaded once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus():
    from toolkit.corpus import load_corpus

    c, findings = load_corpus(ROOT)
    return c

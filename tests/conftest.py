"""Shared test fixtures: where the corpus and real files live, and a built warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
REAL = SHARED / "real"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"dev corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def real() -> Path:
    if not REAL.is_dir():
        pytest.skip(f"real files not found at {REAL}")
    return REAL

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


def pytest_configure(config: pytest.Config) -> None:
    """Prefect state of the test session lives in a throwaway folder, never in ~/.prefect.

    The folder is removed at interpreter exit; registered before Prefect starts its temporary
    server (which stops in its own exit handler), it runs after that server has stopped.
    """
    import atexit
    import os
    import shutil
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="chiso-prefect-"))
    if "PREFECT_HOME" not in os.environ:
        atexit.register(shutil.rmtree, home, True)
    else:
        home.rmdir()
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("DO_NOT_TRACK", "1")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Prefect stops its temporary server at interpreter exit and logs it to a stream pytest has
    already closed; that log line is not a test result, so its traceback is not printed."""
    import logging

    logging.raiseExceptions = False

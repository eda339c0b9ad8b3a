"""Whole-number settings given on the command line or in the environment, read one way.

A batch size or a history length is a positive whole number; anything else is
an error that names the setting, so a typo in a cron job's environment fails
the night loudly instead of running with a guess.
"""

from __future__ import annotations

import os


def positive_whole(name: str, raw: str | int | None, default: int) -> int:
    """`raw` as a whole number ≥ 1, `default` when it is missing or blank; a bad value raises naming `name`."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {value}")
    return value


def environment_whole(variable: str, default: int) -> int:
    """The environment variable `variable` as a positive whole number, else `default`."""
    return positive_whole(variable, os.environ.get(variable), default)

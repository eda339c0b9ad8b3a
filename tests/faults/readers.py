"""Readers that misbehave the ways a poison file makes a real reader misbehave (run in a child)."""

from __future__ import annotations

import os
import signal

from chiso.discover import SourceFile


def killed(source: SourceFile) -> None:
    """A reader the kernel kills (a segfault in a C library, the out-of-memory killer)."""
    os.kill(os.getpid(), signal.SIGKILL)


def greedy(source: SourceFile) -> bytes:
    """A reader that asks for more memory than the budget allows."""
    return bytearray(4 * 1024**3)


def size(source: SourceFile) -> int:
    """A reader that works."""
    return len(source.path.read_bytes())

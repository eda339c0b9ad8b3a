"""Which failures are worth trying again: transient ones, never bad input.

A file share that hiccups (NFS `ESTALE`, a timeout), a warehouse file briefly
locked by a reader's process, a connection reset: the same call a few seconds
later succeeds. A file that cannot be parsed fails the same way every time;
it is held with its reason (chiso.run.batch.Rejected) and never retried. The flow
hands this rule to Prefect's task retries (exponential backoff).
"""

from __future__ import annotations

import errno

from chiso.model import BadInputError

_TRANSIENT_ERRNOS = frozenset({
    errno.EAGAIN, errno.EBUSY, errno.EINTR, errno.ETIMEDOUT, errno.ESTALE, errno.ECONNRESET,
    errno.ECONNREFUSED, errno.ECONNABORTED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EIO,
})  # fmt: skip

RETRIES = 3
BACKOFF_SECONDS = (2.0, 8.0, 30.0)
"""Waits before the 1st, 2nd and 3rd retry: a share that is back within half a minute costs no night."""


def is_transient(error: BaseException) -> bool:
    """True for failures of the machine around the data (I/O, locks, network), False for the data itself."""
    if isinstance(error, BadInputError):
        return False
    if isinstance(error, (TimeoutError, ConnectionError, BlockingIOError, InterruptedError)):
        return True
    if isinstance(error, OSError):
        return error.errno in _TRANSIENT_ERRNOS
    try:
        import duckdb
    except ImportError:  # pragma: no cover - duckdb is a dependency
        return False
    # Another process holding the file ("Could not set lock on file"), an interrupted read.
    return isinstance(error, duckdb.IOException) and "lock" in str(error).lower()

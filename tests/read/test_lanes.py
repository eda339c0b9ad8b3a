"""The Tesseract lanes: a job running in a lane that asks for lanes itself must not wait on them."""

from __future__ import annotations

import os
import threading

from chiso.read.lanes import concurrently


def test_a_lane_job_that_asks_for_lanes_runs_them_itself() -> None:
    """read_oriented reads each turn of a table's captions in a lane, and each turn's mosaics
    asked for lanes again: with every lane busy waiting on those, a scanned table hung its
    run for good. The nested items now run in the lane that asks, in order."""
    results: list[list[list[int]]] = []

    def outer(i: int) -> list[int]:
        return concurrently(lambda j: 10 * i + j, [0, 1, 2])

    jobs = list(range((os.cpu_count() or 1) + 2))  # more than there are lanes
    worker = threading.Thread(target=lambda: results.append(concurrently(outer, jobs)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "nested lanes deadlocked"
    assert results == [[[10 * i + j for j in range(3)] for i in jobs]]

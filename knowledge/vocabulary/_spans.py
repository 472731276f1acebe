"""Sorted, non-overlapping character spans with an O(log n) overlap test (keeps ``find`` linear)."""

from __future__ import annotations

import bisect
from typing import Iterable, List, Tuple


class Spans:
    """Non-overlapping (start, end) spans; :meth:`overlaps` asks whether [start, end) touches one."""

    def __init__(self, spans: Iterable[Tuple[int, int]] = ()) -> None:
        self._spans: List[Tuple[int, int]] = sorted(spans)
        self._starts = [s for s, _ in self._spans]

    def overlaps(self, start: int, end: int) -> bool:
        # only the last span starting before `end` can reach past `start` (the spans do not overlap)
        i = bisect.bisect_left(self._starts, end) - 1
        return i >= 0 and self._spans[i][1] > start

"""Results computed once per dataset version: an LRU map whose keys include the version.

Concurrent requests for the same missing entry wait for the first one to compute it, so a cold
cache under load still computes each result once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class ComputeCache:
    def __init__(self, entries: int = 128) -> None:
        self.entries = entries
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                self.hits += 1
                return self._values[key]
            gate = self._pending.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._values:  # computed by another request while this one waited
                    self.hits += 1
                    return self._values[key]
            try:
                value = compute()
                with self._lock:
                    self.misses += 1
                    self._values[key] = value
                    while len(self._values) > self.entries:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    self._pending.pop(key, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

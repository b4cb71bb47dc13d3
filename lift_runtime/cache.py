"""A per-container cache with lift.yaml's `caching` values: entries live `ttl` seconds; disabled, nothing is kept.

from lift_runtime.cache import TTLCache
prices = TTLCache()
price = prices.get_or_set(sku, lambda: load_price(sku))
"""

from __future__ import annotations

import time

from lift_runtime import active

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Hashable
    from typing import TypeVar

    T = TypeVar("T")

_MISSING = object()


class TTLCache:
    """Least-recently-set entries are dropped beyond max_entries, so memory stays bounded."""

    def __init__(
        self,
        *,
        ttl: float | None = None,
        enabled: bool | None = None,
        max_entries: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl is None or enabled is None:
            configured = active.config().caching
            ttl = configured.ttl if ttl is None else ttl
            enabled = configured.enabled if enabled is None else enabled
        self.ttl = ttl
        self.enabled = enabled
        self.max_entries = max_entries
        self.clock = clock
        self.entries: dict[Hashable, tuple[float, object]] = {}

    def get(self, key: Hashable, default: object = None) -> object:
        entry = self.entries.get(key)
        if entry is None:
            return default
        if entry[0] <= self.clock():
            del self.entries[key]
            return default
        return entry[1]

    def set(self, key: Hashable, value: object) -> None:
        if not self.enabled or self.ttl <= 0:
            return
        self.entries.pop(key, None)
        self.entries[key] = (self.clock() + self.ttl, value)
        while len(self.entries) > self.max_entries:
            del self.entries[next(iter(self.entries))]

    def get_or_set(self, key: Hashable, load: Callable[[], T]) -> T:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = load()
            self.set(key, value)
        return value  # type: ignore[return-value]

    def clear(self) -> None:
        self.entries.clear()

"""Hourly clean-up: deletes thumbnails whose source image is gone (invoked by EventBridge Scheduler)."""

from __future__ import annotations

from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    # A real purge lists the output bucket and deletes orphans; the example only reports what it would do.
    return {"deleted": 0}

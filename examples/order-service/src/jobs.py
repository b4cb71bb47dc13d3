"""Scheduled jobs (example): `reconcile` runs every 15 minutes (EventBridge, asynchronous).

An exception makes the invocation fail: Lambda retries it and then sends it to the DLQ.
The upstream call goes through the configured retry policy and circuit breaker.
"""

from __future__ import annotations

from typing import Any

from lift_runtime.log import logger
from lift_runtime.resilience import CircuitBreaker, retry

ledger = CircuitBreaker("ledger")  # failure_threshold and reset_timeout from lift.yaml's resilience section


def _fetch_ledger(event: dict[str, Any]) -> list[dict[str, Any]]:
    # Stands in for a call to the ledger service; the event can make it fail for tests.
    if event.get("detail", {}).get("fail"):
        raise ConnectionError("ledger unavailable")
    return [{"order": "order-00001", "delta_cents": 0}]


def reconcile(event: dict[str, Any], context: Any) -> dict[str, Any]:
    entries = retry(lambda: ledger.call(_fetch_ledger, event), retry_on=(ConnectionError,))
    mismatches = [entry for entry in entries if entry["delta_cents"]]
    logger.info("reconciled", entries=len(entries), mismatches=len(mismatches))
    return {"reconciled": len(entries), "mismatches": len(mismatches)}

"""Orders API (example): the handler behind the api function's routes.

A plain Lambda handler for API Gateway events: the lift runtime around it answers /health,
enforces HTTPS, the rate limit and the deadline, and adds the security headers.

Routes:
- GET  /products          the catalogue: a public route, served without a token
- GET  /orders?count=N    a page of orders (large enough to be gzipped when N is high)
- POST /orders            creates an order from the JSON body (201); the token needs the orders:write scope
- GET  /orders/embed      sets its own X-Frame-Options, which the runtime keeps
- GET  /orders/boom       fails with an internal error (the client sees a bare 500)
- GET  /orders/slow?seconds=S   sleeps S seconds (at most 60): runs past the request deadline
"""

from __future__ import annotations

import base64
import json
import os
import time
from typing import Any

PAGE_SIZE = int(os.environ.get("ORDERS_PAGE_SIZE", "50"))


def _json(status: int, payload: object, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": "application/json", **(headers or {})}, "body": json.dumps(payload)}


def _route(event: dict[str, Any]) -> tuple[str, str]:
    if "requestContext" in event and "http" in event["requestContext"]:
        return event["requestContext"]["http"]["method"], event.get("rawPath", "/")
    return event.get("httpMethod", "GET"), event.get("path", "/")


def _query(event: dict[str, Any], name: str, default: str) -> str:
    return str((event.get("queryStringParameters") or {}).get(name, default))


def _body(event: dict[str, Any]) -> Any:
    raw = event.get("body") or ""
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    return json.loads(raw) if raw else None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    method, path = _route(event)
    if path == "/orders/boom":
        raise RuntimeError("connection to orders-db.internal:5432 refused (user=orders_admin)")
    if path == "/orders/slow":
        time.sleep(min(float(_query(event, "seconds", "1")), 60.0))
        return _json(200, {"slept": True})
    if path == "/orders/embed":
        return _json(200, {"embeddable": True}, {"X-Frame-Options": "SAMEORIGIN"})
    if path == "/products" and method == "GET":
        return _json(200, {"products": [{"sku": "A-1", "price_cents": 1299}, {"sku": "B-2", "price_cents": 450}]})
    if path == "/orders" and method == "POST":
        return _json(201, {"created": _body(event)})
    if path == "/orders":
        count = min(int(_query(event, "count", str(PAGE_SIZE))), 1000)
        orders = [{"id": f"order-{i:05d}", "status": "open", "total_cents": 1000 + i} for i in range(count)]
        return _json(200, {"orders": orders})
    return _json(404, {"error": "not_found", "path": path})

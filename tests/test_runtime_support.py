"""Helpers shared by the runtime tests (imported as a module; its own tests check the fixtures)."""

from __future__ import annotations

import base64
import copy
import functools
import json
from pathlib import Path
from typing import Any

from lift_runtime.config_types import Config
from lift_runtime.wrapper import Wrapper
from liftspec.api import load, resolve_env
from liftspec.render.config_module import build_config

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "tests" / "fixtures" / "events"
EXAMPLE = ROOT / "examples" / "order-service" / "lift.yaml"
META = {"source": "examples/order-service/lift.yaml", "version": "0.1.0", "digest": "0123456789abcdef" * 4}


@functools.cache
def _event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))


def event(name: str, **changes: Any) -> dict[str, Any]:
    """A fresh copy of an AWS sample event, with top-level keys replaced."""
    data = copy.deepcopy(_event(name))
    data.update(changes)
    return data


@functools.cache
def example_config(env: str | None = None) -> Config:
    result = resolve_env(load(EXAMPLE), env)
    assert result.spec is not None and not result.diagnostics, result.diagnostics
    return build_config(result.spec, META)


class Context:
    """The attributes of the Lambda context object the runtime reads."""

    def __init__(self, request_id: str = "req-1", remaining_ms: int | None = 30_000) -> None:
        self.aws_request_id = request_id
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        assert self.remaining_ms is not None
        return self.remaining_ms


def wrapper(handler: Any, function: str | None = "api", **changes: Any) -> Wrapper:
    return Wrapper(handler, config=example_config().replace(**changes), function=function)


def log_lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def logs(out: str) -> list[dict[str, Any]]:
    return [line for line in log_lines(out) if "_aws" not in line]


def emf(out: str) -> list[dict[str, Any]]:
    return [line for line in log_lines(out) if "_aws" in line]


def header(response: dict[str, Any], name: str) -> str | None:
    for key, value in response.get("headers", {}).items():
        if key.lower() == name.lower():
            return str(value)
    return None


# The forms an HTTP request comes in: HTTP API 2.0, REST API 1.0 (with headers, or multiValueHeaders only),
# ALB with multi-value headers off and on.
FORMS = ("v2", "v1", "v1-multi-only", "alb", "alb-multi")
RESPONSE_KEYS = {
    "v2": {"statusCode", "headers", "body", "isBase64Encoded", "cookies"},
    "v1": {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"},
    "alb": {"statusCode", "headers", "body", "isBase64Encoded"},
    "alb-multi": {"statusCode", "multiValueHeaders", "body", "isBase64Encoded"},
}


def alb_event(headers: dict[str, list[str]], multi: bool, method: str = "GET", path: str = "/orders") -> dict[str, Any]:
    """An ALB target group event (AWS's documented shape), with multi-value headers on or off."""
    data: dict[str, Any] = {
        "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1"}},
        "httpMethod": method,
        "path": path,
        "body": "",
        "isBase64Encoded": False,
    }
    if multi:
        data["multiValueQueryStringParameters"] = {}
        data["multiValueHeaders"] = headers
    else:
        data["queryStringParameters"] = {}
        data["headers"] = {name: values[-1] for name, values in headers.items()}
    return data


def request(form: str, headers: dict[str, list[str]]) -> dict[str, Any]:
    """An event of `form` carrying `headers` (name -> values) the way that form carries them."""
    if form == "v2":
        ev = event("http-api-post")
        ev["headers"] = {name: ",".join(values) for name, values in headers.items()}
        return ev
    if form in ("v1", "v1-multi-only"):
        ev = event("rest-api-proxy")
        ev["headers"] = None if form == "v1-multi-only" else {name: values[-1] for name, values in headers.items()}
        ev["multiValueHeaders"] = headers
        return ev
    return alb_event(headers, multi=form == "alb-multi")


def response_header(response: dict[str, Any], name: str) -> list[str]:
    """Every value of a response header, whichever form the response uses."""
    values = [str(v) for k, v in (response.get("headers") or {}).items() if k.lower() == name.lower()]
    for key, items in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower():
            values.extend(items)
    return values


def assert_valid_response(response: Any, form: str) -> None:
    """What API Gateway (payload 2.0 / 1.0) or ALB accepts back for a request of `form`, and nothing else."""
    form = "v1" if form == "v1-multi-only" else form
    assert isinstance(response, dict) and set(response) <= RESPONSE_KEYS[form], response
    status = response["statusCode"]
    assert type(status) is int and 100 <= status <= 599
    assert isinstance(response["body"], str) and type(response["isBase64Encoded"]) is bool
    if response["isBase64Encoded"]:
        base64.b64decode(response["body"], validate=True)
    if form == "alb-multi":
        assert "headers" not in response
    else:
        assert isinstance(response["headers"], dict)
    for name, value in (response.get("headers") or {}).items():
        assert isinstance(name, str) and isinstance(value, str) and "\n" not in value and "\r" not in value
    for name, values in (response.get("multiValueHeaders") or {}).items():
        assert isinstance(name, str) and isinstance(values, list)
        assert all(isinstance(v, str) and "\n" not in v and "\r" not in v for v in values)
    assert all(isinstance(c, str) for c in response.get("cookies", []))
    json.dumps(response)  # what the Lambda runtime sends back


def test_sample_events_are_the_shared_ones() -> None:
    shared = ROOT.parent / "shared" / "events"
    for path in EVENTS.glob("*.json"):
        if shared.is_dir():
            assert json.loads(path.read_text()) == json.loads((shared / path.name).read_text())
    assert {p.stem for p in EVENTS.glob("*.json")} >= {
        "http-api-get-health",
        "http-api-post",
        "rest-api-proxy",
        "sqs",
        "scheduled",
    }

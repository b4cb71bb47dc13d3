"""Helpers shared by the runtime tests (imported as a module; its own tests check the fixtures)."""

from __future__ import annotations

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

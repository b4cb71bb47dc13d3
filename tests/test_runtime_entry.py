"""lift_runtime.entry as Lambda loads it: the generated layer alone, standard library only, in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_runtime_support import EVENTS, EXAMPLE, META, ROOT

from liftspec.api import load, resolve_env
from liftspec.render.runtime_files import function_env_vars, lift_env_vars, runtime_outputs

SRC = ROOT / "examples" / "order-service" / "src"

# Runs in a bare interpreter (-S -I): sys.path is the layer and the function code, as in Lambda.
INVOKE = """
import json, sys
sys.path[:0] = sys.argv[1:3]
import lift_runtime.entry as entry

class Context:
    aws_request_id = "req-entry"
    def get_remaining_time_in_millis(self):
        return 30000

event = json.loads(sys.stdin.read())
result = entry.handler(event, Context())
foreign = sorted({name.split(".")[0] for name in sys.modules} - set(sys.stdlib_module_names)
                 - {"__main__", "lift_runtime", "lift_config", "app", "jobs", "dlq"})
print(json.dumps({"result": result, "foreign": foreign}))
"""


@pytest.fixture(scope="module")
def layer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = resolve_env(load(EXAMPLE)).spec
    assert spec is not None
    out = tmp_path_factory.mktemp("build")
    for relative, content in runtime_outputs(spec, META).items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return out / "layer" / "python"


def invoke(layer: Path, function: str, event: Any, **env: str) -> tuple[dict[str, Any], list[str], str]:
    spec = resolve_env(load(EXAMPLE)).spec
    assert spec is not None
    variables = {**lift_env_vars(spec), **function_env_vars(spec, function), **env}
    done = subprocess.run(
        [sys.executable, "-S", "-I", "-c", INVOKE, str(layer), str(SRC)],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        env=variables,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    *logs, last = done.stdout.splitlines()
    payload = json.loads(last)
    return payload["result"], payload["foreign"], "\n".join(logs)


def test_http_function_through_the_entry_point(layer: Path) -> None:
    event = json.loads((EVENTS / "http-api-post.json").read_text())
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/orders"
    event["requestContext"]["http"]["method"] = "GET"
    result, foreign, logs = invoke(layer, "api", event)
    assert foreign == []  # nothing outside the standard library was imported
    assert result["statusCode"] == 200 and len(json.loads(result["body"])["orders"]) == 50  # ORDERS_PAGE_SIZE default
    assert result["headers"]["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    lines = [json.loads(line) for line in logs.splitlines()]
    assert any(line.get("message") == "request" and line["request_id"] == "req-entry" and line["cold_start"] for line in lines)


def test_sqs_and_scheduled_functions_through_the_entry_point(layer: Path) -> None:
    event = json.loads((EVENTS / "sqs.json").read_text())
    poison = dict(event["Records"][0], messageId="bad", body='{"poison": true}')
    event["Records"].append(poison)
    result, foreign, _ = invoke(layer, "dlq-processor", event)
    assert result == {"batchItemFailures": [{"itemIdentifier": "bad"}]} and foreign == []
    result, foreign, _ = invoke(layer, "reconcile", json.loads((EVENTS / "scheduled.json").read_text()))
    assert result == {"reconciled": 1, "mismatches": 0} and foreign == []


def test_lift_log_level_overrides_the_configured_level(layer: Path) -> None:
    event = json.loads((EVENTS / "http-api-get-health.json").read_text())
    _, _, logs = invoke(layer, "api", event, LIFT_LOG_LEVEL="error")
    assert [json.loads(line) for line in logs.splitlines() if '"level"' in line] == []


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LIFT_HANDLER": ""}, "LIFT_HANDLER is not set"),
        ({"LIFT_HANDLER": "nodots"}, "is not of the form module.function"),
        ({"LIFT_HANDLER": "app.missing"}, "has no function 'missing'"),
    ],
)
def test_a_bad_handler_setting_fails_at_init_with_a_clear_message(layer: Path, env: dict[str, str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-S", "-I", "-c", INVOKE, str(layer), str(SRC)],
        input="{}",
        capture_output=True,
        text=True,
        env={"LIFT_FUNCTION": "api", **env},
        timeout=60,
    )
    assert done.returncode != 0 and message in done.stderr


def test_every_runtime_module_is_standard_library_only(layer: Path) -> None:
    modules = sorted(p.stem for p in (layer / "lift_runtime").glob("*.py") if p.stem not in ("entry", "__init__"))
    probe = (
        f"import sys; sys.path.insert(0, {str(layer)!r}); import importlib\n"
        f"for name in {modules!r}: importlib.import_module('lift_runtime.' + name)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} - set(sys.stdlib_module_names) - {'__main__', 'lift_runtime'}))"
    )
    done = subprocess.run([sys.executable, "-S", "-I", "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

"""The generated lift_config.py / lift_config.json: values, safety with hostile strings, determinism, typing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from test_runtime_support import EXAMPLE, META, ROOT, example_config

from lift_runtime.config_types import Config
from liftspec.model.spec import LiftSpec
from liftspec.render.config_module import build_config, render_headers, render_json, render_module
from liftspec.render.runtime_files import (
    RUNTIME_HANDLER,
    function_env_vars,
    lift_env_vars,
    runtime_outputs,
    runtime_package_files,
)

HOSTILE = [
    "plain",
    "quote ' and \" both",
    "\"\"\"triple\"\"\" and '''triple'''",
    "back\\slash\\",
    "ends with backslash \\",
    "new\nline and\r\nCRLF",
    "tab\tand NUL \x00",
    "unicode: héllo 世界 🚀",
    "separators \u2028 \u2029 \x85",
    "{braces} %s %(x)s ${sub}",
    "'); import os; os.system('x'); ('",
    '"""\nimport os\n"""',
    "# not a comment",
    "\\N{BULLET} \\u2028 \\x00",
]


def execute(source: bytes) -> dict[str, Any]:
    """Compile and run a generated module in a fresh namespace, as an import would."""
    namespace: dict[str, Any] = {"__name__": "lift_config"}
    exec(compile(source, "lift_config.py", "exec"), namespace)
    return namespace


def spec_with(text: str) -> LiftSpec:
    """A spec that carries `text` in every free-form string that reaches the runtime config."""
    spec = LiftSpec.model_validate(
        {
            "liftspec": 1,
            "service": "svc",
            "functions": {"api": {"handler": text, "http": {"routes": ["ANY /{proxy+}"]}}},
            "security": {"auth": {"jwt": {"issuer": text, "audience": [text, "aud"], "identity_source": text}}},
            "tracing": {
                "sampling_rules": [
                    {
                        "name": "r",
                        "method": text,
                        "path": text,
                        "host": text,
                        "service_type": text,
                        "resource_arn": text,
                        "rate": 0.5,
                        "priority": 1,
                    }
                ]
            },
        }
    )
    # The model restricts namespaces to CloudWatch's characters; the generator must be safe anyway.
    return spec.model_copy(update={"metrics": spec.metrics.model_copy(update={"namespace": text})})


def strings_of(config: Config) -> list[str]:
    fn = config.functions["api"]
    rule = config.sampling_rules[0]
    jwt = config.auth.jwt
    assert jwt is not None
    return [
        fn.handler,
        jwt.issuer,
        jwt.audience[0],
        jwt.identity_source,
        rule.method,
        rule.path,
        rule.host,
        rule.service_type,
        rule.resource_arn,
        config.metrics_namespace,
        config.provenance.source,
    ]


# --- the example ---------------------------------------------------------------


def test_example_module_holds_every_runtime_value() -> None:
    config = example_config()
    generated = execute(render_module(config))["CONFIG"]
    assert repr(generated) == repr(config)
    assert generated.as_dict() == config.as_dict()
    assert generated.service == "order-service" and generated.environment == "production"
    assert (generated.log_level, generated.log_format, generated.request_timeout) == ("info", "json", 29.0)
    assert generated.functions["dlq-processor"].request_timeout == 55.0
    assert generated.functions["api"].handler == "app.handler" and generated.functions["api"].invocation == "http"
    assert generated.detailed_errors is False and generated.require_https is True
    assert generated.auth.jwt.audience == ("orders-api",)
    assert generated.rate_limit.as_dict() == {
        "enabled": True,
        "window": 60.0,
        "max": 1000,
        "burst": 200,
        "scope": "client",
        "key": "jwt_sub",
        "on_store_error": "allow",
        "store_timeout": 0.3,
    }
    routes = {route.route: route for route in generated.functions["api"].routes}
    assert routes["GET /products"].public is True and routes["GET /products"].scopes == ()
    assert routes["POST /orders"].public is False and routes["POST /orders"].scopes == ("orders:write",)
    assert routes["GET /{proxy+}"].as_dict() == {"route": "GET /{proxy+}", "public": False, "scopes": []}
    assert generated.functions["reconcile"].routes == ()
    assert [rule.name for rule in generated.sampling_rules] == ["health", "default"]
    assert generated.metrics_namespace == "OrderService" and generated.tracing_enabled is True
    assert generated.caching.ttl == 300.0 and generated.compression.min_size == 1024
    assert generated.resilience.retry.as_dict() == {"max_attempts": 3, "base_delay": 1.0, "max_jitter": 1.0}
    assert generated.resilience.circuit_breaker.reset_timeout == 30.0
    assert generated.health_path == "/health"
    assert generated.security_headers["Permissions-Policy"] == "geolocation=(), microphone=(), camera=()"


def test_staging_overlay_reaches_the_config() -> None:
    staging = example_config("staging")
    assert (staging.environment, staging.log_level, staging.detailed_errors) == ("staging", "debug", True)


def test_module_header_names_source_env_version_and_digest() -> None:
    head = render_module(example_config()).decode().splitlines()[:3]
    assert head[0] == "# Generated by liftspec 0.1.0 from 'examples/order-service/lift.yaml', environment 'production'."
    assert head[1] == "# Input sha256: " + "0123456789abcdef" * 4


def test_json_has_the_same_values() -> None:
    config = example_config()
    assert json.loads(render_json(config)) == config.as_dict()


def test_records_are_frozen_and_compare_by_value() -> None:
    config = example_config()
    with pytest.raises(AttributeError, match="frozen"):
        config.service = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.functions["new"] = config.functions["api"]  # type: ignore[index]
    assert config.replace(log_level="debug") != config and config.replace() == config
    with pytest.raises(TypeError, match="missing fields"):
        type(config.caching)(enabled=True)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unknown fields"):
        config.caching.replace(size=1)


# --- hostile strings ---------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_any_string_round_trips_and_cannot_inject_code(text: str) -> None:
    config = build_config(spec_with(text), {**META, "source": text})
    source = render_module(config)
    generated = execute(source)
    assert set(generated) - {"__name__", "__builtins__"} >= {"CONFIG", "Config"}
    assert "os" not in generated and "system" not in generated
    assert strings_of(generated["CONFIG"]) == [text] * len(strings_of(config))
    assert generated["CONFIG"].as_dict() == config.as_dict()
    assert source.decode("utf-8").splitlines()[0].startswith("# Generated by liftspec")
    assert json.loads(render_json(config))["functions"]["api"]["handler"] == text


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40))  # YAML has no lone surrogates
def test_random_strings_round_trip(text: str) -> None:
    config = build_config(spec_with(text), META)
    assert strings_of(execute(render_module(config))["CONFIG"])[:-1] == [text] * (len(strings_of(config)) - 1)


def test_a_header_value_with_a_newline_is_refused() -> None:
    # The model refuses it (LS004), so no config can ever carry a header injection; the generator
    # keeps its own guard for specs built in code with model_construct.
    with pytest.raises(ValidationError):
        LiftSpec.model_validate(
            {
                "liftspec": 1,
                "service": "svc",
                "functions": {"a": {"handler": "a.h"}},
                "security": {"headers": {"referrer_policy": "no-referrer\r\nSet-Cookie: x=1"}},
            }
        )
    spec = LiftSpec.model_validate({"liftspec": 1, "service": "svc", "functions": {"a": {"handler": "a.h"}}})
    headers = spec.security.headers.model_copy(update={"referrer_policy": "no-referrer\r\nSet-Cookie: x=1"})
    unsafe = spec.model_copy(update={"security": spec.security.model_copy(update={"headers": headers})})
    with pytest.raises(ValueError, match="cannot appear in an HTTP header value"):
        build_config(unsafe, META)


# --- headers and defaults -------------------------------------------------------------


def test_rendered_headers() -> None:
    spec = LiftSpec.model_validate(
        {
            "liftspec": 1,
            "service": "svc",
            "functions": {"a": {"handler": "a.h"}},
            "security": {
                "headers": {
                    "strict_transport_security": {"max_age": 31536000, "include_subdomains": False},
                    "content_security_policy": {"default-src": ["'self'"], "upgrade-insecure-requests": True},
                    "x_frame_options": False,
                    "permissions_policy": {"geolocation": ["self", "https://maps.example.com"], "camera": ["*"], "usb": []},
                }
            },
        }
    )
    assert render_headers(spec.security.headers) == {
        "Strict-Transport-Security": "max-age=31536000",
        "Content-Security-Policy": "default-src 'self'; upgrade-insecure-requests",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": 'geolocation=(self "https://maps.example.com"), camera=*, usb=()',
    }


def test_defaults_of_a_minimal_file_are_the_production_safe_ones() -> None:
    spec = LiftSpec.model_validate({"liftspec": 1, "service": "tiny", "functions": {"a": {"handler": "a.h"}}})
    config = build_config(spec, META)
    assert config.request_timeout == 29.0 and config.functions["a"].request_timeout == 29.0
    assert config.require_https and not config.detailed_errors and config.log_level == "info"
    assert config.metrics_enabled and config.metrics_namespace == "tiny" and config.tracing_enabled
    assert config.rate_limit.burst == config.rate_limit.max == 6000
    assert set(config.security_headers) == {
        "Strict-Transport-Security",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
    }
    assert isinstance(config.functions, MappingProxyType)


# --- determinism, typing, files -------------------------------------------------------


GENERATE = """
import sys
from liftspec.api import load, resolve_env
from liftspec.render.runtime_files import runtime_outputs
spec = resolve_env(load(sys.argv[1])).spec
files = runtime_outputs(spec, {"source": "lift.yaml", "env": "production", "version": "0.1.0", "digest": "ab" * 32})
sys.stdout.buffer.write(files["lift_config.py"] + files["lift_config.json"])
"""


def test_same_input_same_bytes_across_processes() -> None:
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", GENERATE, str(EXAMPLE)], capture_output=True, env=env, check=True, cwd=ROOT)
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_generated_module_passes_mypy_strict_and_imports_standalone(tmp_path: Path) -> None:
    (tmp_path / "lift_config.py").write_bytes(render_module(build_config(spec_with('q"""\\\n\u2028'), META)))
    shutil.copytree(ROOT / "lift_runtime", tmp_path / "lift_runtime", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "use_config.py").write_text(
        "from lift_config import CONFIG, Config\n"
        "def timeout(config: Config = CONFIG) -> float:\n"
        "    return config.functions['api'].request_timeout\n"
        "namespace: str = CONFIG.metrics_namespace\n",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "lift_config.py", "use_config.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # -S -I: no site-packages, no liftspec: lift_runtime beside it, as in the layer, and the standard library
    probe = (
        "import sys; sys.path.insert(0, '.'); import lift_config, lift_runtime.config_types as types; "
        "print(sorted({m.split('.')[0] for m in sys.modules} - set(sys.stdlib_module_names) - {'__main__', 'lift_config'})); "
        "print(isinstance(lift_config.CONFIG, types.Config), lift_config.Config is types.Config)"
    )
    done = subprocess.run([sys.executable, "-S", "-I", "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert done.stdout.split("\n")[:2] == ["['lift_runtime']", "True True"]


def test_runtime_outputs_layout() -> None:
    config = example_config()
    spec = LiftSpec.model_validate({"liftspec": 1, "service": "order-service", "functions": {"api": {"handler": "app.handler"}}})
    files = runtime_outputs(spec, META)
    package = runtime_package_files()
    assert {f"layer/python/lift_runtime/{name}" for name in package} <= set(files)
    assert {"py.typed", "__init__.py", "entry.py", "config_types.py"} <= set(package)
    assert files["layer/python/lift_config.py"] == files["lift_config.py"]
    assert files["layer/lift_config.json"] == files["lift_config.json"]
    assert list(files) == sorted(files)
    assert RUNTIME_HANDLER == "lift_runtime.entry.handler"
    assert config.functions["api"].handler == "app.handler"


def test_environment_variables_for_the_template() -> None:
    from liftspec.api import load, resolve_env

    spec = resolve_env(load(EXAMPLE)).spec
    assert spec is not None
    assert lift_env_vars(spec) == {
        "LIFT_ENVIRONMENT": "production",
        "LIFT_LOG_LEVEL": "info",
        "LIFT_METRICS_ENABLED": "true",
        "LIFT_TRACING_ENABLED": "true",
    }
    assert function_env_vars(spec, "dlq-processor") == {"LIFT_FUNCTION": "dlq-processor", "LIFT_HANDLER": "dlq.handler"}

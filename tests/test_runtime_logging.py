"""Logs through one standard ``logging.Handler``: library records carry the request id like the runtime's own."""

from __future__ import annotations

import ast
import io
import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from test_runtime_support import ROOT, Context, event, logs, wrapper

from lift_runtime import active
from lift_runtime.log import Handler, handler


@pytest.fixture(autouse=True)
def _restore_root() -> Iterator[None]:
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    yield
    root.handlers[:] = saved
    root.setLevel(level)
    active.use(None)


def test_library_logs_carry_the_request_id_and_the_service_fields(capsys: pytest.CaptureFixture[str]) -> None:
    def handler_using_libraries(event: Any, context: Any) -> dict[str, Any]:
        logging.getLogger("botocore.retries").warning("retrying %s", "GetItem")
        logging.getLogger("app").critical("disk full")
        logging.getLogger("app").debug("below the level: not written")
        try:
            raise KeyError("sku")
        except KeyError:
            logging.getLogger("app").exception("lookup failed")
        return {"statusCode": 200, "body": ""}

    wrapper(handler_using_libraries)(event("http-api-post"), Context("req-lib"))
    lines = {line["message"]: line for line in logs(capsys.readouterr().out)}
    retry = lines["retrying GetItem"]
    assert (retry["level"], retry["logger"], retry["request_id"], retry["function"]) == (
        "WARN",
        "botocore.retries",
        "req-lib",
        "api",
    )
    assert lines["disk full"]["level"] == "FATAL"
    assert lines["lookup failed"]["error_type"] == "KeyError" and any(
        "KeyError" in t for t in lines["lookup failed"]["traceback"]
    )
    assert "below the level: not written" not in lines
    assert lines["request"]["request_id"] == "req-lib"


def test_the_lambda_runtimes_root_handler_is_replaced_and_others_are_kept() -> None:
    bootstrap = pytest.importorskip("awslambdaric.bootstrap")
    root = logging.getLogger()
    lambdas = bootstrap.LambdaLoggerHandler(log_sink=None)
    mine = logging.StreamHandler(io.StringIO())
    root.addHandler(lambdas)
    root.addHandler(mine)
    wrapper(lambda ev, ctx: None)
    wrapper(lambda ev, ctx: None)  # configured twice: still one lift handler
    assert lambdas not in root.handlers and mine in root.handlers
    assert [h for h in root.handlers if isinstance(h, Handler)] == [handler]
    assert root.level == logging.INFO  # the configured level, for library records too


def test_a_bad_library_format_string_still_gives_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    handler.handle(logging.LogRecord("lib", logging.ERROR, __file__, 1, "%d items", ("many",), None))
    (line,) = logs(capsys.readouterr().out)
    assert line["message"] == "%d items" and line["logger"] == "lib"


def test_an_unwritable_stdout_loses_lines_not_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError("stdout closed")

    wrapped = wrapper(lambda ev, ctx: {"statusCode": 200, "body": "ok"})
    errors = io.StringIO()
    monkeypatch.setattr(sys, "stdout", Broken())
    monkeypatch.setattr(sys, "stderr", errors)
    assert wrapped(event("http-api-post"), Context())["statusCode"] == 200
    assert "a log line could not be written: 'request'" in errors.getvalue()


def test_text_format_for_library_records(capsys: pytest.CaptureFixture[str]) -> None:
    wrapper(lambda ev, ctx: logging.getLogger("lib").warning("slow\nquery"), log_format="text", metrics_enabled=False)(
        event("scheduled"), Context("req-t")
    )
    first = capsys.readouterr().out.splitlines()[0]
    assert " WARN slow\\nquery request_id=req-t cold_start=True logger=lib" in first


def test_the_runtime_imports_no_private_standard_library_module() -> None:
    private = []
    for path in sorted((ROOT / "lift_runtime").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            private += [f"{path.name}: {name}" for name in names if name.startswith("_") and name != "__future__"]
    assert private == []

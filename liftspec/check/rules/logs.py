"""LS1xx: logs and error output."""

from __future__ import annotations

from collections.abc import Iterator

from liftspec.check.context import Context
from liftspec.check.rule import Docs, Finding, Fix, rule


@rule(
    "LS101",
    "debug-logs",
    "Log level is debug",
    fixable=True,
    tags=("logging", "security"),
    docs=Docs(
        what="Reports `logging.level: debug`.",
        why="Debug logs write request bodies, headers and internal state to CloudWatch: they leak personal data and "
        "tokens into a store with wide read access, and they multiply log ingestion cost (billed per GB) on every "
        "request. Production runs at `info`; turn debug on in a non-production environment instead.",
        example="logging:\n  level: debug",
        fix="Set `logging.level: info` (`liftspec lint --fix` does this). To debug a staging environment, set it in "
        "the overlay: `environments: {staging: {logging: {level: debug}}}`.",
    ),
)
def debug_logs(ctx: Context) -> Iterator[Finding]:
    if ctx.spec.logging.level == "debug":
        yield Finding(
            ("logging", "level"),
            "log level is debug: every request's details go to CloudWatch",
            "set logging.level: info; enable debug in a non-production overlay",
            Fix("info"),
        )


@rule(
    "LS102",
    "detailed-errors",
    "Detailed errors (stack traces) are returned to clients",
    fixable=True,
    tags=("security",),
    docs=Docs(
        what="Reports `errors.detailed: true`.",
        why="Detailed errors put stack traces, file paths, library versions and sometimes query text or secrets into "
        "HTTP responses: an attacker learns the internals of the service from one malformed request.",
        example="errors:\n  detailed: true",
        fix="Set `errors.detailed: false` (`liftspec lint --fix` does this); the error is still logged with its "
        "request id. Turn detailed errors on only in a development overlay.",
    ),
)
def detailed_errors(ctx: Context) -> Iterator[Finding]:
    if ctx.spec.errors.detailed:
        yield Finding(
            ("errors", "detailed"),
            "detailed errors are on: stack traces are sent to clients",
            "set errors.detailed: false; the error is still logged with its request id",
            Fix(False),
        )


@rule(
    "LS103",
    "log-retention",
    "No log retention set: logs are kept forever",
    tags=("logging", "cost"),
    docs=Docs(
        what="Reports a service without `logging.retention_days`.",
        why="Without a retention period CloudWatch keeps every log line forever: storage cost grows without bound, "
        "and personal data in logs outlives any retention policy you have promised.",
        example="logging:\n  level: info",
        fix="Set `logging.retention_days` to one of CloudWatch's allowed values, e.g. `30` (or longer when an audit "
        "requirement says so).",
    ),
)
def log_retention(ctx: Context) -> Iterator[Finding]:
    if ctx.spec.logging.retention_days is None:
        yield Finding(
            ("logging", "retention_days"),
            "no log retention is set: CloudWatch keeps these logs forever",
            "set logging.retention_days, e.g. 30",
        )

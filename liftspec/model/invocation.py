"""How a function is invoked, from the event source it declares."""

from __future__ import annotations

from typing import Literal

from liftspec.model.spec import Function

Invocation = Literal["http", "sqs", "schedule", "dynamodb_stream", "s3", "direct"]


def invocation_of(fn: Function) -> Invocation:
    if fn.http is not None:
        return "http"
    if fn.sqs is not None:
        return "sqs"
    if fn.schedule is not None:
        return "schedule"
    if fn.dynamodb_stream is not None:
        return "dynamodb_stream"
    if fn.s3 is not None:
        return "s3"
    return "direct"

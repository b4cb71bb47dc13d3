"""The alarms each function gets: the service alarms that fit its invocation type, with its own overrides.

errors, throttles and error_rate fit every function; latency fits HTTP functions (a 5-minute cron job or a
queue worker is not slow at 800 ms); message_age fits SQS consumers, iterator_age stream consumers. A function
may override any field of an alarm, switch it off with `false`, or add latency (or an alarm the service does
not define) by writing it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from liftspec.diagnostics import Path
from liftspec.model.invocation import invocation_of
from liftspec.model.spec import (
    ALARM_NAMES,
    AgeAlarm,
    CountAlarm,
    Function,
    IteratorAgeAlarm,
    LatencyAlarm,
    LiftSpec,
    RateAlarm,
)

AnyAlarm = CountAlarm | LatencyAlarm | RateAlarm | AgeAlarm | IteratorAgeAlarm
_KIND: dict[str, type[AnyAlarm]] = {
    "errors": CountAlarm,
    "throttles": CountAlarm,
    "error_rate": RateAlarm,
    "latency": LatencyAlarm,
    "message_age": AgeAlarm,
    "iterator_age": IteratorAgeAlarm,
}
# Alarms on an event source: only a function with that source has one, even when it writes the override.
_SOURCE = {"message_age": ("sqs", "consumes no queue"), "iterator_age": ("dynamodb_stream", "reads no stream")}


@dataclass(frozen=True)
class FunctionAlarm:
    alarm: AnyAlarm
    overridden: frozenset[str]  # the fields the function set itself

    def path(self, function: str, name: str, field: str) -> Path:
        """Where one field of this alarm was written: on the function when it overrides it, else the service alarm."""
        if field in self.overridden:
            return ("functions", function, "alarms", name, field)
        return ("alarms", name, field)


def fits(name: str, fn: Function) -> bool:
    """Whether a service alarm applies to a function that does not mention it."""
    invocation = invocation_of(fn)
    if name == "latency":
        return invocation == "http"
    if name in _SOURCE:
        return invocation == _SOURCE[name][0]
    return True


def _lacks_source(name: str, fn: Function) -> bool:
    return name in _SOURCE and getattr(fn, _SOURCE[name][0]) is None


def function_alarms(spec: LiftSpec, name: str) -> dict[str, FunctionAlarm]:
    """Alarm name -> the alarm as it applies to function `name`, in ALARM_NAMES order."""
    fn = spec.functions[name]
    out: dict[str, FunctionAlarm] = {}
    for alarm_name in ALARM_NAMES:
        merged = _merged(spec, fn, alarm_name)
        if merged is not None:
            out[alarm_name] = merged
    return out


def _merged(spec: LiftSpec, fn: Function, name: str) -> FunctionAlarm | None:
    base: AnyAlarm | None = getattr(spec.alarms, name)
    override = getattr(fn.alarms, name)
    if override is False:
        return None
    if override is None:
        return FunctionAlarm(base, frozenset()) if base is not None and fits(name, fn) else None
    if _lacks_source(name, fn):
        return None  # reported by consistency (LS008)
    own = {
        key: getattr(override, key)
        for key in override.model_fields_set
        if getattr(override, key) is not None and key in _KIND[name].model_fields  # others: reported by problems()
    }
    values: dict[str, Any] = {**(dict(base) if base is not None else {}), **own}
    if "threshold" not in values:
        return None  # nothing to inherit: reported by consistency (LS008)
    return FunctionAlarm(_KIND[name].model_validate(values), frozenset(own))


def problems(spec: LiftSpec) -> Iterator[tuple[Path, str, str]]:
    """Per-function alarm settings that cannot mean anything (LS008)."""
    for fname, fn in spec.functions.items():
        for name in ALARM_NAMES:
            override = getattr(fn.alarms, name)
            where = ("functions", fname, "alarms", name)
            if override is None or override is False:
                continue
            if _lacks_source(name, fn):
                yield (where, f"function '{fname}' has a {name} alarm but {_SOURCE[name][1]}", "remove it")
                continue
            for key in sorted(override.model_fields_set - set(_KIND[name].model_fields)):
                if getattr(override, key) is not None:
                    yield (
                        (*where, key),
                        f"function '{fname}' sets {key} on alarm '{name}', which has no {key}",
                        f"remove {key}",
                    )
            if getattr(spec.alarms, name) is None and override.threshold is None:
                yield (
                    where,
                    f"function '{fname}' changes alarm '{name}', which alarms.{name} does not define: there is no threshold",
                    f"set threshold here, or define alarms.{name}",
                )
        if fn.rollback_on is None:
            continue
        has = function_alarms(spec, fname)
        for i, name in enumerate(fn.rollback_on):
            if name not in has:
                yield (
                    ("functions", fname, "rollback_on", i),
                    f"function '{fname}' rolls back on alarm '{name}', which it does not have",
                    f"define alarms.{name} (or functions.{fname}.alarms.{name}), or remove it from rollback_on",
                )


def rollback_alarms(spec: LiftSpec, name: str) -> list[str]:
    """The alarms that roll back a deployment of function `name`: its own rollback_on, else the service's, and
    only those the function has (latency never rolls back a queue worker that has no latency alarm)."""
    fn = spec.functions[name]
    wanted = fn.rollback_on if fn.rollback_on is not None else spec.deployment.rollback_on
    has = function_alarms(spec, name)
    return [alarm for alarm in wanted if alarm in has]

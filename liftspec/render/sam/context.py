"""The state one render builds: resources by logical id, where each came from, and the problems found on the way."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from liftspec import codes
from liftspec.diagnostics import Code, Diagnostic, Path, Severity
from liftspec.model.effective import EffectiveFunction, EffectiveService, effective_service
from liftspec.model.spec import LiftSpec
from liftspec.render.sam import ids
from liftspec.render.sam.kinds import Kinds, kinds
from liftspec.render.sam.origins import Origins, take_sources
from liftspec.resolve import Resolved
from liftspec.resolve.locate import diagnostic_at

DLQ_ID = "DeadLetterQueue"
HTTP_API_ID = "HttpApi"
LAYER_ID = "RuntimeLayer"
TOPIC_ID = "AlarmTopic"
DEPLOYMENT_CONFIG_ID = "DeploymentConfig"


@dataclass
class RenderContext:
    resolved: Resolved
    spec: LiftSpec
    code_root: str  # the lift.yaml folder, relative to the output folder (posix)
    origins: Origins = field(default_factory=Origins)
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    functions: list[EffectiveFunction] = field(default_factory=list)
    service: EffectiveService | None = None  # the pipeline's; built here when not given
    kinds: Kinds = field(default_factory=kinds)  # what each type of `resources` renders to (kinds.py)

    def __post_init__(self) -> None:
        if self.service is None:
            self.service = effective_service(self.spec)
        self.functions = []
        by_prefix: dict[str, str] = {}
        for fn in sorted(self.service.functions, key=lambda fn: fn.name):
            prefix = ids.function_prefix(fn.name)
            if prefix in by_prefix:
                self.problem(
                    codes.LOGICAL_ID_CLASH,
                    ("functions", fn.name),
                    f"functions '{by_prefix[prefix]}' and '{fn.name}' compile to the same logical id {ids.function_id(fn.name)}",
                    "rename one of them so that their names differ in more than punctuation",
                    key=True,
                )
                continue
            by_prefix[prefix] = fn.name
            self.functions.append(fn)

    @property
    def env(self) -> str:
        return self.resolved.env

    def add(self, logical_id: str, resource: dict[str, Any], origin: Path, function: str | None = None) -> bool:
        """Add a resource; a second resource with the same id is a diagnostic, not a silent overwrite."""
        if logical_id in self.resources:
            first = self.origins.lift_path((logical_id,))
            self.problem(
                codes.LOGICAL_ID_CLASH,
                origin,
                f"two parts of this file compile to the same logical id {logical_id} (the other one is {_dotted(first)})",
                "rename one of them so that their names differ in more than punctuation",
            )
            return False
        self.resources[logical_id] = resource
        self.origins.add((logical_id,), origin, function)
        if "Tags" in resource.get("Properties", {}):
            self.origins.add((logical_id, "Tags"), ("tags",))
        for where, lift_path in take_sources(resource, (logical_id,)):
            # template paths leave out the Properties level (see origins.template_path)
            self.origins.add(where[:1] + where[2:] if where[1:2] == ("Properties",) else where, lift_path)
        return True

    def origin(self, logical_id: str, prop: str | tuple[str | int, ...], lift_path: Path) -> None:
        """Record where one property (or a deeper part: a tuple of keys) of a resource was written."""
        self.origins.add((logical_id, *((prop,) if isinstance(prop, str) else prop)), lift_path)

    def problem(
        self, code: Code, path: Path, message: str, hint: str, severity: Severity | None = None, *, key: bool = False
    ) -> None:
        self.diagnostics.append(diagnostic_at(self.resolved, code, severity or code.severity, path, message, hint, key=key))

    # --- facts shared by several renderers --------------------------------

    def tags(self) -> dict[str, str]:
        return {"lift:environment": self.env, "lift:service": self.spec.service, **self.spec.tags}

    def code_uri(self, code: str) -> str:
        return posixpath.normpath(posixpath.join(self.code_root, code.replace("\\", "/"))) + "/"

    @property
    def effective(self) -> EffectiveService:
        assert self.service is not None  # set in __post_init__
        return self.service

    def has_dead_letter_queue(self) -> bool:
        return bool(self.effective.dead_letter_queue.value)

    def http_functions(self) -> list[EffectiveFunction]:
        return [fn for fn in self.functions if fn.spec.http is not None]

    @staticmethod
    def function_id(fn: EffectiveFunction) -> str:
        return ids.function_id(fn.name)


def _dotted(path: Path) -> str:
    return ".".join(str(p) for p in path) or "the top level"

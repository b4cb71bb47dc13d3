"""CloudFormation limits that neither the SAM translator nor cfn-lint checks.

They are checked on the transformed template, the one CloudFormation creates the stack from.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from liftspec import codes
from liftspec.diagnostics import Code, Path, Severity
from liftspec.render.sam.origins import Origins

MAX_RESOURCES = 500
MAX_OUTPUTS = 200
MAX_PARAMETERS = 200
MAX_TEMPLATE_BYTES = 1_000_000  # from S3; this is also the limit on the template after the transform
MAX_INLINE_BYTES = 51_200  # template body passed inline, without S3
TOP_CONTRIBUTORS = 3
# cfn-lint rules that report the same limits on the transformed template, without saying which functions cause them.
SAME_AS_CFN_LINT = {
    codes.TOO_MANY_RESOURCES: ("E3010",),
    codes.TEMPLATE_TOO_LARGE: ("E1002",),
    codes.TOO_MANY_OUTPUTS: ("E6010", "E2010"),
}


@dataclass(frozen=True)
class LimitProblem:
    code: Code
    path: Path
    message: str
    hint: str

    @property
    def id(self) -> str:
        return self.code.id

    @property
    def severity(self) -> Severity:
        return self.code.severity


@dataclass(frozen=True)
class Sizes:
    resources: int  # in the SAM template
    resources_after_transform: int
    sam_bytes: int
    transformed_bytes: int  # compact JSON, as CloudFormation holds it


def sizes(sam: dict[str, Any], sam_text: str, cfn: dict[str, Any]) -> Sizes:
    compact = json.dumps(cfn, separators=(",", ":"), ensure_ascii=False)
    return Sizes(len(sam.get("Resources", {})), len(cfn.get("Resources", {})), len(sam_text.encode()), len(compact.encode()))


def check_limits(sam: dict[str, Any], sam_text: str, cfn: dict[str, Any], origins: Origins) -> tuple[Sizes, list[LimitProblem]]:
    measured = sizes(sam, sam_text, cfn)
    problems: list[LimitProblem] = []
    if measured.resources_after_transform > MAX_RESOURCES:
        problems.append(
            LimitProblem(
                codes.TOO_MANY_RESOURCES,
                ("functions",),
                f"the stack would hold {measured.resources_after_transform} resources after the SAM transform "
                f"({measured.resources} in template.yaml); CloudFormation allows {MAX_RESOURCES}",
                f"{_contributors(cfn, origins)}; split the service into several lift.yaml files (one stack "
                "each), or give fewer functions an alias, alarms or provisioned concurrency",
            )
        )
    if measured.transformed_bytes > MAX_TEMPLATE_BYTES or measured.sam_bytes > MAX_TEMPLATE_BYTES:
        problems.append(
            LimitProblem(
                codes.TEMPLATE_TOO_LARGE,
                ("functions",),
                f"the template is {max(measured.transformed_bytes, measured.sam_bytes):,} bytes after the SAM transform; "
                f"CloudFormation allows {MAX_TEMPLATE_BYTES:,}",
                f"{_contributors(cfn, origins, by_size=True)}; split the service into several lift.yaml files",
            )
        )
    elif measured.sam_bytes > MAX_INLINE_BYTES:
        problems.append(
            LimitProblem(
                codes.TEMPLATE_NEEDS_S3,
                ("functions",),
                f"template.yaml is {measured.sam_bytes:,} bytes; CloudFormation takes at most {MAX_INLINE_BYTES:,} inline",
                "deploy it through S3: `sam deploy --resolve-s3` (or --s3-bucket) uploads the template as well as the code",
            )
        )
    for section, limit in (("Outputs", MAX_OUTPUTS), ("Parameters", MAX_PARAMETERS)):
        count = max(len(sam.get(section, {})), len(cfn.get(section, {})))
        if count > limit:
            problems.append(
                LimitProblem(
                    codes.TOO_MANY_OUTPUTS,
                    ("functions",),
                    f"the template has {count} {section.lower()}; CloudFormation allows {limit}",
                    "split the service into several lift.yaml files",
                )
            )
    return measured, problems


def _contributors(cfn: dict[str, Any], origins: Origins, by_size: bool = False) -> str:
    """`60 functions give 600 (10-11 each; most: 'fn009' 11, 'fn019' 11, 'fn029' 11), the service 12`."""
    per_function: Counter[str] = Counter()
    service = 0
    for logical_id, resource in cfn.get("Resources", {}).items():
        weight = len(json.dumps(resource, separators=(",", ":"))) if by_size else 1
        fn = origins.function(logical_id)
        if fn is None:
            service += weight
        else:
            per_function[fn] += weight
    unit = "bytes" if by_size else "resources"
    if not per_function:
        return f"the service's own resources ({service:,} {unit})"
    top = sorted(per_function.items(), key=lambda item: (-item[1], item[0]))[:TOP_CONTRIBUTORS]
    low, high = min(per_function.values()), max(per_function.values())
    spread = f"{low:,}" if low == high else f"{low:,}-{high:,}"
    most = ", ".join(f"'{name}' {count:,}" for name, count in top)
    return (
        f"{len(per_function)} functions with {sum(per_function.values()):,} {unit} ({spread} each; most: {most}), "
        f"and the service's own {service:,}"
    )

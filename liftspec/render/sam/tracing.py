"""X-Ray sampling rules. They steer SDK-instrumented calls, not Lambda's own sampling (see LS507)."""

from __future__ import annotations

from liftspec.render.sam import ids
from liftspec.render.sam.context import RenderContext
from liftspec.render.sam.intrinsics import tag_list
from liftspec.render.sam.registry import Renderer


def render_sampling_rules(ctx: RenderContext) -> None:
    spec = ctx.spec
    if not spec.tracing.enabled:
        return
    for i, rule in enumerate(spec.tracing.sampling_rules):
        ctx.add(
            f"{ids.pascal(rule.name)}SamplingRule",
            {
                "Type": "AWS::XRay::SamplingRule",
                "Properties": {
                    "SamplingRule": {
                        "RuleName": ids.sampling_rule_name(spec.service, ctx.env, rule.name),
                        "Priority": rule.priority,
                        "FixedRate": rule.rate,
                        "ReservoirSize": rule.reservoir,
                        # Rules are account-wide: scope them to this service so that they cannot steer another one.
                        "ServiceName": spec.service,
                        "ServiceType": rule.service_type,
                        "Host": rule.host,
                        "HTTPMethod": rule.method,
                        "URLPath": rule.path,
                        "ResourceARN": rule.resource_arn,
                        "Version": 1,
                    },
                    "Tags": tag_list(ctx.tags()),
                },
            },
            ("tracing", "sampling_rules", i),
        )


RENDERERS = (Renderer("sampling_rules", render_sampling_rules),)

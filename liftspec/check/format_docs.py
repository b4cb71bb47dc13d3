"""docs/format.md, the format reference: every key of the models with its type, default and description.

Keys, types, defaults and descriptions come from the pydantic models and the JSON Schema, so a key
added to the model is documented without touching this module. The prose (style rules, overlay rules,
what compiles to what) is written here; the rules that read a section are found from each rule's
documented example, with their severity per environment from the built-in packs.
`liftspec schema --format markdown > docs/format.md` regenerates the page.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic_core import PydanticUndefined

from liftspec.model.units import DURATION_SCHEMA, PERCENT_SCHEMA, SIZE_SCHEMA

SCHEMA_PATH = "schemas/lift.schema.json"


@dataclass(frozen=True)
class Row:
    key: str
    type: str
    default: str
    description: str


# --- keys from the models ----------------------------------------------------


def rows() -> list[Row]:
    """One row per key of lift.yaml, depth first, in declaration order."""
    from liftspec.model.schema import model_schema
    from liftspec.model.spec import LiftSpec

    schema = model_schema()
    return list(_model_rows(LiftSpec, schema, schema["$defs"], ""))


def _model_rows(model: type[BaseModel], node: dict[str, Any], defs: dict[str, Any], prefix: str) -> Iterator[Row]:
    properties: dict[str, Any] = node.get("properties", {})
    required = set(node.get("required", ()))
    try:  # annotations that name a class defined later in the module, resolved
        hints = typing.get_type_hints(model, include_extras=True)
    except NameError:  # a model local to a function: pydantic resolved its annotations already
        hints = {}
    for name, field in model.model_fields.items():
        key_name = field.alias or name
        key = f"{prefix}{key_name}"
        prop = properties.get(key_name, {})
        nested = _nested_models(hints.get(name, field.annotation))
        first = nested[0] if nested else None
        yield Row(
            key,
            _type(prop, defs),
            "required" if key_name in required else _default(field, prop, first),
            _description(field.description, first),
        )
        for model_type, suffix in nested:
            yield from _model_rows(model_type, defs.get(model_type.__name__, {}), defs, f"{key}{suffix}.")


def _nested_models(annotation: Any) -> list[tuple[type[BaseModel], str]]:
    """The models a key holds, directly or as the values of a map or the items of a list, with the path suffix.
    A map of a union of models (resources: a table, a bucket...) names each kind: `resources.<table>.keys`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, "")]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is dict and len(args) == 2:
        found = _nested_models(args[1])
        if len(found) > 1:
            return [(model, f".<{model.__name__.lower()}>{suffix}") for model, suffix in found]
        return [(model, ".<name>" + suffix) for model, suffix in found]
    if origin is list and args:
        return [(model, "[]" + suffix) for model, suffix in _nested_models(args[0])]
    if origin is typing.Annotated:
        return _nested_models(args[0])
    if origin in (typing.Union, types.UnionType):
        return [found for arg in args for found in _nested_models(arg)]
    return []


def _description(text: str | None, nested: tuple[type[BaseModel], str] | None) -> str:
    if not text and nested is not None and nested[0].__doc__:
        text = nested[0].__doc__.strip().splitlines()[0]
    return " ".join((text or "").split())


def _default(field: Any, prop: dict[str, Any], nested: tuple[type[BaseModel], str] | None) -> str:
    if "default" in prop:  # the schema's, as editors show it
        return "unset" if prop["default"] is None else f"`{_flow(prop['default'])}`"
    if field.default_factory is not None:
        value = field.default_factory()
        if isinstance(value, BaseModel) and nested is not None and value == type(value)():
            return "see below"
    elif field.default is PydanticUndefined:
        return "required"
    else:
        value = field.default
    if value is None:
        return "unset"
    if value in ([], {}):  # nothing to serialise (and the item type may be a forward reference)
        return f"`{_flow(value)}`"
    adapter: TypeAdapter[Any] = TypeAdapter(
        typing.Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    )
    dumped = adapter.dump_python(value, mode="json", by_alias=True, exclude_none=True)
    return f"`{_flow(dumped)}`"


def _flow(value: Any) -> str:
    """A value in YAML flow style, as a user would write it."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and (not value or value[0] in "'\"*&!%@`{[" or ": " in value or " #" in value):
        return json.dumps(value)
    return str(value)


# --- types from the JSON Schema ----------------------------------------------


def _type(node: dict[str, Any], defs: dict[str, Any]) -> str:
    for name, schema in _NAMED.items():
        if _keyed(node) == schema:
            return name
    if "$ref" in node:
        return "map (keys below)"
    if "anyOf" in node:
        parts = [_type(part, defs) for part in node["anyOf"] if part.get("type") != "null"]
        return " or ".join(dict.fromkeys(parts))
    if "const" in node:
        return f"`{_flow(node['const'])}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{_flow(v)}`" for v in node["enum"])
    kind = node.get("type")
    if kind == "array":
        text = "list of " + _plural(_type(node.get("items", {}), defs))
        if node.get("minItems"):
            text += f" (at least {node['minItems']})"
        return text
    if kind == "object":
        values: Any = node.get("additionalProperties") or next(iter(node.get("patternProperties", {}).values()), {})
        return "map of names to " + _plural(_type(values, defs) if isinstance(values, dict) else "values")
    if kind in ("integer", "number"):
        low, high = node.get("minimum", node.get("exclusiveMinimum")), node.get("maximum")
        word = "integer" if kind == "integer" else "number"
        if low is not None and high is not None:
            return f"{word}, {low}..{high}"
        if low is not None:
            return f"{word} ≥ {low}"
        return word
    if kind == "string":
        if node.get("format") == "date":
            return "date (YYYY-MM-DD)"
        if node.get("pattern") in _PATTERN_WORDS:
            return _PATTERN_WORDS[node["pattern"]]
        if "pattern" in node:
            return f"string matching `{node['pattern']}`"
        if node.get("minLength"):
            return "non-empty string"
        return "string"
    if kind == "boolean":
        return "boolean"
    return "any"


_PATTERN_WORDS = {
    r"^[!-~]+$": "string (visible ASCII, no spaces)",
    r"^[!-~]+( [!-~]+)*$": "string (visible ASCII, single spaces)",
}


def _plural(text: str) -> str:
    if text.startswith("map (keys below)"):
        return "maps (keys below)"
    if text.startswith("string "):
        return "strings " + text[len("string ") :]
    return {"string": "strings", "non-empty string": "non-empty strings", "integer": "integers"}.get(text, text)


def _keyed(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k in ("anyOf", "type", "pattern", "minimum", "maximum")}


_NAMED = {
    "duration": _keyed(DURATION_SCHEMA),
    "percentage": _keyed(PERCENT_SCHEMA),
    "whole MB, 128..10240": _keyed(SIZE_SCHEMA),
}


# --- which rules read a section ------------------------------------------------


def section_rules() -> dict[str, list[str]]:
    """Top-level key -> ids of the rules whose documented example sets it."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from liftspec.check.codes import all_codes

    out: dict[str, list[str]] = {}
    for code in all_codes():
        if code.kind != "rule":
            continue
        text = code.docs.example.replace("```yaml", "").replace("```", "")
        try:
            data = YAML(typ="safe", pure=True).load(text)
        except YAMLError:
            continue
        if isinstance(data, dict):
            for key in data:
                out.setdefault(str(key), []).append(code.id)
    return out


def _rules_lines(ids: list[str]) -> list[str]:
    from liftspec.check.codes import lookup
    from liftspec.check.docs import effective_in
    from liftspec.check.packs import PackCache

    packs = PackCache()
    out = []
    for code_id in ids:
        code = lookup(code_id)
        if code is not None:
            production, other = (_severity(effective_in(code.id, pack, packs)) for pack in ("production", "staging"))
            out.append(
                f"- [{code.id}](rules.md#{code.id.lower()}) {code.summary}: production {production}, other environments {other}"
            )
    return out


def _severity(text: str) -> str:
    return "not checked" if text == "-" else text


# --- the page ----------------------------------------------------------------


def markdown() -> str:
    from liftspec.model.spec import LiftSpec

    all_rows = rows()
    by_section: dict[str, list[Row]] = {}
    for row in all_rows:
        by_section.setdefault(row.key.split(".")[0].split("[")[0], []).append(row)
    used = section_rules()
    out = [HEADER, STYLE, "## Complete example\n", "```yaml\n" + EXAMPLE + "```\n", OVERLAYS, "## Keys\n", KEYS_INTRO]
    for name, field in LiftSpec.model_fields.items():
        section = field.alias or name
        out.append(f"### `{section}`\n")
        section_rows = by_section.get(section, [])
        head = section_rows[0]
        out.append(f"{head.description}\n")
        if section in COMPILES_TO:
            out.append(f"**Compiles to:** {COMPILES_TO[section]}\n")
        if used.get(section):
            out.append("**Checked by** (severity per environment, from the built-in packs):\n")
            out.append("\n".join(_rules_lines(used[section])) + "\n")
        out.append("| key | type | default | description |\n|---|---|---|---|")
        out += [f"| `{r.key}` | {_cell(r.type)} | {_cell(r.default)} | {_cell(r.description)} |" for r in section_rows]
        snippet = example_section(section)
        if snippet:
            out.append("\n<!-- snippet: partial -->\n```yaml\n" + snippet + "```")
        out.append("")
    out += [TABLE, FACTS]
    return "\n".join(out).rstrip("\n") + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def example_section(section: str) -> str:
    """The lines of the complete example that set one top-level key (with the keys it needs to lint)."""
    lines = EXAMPLE.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{section}:")), None)
    if start is None:
        return ""
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "\n", "")), len(lines))
    return "".join(lines[start:end]).rstrip("\n") + "\n"


HEADER = f"""\
# lift.yaml reference (format version 1)

<!-- Generated by `liftspec schema --format markdown`; do not edit (a test fails when it is stale). -->

`lift.yaml` is the one file a team writes for a Lambda service: `liftspec lint` checks it against
production policies and `liftspec compile` turns it into an AWS SAM template, plain CloudFormation and
the runtime config that the function's code imports. This page lists every key: its type, its default,
what it compiles to and which rules check it in which environment. The same keys, with the same
descriptions, are in the JSON Schema [`{SCHEMA_PATH}`](../{SCHEMA_PATH}) (`liftspec schema` prints it).

For completion and inline docs in your editor, write the schema next to your lift.yaml and start the
file with `# yaml-language-server: $schema=lift.schema.json` (as `liftspec init` does):

```sh
liftspec schema > lift.schema.json
```
"""

STYLE = """\
## Style rules

- Keys are `snake_case`, except CSP directive names, which keep their own spelling (`default-src`).
- **Durations** are strings with a unit: `ms`, `s`, `m`, `h` or `d`, e.g. `500ms`, `29s`, `1.5s`, `5m`,
  `1h`, `14d`, or a bare whole number meaning seconds (`30`). No space between the number and the unit;
  at most 10 years.
- **Percentages** are a number followed by `%` (`5%`, `0.5%`) or a bare number (`5`).
- **Sizes** are whole numbers of MB (`memory: 512`); byte counts say so (`compression.min_size`).
- Every section is optional except `liftspec`, `service` and `functions`. A missing section takes the
  defaults below, which are the production-safe ones: a file that says nothing gets HTTPS required,
  detailed errors off, log level `info`, tracing on and metrics on.
- Unknown keys are errors (LS003, with a "did you mean" hint), never silently ignored.
- Limits that a policy rule reports (memory range, timeout ceilings, alarm periods...) are accepted by
  the schema and reported by the rule, with its own id, explanation and fix.
"""

OVERLAYS = """\
## Environments and overlays

- `--env NAME` selects `environments.NAME`, deep-merged over the base document. Without `--env`,
  `liftspec compile` uses the environment named by the `environment` key (default `production`), merging
  nothing when there is no overlay of that name; `liftspec lint` checks every environment of the file.
- Maps merge key by key; lists and scalars replace; `null` resets a key to its default.
- Every diagnostic about a merged value points at the line where the value was written: in the overlay
  when the overlay set it, in the base otherwise.
- The built-in pack `baseline` always applies. An environment named `production` or `prod` is checked
  with the `production` pack, any other name with the `staging` pack (production's rules as warnings,
  and some not at all), unless its `policy.packs` says otherwise. Each section below lists the rules
  that check it and their severity in both; [rules.md](rules.md) documents every rule.
"""

KEYS_INTRO = """\
Paths are dotted; `<name>` stands for a name you choose (a function, an environment) and `[]` for each
item of a list. "unset" means the key has no value unless you write one; "see below" means the
section's keys carry their own defaults.
"""

COMPILES_TO = {
    "service": "the stack's resource names and the runtime's `service` (also the default metrics namespace).",
    "tags": "Tags on every function (and the resources that take tags).",
    "runtime": "`AWS::Serverless::Function` Runtime, Architectures, MemorySize, CodeUri and Environment.Variables "
    "(with the `LIFT_*` and secret variables).",
    "timeouts": "`timeouts.function` is the function's Timeout, and the HttpApi event's `TimeoutInMillis` (at most "
    "30000); `timeouts.request` is the runtime's per-request deadline (`request_timeout` in `lift_config`).",
    "functions": "one `AWS::Serverless::Function` each. `http.routes`: one `AWS::Serverless::HttpApi` with HttpApi "
    "events; `sqs`: an SQS event (BatchSize, ReportBatchItemFailures), `queue: dead_letter` being the service's own "
    "DLQ; `schedule`: a Schedule event (EventBridge); `concurrency.reserved`: ReservedConcurrentExecutions; "
    "`concurrency.provisioned`: ProvisionedConcurrencyConfig on the alias; `concurrency.schedule`: an "
    "`AWS::ApplicationAutoScaling::ScalableTarget` with ScheduledActions.",
    "logging": "LoggingConfig (LogFormat, ApplicationLogLevel) and an `AWS::Logs::LogGroup` with RetentionInDays; "
    "`log_level` and `log_format` in `lift_config`.",
    "errors": "runtime behaviour: with `detailed: false` an unhandled exception becomes a 500 with a request id "
    "and no internals.",
    "security": "`require_https`, `auth` and `headers` are enforced by the runtime on every request (`auth.jwt` also "
    "adds a JWT authorizer to the HTTP API); `secrets`: an environment variable holding the secret's name or "
    "ARN, IAM read access to exactly that secret and, with `rotation_days`, an `AWS::SecretsManager::RotationSchedule`.",
    "rate_limit": "HttpApi DefaultRouteSettings ThrottlingRateLimit (per second) and ThrottlingBurstLimit, and the "
    "runtime's per-container limiter (429 with Retry-After).",
    "tracing": "Tracing: Active on every function; `sampling_rules` become `AWS::XRay::SamplingRule` resources (they "
    "govern SDK-instrumented calls: HTTP APIs have no X-Ray support).",
    "metrics": "the namespace of the EMF metrics that the runtime writes (`metrics_namespace` in `lift_config`).",
    "alarms": "`AWS::CloudWatch::Alarm` on namespace AWS/Lambda, dimensions FunctionName and Resource "
    "`<fn>:<alias>`, actions to the topic; `error_rate` is metric math over Errors and Invocations; "
    "`topic: {create: true}` creates an `AWS::SNS::Topic`.",
    "deployment": "AutoPublishAlias and DeploymentPreference (Type, Alarms). A strategy that is not one of "
    "CodeDeploy's predefined Lambda configs (e.g. Linear10PercentEvery5Minutes) gets its own "
    "`AWS::CodeDeploy::DeploymentConfig`.",
    "dead_letter": "an `AWS::SQS::Queue` and DeadLetterQueue {Type: SQS} on every function invoked asynchronously "
    "(schedule); HTTP and SQS functions are invoked synchronously and get none.",
    "caching": "runtime behaviour (`caching` in `lift_config`).",
    "resilience": "the runtime's retry, circuit-breaker and HTTP client helpers (see [runtime.md](runtime.md)).",
    "compression": "runtime behaviour: responses over `min_size` bytes are gzipped when the client accepts it.",
    "health": "runtime behaviour: the runtime answers `GET <path>` itself.",
    "policy": "nothing: it selects the packs and suppressions that `liftspec lint` applies.",
    "environments": "nothing by itself: `--env NAME` merges the overlay before anything else happens.",
}

EXAMPLE = """\
liftspec: 1
service: order-service            # 1-40 chars, [a-z0-9-], starts with a letter
description: Orders API and its dead-letter processor
environment: production           # the environment used when --env is not given
region: us-east-1
tags: {team: orders, cost-center: "4410"}

runtime:                          # defaults for every function
  lambda: python3.12              # Lambda runtime id: python3.11..3.13, provided.al2, provided.al2023
  architecture: arm64             # arm64 | x86_64
  memory: 512                     # MB, 128..10240
  code: src/                      # CodeUri, relative to lift.yaml
  variables: {FEATURE_FLAGS: "orders-v2"}   # plain environment variables (never secrets)

timeouts:
  function: 29s                   # Lambda Timeout (1s..900s; at most 30s for HTTP functions)
  request: 28s                    # runtime per-request deadline

functions:                        # at least one; names [a-z][a-z0-9-]*
  api:
    handler: app.handler
    memory: 1024                  # overrides runtime.memory
    variables: {ORDERS_PAGE_SIZE: "50"}     # merged over runtime.variables
    http:                         # HTTP API routes served by this function
      routes: ["ANY /{proxy+}"]
    concurrency:
      reserved: 100
      provisioned: 10
      schedule:                   # scheduled scaling of provisioned concurrency
        - name: business-hours
          cron: "cron(0 8 ? * MON-FRI *)"
          timezone: America/New_York
          min: 20
          max: 50
        - name: night
          cron: "cron(0 20 ? * * *)"
          min: 2
          max: 5
  reconcile:
    handler: jobs.reconcile
    schedule: rate(15 minutes)    # EventBridge invokes it asynchronously: failures go to the DLQ
    concurrency: {reserved: 2}
  dlq-processor:
    handler: dlq.handler
    timeouts: {function: 60s, request: 55s}     # overrides timeouts.* for this function
    sqs: {queue: dead_letter, batch_size: 10}   # consumes the service's own DLQ
    concurrency: {reserved: 5}

logging:
  level: info                     # debug | info | warn | error
  format: json                    # json | text
  retention_days: 30              # one of CloudWatch's allowed values

errors:
  detailed: false                 # true: stack traces in responses (never in production)

security:
  require_https: true
  auth:
    enabled: true
    jwt: {issuer: "https://auth.example.com/", audience: [orders-api]}
  headers:
    strict_transport_security: {max_age: 63072000, include_subdomains: true, preload: true}
    content_security_policy:
      default-src: ["'none'"]
      script-src: ["'self'"]
      style-src: ["'self'"]
      img-src: ["'self'", "data:", "https:"]
      font-src: ["'self'"]
      connect-src: ["'self'"]
      frame-ancestors: ["'none'"]
      base-uri: ["'self'"]
      form-action: ["'self'"]
    x_frame_options: DENY
    x_content_type_options: nosniff
    referrer_policy: strict-origin-when-cross-origin
    permissions_policy: {geolocation: [], microphone: [], camera: []}
  secrets:                        # resolved at run time, never written into the template
    - env: JWT_SECRET_ARN         # the variable the function reads
      secret: prod/orders/jwt     # Secrets Manager name or ARN
      rotation_days: 30           # optional

rate_limit:
  enabled: true
  window: 1m
  max: 1000                       # requests per window
  burst: 200                      # optional; default derived from max

tracing:
  enabled: true
  sampling_rules:                 # first match wins, by priority
    - {name: health, method: GET, path: /health, rate: 0.01, reservoir: 0, priority: 100}
    - {name: default, method: "*", path: "*", rate: 0.1, reservoir: 1, priority: 9000}

metrics:
  enabled: true
  namespace: OrderService         # default: the service name

alarms:
  topic: arn:aws:sns:us-east-1:123456789012:ops-alerts   # or {create: true, email: ops@example.com}
  errors:    {threshold: 10, period: 5m, evaluation_periods: 2}          # Sum of Errors
  latency:   {threshold: 1s, period: 1m, evaluation_periods: 3, statistic: Average}
  throttles: {threshold: 1,  period: 1m, evaluation_periods: 1}
  error_rate: {threshold: 5%, period: 1m, evaluation_periods: 3}        # optional, metric math

deployment:
  strategy: Canary10Percent5Minutes   # AllAtOnce, CanaryNPercentMMinutes or LinearNPercentEveryMMinutes
  alias: live
  rollback_on: [errors, latency]      # alarm names from the alarms section

dead_letter:
  enabled: true
  retention: 14d

caching:    {enabled: true, ttl: 5m}
resilience:
  retry:           {max_attempts: 3, base_delay: 1s, max_jitter: 1s}
  circuit_breaker: {failure_threshold: 5, reset_timeout: 30s}
  http_client:     {timeout: 10s, max_idle_conns: 100, max_idle_conns_per_host: 10, idle_timeout: 90s}
compression: {enabled: true, min_size: 1024}   # gzip responses over min_size bytes
health:      {path: /health}

policy:
  packs: [production]             # built-in names, or paths to a user pack file
  ignore:                         # suppressions: a reason is required, an expiry is allowed
    - rule: LS507                 # sampling rules cannot steer Lambda behind an HTTP API
      reason: "kept for the SDK-instrumented DynamoDB and HTTP client calls"
      until: 2099-06-30

environments:                     # overlays, deep-merged over the base for --env NAME
  staging:
    logging: {level: debug}
    errors: {detailed: true}
    functions: {api: {concurrency: {reserved: 10, provisioned: 0, schedule: []}}}
    policy: {packs: [staging]}
"""

TABLE_ROWS = [
    ("`runtime.variables`, `functions.*.variables`", "Environment.Variables (with the `LIFT_*` and secret variables)", ""),
    (
        "`runtime.*`, `timeouts.function`, `memory`",
        "`AWS::Serverless::Function` Runtime, Architectures, MemorySize, Timeout; "
        "HttpApi event `TimeoutInMillis` = the function timeout (at most 30000)",
        "",
    ),
    ("`timeouts.request`", "", "`request_timeout`: the per-request deadline"),
    ("`functions.*.http.routes`", "one `AWS::Serverless::HttpApi` with HttpApi events", ""),
    (
        "`functions.*.sqs`",
        "SQS event (BatchSize, ReportBatchItemFailures); `queue: dead_letter` means the service's own DLQ, otherwise a queue ARN",
        "",
    ),
    (
        "`functions.*.schedule`",
        "ScheduleV2 event: an `AWS::Scheduler::Schedule` (expression, time zone, input, flexible window)",
        "",
    ),
    (
        "`functions.*.async`",
        "`EventInvokeConfig` (MaximumRetryAttempts, MaximumEventAgeInSeconds, destinations)",
        "",
    ),
    (
        "`resources`, `functions.*.access`",
        "a table, bucket, queue or topic each (docs/resources.md); IAM statements on exactly their ARNs",
        "`resources` (names and ARNs)",
    ),
    (
        "`http.cors`, `http.domain`, `http.access_logs`",
        "HttpApi CorsConfiguration, Domain (TLS 1.2, base path, Route 53), AccessLogSettings + `AWS::Logs::LogGroup`",
        "",
    ),
    ("`concurrency.reserved`", "ReservedConcurrentExecutions", ""),
    ("`concurrency.provisioned`", "AutoPublishAlias + ProvisionedConcurrencyConfig", ""),
    (
        "`concurrency.schedule`",
        "`AWS::ApplicationAutoScaling::ScalableTarget` (ResourceId `function:<fn>:<alias>`) with ScheduledActions",
        "",
    ),
    (
        "`deployment`",
        "AutoPublishAlias + DeploymentPreference (Type, Alarms); "
        "a non-predefined strategy gets its own `AWS::CodeDeploy::DeploymentConfig`",
        "",
    ),
    ("`alarms.*`", "`AWS::CloudWatch::Alarm` on AWS/Lambda, actions to the topic; `error_rate` as metric math", ""),
    ("`tracing.enabled`", "Tracing: Active", "`tracing_enabled`"),
    ("`tracing.sampling_rules`", "`AWS::XRay::SamplingRule`", "the rules, for SDK-level sampling"),
    (
        "`rate_limit`",
        "scope service: HttpApi DefaultRouteSettings ThrottlingRateLimit / ThrottlingBurstLimit; scope client: a "
        "DynamoDB counter table, `dynamodb:UpdateItem` on it only",
        "the per-client counter (scope client) and the per-container burst guard",
    ),
    ("`security.headers`", "", "headers set on every response"),
    (
        "`security.secrets`",
        "env var = secret ARN/name; IAM read access to exactly that secret; optional `AWS::SecretsManager::RotationSchedule`",
        "",
    ),
    (
        "`dead_letter`",
        "`AWS::SQS::Queue` + DeadLetterQueue on every function invoked asynchronously (schedule, S3)",
        "",
    ),
    (
        "`logging`",
        "LoggingConfig (LogFormat, ApplicationLogLevel); `AWS::Logs::LogGroup` with RetentionInDays",
        "`log_level`, `log_format`",
    ),
    ("`metrics`", "", "`metrics_enabled`, `metrics_namespace` (default: the service name)"),
    (
        "`errors`, `security.require_https`, `security.auth`, `caching`, `resilience`, `compression`, `health`",
        "",
        "runtime behaviour",
    ),
]

TABLE = (
    "## What compiles to what\n\n"
    "| lift.yaml | SAM / CloudFormation | runtime config (`lift_config`) |\n|---|---|---|\n"
    + "".join(f"| {a} | {b} | {c} |\n".replace("|  |", "| |") for a, b, c in TABLE_ROWS)
    + "\n"
    + "[runtime.md](runtime.md) describes the runtime config and the layer; [deploy.md](deploy.md) how to\n"
    + "build and deploy the compiled output.\n"
)

FACTS = """\
## Limits worth knowing

Checked against the real SAM translator and cfn-lint; liftspec reports the ones that neither tool catches.

- Lambda timeout at most 900 s; memory 128..10240 MB. An HTTP API integration times out after at most
  30 s, so an HTTP function's timeout must be ≤ 30 s and its request deadline below that.
- `Linear10PercentEvery5Minutes` is not predefined by CodeDeploy: liftspec creates the deployment config
  (SAM alone would pass the unknown name through and the deploy would fail).
- X-Ray sampling rules do not set Lambda's own sampling, and HTTP APIs have no X-Ray support: the rules
  govern SDK-instrumented calls.
- HTTP API throttling is per stage or route, not per client; per-client limits need WAF, which attaches
  to CloudFront or REST APIs, not HTTP APIs.
- A Lambda DLQ only receives failed asynchronous invocations.
- A queue that feeds a function needs a visibility timeout of at least the function's timeout (AWS
  recommends six times it); a queue that liftspec creates gets it right by construction.
- An alarm's period must be 10, 20, 30 or a multiple of 60 seconds, and period × evaluation periods at
  most one day when the period is under an hour.
- A stack holds at most 500 resources; a template body at most 51,200 bytes inline and 1 MB from S3.
"""

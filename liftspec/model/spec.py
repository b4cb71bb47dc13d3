"""Pydantic models for the whole of lift.yaml, format version 1.

Field descriptions become the JSON Schema that editors use, so they are written
for users. Limits that a policy rule reports (memory range, timeout ceilings,
sampling-rule ranges...) are deliberately *not* enforced here: the model accepts
them so that the rule can explain the problem with its own id and fix.
"""

# No `from __future__ import annotations` in this module: pydantic would turn every field's annotation string
# back into a type when the classes are created (about 8 ms of a cold lint). Forward references are quoted.
from datetime import date, timedelta
from types import MappingProxyType
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from liftspec.model.units import Duration, Megabytes, Percent

LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
LAMBDA_RUNTIMES = ("python3.11", "python3.12", "python3.13", "provided.al2", "provided.al2023")
BUILDS = ("go",)
ALARM_NAMES = ("errors", "latency", "throttles", "error_rate", "message_age", "iterator_age")
STRATEGY_PATTERN = r"^(AllAtOnce|Canary\d{1,2}Percent\d{1,4}Minutes?|Linear\d{1,2}PercentEvery\d{1,4}Minutes?)$"

ServiceName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
FunctionName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)]
EnvName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,31}$")]
# Set by Lambda (its reserved keys: https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html)
# or by liftspec's runtime (LIFT_*): a user variable or secret of that name would override them.
RESERVED_VARIABLE_PREFIXES = ("LIFT_", "AWS_LAMBDA_", "_AWS_", "_X_AMZN_")
RESERVED_VARIABLES = (
    "_HANDLER",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
)
# Lambda lets a function set these (a wrapper script such as a vendor's agent); the SDKs' own AWS_* settings
# (AWS_MAX_ATTEMPTS, AWS_STS_REGIONAL_ENDPOINTS, AWS_XRAY_CONTEXT_MISSING...) are not reserved either.
UNRESERVED_VARIABLES = ("AWS_LAMBDA_EXEC_WRAPPER",)
RESERVED_VARIABLE_PATTERN = (
    f"^((?!({'|'.join(UNRESERVED_VARIABLES)})$)({'|'.join(RESERVED_VARIABLE_PREFIXES)})|({'|'.join(RESERVED_VARIABLES)})$)"
)


def reserved_variable(name: str) -> bool:
    if name in UNRESERVED_VARIABLES:
        return False
    return name in RESERVED_VARIABLES or name.startswith(RESERVED_VARIABLE_PREFIXES)


def _not_reserved(name: str) -> str:
    if reserved_variable(name):
        raise PydanticCustomError("reserved_variable", "{name} is reserved", {"name": name})
    return name


VariableName = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$"),
    AfterValidator(_not_reserved),
    Field(json_schema_extra={"not": {"pattern": RESERVED_VARIABLE_PATTERN}}),  # for editors
]
RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,}[0-9]{3}$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
# A file or folder path: no control characters (a NUL cannot be in a path; a newline would break the template).
FilePath = Annotated[str, StringConstraints(min_length=1, pattern=r"^[^\x00-\x1f\x7f]+$")]
# Header values go on the wire as they are: visible ASCII only, no line breaks (header injection).
HeaderToken = Annotated[str, StringConstraints(pattern=r"^[!-~]+$")]
HeaderValue = Annotated[str, StringConstraints(pattern=r"^[!-~]+( [!-~]+)*$")]
# A CSP source list item is one source: ';' would end the directive and ',' the policy (a new one starts).
CspSource = Annotated[str, StringConstraints(pattern=r"^[!-+\--:<-~]+$")]
# One Secrets Manager secret, by name or ARN: no IAM wildcards (* ?), no ${...} (the ARN is built with Fn::Sub).
SecretId = Annotated[
    str,
    StringConstraints(
        pattern=r"^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}$", max_length=2048
    ),
]


ResourceName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)]
AccessLevel = Literal["read", "write", "read_write", "send", "consume", "publish"]


class Section(BaseModel):
    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, coerce_numbers_to_str=True, allow_inf_nan=False, defer_build=True
    )


# --- runtime and functions -------------------------------------------------


class Runtime(Section):
    """Defaults for every function."""

    lambda_: Literal[LAMBDA_RUNTIMES] = Field(  # type: ignore[valid-type]
        "python3.12", alias="lambda", description="Lambda runtime id.", examples=["python3.12"]
    )
    architecture: Literal["arm64", "x86_64"] = Field("arm64", description="Instruction set; arm64 is cheaper.")
    memory: Megabytes = Field(512, description="Memory in MB (128..10240).")
    code: FilePath = Field("src/", description="CodeUri: the folder with the function code, relative to lift.yaml.")
    build: Literal[BUILDS] | None = Field(  # type: ignore[valid-type]
        None,
        description="How sam build builds the code: 'go' compiles the Go module in `code` into `bootstrap` "
        "(provided.al2023 / provided.al2, handler: bootstrap) wrapped by liftspec's Go runtime. Unset: Python runs "
        "the source as it is.",
        examples=["go"],
    )
    variables: dict[VariableName, str] = Field(
        default_factory=dict, description="Plain environment variables for every function (never secrets)."
    )


class Timeouts(Section):
    """Service-wide timeouts; a function's `timeouts` overrides them."""

    function: Duration = Field(timedelta(seconds=30), description="Lambda Timeout (1s..900s).", examples=["30s"])
    request: Duration | None = Field(
        None,
        description="Per-request deadline enforced by the runtime; must be below the function timeout. "
        "Default: the function timeout minus one second.",
        examples=["29s"],
    )


class FunctionTimeouts(Section):
    """This function's own timeouts."""

    function: Duration | None = Field(None, description="Overrides timeouts.function for this function.")
    request: Duration | None = Field(None, description="Overrides timeouts.request for this function.")


# A path is '/' or segments: literal characters of a URL path, or a {variable}; a greedy {variable+} only last.
_SEGMENT = r"([A-Za-z0-9._~:@!$&'()*+,;=-]+|\{[A-Za-z0-9_.-]+\})"
_LAST_SEGMENT = r"([A-Za-z0-9._~:@!$&'()*+,;=-]+|\{[A-Za-z0-9_.-]+\+?\})"
ROUTE_PATTERN = rf"^(\$default|(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) /({_SEGMENT}/)*{_LAST_SEGMENT}?)$"
RouteKey = Annotated[str, StringConstraints(pattern=ROUTE_PATTERN)]
Scope = Annotated[str, StringConstraints(pattern=r"^[!#-\[\]-~]+$", max_length=255)]


class Route(Section):
    """A route with its own access rule; the plain string form means `{route: ...}` with the service's authorizer."""

    route: RouteKey = Field(..., description="'METHOD /path' or '$default'.", examples=["GET /products"])
    public: bool = Field(
        False, description="true: no authorizer on this route (anyone may call it). Cannot be combined with scopes."
    )
    scopes: list[Scope] = Field(
        default_factory=list,
        description="OAuth scopes the JWT must carry for this route (AuthorizationScopes); JWT authorizer only.",
        examples=[["orders:write"]],
    )
    authorizer: Literal["jwt", "lambda"] | None = Field(
        None, description="Which of security.auth's authorizers guards this route. Default: security.auth.default."
    )


class Http(Section):
    routes: list[RouteKey | Route] = Field(
        ...,
        min_length=1,
        description="HTTP API routes: 'METHOD /path' or '$default', or {route, public, scopes, authorizer} for a route "
        "with its own access rule.",
        examples=[["ANY /{proxy+}"], ["GET /products", {"route": "POST /orders", "scopes": ["orders:write"]}]],
    )

    def entries(self) -> list[Route]:
        """Every route in the object form, in the order written."""
        return [Route(route=r) if isinstance(r, str) else r for r in self.routes]


class Sqs(Section):
    queue: NonEmpty | None = Field(
        None, description="'dead_letter' for the service's own DLQ, otherwise a queue ARN. Give either queue or resource."
    )
    resource: ResourceName | None = Field(
        None, description="Name of a queue in this file's `resources` section (its ARN is known). Give either queue or resource."
    )
    batch_size: int = Field(10, ge=1, le=10000, description="Messages per invocation (BatchSize).")
    batching_window: Duration | None = Field(None, description="MaximumBatchingWindowInSeconds (0s..300s).")
    maximum_concurrency: int | None = Field(
        None,
        description="Most concurrent invocations this queue may drive (ScalingConfig.MaximumConcurrency, 2..1000). "
        "Unset: up to the function's concurrency.",
    )
    report_batch_failures: bool = Field(
        True,
        description="The handler returns the ids of the failed messages (ReportBatchItemFailures), so a batch with "
        "one bad message does not retry the good ones.",
    )

    @property
    def fifo(self) -> bool:
        return self.queue is not None and self.queue.endswith(".fifo")  # a `resource` queue: Queue.fifo


class DynamodbStream(Section):
    resource: ResourceName = Field(..., description="Name of a table in `resources` that has a `stream`.")
    batch_size: int = Field(100, ge=1, le=10000, description="Records per invocation (BatchSize).")
    starting_position: Literal["latest", "trim_horizon"] = Field(
        "latest", description="Where a new mapping starts reading: latest (new records only) or trim_horizon (oldest kept)."
    )
    batching_window: Duration | None = Field(None, description="MaximumBatchingWindowInSeconds (up to 300s).")
    max_retries: int = Field(
        3,
        ge=0,
        le=10000,
        description="MaximumRetryAttempts of a failing batch before it is skipped (-1, infinite, is not offered).",
    )


S3Event = Literal["created", "removed"]


def _created_only() -> list[S3Event]:
    return ["created"]


class S3Events(Section):
    resource: ResourceName = Field(..., description="Name of a bucket in `resources`.")
    events: list[S3Event] = Field(
        default_factory=_created_only,
        min_length=1,
        description="created: s3:ObjectCreated:*; removed: s3:ObjectRemoved:*.",
    )
    prefix: str | None = Field(None, description="Only keys starting with this prefix, e.g. images/.")
    suffix: str | None = Field(None, description="Only keys ending with this suffix, e.g. .jpg.")


class ScalingSchedule(Section):
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9-_]*$", max_length=64)] = Field(
        ..., description="Name of the scheduled action (up to 64 chars)."
    )
    cron: NonEmpty = Field(..., description="cron(...), rate(...) or at(...) expression.", examples=["cron(0 8 ? * MON-FRI *)"])
    timezone: str | None = Field(None, description="IANA time zone of the cron expression (default UTC).")
    min: int = Field(..., ge=0, description="Minimum provisioned concurrency.")
    max: int = Field(..., ge=0, description="Maximum provisioned concurrency.")


class Concurrency(Section):
    """Reserved and provisioned concurrency of the function."""

    reserved: int | None = Field(None, ge=0, description="ReservedConcurrentExecutions.")
    provisioned: int = Field(0, ge=0, description="Provisioned concurrency on the alias (0: none).")
    schedule: list[ScalingSchedule] = Field(default_factory=list, description="Scheduled scaling of provisioned concurrency.")


_STATISTIC = Literal["Average", "Sum", "Minimum", "Maximum", "SampleCount", "p50", "p90", "p95", "p99", "p99.9"]


JsonValue = dict[str, object] | list[object] | str | int | float | bool


class Schedule(Section):
    """An EventBridge Scheduler schedule (the string form `rate(...)` means `{expression: rate(...)}`)."""

    expression: NonEmpty = Field(
        ...,
        description="rate(N unit), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss).",
        examples=["cron(0 2 ? * MON-FRI *)"],
    )
    timezone: str | None = Field(
        None, description="IANA time zone the cron or at expression is read in (default UTC).", examples=["Europe/Paris"]
    )
    input: JsonValue | None = Field(
        None, description="The event the function receives, as JSON (any mapping, list or value). Unset: Scheduler's own."
    )
    enabled: bool = Field(True, description="false: the schedule exists but does not fire (State DISABLED).")
    flexible_window: Duration | None = Field(
        None,
        description="Let Scheduler fire up to this long after the scheduled time to spread load (1m..1440m, whole "
        "minutes). Unset: on time.",
    )


class Destination(Section):
    """Where Lambda sends the record of an asynchronous invocation: exactly one of queue, topic, function."""

    queue: (
        Literal["dead_letter"]
        | Annotated[str, StringConstraints(pattern=r"^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$")]
        | None
    ) = Field(None, description="'dead_letter' for the service's own DLQ, or an SQS queue ARN.")
    topic: Annotated[str, StringConstraints(pattern=r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$")] | None = (
        Field(None, description="An SNS topic ARN.")
    )
    function: FunctionName | None = Field(None, description="The name of another function of this service.")

    def names_one(self) -> bool:
        return [self.queue, self.topic, self.function].count(None) == 2


class AsyncInvocation(Section):
    """How Lambda handles asynchronous invocations of this function (AWS::Lambda::EventInvokeConfig)."""

    retries: int = Field(2, ge=0, le=2, description="Retries after a failed asynchronous invocation (0..2).")
    max_event_age: Duration | None = Field(
        None, description="Drop events older than this instead of retrying them (60s..6h). Unset: 6h."
    )
    on_success: Destination | None = Field(None, description="Destination for the records of successful invocations.")
    on_failure: Destination | None = Field(
        None, description="Destination for events that failed every attempt or were too old (besides the DLQ)."
    )


class _AlarmOverride(Section):
    period: Duration | None = Field(None, description="Overrides the service alarm's period.")
    evaluation_periods: int | None = Field(None, ge=1, description="Overrides the service alarm's evaluation_periods.")
    datapoints_to_alarm: int | None = Field(None, ge=1, description="Overrides the service alarm's datapoints_to_alarm.")
    treat_missing_data: Literal["breaching", "notBreaching", "ignore", "missing"] | None = Field(
        None, description="Overrides the service alarm's treat_missing_data."
    )
    statistic: _STATISTIC | None = Field(None, description="Overrides the service alarm's statistic.")


class CountOverride(_AlarmOverride):
    threshold: float | None = Field(None, ge=0, description="Overrides the service alarm's threshold.")


class DurationOverride(_AlarmOverride):
    threshold: Duration | None = Field(None, description="Overrides the service alarm's threshold.")


class RateOverride(_AlarmOverride):
    threshold: Percent | None = Field(None, description="Overrides the service alarm's threshold (percent).")


class FunctionAlarms(Section):
    """Per-function changes to the service alarms: a mapping overrides fields, false switches the alarm off."""

    errors: CountOverride | Literal[False] | None = Field(None, description="Override, or false: no errors alarm.")
    latency: DurationOverride | Literal[False] | None = Field(
        None,
        description="Override, or false. On a function that is not HTTP, a mapping (even {}) adds the latency alarm.",
    )
    throttles: CountOverride | Literal[False] | None = Field(None, description="Override, or false: no throttles alarm.")
    error_rate: RateOverride | Literal[False] | None = Field(None, description="Override, or false: no error_rate alarm.")
    message_age: DurationOverride | Literal[False] | None = Field(
        None, description="Override, or false: no message_age alarm (SQS functions only)."
    )
    iterator_age: DurationOverride | Literal[False] | None = Field(
        None, description="Override, or false: no iterator_age alarm (dynamodb_stream functions only)."
    )


class Function(Section):
    handler: NonEmpty = Field(..., description="module.function of the user's handler.", examples=["app.handler"])
    description: str | None = Field(None, description="The Lambda function's Description.")
    lambda_: Literal[LAMBDA_RUNTIMES] | None = Field(None, alias="lambda", description="Overrides runtime.lambda.")  # type: ignore[valid-type]
    architecture: Literal["arm64", "x86_64"] | None = Field(None, description="Overrides runtime.architecture.")
    memory: Megabytes | None = Field(None, description="Overrides runtime.memory (MB).")
    code: FilePath | None = Field(None, description="Overrides runtime.code.")
    build: Literal[BUILDS] | None = Field(None, description="Overrides runtime.build.")  # type: ignore[valid-type]
    variables: dict[VariableName, str] = Field(default_factory=dict, description="Merged over runtime.variables.")
    timeouts: FunctionTimeouts = Field(default_factory=FunctionTimeouts)
    http: Http | None = Field(None, description="HTTP API routes served by this function.")
    sqs: Sqs | None = Field(None, description="SQS queue this function consumes.")
    dynamodb_stream: DynamodbStream | None = Field(
        None, description="DynamoDB stream of a table in `resources` this function consumes."
    )
    s3: S3Events | None = Field(
        None, description="Object events of a bucket in `resources` that invoke this function (asynchronously)."
    )
    schedule: NonEmpty | Schedule | None = Field(
        None,
        description="EventBridge Scheduler schedule: rate(...), cron(...) or at(...), or {expression, timezone, input, "
        "enabled, flexible_window}. Invoked asynchronously.",
        examples=["rate(15 minutes)", {"expression": "cron(0 2 * * ? *)", "timezone": "Europe/Paris"}],
    )
    concurrency: Concurrency = Field(default_factory=Concurrency)
    async_: AsyncInvocation | None = Field(
        None,
        alias="async",
        description="Retries, maximum event age and destinations of asynchronous invocations (schedule, or other "
        "services invoking the function with InvocationType Event).",
    )
    alarms: FunctionAlarms = Field(
        default_factory=FunctionAlarms, description="Changes to the service alarms for this function only."
    )
    rollback_on: list[Literal[ALARM_NAMES]] | None = Field(  # type: ignore[valid-type]
        None, description="Overrides deployment.rollback_on for this function: alarm names this function has."
    )
    access: dict[ResourceName, AccessLevel] = Field(
        default_factory=dict,
        description="Least-privilege IAM access to resources of this service, by name: read, write or read_write "
        "(table, bucket), send or consume (queue), publish (topic).",
        examples=[{"orders": "read_write", "uploads": "read"}],
    )
    policies: list["IamStatement"] = Field(
        default_factory=list,
        description="Raw IAM policy statements added to this function's role: the escape hatch for access that "
        "`access` cannot express. The production pack reports wildcards in them.",
    )


# --- resources: the data a service owns -------------------------------------


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


_STRING_OR_LIST_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    ]
}
StringOrList = Annotated[list[NonEmpty], BeforeValidator(_as_list), WithJsonSchema(_STRING_OR_LIST_SCHEMA)]


class IamStatement(Section):
    """One IAM policy statement: keys as IAM spells them (Effect, Action, Resource) or in snake_case."""

    sid: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]+$")] | None = Field(
        None, alias="Sid", description="Statement id (letters and digits)."
    )
    effect: Literal["Allow", "Deny"] = Field("Allow", alias="Effect", description="Allow (the default) or Deny.")
    action: StringOrList = Field(
        ..., alias="Action", min_length=1, description="IAM actions (a string or a list), e.g. ssm:GetParameter."
    )
    resource: StringOrList = Field(..., alias="Resource", min_length=1, description="Resource ARNs (a string or a list).")
    condition: dict[str, dict[str, str | list[str]]] | None = Field(None, alias="Condition", description="IAM Condition block.")


KmsKeyArn = Annotated[str, StringConstraints(pattern=r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")]


class Encryption(Section):
    kms_key: KmsKeyArn = Field(
        ...,
        description="The ARN of a customer-managed KMS key (arn:aws:kms:REGION:ACCOUNT:key/ID) to use instead of the "
        "AWS-managed encryption used by default. Functions with access to the resource also get kms:Decrypt and "
        "kms:GenerateDataKey on this key.",
        examples=["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
    )


class KeyAttribute(Section):
    name: Annotated[str, StringConstraints(min_length=1, max_length=255)] = Field(..., description="Attribute name.")
    type: Literal["string", "number", "binary"] = Field("string", description="Attribute type (S, N or B).")


class TableKeys(Section):
    partition: Annotated[str, StringConstraints(min_length=1, max_length=255)] | KeyAttribute = Field(
        ..., description="Partition (hash) key: an attribute name (a string) or {name, type}."
    )
    sort: Annotated[str, StringConstraints(min_length=1, max_length=255)] | KeyAttribute | None = Field(
        None, description="Optional sort (range) key: an attribute name (a string) or {name, type}."
    )


class Throughput(Section):
    read: int = Field(..., ge=1, description="Provisioned read capacity units.")
    write: int = Field(..., ge=1, description="Provisioned write capacity units.")


class Table(Section):
    """A DynamoDB table, encrypted, with point-in-time recovery."""

    type: Literal["table"] = Field(..., description="table: a DynamoDB table.")
    access_levels: ClassVar[tuple[str, ...]] = ("read", "write", "read_write")  # what a function's `access` may say
    keys: TableKeys = Field(..., description="The primary key.", examples=[{"partition": "tenant_id", "sort": "order_id"}])
    billing: Literal["on_demand"] | Throughput = Field(
        "on_demand", description="on_demand (PAY_PER_REQUEST) or provisioned {read: N, write: N}."
    )
    ttl: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = Field(
        None, description="Attribute holding an expiry time (epoch seconds): DynamoDB deletes expired items."
    )
    stream: Literal["new_image", "old_image", "new_and_old", "keys_only"] | None = Field(
        None, description="DynamoDB stream view; needed by a function's dynamodb_stream event."
    )
    point_in_time_recovery: bool = Field(True, description="Continuous backups (35 days). The production pack requires true.")
    deletion_protection: bool | None = Field(
        None, description="DeletionProtectionEnabled. Default: true in production and prod environments, false elsewhere."
    )
    encryption: Encryption | None = Field(None, description="Customer-managed KMS key; default: AWS-managed SSE.")


class Replication(Section):
    region: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$")] = Field(
        ..., description="Region of the destination bucket.", examples=["us-west-2"]
    )
    bucket_arn: Annotated[str, StringConstraints(pattern=r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")] = Field(
        ...,
        description="ARN of the destination bucket (it must exist and have versioning on).",
        examples=["arn:aws:s3:::uploads-replica"],
    )
    kms_key: KmsKeyArn | None = Field(
        None,
        description="KMS key ARN in the destination region that encrypts the replicas; required when the bucket has "
        "encryption.kms_key (S3 replicates KMS-encrypted objects only with a destination key).",
    )


class Lifecycle(Section):
    expire_noncurrent_after: Duration | None = Field(
        None,
        description="Delete noncurrent (overwritten or deleted) object versions after this long (whole days).",
        examples=["90d"],
    )
    abort_incomplete_uploads_after: Duration = Field(
        timedelta(days=7), description="Abort incomplete multipart uploads after this long (whole days)."
    )


class Bucket(Section):
    """An S3 bucket: encrypted, private, TLS-only, versioned."""

    type: Literal["bucket"] = Field(..., description="bucket: an S3 bucket.")
    access_levels: ClassVar[tuple[str, ...]] = ("read", "write", "read_write")
    versioning: bool = Field(True, description="Keep every version of every object. The production pack requires true.")
    public: bool = Field(False, description="true turns the four public-access blocks off. The production pack reports it.")
    require_tls: bool = Field(True, description="A bucket policy denies every request not made over TLS.")
    access_logs: bool = Field(
        True, description="S3 server access logs, written to one access-log bucket of the service (kept 90 days)."
    )
    replicate_to: Replication | None = Field(None, description="Cross-region replication of every object (needs versioning).")
    lifecycle: Lifecycle = Field(default_factory=Lifecycle, description="Lifecycle rules.")
    encryption: Encryption | None = Field(None, description="Customer-managed KMS key; default: SSE-S3 (AES256).")


class Queue(Section):
    """An SQS queue, encrypted, with a dead-letter queue of its own."""

    type: Literal["queue"] = Field(..., description="queue: an SQS queue.")
    access_levels: ClassVar[tuple[str, ...]] = ("send", "consume")
    fifo: bool = Field(False, description="A FIFO queue (exactly-once, ordered per message group).")
    visibility_timeout: Duration | None = Field(
        None, description="VisibilityTimeout. Default: six times the timeout of its slowest consumer, else 30s."
    )
    retention: Duration = Field(timedelta(days=4), description="MessageRetentionPeriod (60s..14d).")
    dead_letter: bool = Field(
        True, description="Redrive messages that keep failing to a dead-letter queue of its own (kept 14 days)."
    )
    max_receive_count: int = Field(5, ge=1, le=1000, description="Receives before a message moves to the dead-letter queue.")
    encryption: Encryption | None = Field(
        None, description="Customer-managed KMS key; default: the AWS-managed key alias/aws/sqs."
    )


class Topic(Section):
    """An SNS topic, encrypted."""

    type: Literal["topic"] = Field(..., description="topic: an SNS topic.")
    access_levels: ClassVar[tuple[str, ...]] = ("publish",)
    fifo: bool = Field(False, description="A FIFO topic.")
    encryption: Encryption | None = Field(
        None, description="Customer-managed KMS key; default: the AWS-managed key alias/aws/sns."
    )


def _resource_tag(value: object) -> str | None:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    found = RESOURCE_CLASSES.get(kind) if isinstance(kind, str) else None
    return found.__name__ if found is not None else None


# A new resource type is its class above and its line here (its renderer module in liftspec/render/sam defines
# what the template makes of it: liftspec/render/sam/kinds.py).
Resource = Annotated[
    Annotated[Table, Tag("Table")]
    | Annotated[Bucket, Tag("Bucket")]
    | Annotated[Queue, Tag("Queue")]
    | Annotated[Topic, Tag("Topic")],
    Discriminator(_resource_tag),
]


def _resource_classes() -> MappingProxyType[str, type[Section]]:
    members = (get_args(member)[0] for member in get_args(get_args(Resource)[0]))
    return MappingProxyType({get_args(cls.model_fields["type"].annotation)[0]: cls for cls in members})


RESOURCE_CLASSES = _resource_classes()  # by `type`, in the union's order
RESOURCE_TYPES = tuple(RESOURCE_CLASSES)


# --- cross-cutting sections ------------------------------------------------


class Logging(Section):
    """Function logs: level, format and retention."""

    level: Literal["debug", "info", "warn", "error"] = Field("info", description="Log level (ApplicationLogLevel).")
    format: Literal["json", "text"] = Field("json", description="Log format (LogFormat): structured JSON or plain text.")
    retention_days: Literal[LOG_RETENTION_DAYS] | None = Field(  # type: ignore[valid-type]
        None, description="CloudWatch Logs retention; one of CloudWatch's allowed values. Unset: logs never expire."
    )


class Errors(Section):
    """What a client sees when the handler fails."""

    detailed: bool = Field(False, description="true: stack traces in responses (never in production).")


class Jwt(Section):
    issuer: NonEmpty = Field(..., description="Token issuer URL (the iss claim).", examples=["https://auth.example.com/"])
    audience: list[NonEmpty] = Field(..., min_length=1, description="Accepted audiences (the aud claim).")
    identity_source: str = Field("$request.header.Authorization", description="Where the token is read from.")


def _authorization_header() -> list[str]:
    return ["$request.header.Authorization"]


class LambdaAuthorizer(Section):
    function_arn: Annotated[
        str, StringConstraints(pattern=r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$")
    ] = Field(
        ...,
        description="ARN of the Lambda function that authorizes requests (payload format 2.0, simple responses).",
        examples=["arn:aws:lambda:us-east-1:123456789012:function:orders-authorizer"],
    )
    identity_sources: list[
        Annotated[
            str,
            StringConstraints(
                pattern=r"^\$(request\.(header|querystring)\.[!#-~]+|context\.[A-Za-z0-9_.]+|stageVariables\.[A-Za-z0-9_]+)$"
            ),
        ]
    ] = Field(
        default_factory=_authorization_header,
        min_length=1,
        description="Where the authorizer's identity is read from; a request missing any of them is refused (401) "
        "without calling the function.",
    )
    result_ttl: Duration = Field(
        timedelta(0), description="How long API Gateway caches the authorizer's answer per identity (0s..1h; 0s: no caching)."
    )


class Auth(Section):
    """Authentication of HTTP requests."""

    enabled: bool = Field(True, description="Requests must be authenticated; false: a public API (reported in production).")
    jwt: Jwt | None = Field(
        None,
        description="JWT authorizer on the HTTP API; it or lambda is required when auth is enabled and a function "
        "serves HTTP (LS008).",
    )
    lambda_: LambdaAuthorizer | None = Field(
        None, alias="lambda", description="Lambda request authorizer on the HTTP API (a function you already deployed)."
    )
    default: Literal["jwt", "lambda"] | None = Field(
        None,
        description="The authorizer of routes that do not name one. Default: jwt when it is configured, else lambda.",
    )

    def default_authorizer(self) -> Literal["jwt", "lambda"] | None:
        if self.default is not None:
            return self.default
        if self.jwt is not None:
            return "jwt"
        return "lambda" if self.lambda_ is not None else None


class Hsts(Section):
    max_age: int = Field(63072000, ge=0, description="Seconds; at least one year (31536000) in production.")
    include_subdomains: bool = Field(True, description="Adds includeSubDomains.")
    preload: bool = Field(False, description="Adds preload (for the browsers' preload list).")


def _directive(name: str) -> Any:
    return Field(None, alias=name, description=f"Sources allowed by {name}.")


class Csp(Section):
    """Content-Security-Policy directives; names keep their own spelling."""

    default_src: list[CspSource] | None = _directive("default-src")
    script_src: list[CspSource] | None = _directive("script-src")
    style_src: list[CspSource] | None = _directive("style-src")
    img_src: list[CspSource] | None = _directive("img-src")
    font_src: list[CspSource] | None = _directive("font-src")
    connect_src: list[CspSource] | None = _directive("connect-src")
    media_src: list[CspSource] | None = _directive("media-src")
    object_src: list[CspSource] | None = _directive("object-src")
    frame_src: list[CspSource] | None = _directive("frame-src")
    child_src: list[CspSource] | None = _directive("child-src")
    worker_src: list[CspSource] | None = _directive("worker-src")
    manifest_src: list[CspSource] | None = _directive("manifest-src")
    frame_ancestors: list[CspSource] | None = _directive("frame-ancestors")
    base_uri: list[CspSource] | None = _directive("base-uri")
    form_action: list[CspSource] | None = _directive("form-action")
    sandbox: list[CspSource] | None = Field(None, description="The sandbox directive's flags ([] for the strictest).")
    upgrade_insecure_requests: bool | None = Field(
        None, alias="upgrade-insecure-requests", description="true adds upgrade-insecure-requests."
    )
    report_uri: list[CspSource] | None = _directive("report-uri")
    report_to: list[CspSource] | None = _directive("report-to")

    def directives(self) -> dict[str, list[str]]:
        """Directive name -> sources, in declaration order, for set directives only."""
        out: dict[str, list[str]] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value is None or value is False:
                continue
            out[field.alias or name] = [] if value is True else list(value)
        return out


def _default_csp() -> Csp:
    return Csp.model_validate({"default-src": ["'none'"], "frame-ancestors": ["'none'"]})


class Headers(Section):
    """Security headers the runtime adds to every HTTP response."""

    strict_transport_security: Hsts | Literal[False] = Field(
        default_factory=Hsts, description="HSTS; false sends none (reported in production)."
    )
    content_security_policy: Csp | Literal[False] = Field(
        default_factory=_default_csp, description="CSP directives; false sends none (reported in production)."
    )
    x_frame_options: HeaderValue | Literal[False] = Field("DENY", description="DENY or SAMEORIGIN.")
    x_content_type_options: HeaderValue | Literal[False] = Field("nosniff", description="nosniff.")
    referrer_policy: HeaderValue | Literal[False] = Field(
        "strict-origin-when-cross-origin", description="Referrer-Policy header value; false sends none."
    )
    permissions_policy: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")], list[HeaderToken]] = Field(
        default_factory=dict, description="Feature -> allowed origins; [] disables the feature."
    )


class Secret(Section):
    env: VariableName = Field(..., description="Environment variable that receives the secret's name or ARN.")
    secret: SecretId = Field(
        ...,
        description="Secrets Manager secret name or ARN: exactly one secret (no * or ? wildcards).",
        examples=["prod/orders/jwt"],
    )
    rotation_days: int | None = Field(
        None, ge=1, le=1000, description="Rotate every N days (AWS::SecretsManager::RotationSchedule)."
    )
    rotation_lambda: str | None = Field(None, description="ARN of the rotation function; omit for secrets with managed rotation.")


class Security(Section):
    """HTTPS, authentication, response headers and secrets."""

    require_https: bool = Field(True, description="Plain-HTTP requests are refused (403).")
    auth: Auth = Field(default_factory=Auth)
    headers: Headers = Field(default_factory=Headers)
    secrets: list[Secret] = Field(default_factory=list, description="Resolved at run time, never written into the template.")


RateLimitKey = Annotated[str, StringConstraints(pattern=r"^(source_ip|jwt_sub|header:[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100})$")]


class RateLimit(Section):
    """Request rate limit: of all clients together (stage throttle) or of each client (a DynamoDB counter)."""

    enabled: bool = Field(True, description="Turns the limit on.")
    window: Duration = Field(timedelta(minutes=1), description="The window that max counts requests over.")
    max: int = Field(6000, ge=1, description="Requests per window: of all clients together (scope service) or of each client.")
    burst: int | None = Field(
        None,
        ge=0,
        description="Size of the per-container token bucket, a local burst guard (scope client: one per client); default: max.",
    )
    scope: Literal["service", "client"] = Field(
        "service",
        description="service: max counts all clients together (the API stage throttle and a per-container bucket). "
        "client: max counts each client apart, across all containers, in a DynamoDB table compiled for it.",
    )
    key: RateLimitKey | None = Field(
        None,
        description="With scope client, what tells clients apart: source_ip, jwt_sub (the JWT's sub claim) or "
        "header:<name>. Default: source_ip.",
        examples=["source_ip", "jwt_sub", "header:X-Api-Key"],
    )
    on_store_error: Literal["allow", "deny"] = Field(
        "allow",
        description="With scope client, the answer when the counter table cannot be reached in time: allow (fail "
        "open: served, logged and counted as the RateLimitStoreErrors metric) or deny (fail closed: 429).",
    )
    store_timeout: Duration = Field(
        timedelta(milliseconds=300),
        description="With scope client, how long a request waits for the counter table (10ms..5s) before on_store_error applies.",
    )

    def client_key(self) -> str:
        return self.key or "source_ip"


# --- the HTTP API as a whole ---------------------------------------------

# (no "](" in the pattern: docs/format.md shows it, and that would read as a Markdown link)
Origin = Annotated[
    str, StringConstraints(pattern=r"^(\*|https?://(\*\.)?([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9])(:\d{1,5})?)$")
]
CorsMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"]
HeaderName = Annotated[str, StringConstraints(pattern=r"^(\*|[!#$%&'*+.^_`|~0-9A-Za-z-]+)$")]


def _cors_default_headers() -> list[str]:
    return ["authorization", "content-type"]


class Cors(Section):
    """CORS answered by the HTTP API itself (CorsConfiguration): preflight requests never reach a function."""

    allow_origins: list[Origin] = Field(
        ...,
        min_length=1,
        description="Origins allowed to call the API: 'https://app.example.com' (scheme, host, optional port; "
        "'https://*.example.com' for subdomains) or '*' for any origin.",
        examples=[["https://shop.example.com"]],
    )
    allow_methods: list[CorsMethod] | None = Field(
        None,
        min_length=1,
        description="Methods allowed cross-origin ('*': all). Default: the methods of the service's routes "
        "('*' when a route is ANY or $default).",
    )
    allow_headers: list[HeaderName] = Field(
        default_factory=_cors_default_headers,
        description="Request headers a browser may send cross-origin.",
    )
    expose_headers: list[HeaderName] = Field(
        default_factory=list, description="Response headers a browser script may read besides the simple ones."
    )
    allow_credentials: bool = Field(
        False, description="true: browsers send cookies and Authorization cross-origin; never with a '*' origin."
    )
    max_age: Duration | None = Field(
        None, description="How long browsers cache a preflight answer (0s..86400s). Unset: the browser's default."
    )


DomainName = Annotated[
    str,
    StringConstraints(max_length=253, pattern=r"^(([a-z0-9]|[a-z0-9][a-z0-9-]{0,61}[a-z0-9])\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$"),
]


class Domain(Section):
    """A custom domain for the HTTP API (a regional AWS::ApiGatewayV2::DomainName with its API mapping)."""

    name: DomainName = Field(..., description="Fully qualified domain name, lower case.", examples=["api.example.com"])
    certificate_arn: Annotated[
        str, StringConstraints(pattern=r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$")
    ] = Field(
        ...,
        description="ACM certificate covering the name, in the service's region (regional endpoint).",
        examples=["arn:aws:acm:us-east-1:123456789012:certificate/0b6d2c4e-1f3a-4b5c-9d8e-7f6a5b4c3d2e"],
    )
    minimum_tls: Literal["1.0", "1.2"] = Field(
        "1.2", description="Lowest TLS version clients may use (SecurityPolicy). HTTP APIs support 1.2 only."
    )
    base_path: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$")] | None = Field(
        None, description="Path under the domain where the API is mapped (no leading slash). Unset: the domain root."
    )
    hosted_zone_id: Annotated[str, StringConstraints(pattern=r"^Z[A-Z0-9]{1,31}$")] | None = Field(
        None, description="Route 53 hosted zone to create the alias record in. Unset: no DNS record is created."
    )


class AccessLogs(Section):
    """HTTP API stage access logs: one JSON line per request in a log group of their own."""

    enabled: bool = Field(True, description="false: no access logs (reported in production).")
    retention_days: Literal[LOG_RETENTION_DAYS] | None = Field(  # type: ignore[valid-type]
        None, description="Retention of the access log group. Default: logging.retention_days."
    )


class HttpApi(Section):
    """Settings of the service's one HTTP API (the routes themselves are under functions.*.http)."""

    cors: Cors | None = Field(None, description="Cross-origin resource sharing, answered by API Gateway. Unset: no CORS.")
    domain: Domain | None = Field(None, description="Custom domain name. Unset: only the execute-api URL.")
    access_logs: AccessLogs = Field(
        default_factory=AccessLogs,
        description="Access logs of the $default stage: request id, route, status, latency, client IP as JSON.",
    )


class SamplingRule(Section):
    """An X-Ray sampling rule (AWS::XRay::SamplingRule)."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$", min_length=1)] = Field(..., description="RuleName.")
    method: str = Field("*", description="HTTPMethod to match; * for any.")
    path: str = Field("*", description="URLPath to match; * for any.")
    host: str = Field("*", description="Host to match; * for any.")
    service_type: str = Field("*", description="ServiceType to match; * for any.")
    resource_arn: str = Field("*", description="ResourceARN to match; * for any.")
    rate: float = Field(..., description="FixedRate, 0..1.", json_schema_extra={"minimum": 0, "maximum": 1})
    reservoir: int = Field(0, ge=0, description="ReservoirSize: traced requests per second before the rate applies.")
    priority: int = Field(..., description="1..9999; lower matches first.", json_schema_extra={"minimum": 1, "maximum": 9999})


class Tracing(Section):
    """AWS X-Ray tracing."""

    enabled: bool = Field(True, description="Tracing: Active on every function.")
    sampling_rules: list[SamplingRule] = Field(
        default_factory=list, description="Sampling rules for SDK-instrumented calls; first match by priority wins."
    )


class Metrics(Section):
    """EMF metrics written by the runtime."""

    enabled: bool = Field(True, description="The runtime writes EMF metrics.")
    namespace: (
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._/#:\- ]*[A-Za-z0-9._/#:\-][A-Za-z0-9._/#:\- ]*$", max_length=255)]
        | None
    ) = Field(
        None,
        description="CloudWatch namespace for EMF metrics: ASCII letters, digits and . - _ / # : or space; not AWS/. "
        "Default: the service name.",
    )


class TopicCreate(Section):
    create: Literal[True] = Field(..., description="Create an SNS topic for the alarms.")
    email: str | None = Field(None, description="Subscribe this address to the created topic.")


class _AlarmBase(Section):
    period: Duration = Field(timedelta(minutes=1), description="10s, 20s, 30s or a multiple of 60s.")
    evaluation_periods: int = Field(1, ge=1, description="Periods to evaluate (EvaluationPeriods).")
    datapoints_to_alarm: int | None = Field(None, ge=1, description="Breaching periods that trigger the alarm; default: all.")
    treat_missing_data: Literal["breaching", "notBreaching", "ignore", "missing"] = Field(
        "notBreaching", description="TreatMissingData."
    )


class CountAlarm(_AlarmBase):
    threshold: float = Field(..., ge=0, description="Count per period that triggers the alarm.")
    statistic: _STATISTIC = Field("Sum", description="Statistic or percentile.")


class LatencyAlarm(_AlarmBase):
    threshold: Duration = Field(..., description="Duration that triggers the alarm.")
    statistic: _STATISTIC = Field("p99", description="Statistic or percentile.")


class RateAlarm(_AlarmBase):
    threshold: Percent = Field(..., description="Errors / Invocations, in percent.")


class AgeAlarm(_AlarmBase):
    threshold: Duration = Field(..., description="Age of the oldest message in the queue.")
    statistic: _STATISTIC = Field("Maximum", description="Statistic of ApproximateAgeOfOldestMessage.")


class IteratorAgeAlarm(_AlarmBase):
    threshold: Duration = Field(..., description="Age of the last record the function read from the stream.")
    statistic: _STATISTIC = Field("Maximum", description="Statistic of IteratorAge.")


class Alarms(Section):
    """CloudWatch alarms on the functions, and where they notify."""

    topic: str | TopicCreate | None = Field(None, description="SNS topic ARN for alarm actions, or {create: true, email: ...}.")
    errors: CountAlarm | None = Field(None, description="Sum of Errors; on every function.")
    latency: LatencyAlarm | None = Field(
        None, description="Duration statistic; on HTTP functions (others only when they set functions.*.alarms.latency)."
    )
    throttles: CountAlarm | None = Field(None, description="Sum of Throttles; on every function.")
    error_rate: RateAlarm | None = Field(None, description="Metric math: 100 * Errors / Invocations; on every function.")
    message_age: AgeAlarm | None = Field(
        None, description="ApproximateAgeOfOldestMessage of the queue an SQS function consumes; on SQS functions only."
    )
    iterator_age: IteratorAgeAlarm | None = Field(
        None, description="IteratorAge of a stream consumer (how far it lags behind); on dynamodb_stream functions only."
    )

    def configured(self) -> dict[str, CountAlarm | LatencyAlarm | RateAlarm | AgeAlarm | IteratorAgeAlarm]:
        return {name: alarm for name in ALARM_NAMES if (alarm := getattr(self, name)) is not None}


class Deployment(Section):
    """Gradual deployments with CodeDeploy."""

    strategy: Annotated[str, StringConstraints(pattern=STRATEGY_PATTERN)] = Field(
        "AllAtOnce",
        description="AllAtOnce, CanaryNPercentMMinutes or LinearNPercentEveryMMinutes.",
        examples=["Linear10PercentEvery5Minutes", "Canary10Percent5Minutes"],
    )
    alias: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,127}$")] = Field(
        "live", description="The alias that is published and shifted (AutoPublishAlias)."
    )
    rollback_on: list[Literal[ALARM_NAMES]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="Alarm names from the alarms section that roll a deployment back."
    )


class DeadLetter(Section):
    """The service's dead-letter queue for failed asynchronous invocations."""

    enabled: bool | None = Field(None, description="Unset: created when a function is invoked asynchronously (schedule).")
    retention: Duration = Field(timedelta(days=14), description="Message retention (60s..14d).")
    alarm: bool = Field(
        True,
        description="An alarm when the queue holds any message (ApproximateNumberOfMessagesVisible > 0), notifying alarms.topic.",
    )


class Caching(Section):
    """Response caching settings for the runtime."""

    enabled: bool = Field(False, description="Turns caching on.")
    ttl: Duration = Field(timedelta(minutes=5), description="How long a cached value is kept.")


class Retry(Section):
    """The runtime's retry helper: exponential backoff with jitter."""

    max_attempts: int = Field(3, ge=1, le=100, description="Attempts in all, the first included.")
    base_delay: Duration = Field(timedelta(milliseconds=100), description="Delay before the first retry; doubles each time.")
    max_jitter: Duration = Field(timedelta(milliseconds=100), description="Random extra delay, up to this much.")


class CircuitBreaker(Section):
    """The runtime's circuit breaker."""

    failure_threshold: int = Field(5, ge=1, description="Consecutive failures that open the circuit.")
    reset_timeout: Duration = Field(timedelta(seconds=30), description="Time the circuit stays open before a trial call.")


class HttpClient(Section):
    """Settings for the runtime's HTTP client."""

    timeout: Duration = Field(timedelta(seconds=10), description="Timeout of one request.")
    max_idle_conns: int = Field(100, ge=0, description="Idle connections kept in all.")
    max_idle_conns_per_host: int = Field(10, ge=0, description="Idle connections kept per host.")
    idle_timeout: Duration = Field(timedelta(seconds=90), description="An idle connection is closed after this.")


class Resilience(Section):
    """Retry, circuit-breaker and HTTP client settings for the runtime's helpers."""

    retry: Retry = Field(default_factory=Retry)
    circuit_breaker: CircuitBreaker = Field(default_factory=CircuitBreaker)
    http_client: HttpClient = Field(default_factory=HttpClient)


class Compression(Section):
    """Gzip compression of responses."""

    enabled: bool = Field(True, description="Gzip responses when the client accepts it.")
    min_size: int = Field(1024, ge=0, description="Gzip responses over this many bytes.")


class Health(Section):
    """The health-check endpoint that the runtime answers itself."""

    path: Annotated[str, StringConstraints(pattern=r"^/\S*$")] = Field("/health", description="Path of the health check.")


class Ignore(Section):
    rule: RuleId = Field(..., description="The rule id to waive.", examples=["LS507"])
    path: str | None = Field(None, description="Dotted path the waiver applies to, e.g. functions.api.memory.")
    reason: str | None = Field(None, description="Why the finding is accepted (required).")
    until: date | None = Field(None, description="The waiver expires after this date (YYYY-MM-DD).")


class Policy(Section):
    """Policy packs and suppressions for `liftspec lint`."""

    packs: list[FilePath] | None = Field(
        None, description="Built-in pack names or paths to pack files. Default: production for production/prod."
    )
    ignore: list[Ignore] = Field(default_factory=list, description="Suppressions: a reason is required.")


class LiftSpec(Section):
    """A resolved lift.yaml: the base with one environment's overlay merged in."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        coerce_numbers_to_str=True,
        allow_inf_nan=False,
        defer_build=True,
        title="lift.yaml",
        json_schema_extra={
            "description": "liftspec: one file per Lambda service (format version 1). Every key is documented in "
            "docs/format.md of the liftspec repository; `liftspec schema --format markdown` prints it."
        },
    )

    liftspec: Literal[1] = Field(..., description="Format version.")
    service: ServiceName = Field(..., description="1-40 chars, [a-z0-9-], starts with a letter.", examples=["order-service"])
    description: str | None = Field(None, description="What the service does (the template's Description).")
    environment: EnvName = Field("production", description="The environment used when --env is not given.")
    region: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-gov)?-[a-z]+-\d$")] | None = Field(
        None, description="AWS region the service is deployed to.", examples=["us-east-1"]
    )
    tags: dict[Annotated[str, StringConstraints(min_length=1, max_length=128)], str] = Field(
        default_factory=dict, description="Tags for the stack's resources."
    )
    runtime: Runtime = Field(default_factory=Runtime)
    timeouts: Timeouts = Field(default_factory=Timeouts)
    functions: dict[FunctionName, Function] = Field(..., min_length=1, description="At least one function.")
    resources: dict[ResourceName, Resource] = Field(
        default_factory=dict,
        description="The data the service owns, by name: type table (DynamoDB), bucket (S3), queue (SQS) or topic (SNS). "
        "Functions reach them through `access` and their event sources.",
    )
    logging: Logging = Field(default_factory=Logging)
    errors: Errors = Field(default_factory=Errors)
    security: Security = Field(default_factory=Security)
    http: HttpApi = Field(default_factory=HttpApi, description="The HTTP API as a whole: CORS, custom domain, access logs.")
    rate_limit: RateLimit = Field(default_factory=RateLimit)
    tracing: Tracing = Field(default_factory=Tracing)
    metrics: Metrics = Field(default_factory=Metrics)
    alarms: Alarms = Field(default_factory=Alarms)
    deployment: Deployment = Field(default_factory=Deployment)
    dead_letter: DeadLetter = Field(default_factory=DeadLetter)
    caching: Caching = Field(default_factory=Caching)
    resilience: Resilience = Field(default_factory=Resilience)
    compression: Compression = Field(default_factory=Compression)
    health: Health = Field(default_factory=Health)
    policy: Policy = Field(default_factory=Policy)
    environments: dict[EnvName, dict[str, object]] = Field(
        default_factory=dict,
        description="Overlays deep-merged over the base for --env NAME: any section except liftspec, service, "
        "environment and environments; maps merge, lists and scalars replace, null resets a key to its default.",
    )


def schedule_of(fn: Function) -> Schedule | None:
    """A function's schedule in the object form."""
    if fn.schedule is None or isinstance(fn.schedule, Schedule):
        return fn.schedule
    return Schedule(expression=fn.schedule)

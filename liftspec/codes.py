"""Every diagnostic code liftspec reports, as constants, and the one table of codes.

A code is a value: its id, name, default severity, summary and documentation (What it does / Why is this
bad / Example / Fix). The codes of loading and validating a file (LS0xx), of compiling (LS7xx) and of packs
and suppressions (LS90x) are defined below. Policy rules (LS1xx-LS6xx, LS80x) are defined next to their
logic: ``@rule(...)`` (liftspec.check.rule) builds the rule's code and registers it here, so adding a rule
touches its module, its pack entries and its test. ``liftspec explain``, ``liftspec rules`` and
docs/rules.md read :data:`TABLE` (through ``liftspec.check.codes.all_codes``, which registers the rules).

The bottom layer: this module imports nothing from liftspec.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True)
class Docs:
    what: str
    why: str
    example: str
    fix: str


@dataclass(frozen=True)
class Code:
    """Any diagnostic id with its documentation (rules, schema codes, compile codes, policy codes, user checks)."""

    id: str
    name: str
    summary: str
    docs: Docs
    kind: str = "rule"  # rule | schema | compile | policy | check (a user pack's declarative check)
    fixable: bool = False
    tags: tuple[str, ...] = ()
    origin: str = "liftspec"  # the pack file that defines a user check
    # Without a pack to say otherwise. Packs decide a rule's severity per environment; a compile code
    # has this severity everywhere (error: nothing is written; warning: the output is written all the same).
    severity: Severity = Severity.ERROR


TABLE: dict[str, Code] = {}  # every built-in code by id; filled when this module and liftspec.check.rules load
_NAMES: set[str] = set()  # the names in TABLE


def register(code: Code) -> Code:
    """Add a built-in code to the table; an id or name defined twice is a bug."""
    if code.id in TABLE:
        raise ValueError(f"code {code.id} defined twice")
    if code.name in _NAMES:
        raise ValueError(f"code name {code.name} defined twice")
    TABLE[code.id] = code
    _NAMES.add(code.name)
    return code


def by_id(id: str) -> Code:
    """The built-in code ``id``; a bare code for another id (a user pack's check read back from the cache)."""
    return TABLE.get(id) or Code(id, "", "", Docs("", "", "", ""), kind="check")


def _define(id: str, name: str, summary: str, docs: Docs, kind: str) -> Code:
    return register(Code(id, name, summary, docs, kind=kind))


def _compile(id: str, name: str, summary: str, docs: Docs, severity: Severity = Severity.ERROR) -> Code:
    # A compile code has one severity in every environment; no pack changes it, and `policy.ignore` cannot waive it.
    return register(Code(id, name, summary, docs, kind="compile", severity=severity))


# --- load, resolve and model: reading and validating the file (LS000-LS011) ---


IO_ERROR = _define(
    "LS000",
    "io-error",
    "The file cannot be read",
    Docs(
        what="Reports a lift.yaml that does not exist or cannot be read (permissions, a folder, a broken link).",
        why="Nothing can be checked. The exit code is 2, as for any usage error, so CI tells a missing file from a "
        "policy finding.",
        example="liftspec lint services/orders/lift.yml   # the file is called lift.yaml",
        fix="Pass the right path, or a folder: `liftspec lint services/` finds every lift.yaml below it.",
    ),
    kind="schema",
)


YAML_SYNTAX = _define(
    "LS001",
    "yaml-syntax",
    "YAML syntax error, or not a UTF-8 text file",
    Docs(
        what="Reports YAML that cannot be parsed, a file that is not UTF-8 text, and files with more than one YAML document.",
        why="A file the parser cannot read means nothing at all can be deployed from it.",
        example="functions:\n  api:\n    handler: app.handler\n   memory: 512     # wrong indentation",
        fix="Fix the indentation, quoting or colon at the reported position; save the file as UTF-8.",
    ),
    kind="schema",
)


DUPLICATE_KEY = _define(
    "LS002",
    "duplicate-key",
    "A key is written twice in one mapping",
    Docs(
        what="Reports a key that appears twice in the same mapping.",
        why="YAML parsers silently keep one of the two values (usually the last): the setting you read is not "
        "necessarily the one that is deployed.",
        example="logging:\n  level: info\n  level: debug",
        fix="Remove one of them.",
    ),
    kind="schema",
)


UNKNOWN_KEY = _define(
    "LS003",
    "unknown-key",
    "Unknown key",
    Docs(
        what='Reports keys the lift.yaml format does not define, with a "did you mean" for likely typos.',
        why="A misspelt key is otherwise ignored, so the setting silently keeps its default: `requre_https: false` "
        "would do nothing at all.",
        example="security:\n  requre_https: true",
        fix="Rename the key as suggested; `liftspec schema` prints every key the format accepts.",
    ),
    kind="schema",
)


INVALID_VALUE = _define(
    "LS004",
    "invalid-value",
    "A value has the wrong type or is not allowed",
    Docs(
        what="Reports values of the wrong type (a string where a number is expected), values outside an allowed set "
        "(`level: verbose`), and malformed durations, names or routes.",
        why="The value cannot be translated into a deployable setting.",
        example="runtime:\n  memory: 1GB",
        fix="Use the form given in the message and hint (`memory: 1024`; durations like `500ms`, `29s`, `5m`).",
    ),
    kind="schema",
)


MISSING_KEY = _define(
    "LS005",
    "missing-key",
    "A required key is missing, or the file is empty",
    Docs(
        what="Reports a missing required key (`liftspec`, `service`, `functions`, a function's `handler`...) and empty files.",
        why="The service cannot be described without it.",
        example="liftspec: 1\nfunctions:\n  api: {handler: app.handler}",
        fix="Add the key (here `service: my-service`); `liftspec init` writes a complete starter file.",
    ),
    kind="schema",
)


YAML_TAG = _define(
    "LS006",
    "yaml-tag",
    "A YAML tag is not allowed",
    Docs(
        what="Reports explicit YAML tags other than the standard scalar ones (`!!python/object`, `!Ref`, custom tags).",
        why="lift.yaml is plain data. Tags that construct objects are a code-execution risk in other YAML tools, and "
        "CloudFormation tags such as `!Ref` have no meaning here.",
        example="runtime:\n  code: !Ref CodeBucket",
        fix="Remove the tag and write a plain value.",
    ),
    kind="schema",
)


TOO_LARGE = _define(
    "LS007",
    "too-large",
    "The file is too large or too deeply nested",
    Docs(
        what='Reports files over 1 MB, documents that expand to more than 20,000 values through aliases ("billion '
        'laughs"), and nesting deeper than 64 levels.',
        why="A lift.yaml describes one service in a few kilobytes; anything this large is the wrong file or a denial "
        "of service aimed at the tools that read it.",
        example="a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n# ... and so on",
        fix="Check that this is the right file; use anchors without nested expansion.",
    ),
    kind="schema",
)


INCONSISTENT = _define(
    "LS008",
    "inconsistent",
    "The configuration contradicts itself",
    Docs(
        what="Reports settings that are valid one by one but not together: rollback_on naming an alarm that is not "
        "defined (or, on a function, that the function does not have), a function with two kinds of trigger, an "
        "SQS function reading the DLQ while it is disabled, a secret that is also a plain variable, auth enabled "
        "without an authorizer, a route that is public and has scopes or names an authorizer that is not "
        "configured, scopes with the Lambda authorizer, a function alarm override with no threshold to inherit, "
        "an asynchronous destination that names nothing, several things, or a function that does not exist, "
        "a client rate limit keyed on a JWT no authorizer verifies, access to or an event source on a resource "
        "that is not declared or not of the right type (`publish` on a table, `dynamodb_stream` on a bucket), "
        "a queue that Lambda could not consume (visibility timeout below the consumer's timeout, FIFO batch limits).",
        why="There is no deployable reading of the file.",
        example="deployment:\n  rollback_on: [latency]\nalarms:\n  errors: {threshold: 1}",
        fix="Follow the hint: define what is referenced, or remove the reference.",
    ),
    kind="schema",
)


UNKNOWN_ENVIRONMENT = _define(
    "LS009",
    "unknown-environment",
    "Unknown environment",
    Docs(
        what="Reports `--env NAME` when the file has neither an `environments.NAME` overlay nor `environment: NAME`.",
        why="A typo in a pipeline's environment name would otherwise lint or compile the wrong configuration. The "
        "exit code is 2 (a usage error).",
        example="liftspec lint --env prodution",
        fix="Use one of the environments the message lists, or add the overlay.",
    ),
    kind="schema",
)


YAML_MERGE_KEY = _define(
    "LS010",
    "yaml-merge-key",
    "YAML merge keys (<<) are not supported",
    Docs(
        what="Reports the first `<<:` merge key in the file (in lift.yaml and in YAML policy packs).",
        why="A merged value has no place of its own in the file: findings would point at the anchored value (or "
        "the one it overrides), inline suppressions next to the merged key would miss, and `--fix` could not "
        "write the change where it takes effect.",
        example="defaults: &defaults {memory: 1024}\nfunctions:\n  api:\n    <<: *defaults\n    handler: app.handler",
        fix="Write the keys out where they apply; for what differs between environments use "
        "`environments.NAME` overlays, and for what all functions share the service-wide sections "
        "(`runtime`, `timeouts`). Plain anchors and aliases (`*name` as a value) are still allowed.",
    ),
    kind="schema",
)


RESERVED_VARIABLE_NAME = _define(
    "LS011",
    "reserved-variable-name",
    "An environment variable name is reserved",
    Docs(
        what="Reports plain variables (`runtime.variables`, `functions.*.variables`) and secrets "
        "(`security.secrets[].env`) named `LIFT_*`, `AWS_LAMBDA_*` (but `AWS_LAMBDA_EXEC_WRAPPER`), `_AWS_*`, "
        "`_X_AMZN_*`, `AWS_REGION`, `AWS_DEFAULT_REGION`, `AWS_EXECUTION_ENV`, the credentials (`AWS_ACCESS_KEY`, "
        "`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), `_HANDLER`, `LAMBDA_TASK_ROOT` or "
        "`LAMBDA_RUNTIME_DIR`: the names Lambda reserves. The SDKs' own settings (`AWS_MAX_ATTEMPTS`, "
        "`AWS_XRAY_CONTEXT_MISSING`...) are yours to set.",
        why="liftspec's runtime reads `LIFT_*` variables to find your handler and configure itself; Lambda sets "
        "the others (credentials, region, handler, task root) and rejects most of them at deploy time. A secret "
        "named `LIFT_HANDLER` or `AWS_ACCESS_KEY_ID` would replace the runtime's own value.",
        example="security:\n  secrets:\n    - {env: LIFT_HANDLER, secret: prod/orders/jwt}",
        fix="Rename the variable (e.g. `ORDERS_JWT_SECRET`); set what a LIFT_ variable stands for with its "
        "lift.yaml setting (`logging.level`, `metrics.enabled`...).",
    ),
    kind="schema",
)


# --- compile: render and verify (LS701-LS725) ---
_NO_VERIFY = "It runs unless you compile with `--no-verify`."
_LIMIT_RUN = (
    "It is checked on the template after the SAM transform, the one CloudFormation creates the stack from, unless "
    "you compile with `--no-verify`."
)


SAM_TRANSLATOR_ERROR = _compile(
    "LS701",
    "sam-translator-error",
    "The SAM translator rejects the compiled template",
    Docs(
        what="Reports errors from aws-sam-translator, which turns the generated template.yaml into plain "
        "CloudFormation the way `sam deploy` does. The finding points at the lift.yaml entry that produced the "
        "rejected resource, or at the top of the file when no entry did. It runs unless you compile with "
        "`--no-verify`, and with `--cfn` it runs even then.",
        why="A template the translator rejects fails at deploy time, before any resource is created. liftspec "
        "validates lift.yaml first, so this is rare: usually a value that is valid on its own but not in the "
        "resource it compiles to.",
        example="liftspec compile\n"
        "lift.yaml:14:3: LS701 the SAM translator rejects the template: Resource with id [ApiFunction] is invalid. ...",
        fix="Change the value the finding points at. If it points at the top of the file, or the lift.yaml looks "
        "right, look at the template with `liftspec compile --no-verify` and report a liftspec bug.",
    ),
)


CFN_LINT_ERROR = _compile(
    "LS702",
    "cfn-lint-error",
    "cfn-lint reports an error in the compiled template",
    Docs(
        what="Reports cfn-lint errors in either form of the output: template.yaml (SAM) and the template after the "
        "SAM transform. The message gives the cfn-lint rule, the first place in the template and how many more "
        "places have the same problem; the finding points at the lift.yaml value behind it. " + _NO_VERIFY,
        why="cfn-lint errors are values CloudFormation or the service would refuse: the deploy fails, often after "
        "part of the stack has been created and must be rolled back.",
        example="tags:\n  team: payments\n  aws:team: payments   # cfn-lint E3024: the aws: prefix is reserved",
        fix="Change the lift.yaml value the finding points at. If it points at the top of the file, liftspec "
        "generated the bad value itself: inspect the template with `liftspec compile --no-verify` and report a "
        "liftspec bug.",
    ),
)


CFN_LINT_WARNING = _compile(
    "LS703",
    "cfn-lint-warning",
    "cfn-lint reports a warning in the compiled template",
    Docs(
        what="Reports cfn-lint warnings in either form of the output (template.yaml and the template after the SAM "
        "transform), mapped back to the lift.yaml value behind them, like LS702. A warning does not stop the "
        "compile: the output is written. " + _NO_VERIFY,
        why="cfn-lint warnings are settings that deploy but are likely not what was meant, or that AWS has deprecated.",
        example="liftspec compile\n"
        "lift.yaml:LINE:COL: LS703 warning: cfn-lint WNNNN: MESSAGE, in template.json: RESOURCE.PROPERTY (line N)",
        fix="Read the cfn-lint rule the message names and change the value the finding points at; a warning at "
        "the top of the file is a liftspec bug worth reporting.",
    ),
    severity=Severity.WARNING,
)


CFN_LINT_FAILED = _compile(
    "LS704",
    "cfn-lint-failed",
    "cfn-lint could not check the template",
    Docs(
        what="Reports that cfn-lint itself failed: it crashed, its rules did not load, or its worker process "
        "stopped. The message carries cfn-lint's error.",
        why="The template was not checked, so liftspec cannot tell whether it would deploy; compile treats that as "
        "an error rather than writing an unchecked output silently.",
        example="liftspec compile\nlift.yaml:1:1: LS704 cfn-lint could not check the template: rules failed to load",
        fix="Run `cfn-lint` on the template by hand to see why (a broken install or a version mismatch is the usual "
        "cause: reinstall liftspec's dependencies). To compile anyway, `liftspec compile --no-verify` skips "
        "cfn-lint along with the other checks.",
    ),
)


# verify: CloudFormation limits
TOO_MANY_RESOURCES = _compile(
    "LS711",
    "too-many-resources",
    "The stack would have more than 500 resources",
    Docs(
        what="Reports a stack with more than 500 resources after the SAM transform, CloudFormation's limit per "
        "stack. The hint says how many resources the functions add (the range per function and the largest "
        "ones) and how many the service itself adds. " + _LIMIT_RUN,
        why="CloudFormation refuses to create or update the stack. The SAM transform multiplies resources: a "
        "function with an alias, alarms, provisioned concurrency and an HTTP route becomes ten or more.",
        example='functions:\n  fn001: {handler: app.fn001, http: {routes: ["GET /fn001"]}, concurrency: {provisioned: 1}}\n'
        "  # ... 60 functions like this, with alarms and a deployment section",
        fix="Split the service into several lift.yaml files (one stack each), or give fewer functions an alias, "
        "alarms or provisioned concurrency.",
    ),
)


TEMPLATE_TOO_LARGE = _compile(
    "LS712",
    "template-too-large",
    "The template is over CloudFormation's 1 MB limit",
    Docs(
        what="Reports a template over 1,000,000 bytes: template.yaml, or the template after the SAM transform as "
        "CloudFormation stores it (compact JSON). The hint names the functions that take the most space. " + _LIMIT_RUN,
        why="CloudFormation refuses templates over 1 MB, even uploaded through S3.",
        example="functions:\n  # hundreds of functions, or very long routes, variables and policies",
        fix="Split the service into several lift.yaml files (one stack each).",
    ),
)


TEMPLATE_NEEDS_S3 = _compile(
    "LS713",
    "template-needs-s3",
    "template.yaml is too large to deploy inline",
    Docs(
        what="Reports a template.yaml over 51,200 bytes that is still under the 1 MB limit (over that, LS712 is "
        "reported instead). A warning: the output is written. " + _LIMIT_RUN,
        why="CloudFormation takes at most 51,200 bytes in the request itself; a larger template must be uploaded "
        "to S3 first, so a plain `sam deploy` or `aws cloudformation deploy` without a bucket fails.",
        example="liftspec compile\n"
        "lift.yaml:5:1: LS713 warning: template.yaml is 61,234 bytes; CloudFormation takes at most 51,200 inline",
        fix="Deploy through S3: `sam deploy --resolve-s3` (or `--s3-bucket NAME`) uploads the template as well as "
        "the code. Or split the service into several lift.yaml files.",
    ),
    severity=Severity.WARNING,
)


TOO_MANY_OUTPUTS = _compile(
    "LS714",
    "too-many-outputs",
    "The template has more than 200 outputs or parameters",
    Docs(
        what="Reports a template with more than 200 outputs or more than 200 parameters, before or after the SAM "
        "transform. liftspec itself writes only a few outputs and no parameters, so this is a safety net. " + _LIMIT_RUN,
        why="CloudFormation refuses the template.",
        example="liftspec compile\nlift.yaml:5:1: LS714 the template has 201 outputs; CloudFormation allows 200",
        fix="Split the service into several lift.yaml files; if a single lift.yaml hits this, report a liftspec bug.",
    ),
)


# render: what a lift.yaml cannot be compiled into
ENV_VARS_TOO_LARGE = _compile(
    "LS715",
    "env-vars-too-large",
    "A function's environment variables are over Lambda's 4 KB limit",
    Docs(
        what="Reports a function whose environment variables take more than 4,096 bytes, counting names and values "
        "of `runtime.variables`, the function's own `variables`, secrets' variables and the LIFT_* variables "
        "liftspec sets. The finding points at the function's `variables` when it has some, else at "
        "`runtime.variables`.",
        why="Lambda rejects the function configuration: the deploy fails.",
        example='runtime:\n  variables:\n    ALLOWED_ORIGINS: "https://a.example.com,https://b.example.com,..."   # 4 KB of text',
        fix="Move large values to SSM Parameter Store or a configuration file shipped with the code, and read them at start-up.",
    ),
)


RESERVED_VARIABLE = _compile(
    "LS716",
    "reserved-variable",
    "A variable has a name liftspec sets itself",
    Docs(
        what="Reports a variable in `runtime.variables` or a function's `variables` named like one that liftspec "
        "sets on every function: LIFT_ENVIRONMENT, LIFT_LOG_LEVEL, LIFT_METRICS_ENABLED, LIFT_TRACING_ENABLED, "
        "LIFT_FUNCTION and LIFT_HANDLER.",
        why="The runtime reads these variables to configure logging, metrics and tracing and to find your handler, "
        "so liftspec's value wins: yours would be silently ignored.",
        example="functions:\n  api:\n    handler: app.handler\n    variables:\n      LIFT_LOG_LEVEL: debug",
        fix="Rename the variable (names starting with LIFT_ are reserved for the runtime), or set the lift.yaml "
        "setting it stands for (here `logging.level`).",
    ),
)


INVALID_DEPLOYMENT_STRATEGY = _compile(
    "LS717",
    "invalid-deployment-strategy",
    "A custom deployment strategy shifts 0% or waits 0 minutes",
    Docs(
        what="Reports a `deployment.strategy` of the form CanaryNPercentMMinutes or LinearNPercentEveryMMinutes "
        "that is not one of CodeDeploy's predefined configurations and has a percentage outside 1..99 or an "
        "interval under one minute. liftspec writes its own CodeDeploy configuration for such strategies, so it "
        "is checked only when a function is deployed through an alias.",
        why="CodeDeploy refuses the deployment configuration, so the deploy fails.",
        example="deployment:\n  strategy: Linear0PercentEvery5Minutes",
        fix="Use 1 to 99 percent and at least one minute, e.g. `Linear10PercentEvery5Minutes` or `Canary10Percent5Minutes`.",
    ),
)


MISSING_CODE_FOLDER = _compile(
    "LS718",
    "missing-code-folder",
    "The code folder does not exist",
    Docs(
        what="Reports a code folder (`runtime.code`, `src/` by default, or a function's `code`) that does not "
        "exist. Code folders are relative to the folder that holds lift.yaml; each missing folder is reported "
        "once.",
        why="The template points each function at its code folder: `sam build` fails, or there is no code to deploy.",
        example="runtime:\n  code: lambda/   # the code is in src/",
        fix="Create the folder, or point `code` at the folder that holds the function's code.",
    ),
)


GO_MODULE_NOT_FOUND = _compile(
    "LS719",
    "go-module-not-found",
    "A build: go function's code folder has no go.mod",
    Docs(
        what="For `build: go`, reports a code folder without go.mod (sam build's Go builder needs the module there). "
        "A warning: the output is written, since the module may be generated before `sam build`. (A Python "
        "handler whose module or function is missing is LS311, reported by `liftspec lint`.)",
        why="`sam build` fails to build the function: BuildMethod go1.x runs `go build` in the code folder.",
        example="runtime:\n  lambda: provided.al2023\n  build: go\n  code: cmd/api/   # no go.mod here",
        fix="Run `go mod init` in the code folder; docs/go.md shows the require and replace lines liftspec's module needs.",
    ),
    severity=Severity.WARNING,
)


LOGICAL_ID_CLASH = _compile(
    "LS720",
    "logical-id-clash",
    "Two names compile to the same logical id",
    Docs(
        what="Reports two functions, or two other named entries such as sampling rules, whose names differ only in "
        "punctuation. Logical ids keep just the letters and digits of a name (`api-1` and `api1` both become "
        "`Api1Function`).",
        why="A template cannot hold two resources with one logical id: one would silently replace the other.",
        example="functions:\n  api-1: {handler: app.v1}\n  api1: {handler: app.v2}",
        fix="Rename one of them so that the names differ in more than punctuation (`api-v1`, `api-v2`).",
    ),
)


OUTPUT_IN_CODE_FOLDER = _compile(
    "LS721",
    "output-in-code-folder",
    "The output folder is inside a code folder",
    Docs(
        what="Reports a code folder that contains the compile output folder (`build/lift/<env>` next to lift.yaml "
        "by default, or `--out`). A warning: the output is written.",
        why="`sam build` packages the whole code folder, so every function would ship the compiled templates and "
        "runtime files of every environment: larger packages, slower deploys and cold starts.",
        example="runtime:\n  code: .   # lift.yaml's folder, which holds build/lift/",
        fix="Keep the code in its own folder (`code: src/`), or compile with `--out` to a folder outside it.",
    ),
    severity=Severity.WARNING,
)


UNWRITABLE_VALUE = _compile(
    "LS722",
    "unwritable-value",
    "A value cannot be written to the output",
    Docs(
        what="Reports a value that the template or the runtime's configuration cannot hold, such as an infinite "
        "number. The message says which value.",
        why="No valid template or configuration can be generated, so nothing is written.",
        example="alarms:\n  errors: {threshold: .inf}",
        fix="Change the value the message names to a finite number or plain text.",
    ),
)


ZERO_RATE_LIMIT_WINDOW = _compile(
    "LS723",
    "zero-rate-limit-window",
    "The rate limit window is zero",
    Docs(
        what="Reports `rate_limit.window: 0s` (or any window of zero length) when rate limiting is enabled and the "
        "service has HTTP functions.",
        why="The HTTP API's throttling rate is requests per window divided by the window: with a zero window there "
        "is no rate to configure.",
        example="rate_limit:\n  window: 0s\n  max: 100",
        fix="Write the window the limit counts requests over, e.g. `1s` or `1m`; set `rate_limit.enabled: false` to "
        "switch rate limiting off.",
    ),
)


CODE_FOLDER_TOO_LARGE = _compile(
    "LS724",
    "code-folder-too-large",
    "The code folder holds more than a function can",
    Docs(
        what="With `--cfn`, compile reads the code folder to name the code by its content. It reports a code folder "
        "with more than 20,000 files or 250 MB, Lambda's limit for unzipped code and layers, and stops reading it.",
        why="Such a folder cannot be deployed, and is usually a mistake: `code: /` or `code: ..` points at a whole "
        "disk or repository, which would be read (and packaged) in full.",
        example="runtime:\n  code: /",
        fix="Point `code` at the folder that holds the function's code only, e.g. `code: src/`.",
    ),
)


UNPACKABLE_CODE_FILE = _compile(
    "LS725",
    "unpackable-code-file",
    "The code folder holds something that is not a file",
    Docs(
        what="With `--cfn`, reports an entry of the code folder that cannot be read as a file: a symlink to a file "
        "that does not exist, a named pipe, a device or a socket (at most five per folder). It is left out of the "
        "code's content key. A warning: the output is written.",
        why="`sam build` copies the code folder into the package and fails on, or leaves out, such an entry.",
        example="runtime:\n  code: src/   # src/config.json -> ../config.json, which was deleted",
        fix="Remove the entry from the code folder, or replace it by the regular file it should be.",
    ),
    severity=Severity.WARNING,
)


# --- packs and suppressions (LS900-LS906) ---


PACK_ERROR = _define(
    "LS900",
    "pack-error",
    "A policy pack cannot be used",
    Docs(
        what="Reports a pack named in `policy.packs` (or in `[tool.liftspec]`) that is not a built-in pack and not a "
        "readable pack file, and pack files that do not follow schemas/pack.schema.json: unknown keys, unknown rule "
        "ids, invalid JSON Schemas in checks.",
        why="The rules the pack was meant to enforce would silently not run.",
        example="policy:\n  packs: [producton]",
        fix="Use a built-in name (`production`, `staging`, `baseline`) or a path relative to lift.yaml ending in "
        ".yaml, .yml or .json; see `liftspec rules` and docs/rules.md for the pack format.",
    ),
    kind="policy",
)


SUPPRESSION_WITHOUT_REASON = _define(
    "LS901",
    "suppression-without-reason",
    "A suppression has no reason",
    Docs(
        what="Reports `policy.ignore` entries without `reason`, and inline `# liftspec: ignore[ID]` comments with no "
        "text after the brackets. Such a suppression is not applied.",
        why="A waiver without a reason cannot be reviewed: nobody can tell later whether it is still needed or who "
        "accepted the risk.",
        example="policy:\n  ignore:\n    - rule: LS202",
        fix='Add why the finding is acceptable: `reason: "public webhook, requests are HMAC-signed"`.',
    ),
    kind="policy",
)


SUPPRESSION_EXPIRED = _define(
    "LS902",
    "suppression-expired",
    "A suppression is past its until date",
    Docs(
        what="Reports `policy.ignore` entries (and inline comments with `until=YYYY-MM-DD`) whose date has passed. The "
        "suppression is no longer applied, so the original finding is reported again too.",
        why="Temporary waivers are how known risks become permanent. The date forces the decision to be made again.",
        example='policy:\n  ignore:\n    - {rule: LS401, reason: "load test running", until: 2024-01-31}',
        fix="Fix the finding and remove the suppression, or extend `until` with a reason that still holds.",
    ),
    kind="policy",
)


SUPPRESSION_UNUSED = _define(
    "LS903",
    "suppression-unused",
    "A suppression matched nothing",
    Docs(
        what="Reports suppressions that waived no finding in any environment where their rule is enabled, and "
        "suppressions of rule ids that no loaded pack defines.",
        why="Stale waivers hide future problems: when the finding returns it is silently ignored. They also hide "
        "typos (`LS240` for `LS204`) that leave the real finding unsuppressed.",
        example='policy:\n  ignore:\n    - {rule: LS101, reason: "debugging the payment flow"}   # level is info now',
        fix="Remove the suppression, or correct its rule id or path.",
    ),
    kind="policy",
)


SUPPRESSION_NOT_ALLOWED = _define(
    "LS904",
    "suppression-not-allowed",
    "The rule may not be suppressed",
    Docs(
        what="Reports suppressions of rules that a pack marks as not suppressible (limits that would fail a deploy, "
        "detailed errors and HTTPS in production) and of schema codes. The suppression is not applied.",
        why="Some findings are never acceptable in an environment: waiving them only moves the failure to deploy "
        "time or to an incident.",
        example='policy:\n  ignore:\n    - {rule: LS102, reason: "easier debugging"}',
        fix="Fix the finding. If a different set of rules really applies to this environment, choose other packs in "
        "`policy.packs`.",
    ),
    kind="policy",
)


SUPPRESSION_MALFORMED = _define(
    "LS905",
    "suppression-malformed",
    "An inline suppression comment cannot be read",
    Docs(
        what="Reports comments that start like a suppression (`# liftspec:`) but do not have the form "
        "`# liftspec: ignore[ID, ...] reason` (optionally `until=YYYY-MM-DD` before the reason).",
        why="A malformed comment suppresses nothing, while its author believes it does.",
        example="  level: debug   # liftspec: ignore LS101",
        fix="`  level: debug   # liftspec: ignore[LS101] investigating ticket OPS-1234`",
    ),
    kind="policy",
)


FLOOR_PACK_LEFT_OUT = _define(
    "LS906",
    "floor-pack-left-out",
    "policy.packs leaves out the environment's floor pack",
    Docs(
        what="Reports `policy.packs` (or `[tool.liftspec] default-packs`) that leave out a pack marked as the floor "
        "of the environment: `production` in environments named production or prod. The floor pack is applied "
        "anyway.",
        why="Choosing packs is for adding rules. Without a floor, `policy.packs: [baseline]` would silently switch "
        "off every production rule, including those no suppression may waive.",
        example="environment: production\npolicy:\n  packs: [baseline]",
        fix="Keep the floor pack in the list and add your own: `policy.packs: [production, ./acme-pack.yaml]`. "
        "To accept one finding, suppress it with a reason.",
    ),
    kind="policy",
)

"""The documentation of the codes `liftspec compile` reports (LS701-LS725), for `liftspec explain` and docs/rules.md.

liftspec.check.codes picks up ``CODES``. Kept light: `liftspec explain` imports it, and nothing here may
pull in the SAM translator or cfn-lint. A compile code has one severity in every environment; no pack
changes it, and `policy.ignore` cannot waive it.
"""

from __future__ import annotations

from dataclasses import dataclass

from liftspec.check.rule import Code, Docs


@dataclass(frozen=True)
class CompileCode(Code):
    severity: str = "error"  # error: nothing is written; warning: the output is written all the same


def _code(id: str, name: str, summary: str, docs: Docs, severity: str = "error") -> CompileCode:
    return CompileCode(id, name, summary, docs, kind="compile", severity=severity)


_NO_VERIFY = "It runs unless you compile with `--no-verify`."
_LIMIT_RUN = (
    "It is checked on the template after the SAM transform, the one CloudFormation creates the stack from, unless "
    "you compile with `--no-verify`."
)

CODES: tuple[CompileCode, ...] = (
    # --- verify: the SAM translator and cfn-lint -----------------------------
    _code(
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
    ),
    _code(
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
    ),
    _code(
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
        severity="warning",
    ),
    _code(
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
    ),
    # --- verify: CloudFormation limits -------------------------------------------
    _code(
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
    ),
    _code(
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
    ),
    _code(
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
        severity="warning",
    ),
    _code(
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
    ),
    # --- render: what a lift.yaml cannot be compiled into ---------------------------
    _code(
        "LS715",
        "env-vars-too-large",
        "A function's environment variables are over Lambda's 4 KB limit",
        Docs(
            what="Reports a function whose environment variables take more than 4,096 bytes, counting names and values "
            "of `runtime.variables`, the function's own `variables`, secrets' variables and the LIFT_* variables "
            "liftspec sets. The finding points at the function's `variables` when it has some, else at "
            "`runtime.variables`.",
            why="Lambda rejects the function configuration: the deploy fails.",
            example="runtime:\n  variables:\n"
            '    ALLOWED_ORIGINS: "https://a.example.com,https://b.example.com,..."   # 4 KB of text',
            fix="Move large values to SSM Parameter Store or a configuration file shipped with the code, and read them "
            "at start-up.",
        ),
    ),
    _code(
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
    ),
    _code(
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
    ),
    _code(
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
    ),
    _code(
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
        severity="warning",
    ),
    _code(
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
    ),
    _code(
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
        severity="warning",
    ),
    _code(
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
    ),
    _code(
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
    ),
    _code(
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
    ),
    _code(
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
        severity="warning",
    ),
)

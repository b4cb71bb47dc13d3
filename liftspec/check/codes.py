"""Every diagnostic id liftspec can report, with its documentation.

Three kinds: ``schema`` codes come from loading and validating the file (LS000-LS009), ``rule``
codes from the policy rules (LS1xx-LS6xx), and ``policy`` codes are about packs and suppressions
themselves (LS900-LS905). ``liftspec explain ID`` and docs/rules.md read this table.
"""

from __future__ import annotations

from liftspec.check.rule import RULES, Code, Docs

SCHEMA_CODES = (
    Code(
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
    ),
    Code(
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
    ),
    Code(
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
    ),
    Code(
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
    ),
    Code(
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
    ),
    Code(
        "LS005",
        "missing-key",
        "A required key is missing, or the file is empty",
        Docs(
            what="Reports a missing required key (`liftspec`, `service`, `functions`, a function's `handler`...) and "
            "empty files.",
            why="The service cannot be described without it.",
            example="liftspec: 1\nfunctions:\n  api: {handler: app.handler}",
            fix="Add the key (here `service: my-service`); `liftspec init` writes a complete starter file.",
        ),
        kind="schema",
    ),
    Code(
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
    ),
    Code(
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
    ),
    Code(
        "LS008",
        "inconsistent",
        "The configuration contradicts itself",
        Docs(
            what="Reports settings that are valid one by one but not together: rollback_on naming an alarm that is not "
            "defined, a function with two kinds of trigger, an SQS function reading the DLQ while it is disabled, a "
            "secret that is also a plain variable, auth enabled without an authorizer, access to or an event source on a "
            "resource that is not declared or not of the right type (`publish` on a table, `dynamodb_stream` on a bucket), "
            "a queue that Lambda could not consume (visibility timeout below the consumer's timeout, FIFO batch limits).",
            why="There is no deployable reading of the file.",
            example="deployment:\n  rollback_on: [latency]\nalarms:\n  errors: {threshold: 1}",
            fix="Follow the hint: define what is referenced, or remove the reference.",
        ),
        kind="schema",
    ),
    Code(
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
    ),
    Code(
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
    ),
    Code(
        "LS011",
        "reserved-variable-name",
        "An environment variable name is reserved",
        Docs(
            what="Reports plain variables (`runtime.variables`, `functions.*.variables`) and secrets "
            "(`security.secrets[].env`) named `LIFT_*`, `AWS_*`, `_AWS_*`, `_X_AMZN_*`, `_HANDLER`, "
            "`LAMBDA_TASK_ROOT` or `LAMBDA_RUNTIME_DIR`.",
            why="liftspec's runtime reads `LIFT_*` variables to find your handler and configure itself; Lambda sets "
            "the others (credentials, region, handler, task root) and rejects most of them at deploy time. A secret "
            "named `LIFT_HANDLER` or `AWS_ACCESS_KEY_ID` would replace the runtime's own value.",
            example="security:\n  secrets:\n    - {env: LIFT_HANDLER, secret: prod/orders/jwt}",
            fix="Rename the variable (e.g. `ORDERS_JWT_SECRET`); set what a LIFT_ variable stands for with its "
            "lift.yaml setting (`logging.level`, `metrics.enabled`...).",
        ),
        kind="schema",
    ),
)

POLICY_CODES = (
    Code(
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
    ),
    Code(
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
    ),
    Code(
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
    ),
    Code(
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
    ),
    Code(
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
    ),
    Code(
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
    ),
    Code(
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
    ),
)

_EXTRA = {code.id: code for code in SCHEMA_CODES + POLICY_CODES}

# Other stages document their own codes (e.g. compile's LS7xx) in a module that defines
# CODES: tuple[Code, ...]; it is picked up here when it exists.
OTHER_TABLES = ("liftspec.verify.codes",)


def _other_codes() -> list[Code]:
    import importlib

    out: list[Code] = []
    for name in OTHER_TABLES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        out += [code for code in getattr(module, "CODES", ()) if isinstance(code, Code)]
    return out


def all_codes() -> list[Code]:
    """Every built-in code, sorted by id."""
    import liftspec.check.rules  # noqa: F401  (registers the rules)

    return sorted({**{c.id: c for c in _other_codes()}, **_EXTRA, **RULES}.values(), key=lambda code: code.id)


def lookup(id_or_name: str) -> Code | None:
    wanted = id_or_name.strip()
    for code in all_codes():
        if code.id == wanted.upper() or code.name == wanted.lower():
            return code
    return None

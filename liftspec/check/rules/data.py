"""LS23x: the data a service owns (resources) and the access its functions get to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from liftspec.check.context import Context
from liftspec.check.rule import Docs, Finding, Fix, rule
from liftspec.model.spec import Bucket, Queue, Table


def _setting(
    kind: type[Table | Bucket | Queue], key: str, bad: bool, message: str, hint: str, fix: Fix | None
) -> Callable[[Context], Iterator[Finding]]:
    """A rule that reports one setting of a resource type written to its unsafe value ({name}: the resource)."""

    def check(ctx: Context) -> Iterator[Finding]:
        for name, resource in ctx.spec.resources.items():
            if isinstance(resource, kind) and getattr(resource, key) is bad:
                yield Finding(("resources", name, key), message.format(name=name), hint, fix)

    return check


_EXAMPLE_TABLE = "resources:\n  orders:\n    type: table\n    keys: {partition: id}\n"


table_pitr_off = rule(
    "LS230",
    "table-pitr-off",
    "A table has point-in-time recovery turned off",
    fixable=True,
    tags=("resources", "backup"),
    docs=Docs(
        what="Reports a table with `point_in_time_recovery: false`.",
        why="Point-in-time recovery is DynamoDB's continuous backup: it restores the table to any second of the last "
        "35 days. Without it a bad deploy, a wrong `DeleteItem` loop or a compromised key that overwrites the data leaves "
        "nothing to restore from.",
        example=_EXAMPLE_TABLE + "    point_in_time_recovery: false",
        fix="Remove the line or set `point_in_time_recovery: true` (`liftspec lint --fix` does this). It is the default.",
    ),
)(
    _setting(
        Table,
        "point_in_time_recovery",
        False,
        "table '{name}' has no point-in-time recovery: its data cannot be restored",
        "set point_in_time_recovery: true",
        Fix(True),
    )
)


table_deletion_protection_off = rule(
    "LS231",
    "table-deletion-protection-off",
    "A table has deletion protection turned off",
    fixable=True,
    tags=("resources", "backup"),
    docs=Docs(
        what="Reports a table with `deletion_protection: false`. Unset, deletion protection is on in production and prod.",
        why="Deletion protection makes DynamoDB refuse to delete the table, whoever asks: a console click, a script, or "
        "a stack update that replaces it. The template also retains tables in production, but only protection stops "
        "a direct delete.",
        example=_EXAMPLE_TABLE + "    deletion_protection: false",
        fix="Remove the line or set `deletion_protection: true` (`liftspec lint --fix` does this).",
    ),
)(
    _setting(
        Table,
        "deletion_protection",
        False,
        "table '{name}' has deletion protection off: one API call deletes it and its data",
        "set deletion_protection: true",
        Fix(True),
    )
)


bucket_versioning_off = rule(
    "LS232",
    "bucket-versioning-off",
    "A bucket has versioning turned off",
    fixable=True,
    tags=("resources", "backup"),
    docs=Docs(
        what="Reports a bucket with `versioning: false`.",
        why="Without versioning an overwrite or a delete destroys the object for good: there is no previous version to "
        "restore, and replication to another region is impossible. Versioning with "
        "`lifecycle.expire_noncurrent_after` keeps the cost bounded.",
        example="resources:\n  uploads:\n    type: bucket\n    versioning: false",
        fix="Set `versioning: true` (`liftspec lint --fix` does this), and `lifecycle: {expire_noncurrent_after: 90d}` "
        "to bound the storage of old versions.",
    ),
)(
    _setting(
        Bucket,
        "versioning",
        False,
        "bucket '{name}' is not versioned: an overwrite or delete cannot be undone",
        "set versioning: true, with lifecycle.expire_noncurrent_after to bound the cost",
        Fix(True),
    )
)


bucket_public = rule(
    "LS233",
    "bucket-public",
    "A bucket has its public-access blocks turned off",
    tags=("resources", "security"),
    docs=Docs(
        what="Reports a bucket with `public: true`, which turns off the four S3 public-access blocks.",
        why="Public buckets are the most common cause of cloud data leaks: one permissive policy or object ACL later, "
        "every object is readable by anyone on the internet. A service's own data never needs to be public; content "
        "for browsers is served through CloudFront with origin access control, with the bucket still private.",
        example="resources:\n  uploads:\n    type: bucket\n    public: true",
        fix="Remove `public: true`. Serve public content through CloudFront; give callers temporary access with presigned URLs.",
    ),
)(
    _setting(
        Bucket,
        "public",
        True,
        "bucket '{name}' has the public-access blocks off: one policy or ACL makes it readable by anyone",
        "remove public: true; serve public content through CloudFront or presigned URLs",
        None,
    )
)


bucket_without_tls = rule(
    "LS234",
    "bucket-without-tls",
    "A bucket accepts requests without TLS",
    fixable=True,
    tags=("resources", "security"),
    docs=Docs(
        what="Reports a bucket with `require_tls: false`, which drops the bucket policy that denies plain-HTTP requests.",
        why="S3 still answers plain HTTP: without the policy, a misconfigured client sends objects and signed requests "
        "over the network in clear text.",
        example="resources:\n  uploads:\n    type: bucket\n    require_tls: false",
        fix="Remove the line or set `require_tls: true` (`liftspec lint --fix` does this).",
    ),
)(_setting(Bucket, "require_tls", False, "bucket '{name}' accepts plain-HTTP requests", "set require_tls: true", Fix(True)))


queue_without_dlq = rule(
    "LS235",
    "queue-without-dlq",
    "A queue has no dead-letter queue",
    fixable=True,
    tags=("resources", "reliability"),
    docs=Docs(
        what="Reports a queue with `dead_letter: false`.",
        why="Without a dead-letter queue a message that always fails (a poison message) is retried until its retention "
        "ends and is then deleted without a trace, while it keeps a consumer busy on every retry.",
        example="resources:\n  jobs:\n    type: queue\n    dead_letter: false",
        fix="Remove the line or set `dead_letter: true` (`liftspec lint --fix` does this): failing messages move to a "
        "dead-letter queue of their own after `max_receive_count` receives.",
    ),
)(
    _setting(
        Queue,
        "dead_letter",
        False,
        "queue '{name}' has no dead-letter queue: a message that keeps failing is lost",
        "set dead_letter: true",
        Fix(True),
    )
)


@rule(
    "LS236",
    "unused-access",
    "A function has access it never uses through any event or route",
    tags=("resources", "security"),
    docs=Docs(
        what="Reports `access` on a function that nothing in the file invokes (no route, event source or schedule), "
        "and `consume` access to the queue a function's own `sqs` event already reads (the event source grants it).",
        why="Least privilege: every permission a function holds is one more thing a bug or an injected request can "
        "misuse. A function nothing invokes still holds its role; a duplicate grant hides what the function really "
        "needs.",
        example="resources:\n  jobs: {type: queue}\nfunctions:\n  worker:\n    handler: worker.handler\n"
        "    access: {jobs: consume}\n    sqs: {resource: jobs}",
        fix="Remove the access entry, or give the function the trigger that uses it. If another service invokes the "
        "function directly, acknowledge it with a suppression that says so.",
    ),
)
def unused_access(ctx: Context) -> Iterator[Finding]:
    for fn in ctx.functions:
        if not fn.spec.access:
            continue
        if fn.invocation == "direct":
            first = next(iter(fn.spec.access))
            yield Finding(
                ("functions", fn.name, "access", first),
                f"function '{fn.name}' has access to {', '.join(fn.spec.access)} but no route, event or schedule invokes it",
                "remove the access, or add the trigger that uses it",
            )
            continue
        queue = fn.spec.sqs.resource if fn.spec.sqs is not None else None
        if queue is not None and fn.spec.access.get(queue) == "consume":
            yield Finding(
                ("functions", fn.name, "access", queue),
                f"function '{fn.name}' consumes queue '{queue}' through its sqs event, which grants that already",
                f"remove access.{queue}",
            )


def _wildcard(value: str) -> bool:
    return "*" in value


@rule(
    "LS237",
    "wildcard-policy",
    "A raw IAM statement allows a wildcard action or resource",
    tags=("resources", "security"),
    docs=Docs(
        what="Reports `Allow` statements in a function's `policies` whose Action or Resource contains `*` "
        "(`s3:*`, `*`, `arn:aws:s3:::*`).",
        why="A wildcard grants everything that exists now and everything added later: `s3:*` on `*` lets one "
        "compromised function read, overwrite and delete every bucket of the account. `access` writes the exact "
        "actions and ARNs; `policies` is for the few cases it cannot express, and should be just as exact.",
        example="functions:\n  api:\n    handler: app.handler\n    policies:\n"
        '      - {Effect: Allow, Action: "s3:*", Resource: "*"}',
        fix="Use `access` for resources of this service; otherwise name the exact actions "
        "(`s3:GetObject`) and ARNs (`arn:aws:s3:::reports/*` is fine for the objects of one bucket: suppress with "
        "that reason).",
    ),
)
def wildcard_policy(ctx: Context) -> Iterator[Finding]:
    for fname, fn in ctx.spec.functions.items():
        for i, statement in enumerate(fn.policies):
            if statement.effect != "Allow":
                continue
            key = ctx.where(("functions", fname, "policies", i, "Action"), ("functions", fname, "policies", i, "action"))
            for j, action in enumerate(statement.action):
                if _wildcard(action):
                    yield Finding(
                        _element(ctx, (*key, j), key),
                        f"policies[{i}] of function '{fname}' allows the wildcard action '{action}'",
                        "name the exact actions, e.g. s3:GetObject",
                    )
            key = ctx.where(("functions", fname, "policies", i, "Resource"), ("functions", fname, "policies", i, "resource"))
            for j, arn in enumerate(statement.resource):
                if _wildcard(arn):
                    yield Finding(
                        _element(ctx, (*key, j), key),
                        f"policies[{i}] of function '{fname}' allows the wildcard resource '{arn}'",
                        "name the exact ARNs, or use access for resources of this service",
                    )


def _element(ctx: Context, item: tuple[str | int, ...], whole: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """A list element where the file wrote a list, else the scalar that the model turned into a one-item list."""
    return item if ctx.written(item) else whole


@rule(
    "LS238",
    "replication-without-versioning",
    "A bucket replicates without versioning",
    tags=("resources", "backup"),
    docs=Docs(
        what="Reports a bucket with `replicate_to` and `versioning: false`.",
        why="S3 replication works on object versions: CloudFormation rejects a replication configuration on an "
        "unversioned bucket, so the stack fails to deploy.",
        example="resources:\n  uploads:\n    type: bucket\n    versioning: false\n"
        '    replicate_to: {region: us-west-2, bucket_arn: "arn:aws:s3:::uploads-replica"}',
        fix="Set `versioning: true` (the destination bucket needs versioning too), or remove `replicate_to`.",
    ),
)
def replication_without_versioning(ctx: Context) -> Iterator[Finding]:
    for name, resource in ctx.spec.resources.items():
        if isinstance(resource, Bucket) and resource.replicate_to is not None and not resource.versioning:
            yield Finding(
                ("resources", name, "replicate_to"),
                f"bucket '{name}' replicates but is not versioned: S3 refuses replication without versioning",
                "set versioning: true, or remove replicate_to",
            )

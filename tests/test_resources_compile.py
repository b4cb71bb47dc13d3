"""resources compile to production-safe CloudFormation, verified by the real SAM translator and cfn-lint; access
compiles to IAM statements that name exactly the resources' ARNs; names reach the code through variables and CONFIG."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.compile.support import resources

from liftspec.pipeline import compile_file
from liftspec.verify.drift import load_template

LIFT = Path(__file__).resolve().parent / "fixtures" / "resources" / "lift.yaml"
SUB = "Fn::Sub"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-22bb-33cc-44dd-555555eeeeee"


class Compiled:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.sam: dict[str, Any] = load_template("template.yaml", files["template.yaml"])
        self.cfn: dict[str, Any] = json.loads(files["template.json"])

    def resource(self, logical_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.cfn["Resources"][logical_id]
        return found

    def props(self, logical_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.cfn["Resources"][logical_id]["Properties"]
        return found

    def statements(self, function_id: str) -> dict[str, dict[str, Any]]:
        """The access statements of a function's role, by Sid."""
        role = self.props(f"{function_id}Role")
        return {s["Sid"]: s for p in role.get("Policies", []) for s in p["PolicyDocument"]["Statement"] if "Sid" in s}

    def variables(self, function_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.props(function_id)["Environment"]["Variables"]
        return found


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Compiled]:
    out = {}
    for env in ("production", "dev"):
        folder = tmp_path_factory.mktemp(env)
        result = compile_file(str(LIFT), out=str(folder / "out"), env=env, cfn=True)
        assert not result.failed(), [d.message for d in result.diagnostics]
        assert result.verified and [d for d in result.diagnostics if d.id.startswith("LS70")] == []
        out[env] = Compiled(result.files)
    return out


def _bucket_arn(name: str, objects: bool = False) -> dict[str, str]:
    suffix = "/*" if objects else ""
    return {SUB: f"arn:${{AWS::Partition}}:s3:::all-resources-production-{name}-${{AWS::AccountId}}-${{AWS::Region}}{suffix}"}


def test_every_resource_type_is_in_the_template(compiled: dict[str, Compiled]) -> None:
    c = compiled["production"]
    assert set(resources(c.cfn, "AWS::DynamoDB::Table")) == {"OrdersTable", "LedgerTable"}
    assert set(resources(c.cfn, "AWS::S3::Bucket")) == {"UploadsBucket", "ExportsBucket", "AccessLogsBucket"}
    assert set(resources(c.cfn, "AWS::SQS::Queue")) == {
        "JobsQueue",
        "JobsQueueDeadLetterQueue",
        "OrderedQueue",
        "OrderedQueueDeadLetterQueue",
        "DeadLetterQueue",  # the service's own, for the asynchronous functions (S3, schedule)
    }
    assert set(resources(c.cfn, "AWS::SNS::Topic")) == {"DoneTopic", "SealedTopic"}


def test_tables_are_encrypted_recoverable_and_retained_in_production(compiled: dict[str, Compiled]) -> None:
    prod, dev = compiled["production"], compiled["dev"]
    orders = prod.resource("OrdersTable")
    assert (orders["DeletionPolicy"], orders["UpdateReplacePolicy"]) == ("Retain", "Retain")
    props = orders["Properties"]
    assert props["KeySchema"] == [
        {"AttributeName": "tenant_id", "KeyType": "HASH"},
        {"AttributeName": "order_id", "KeyType": "RANGE"},
    ]
    assert props["AttributeDefinitions"] == [
        {"AttributeName": "tenant_id", "AttributeType": "S"},
        {"AttributeName": "order_id", "AttributeType": "N"},
    ]
    assert props["BillingMode"] == "PAY_PER_REQUEST" and "ProvisionedThroughput" not in props
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["DeletionProtectionEnabled"] is True  # unset: on in production
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert props["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    ledger = prod.props("LedgerTable")
    assert ledger["BillingMode"] == "PROVISIONED"
    assert ledger["ProvisionedThroughput"] == {"ReadCapacityUnits": 5, "WriteCapacityUnits": 2}
    assert ledger["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": KEY}
    assert ledger["DeletionProtectionEnabled"] is False  # written
    dev_orders = dev.resource("OrdersTable")
    assert (dev_orders["DeletionPolicy"], dev_orders["UpdateReplacePolicy"]) == ("Delete", "Delete")
    assert dev_orders["Properties"]["DeletionProtectionEnabled"] is False


def test_buckets_are_private_owner_enforced_tls_only_versioned_and_logged(compiled: dict[str, Compiled]) -> None:
    c = compiled["production"]
    uploads = c.resource("UploadsBucket")
    assert (uploads["DeletionPolicy"], uploads["UpdateReplacePolicy"]) == ("Retain", "Retain")
    props = uploads["Properties"]
    assert props["BucketName"] == {SUB: "all-resources-production-uploads-${AWS::AccountId}-${AWS::Region}"}
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "AES256"
    }
    assert props["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    rules = {rule["Id"]: rule for rule in props["LifecycleConfiguration"]["Rules"]}
    assert rules["expire-noncurrent-versions"]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 90}
    assert rules["abort-incomplete-uploads"]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
    assert props["LoggingConfiguration"] == {"DestinationBucketName": {"Ref": "AccessLogsBucket"}, "LogFilePrefix": "uploads/"}
    policy = c.props("UploadsBucketPolicy")
    assert policy["Bucket"] == {"Ref": "UploadsBucket"}
    assert policy["PolicyDocument"]["Statement"] == [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [_bucket_arn("uploads"), _bucket_arn("uploads", objects=True)],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
    exports = c.props("ExportsBucket")
    assert exports["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": KEY,
    }
    assert "LoggingConfiguration" not in exports
    delivery = c.props("AccessLogsBucketPolicy")["PolicyDocument"]["Statement"][1]
    assert delivery["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert delivery["Condition"]["ArnLike"]["aws:SourceArn"] == [_bucket_arn("uploads")]  # exports opted out


def test_replication_has_its_own_role_limited_to_both_buckets(compiled: dict[str, Compiled]) -> None:
    c = compiled["production"]
    replication = c.props("UploadsBucket")["ReplicationConfiguration"]
    assert replication["Role"] == {"Fn::GetAtt": ["UploadsBucketReplicationRole", "Arn"]}
    assert replication["Rules"][0]["Destination"] == {"Bucket": "arn:aws:s3:::uploads-replica"}
    role = c.props("UploadsBucketReplicationRole")
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "s3.amazonaws.com"}
    statements = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert [s["Resource"] for s in statements] == [
        _bucket_arn("uploads"),
        _bucket_arn("uploads", objects=True),
        "arn:aws:s3:::uploads-replica/*",
    ]
    assert "SourceSelectionCriteria" not in replication["Rules"][0]
    # A KMS-encrypted bucket replicates its KMS-encrypted objects, re-encrypted with the destination's key.
    replica_key = "arn:aws:kms:us-west-2:123456789012:key/9999aaaa-22bb-33cc-44dd-555555eeeeee"
    kms_rule = c.props("ExportsBucket")["ReplicationConfiguration"]["Rules"][0]
    assert kms_rule["SourceSelectionCriteria"] == {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
    assert kms_rule["Destination"]["EncryptionConfiguration"] == {"ReplicaKmsKeyID": replica_key}
    kms = [
        s
        for s in c.props("ExportsBucketReplicationRole")["Policies"][0]["PolicyDocument"]["Statement"]
        if s["Action"][0].startswith("kms:")
    ]
    assert [(s["Action"], s["Resource"]) for s in kms] == [(["kms:Decrypt"], KEY), (["kms:Encrypt"], replica_key)]


def test_queues_are_encrypted_and_redrive_to_their_own_dead_letter_queue(compiled: dict[str, Compiled]) -> None:
    c = compiled["production"]
    jobs = c.props("JobsQueue")
    assert jobs["KmsMasterKeyId"] == "alias/aws/sqs" and jobs["VisibilityTimeout"] == 120
    assert jobs["MessageRetentionPeriod"] == 4 * 86400
    assert jobs["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["JobsQueueDeadLetterQueue", "Arn"]},
        "maxReceiveCount": 5,
    }
    assert c.props("JobsQueueDeadLetterQueue")["KmsMasterKeyId"] == "alias/aws/sqs"
    ordered = c.props("OrderedQueue")
    assert ordered["FifoQueue"] is True and c.props("OrderedQueueDeadLetterQueue")["FifoQueue"] is True
    assert ordered["VisibilityTimeout"] == 6 * 40  # six times the consuming worker's timeout
    assert ordered["RedrivePolicy"]["maxReceiveCount"] == 2


def test_topics_use_the_aws_managed_key_or_the_given_one(compiled: dict[str, Compiled]) -> None:
    c = compiled["production"]
    assert c.props("DoneTopic")["KmsMasterKeyId"] == "alias/aws/sns"
    sealed = c.props("SealedTopic")
    assert (sealed["KmsMasterKeyId"], sealed["FifoTopic"]) == (KEY, True)
    assert sealed["TopicName"] == {SUB: "${AWS::StackName}-sealed.fifo"}


def test_access_levels_grant_the_minimum_actions_on_exact_arns(compiled: dict[str, Compiled]) -> None:
    c = compiled["production"]
    api = c.statements("ApiFunction")
    orders_arn, orders_index = {"Fn::GetAtt": ["OrdersTable", "Arn"]}, {SUB: "${OrdersTable.Arn}/index/*"}
    ledger_arn, ledger_index = {"Fn::GetAtt": ["LedgerTable", "Arn"]}, {SUB: "${LedgerTable.Arn}/index/*"}
    reads = [
        "dynamodb:BatchGetItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:DescribeTable",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
    ]
    writes = ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    expected = {
        "OrdersRead": (reads, [orders_arn, orders_index]),
        "LedgerReadWrite": (sorted(reads + writes), [ledger_arn, ledger_index]),
        "LedgerReadWriteKms": (["kms:Decrypt", "kms:GenerateDataKey"], [KEY]),
        "UploadsWriteObjects": (["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"], [_bucket_arn("uploads", True)]),
        "ExportsReadList": (["s3:ListBucket"], [_bucket_arn("exports")]),
        "ExportsReadObjects": (["s3:GetObject"], [_bucket_arn("exports", True)]),
        "ExportsReadKms": (["kms:Decrypt", "kms:GenerateDataKey"], [KEY]),
        "JobsSend": (["sqs:SendMessage"], [{"Fn::GetAtt": ["JobsQueue", "Arn"]}]),
        "DonePublish": (["sns:Publish"], [{"Ref": "DoneTopic"}]),
        "ReadConfig": (["ssm:GetParameter"], ["arn:aws:ssm:us-east-1:123456789012:parameter/app"]),  # raw policies
    }
    assert {sid: (s["Action"], s["Resource"]) for sid, s in api.items()} == expected
    assert all(s["Effect"] == "Allow" for s in api.values())
    worker = c.statements("WorkerFunction")
    assert {sid: (s["Action"], s["Resource"]) for sid, s in worker.items()} == {
        "OrdersWrite": (writes, [orders_arn]),  # no index ARN: writes go to the table
        "SealedPublish": (["sns:Publish"], [{"Ref": "SealedTopic"}]),
        "SealedPublishKms": (["kms:Decrypt", "kms:GenerateDataKey"], [KEY]),
        # its sqs event source: exactly its queue (SAM's managed policy would allow every queue)
        "OrderedEventSource": (
            ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
            [{"Fn::GetAtt": ["OrderedQueue", "Arn"]}],
        ),
    }
    poller = c.statements("PollerFunction")
    assert {sid: s["Action"] for sid, s in poller.items()} == {
        "JobsConsume": ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
    }
    thumbnailer = c.statements("ThumbnailerFunction")
    assert thumbnailer["UploadsReadWriteObjects"]["Action"] == [
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:PutObject",
    ]
    indexer = c.statements("IndexerFunction")
    assert {sid: (s["Action"], s["Resource"]) for sid, s in indexer.items()} == {
        "OrdersStream": (
            ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
            [{SUB: "${OrdersTable.Arn}/stream/*"}],
        )
    }
    for role in ("WorkerFunctionRole", "IndexerFunctionRole"):
        managed = c.props(role)["ManagedPolicyArns"]
        assert not [arn for arn in managed if "SQSQueueExecution" in arn or "DynamoDBExecution" in arn]


def test_no_statement_liftspec_writes_has_a_wildcard_action_or_resource(compiled: dict[str, Compiled]) -> None:
    c = compiled["production"]
    for role_id, role in resources(c.cfn, "AWS::IAM::Role").items():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                arns = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                assert not any(a == "*" or a.endswith(":*") for a in actions), (role_id, statement)
                assert not any(arn == "*" for arn in arns), (role_id, statement)


def test_event_sources_name_the_resources_by_arn(compiled: dict[str, Compiled]) -> None:
    c = compiled["production"]
    assert "Events" not in c.sam["Resources"]["WorkerFunction"]["Properties"]  # written out, not a SAM event
    worker = c.props("WorkerFunctionQueue")
    assert worker == {
        "FunctionName": {"Ref": "WorkerFunction"},
        "Enabled": True,
        "EventSourceArn": {"Fn::GetAtt": ["OrderedQueue", "Arn"]},
        "BatchSize": 5,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
    }
    mapping = c.props("IndexerFunctionStream")
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": ["OrdersTable", "StreamArn"]}
    assert (mapping["StartingPosition"], mapping["BatchSize"], mapping["MaximumBatchingWindowInSeconds"]) == (
        "TRIM_HORIZON",
        50,
        5,
    )
    assert (mapping["MaximumRetryAttempts"], mapping["BisectBatchOnFunctionError"]) == (3, True)
    notifications = c.props("UploadsBucket")["NotificationConfiguration"]["LambdaConfigurations"]
    assert [(n["Event"], n["Function"]) for n in notifications] == [
        ("s3:ObjectCreated:*", {"Fn::GetAtt": ["ThumbnailerFunction", "Arn"]}),
        ("s3:ObjectRemoved:*", {"Fn::GetAtt": ["ThumbnailerFunction", "Arn"]}),
    ]
    assert notifications[0]["Filter"] == {
        "S3Key": {"Rules": [{"Name": "prefix", "Value": "images/"}, {"Name": "suffix", "Value": ".jpg"}]}
    }
    # S3 invokes asynchronously: failed invocations go to the service's dead-letter queue.
    assert c.props("ThumbnailerFunction")["DeadLetterConfig"] == {"TargetArn": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}}


def test_functions_get_the_names_of_the_resources_they_use_and_no_others(compiled: dict[str, Compiled]) -> None:
    c = compiled["production"]
    api = c.variables("ApiFunction")
    assert api["LIFT_RESOURCE_ORDERS"] == {"Ref": "OrdersTable"}
    assert api["LIFT_RESOURCE_ORDERS_ARN"] == {"Fn::GetAtt": ["OrdersTable", "Arn"]}
    assert api["LIFT_RESOURCE_UPLOADS"] == {SUB: "all-resources-production-uploads-${AWS::AccountId}-${AWS::Region}"}
    assert api["LIFT_RESOURCE_UPLOADS_ARN"] == _bucket_arn("uploads")
    assert api["LIFT_RESOURCE_JOBS"] == {"Ref": "JobsQueue"}  # the queue URL
    assert api["LIFT_RESOURCE_DONE"] == {"Ref": "DoneTopic"}  # the topic ARN
    indexer = {k for k in c.variables("IndexerFunction") if k.startswith("LIFT_RESOURCE_")}
    assert indexer == {"LIFT_RESOURCE_ORDERS", "LIFT_RESOURCE_ORDERS_ARN"}  # its event source
    poller = {k for k in c.variables("PollerFunction") if k.startswith("LIFT_RESOURCE_")}
    assert poller == {"LIFT_RESOURCE_JOBS", "LIFT_RESOURCE_JOBS_ARN"}


def test_config_module_lists_every_resource_and_reads_its_name_at_run_time(
    compiled: dict[str, Compiled], monkeypatch: pytest.MonkeyPatch
) -> None:
    files = compiled["production"].files
    scope: dict[str, Any] = {}
    exec(compile(files["lift_config.py"].decode(), "lift_config.py", "exec"), scope)
    config = scope["CONFIG"]
    kinds = {name: r.type for name, r in config.resources.items()}
    assert kinds == {
        "orders": "table",
        "ledger": "table",
        "uploads": "bucket",
        "exports": "bucket",
        "jobs": "queue",
        "ordered": "queue",
        "done": "topic",
        "sealed": "topic",
    }
    monkeypatch.delenv("LIFT_RESOURCE_ORDERS", raising=False)
    with pytest.raises(LookupError, match="LIFT_RESOURCE_ORDERS is not set"):
        _ = config.resources["orders"].name
    monkeypatch.setenv("LIFT_RESOURCE_ORDERS", "all-resources-OrdersTable-1X2Y3Z")
    monkeypatch.setenv("LIFT_RESOURCE_ORDERS_ARN", "arn:aws:dynamodb:us-east-1:1:table/t")
    assert config.resources["orders"].name == "all-resources-OrdersTable-1X2Y3Z"
    assert config.resources["orders"].arn == "arn:aws:dynamodb:us-east-1:1:table/t"
    data = json.loads(files["lift_config.json"])
    assert data["resources"]["jobs"] == {
        "type": "queue",
        "name_variable": "LIFT_RESOURCE_JOBS",
        "arn_variable": "LIFT_RESOURCE_JOBS_ARN",
    }


def test_bucket_names_fit_s3s_limit_in_every_region() -> None:
    from liftspec.render.sam.data_refs import BUCKET_NAME_MAX, bucket_prefix

    short = bucket_prefix("shop", "prod", "uploads")
    assert short == "shop-prod-uploads"
    long_a = bucket_prefix("a" * 40, "staging-eu-west-and-more", "customer-uploads-archive")
    long_b = bucket_prefix("a" * 40, "staging-eu-west-and-more", "customer-uploads-archivf")
    assert long_a != long_b  # a digest of the full name keeps them apart
    for prefix in (short, long_a, long_b):
        name = f"{prefix}-123456789012-ap-southeast-2"
        assert len(name) <= BUCKET_NAME_MAX and name == name.lower() and not prefix.endswith("-")

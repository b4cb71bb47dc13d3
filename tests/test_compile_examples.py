"""Every example compiles in every environment, verified by the real SAM translator and cfn-lint, and the
template says what lift.yaml means: the properties the format's table promises are asserted one by one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.compile.support import EXAMPLES, resources

from liftspec.api import load
from liftspec.pipeline import CompileResult, compile_file
from liftspec.render.runtime_files import RUNTIME_HANDLER, USER_HANDLER_ENV
from liftspec.render.sam.http_api import ACCESS_LOG_GROUP_ID
from liftspec.resolve import environments
from liftspec.verify.drift import load_template

# make test distributes whole files (--dist loadfile): one worker compiles them all, once (a module fixture)

CASES = [(path, env) for path in sorted(EXAMPLES.glob("*/lift.yaml")) for env in environments(load(path))]


class Compiled:
    def __init__(self, result: CompileResult) -> None:
        self.result = result
        self.sam: dict[str, Any] = load_template("template.yaml", result.files["template.yaml"])
        self.cfn: dict[str, Any] = json.loads(result.files["template.json"])

    def sam_resource(self, logical_id: str) -> dict[str, Any]:
        resource: dict[str, Any] = self.sam["Resources"][logical_id]
        return resource

    def props(self, logical_id: str) -> dict[str, Any]:
        properties: dict[str, Any] = self.sam_resource(logical_id)["Properties"]
        return properties


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Compiled]:
    out: dict[tuple[str, str], Compiled] = {}
    for path, env in CASES:
        folder = tmp_path_factory.mktemp(f"{path.parent.name}-{env}")
        result = compile_file(str(path), out=str(folder / "out"), env=env, cfn=True)
        assert not result.failed(), [d.message for d in result.diagnostics]
        out[(path.parent.name, env)] = Compiled(result)
    return out


def test_there_are_examples_with_several_environments() -> None:
    names = {path.parent.name for path, _ in CASES}
    assert {"order-service", "webhook", "worker"} <= names
    assert ("order-service", "staging") in {(p.parent.name, e) for p, e in CASES}


@pytest.mark.parametrize(("path", "env"), CASES, ids=[f"{p.parent.name}-{e}" for p, e in CASES])
def test_example_compiles_verified_with_no_cfn_lint_finding(
    compiled: dict[tuple[str, str], Compiled], path: Path, env: str
) -> None:
    result = compiled[(path.parent.name, env)].result
    assert result.verified and result.written
    assert [d for d in result.diagnostics if d.id.startswith("LS70")] == []  # no translator or cfn-lint finding
    assert result.resources_after_transform is not None and result.resources_after_transform > (result.resources or 0)
    assert {"template.yaml", "template.json", "manifest.json", "lift_config.py"} <= set(result.files)
    # The runtime ships as the Python layer, or linked into Go binaries as the liftruntime package.
    assert any(name.startswith(("layer/python/", "liftruntime/")) for name in result.files)


def test_linear_strategy_gets_its_own_deployment_config(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("order-service", "production")]
    assert c.sam_resource("DeploymentConfig") == {
        "Type": "AWS::CodeDeploy::DeploymentConfig",
        "Properties": {
            "ComputePlatform": "Lambda",
            "TrafficRoutingConfig": {"Type": "TimeBasedLinear", "TimeBasedLinear": {"LinearInterval": 5, "LinearPercentage": 10}},
        },
    }
    assert c.props("ApiFunction")["DeploymentPreference"]["Type"] == {"Ref": "DeploymentConfig"}
    groups = resources(c.cfn, "AWS::CodeDeploy::DeploymentGroup")
    assert set(groups) == {f"{name}FunctionDeploymentGroup" for name in ("Api", "DlqProcessor", "Reconcile")}
    for group in groups.values():
        assert group["Properties"]["DeploymentConfigName"] == {"Ref": "DeploymentConfig"}


def test_predefined_strategy_uses_codedeploy_default(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("webhook", "production")]
    assert "DeploymentConfig" not in c.sam["Resources"]
    group = c.cfn["Resources"]["ReceiveFunctionDeploymentGroup"]["Properties"]
    assert group["DeploymentConfigName"] == {
        "Fn::Sub": ["CodeDeployDefault.Lambda${ConfigName}", {"ConfigName": "Canary10Percent5Minutes"}]
    }


def test_rollback_alarms_feed_the_deployment_group(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("order-service", "production")]
    assert c.props("ApiFunction")["DeploymentPreference"]["Alarms"] == [{"Ref": "ApiErrorsAlarm"}, {"Ref": "ApiLatencyAlarm"}]
    alarms = c.cfn["Resources"]["ApiFunctionDeploymentGroup"]["Properties"]["AlarmConfiguration"]
    assert alarms == {"Enabled": True, "Alarms": [{"Name": {"Ref": "ApiErrorsAlarm"}}, {"Name": {"Ref": "ApiLatencyAlarm"}}]}


def test_rate_limit_is_stage_throttling_per_second_or_a_table_per_client(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("order-service", "production")]  # 1000 per 1m and client (scope client), burst 200
    assert "DefaultRouteSettings" not in c.props("HttpApi")
    assert "DefaultRouteSettings" not in c.cfn["Resources"]["HttpApiApiGatewayDefaultStage"]["Properties"]
    assert c.cfn["Resources"]["ClientRateLimitTable"]["Properties"]["TimeToLiveSpecification"]["Enabled"] is True
    role = c.cfn["Resources"]["ApiFunctionRole"]["Properties"]
    counting = [p for p in role["Policies"] if "CountLiftRateLimit" in json.dumps(p)]
    assert [p["PolicyDocument"]["Statement"] for p in counting] == [
        [
            {
                "Sid": "CountLiftRateLimit",
                "Effect": "Allow",
                "Action": ["dynamodb:UpdateItem"],
                "Resource": [{"Fn::GetAtt": ["ClientRateLimitTable", "Arn"]}],
            }
        ]
    ]
    webhook = compiled[("webhook", "production")]  # 50 per 1s, burst 100
    assert webhook.props("HttpApi")["DefaultRouteSettings"] == {"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 50.0}


def test_alarms_are_scoped_to_the_alias(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("order-service", "production")]
    alias_dims = [
        {"Name": "FunctionName", "Value": {"Ref": "ApiFunction"}},
        {"Name": "Resource", "Value": {"Fn::Sub": "${ApiFunction}:live"}},
    ]
    for name in ("ApiErrorsAlarm", "ApiLatencyAlarm", "ApiThrottlesAlarm"):
        props = c.props(name)
        assert (props["Namespace"], props["Dimensions"]) == ("AWS/Lambda", alias_dims)
        assert props["AlarmActions"] == ["arn:aws:sns:us-east-1:123456789012:ops-alerts"]
    assert c.props("ApiErrorsAlarm")["MetricName"] == "Errors" and c.props("ApiErrorsAlarm")["Period"] == 300
    assert c.props("ApiLatencyAlarm")["Threshold"] == 1000.0  # 1s, in milliseconds
    rate = c.props("ApiErrorRateAlarm")["Metrics"]
    assert [m["Id"] for m in rate] == ["errors", "invocations", "rate"]
    assert rate[0]["MetricStat"]["Metric"]["Dimensions"] == alias_dims


def test_scheduled_provisioned_concurrency_depends_on_the_generated_alias(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("order-service", "production")]
    target = c.sam_resource("ApiScalableTarget")
    assert target["DependsOn"] == "ApiFunctionAliaslive"
    assert c.cfn["Resources"]["ApiFunctionAliaslive"]["Type"] == "AWS::Lambda::Alias"  # the id SAM really generates
    props = target["Properties"]
    assert props["ResourceId"] == {"Fn::Sub": "function:${ApiFunction}:live"}
    assert (props["ScalableDimension"], props["ServiceNamespace"]) == ("lambda:function:ProvisionedConcurrency", "lambda")
    assert props["ScheduledActions"][0] == {
        "ScheduledActionName": "business-hours",
        "Schedule": "cron(0 8 ? * MON-FRI *)",
        "ScalableTargetAction": {"MinCapacity": 20, "MaxCapacity": 50},
        "Timezone": "America/New_York",
    }
    assert "Timezone" not in props["ScheduledActions"][1]
    assert c.props("ApiFunction")["ProvisionedConcurrencyConfig"] == {"ProvisionedConcurrentExecutions": 10}
    staging = compiled[("order-service", "staging")]
    assert "ApiScalableTarget" not in staging.sam["Resources"]
    assert "ProvisionedConcurrencyConfig" not in staging.props("ApiFunction")


def _secret_statements(cfn: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for role in resources(cfn, "AWS::IAM::Role").values():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                if any(a.startswith("secretsmanager:") or a == "*" for a in actions):
                    out.append(statement)
    return out


def test_iam_reads_exactly_the_named_secret(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("order-service", "production")]
    statements = _secret_statements(c.cfn)
    assert len(statements) == 3  # one per function
    arn = {"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:prod/orders/jwt-??????"}
    for statement in statements:
        assert statement["Action"] == ["secretsmanager:GetSecretValue"]
        assert statement["Resource"] == [arn]
    assert c.props("ApiFunction")["Environment"]["Variables"]["JWT_SECRET_ARN"] == "prod/orders/jwt"
    rotation = c.sam_resource("JwtSecretArnRotation")["Properties"]
    assert rotation == {"SecretId": "prod/orders/jwt", "RotationRules": {"AutomaticallyAfterDays": 30}}
    assert _secret_statements(compiled[("worker", "production")].cfn) == []


def test_dead_letter_queue_only_on_asynchronous_functions(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("order-service", "production")]
    dlq = {"Type": "SQS", "TargetArn": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]}}
    assert c.props("ReconcileFunction")["DeadLetterQueue"] == dlq  # schedule: asynchronous
    assert "DeadLetterQueue" not in c.props("ApiFunction")  # HTTP: synchronous
    assert "DeadLetterQueue" not in c.props("DlqProcessorFunction")  # SQS: synchronous
    functions = resources(c.cfn, "AWS::Lambda::Function")
    assert {lid for lid, r in functions.items() if "DeadLetterConfig" in r["Properties"]} == {"ReconcileFunction"}
    assert "DeadLetterQueue" not in compiled[("webhook", "production")].sam["Resources"]


def test_queue_is_encrypted_and_visible_long_enough(compiled: dict[tuple[str, str], Compiled]) -> None:
    props = compiled[("order-service", "production")].props("DeadLetterQueue")
    assert props["SqsManagedSseEnabled"] is True
    assert props["MessageRetentionPeriod"] == 14 * 86400
    assert props["VisibilityTimeout"] == 6 * 60  # six times the 60s timeout of dlq-processor, which consumes it
    event = compiled[("order-service", "production")].props("DlqProcessorFunction")["Events"]["Queue"]
    assert event == {
        "Type": "SQS",
        "Properties": {
            "Queue": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]},
            "BatchSize": 10,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
        },
    }


@pytest.mark.parametrize(("name", "retention"), [("order-service", 30), ("webhook", 90), ("worker", 14)])
def test_every_function_logs_to_its_own_group_with_retention(
    compiled: dict[tuple[str, str], Compiled], name: str, retention: int
) -> None:
    c = compiled[(name, "production")]
    functions = resources(c.sam, "AWS::Serverless::Function")
    groups = resources(c.sam, "AWS::Logs::LogGroup")
    access_logs = groups.pop(ACCESS_LOG_GROUP_ID, None)  # the HTTP API's own group, with the same retention
    serves_http = any(e["Type"] == "HttpApi" for f in functions.values() for e in f["Properties"].get("Events", {}).values())
    assert (access_logs is not None) == serves_http
    if access_logs is not None:  # its own retention_days, else logging's
        assert access_logs["Properties"]["RetentionInDays"] in (retention, 90)
    assert len(groups) == len(functions) > 0
    for fn in functions.values():
        group_id = fn["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert groups[group_id]["Properties"]["RetentionInDays"] == retention
        assert fn["Properties"]["LoggingConfig"]["LogFormat"] == "JSON"


def test_sampling_rule_names_fit_and_are_unique_per_service_and_environment(compiled: dict[tuple[str, str], Compiled]) -> None:
    names = []
    for c in compiled.values():
        for rule in resources(c.sam, "AWS::XRay::SamplingRule").values():
            props = rule["Properties"]["SamplingRule"]
            assert len(props["RuleName"]) <= 32 and props["Version"] == 1 and 1 <= props["Priority"] <= 9999
            names.append(props["RuleName"])
    assert len(names) >= 4 and len(names) == len(set(names))
    assert "order-service-staging-health" in names and "order-service-production-health" in names


def test_created_topic_is_encrypted_with_a_key_cloudwatch_may_use(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("webhook", "production")]
    assert c.props("AlarmTopic")["KmsMasterKeyId"] == {"Ref": "AlarmTopicKey"}
    statements = c.props("AlarmTopicKey")["KeyPolicy"]["Statement"]
    assert any(s["Principal"] == {"Service": "cloudwatch.amazonaws.com"} for s in statements)
    assert c.props("AlarmTopicEmailSubscription") == {
        "Endpoint": "payments-oncall@example.com",
        "Protocol": "email",
        "TopicArn": {"Ref": "AlarmTopic"},
    }
    assert c.props("ReceiveErrorsAlarm")["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_functions_run_behind_the_runtime_layer(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("order-service", "production")]
    layer = c.props("RuntimeLayer")
    assert layer["ContentUri"] == "layer/"
    for fn in resources(c.sam, "AWS::Serverless::Function").values():
        props = fn["Properties"]
        assert props["Handler"] == RUNTIME_HANDLER
        assert props["Layers"] == [{"Ref": "RuntimeLayer"}]
        assert props["Environment"]["Variables"][USER_HANDLER_ENV]
        assert props["Environment"]["Variables"]["LIFT_ENVIRONMENT"] == "production"
    assert c.props("ApiFunction")["Environment"]["Variables"][USER_HANDLER_ENV] == "app.handler"
    assert c.props("ApiFunction")["CodeUri"].endswith("examples/order-service/src/")


def test_function_settings_follow_the_file(compiled: dict[tuple[str, str], Compiled]) -> None:
    api = compiled[("order-service", "production")].props("ApiFunction")
    assert (api["Runtime"], api["Architectures"], api["MemorySize"], api["Timeout"]) == ("python3.12", ["arm64"], 1024, 30)
    assert api["ReservedConcurrentExecutions"] == 100 and api["Tracing"] == "Active"
    assert api["Environment"]["Variables"]["ORDERS_PAGE_SIZE"] == "50"
    assert api["Environment"]["Variables"]["FEATURE_FLAGS"] == "orders-v2"
    assert api["Events"]["GetProxy"]["Properties"]["TimeoutInMillis"] == 30000
    webhook = compiled[("webhook", "production")].props("ReceiveFunction")
    assert webhook["Events"]["PostWebhooksPayments"]["Properties"] == {
        "ApiId": {"Ref": "HttpApi"},
        "Method": "POST",
        "Path": "/webhooks/payments",
        "PayloadFormatVersion": "2.0",
        "TimeoutInMillis": 10000,
    }
    worker = compiled[("worker", "production")].props("ResizeFunction")
    assert worker["Events"]["Queue"]["Properties"]["MaximumBatchingWindowInSeconds"] == 10
    assert worker["Timeout"] == 300


def test_health_route_skips_the_authorizer(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("order-service", "production")]
    assert c.props("HttpApi")["Auth"]["DefaultAuthorizer"] == "JwtAuthorizer"
    health = c.props("ApiFunction")["Events"]["Health"]["Properties"]
    assert (health["Method"], health["Path"], health["Auth"]) == ("GET", "/health", {"Authorizer": "NONE"})
    assert "Auth" not in compiled[("webhook", "production")].props("HttpApi")  # auth disabled there


def test_staging_overlay_changes_what_it_says(compiled: dict[tuple[str, str], Compiled]) -> None:
    staging = compiled[("order-service", "staging")].props("ApiFunction")
    assert staging["LoggingConfig"]["ApplicationLogLevel"] == "DEBUG"
    assert staging["ReservedConcurrentExecutions"] == 10


def test_template_json_keeps_local_code_for_cloudformation_package(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("order-service", "production")]
    fn = c.cfn["Resources"]["ApiFunction"]
    assert fn["Properties"]["Code"] == c.props("ApiFunction")["CodeUri"]
    layers = resources(c.cfn, "AWS::Lambda::LayerVersion")
    assert [layer["Properties"]["Content"] for layer in layers.values()] == ["layer/"]


# --- issue 13: the HTTP API and invocation settings the examples show ----------------------------------------------


def test_order_service_api_has_cors_domain_access_logs_and_per_route_auth(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("order-service", "production")]
    api = c.props("HttpApi")
    assert api["CorsConfiguration"]["AllowOrigins"] == ["https://shop.example.com"]
    assert api["CorsConfiguration"]["AllowCredentials"] is True
    assert api["Domain"]["SecurityPolicy"] == "TLS_1_2" and api["Domain"]["BasePath"] == ["v1"]
    assert c.sam["Resources"][ACCESS_LOG_GROUP_ID]["Properties"]["RetentionInDays"] == 90
    events = c.props("ApiFunction")["Events"]
    assert events["GetProducts"]["Properties"]["Auth"] == {"Authorizer": "NONE"}
    assert events["PostOrders"]["Properties"]["Auth"] == {"Authorizer": "JwtAuthorizer", "AuthorizationScopes": ["orders:write"]}
    kinds = {r["Type"] for r in c.cfn["Resources"].values()}
    assert {"AWS::ApiGatewayV2::DomainName", "AWS::ApiGatewayV2::ApiMapping", "AWS::Route53::RecordSetGroup"} <= kinds


def test_order_service_alarms_fit_each_function(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("order-service", "production")]
    alarms = resources(c.sam, "AWS::CloudWatch::Alarm")
    assert "ApiLatencyAlarm" in alarms and "ReconcileLatencyAlarm" not in alarms and "DlqProcessorLatencyAlarm" not in alarms
    assert (c.props("ReconcileErrorsAlarm")["Threshold"], c.props("ReconcileErrorsAlarm")["Period"]) == (1, 900)
    assert c.props("ReconcileFunction")["DeploymentPreference"]["Alarms"] == [{"Ref": "ReconcileErrorsAlarm"}]
    assert c.props("DeadLetterQueueDepthAlarm")["Threshold"] == 0


def test_worker_caps_its_queue_and_watches_its_dead_letter_queue(compiled: dict[tuple[str, str], Compiled]) -> None:
    c = compiled[("worker", "production")]
    queue = c.props("ResizeFunction")["Events"]["Queue"]["Properties"]
    assert queue["ScalingConfig"] == {"MaximumConcurrency": 50}
    assert queue["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    depth = c.props("DeadLetterQueueDepthAlarm")
    assert (depth["MetricName"], depth["ComparisonOperator"], depth["Threshold"]) == (
        "ApproximateNumberOfMessagesVisible",
        "GreaterThanThreshold",
        0,
    )
    assert depth["AlarmActions"] == ["arn:aws:sns:us-east-1:123456789012:media-alerts"]
    assert "ResizeLatencyAlarm" in resources(c.sam, "AWS::CloudWatch::Alarm")  # opted in
    assert c.props("PurgeStaleFunction")["EventInvokeConfig"] == {"MaximumRetryAttempts": 1, "MaximumEventAgeInSeconds": 3600}

"""The Go runtime's rate_limit.scope client (liftspec/data/go/liftruntime/counter.go) against moto's DynamoDB-compatible
server, the one tests/test_runtime_client_limit.py uses (tests/moto_server.py says why moto).

The server is started here, on a free local port; `go test` gets its URL in LIFT_TEST_DYNAMODB_URL and each Go test
creates its own table with a signed CreateTable call. Nothing here talks to AWS.
"""

from __future__ import annotations

import re

from gotools import GO_SOURCES, go, go_env

DYNAMO_TESTS = {
    "TestDynamoEachClientGetsMaxAWindowThen429",
    "TestDynamoTwoWrappersShareOneLimit",
    "TestDynamoManyConcurrentClientsEachGetExactlyMax",
    "TestDynamoAStoreErrorAnswerIsAStoreError",
    "TestDynamoTheLocalGuardRefusesABurstBeforeItCostsAStoreCall",
}


def test_the_go_client_limit_counts_in_dynamodb(moto_url: str) -> None:
    env = {**go_env(), "LIFT_TEST_DYNAMODB_URL": moto_url}
    done = go("test", "-count=1", "-v", "-run", "^TestDynamo", "./liftruntime", cwd=GO_SOURCES, env=env)
    assert set(re.findall(r"--- PASS: (\w+)", done.stdout)) == DYNAMO_TESTS, done.stdout[-3000:]
    assert "--- SKIP" not in done.stdout and "--- FAIL" not in done.stdout

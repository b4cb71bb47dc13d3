"""A template linted alone is shared between two processes (half of cfn-lint's resource walk each): the union
of the halves' findings must be exactly the whole template's, with the cfn-lint these tests pin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.compile.support import ORDER_SERVICE

from liftspec.pipeline import compile_file
from liftspec.verify.cfn_lint import Linter, LintFinding, _shares, load_rules
from liftspec.verify.pool import LintPool


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The order-service's CloudFormation template with an error in every third resource and one per function."""
    out = tmp_path_factory.mktemp("split") / "out"
    result = compile_file(str(ORDER_SERVICE), out=str(out), cfn=True, verify=False)
    assert result.written, result.diagnostics
    template = json.loads((Path(out) / "template.json").read_text(encoding="utf-8"))
    for i, (_, resource) in enumerate(sorted(template["Resources"].items())):
        if i % 3 == 0:
            resource.setdefault("Properties", {})["NotAProperty"] = 1
        if resource["Type"] == "AWS::Lambda::Function":
            resource["Properties"]["MemorySize"] = 99999
    return json.dumps(template, indent=2)


@pytest.fixture(scope="module")
def whole(seeded: str) -> list[LintFinding]:
    found = Linter().lint(seeded, "us-east-1")
    assert len(found) >= 10 and {"E3002", "E3034"} <= {f.rule for f in found}
    return found


def test_the_halves_find_exactly_what_the_whole_template_has(seeded: str, whole: list[LintFinding]) -> None:
    linter = Linter()
    assert linter.can_split(), "the pinned cfn-lint no longer has E3001's resource walk where liftspec splits it"
    walk = load_rules().data["E3001"].validators["patternProperties"]
    first = linter.lint(seeded, "us-east-1", (0, 2))
    second = linter.lint(seeded, "us-east-1", (1, 2))
    assert sorted(set(first) | set(second), key=whole.index) == whole
    assert set(first) != set(whole) and set(second) != set(whole)  # each half walked only its own resources
    assert load_rules().data["E3001"].validators["patternProperties"] is walk  # the walk is whole again afterwards


def test_a_lone_template_in_the_pool_is_linted_in_halves_and_joined(seeded: str, whole: list[LintFinding]) -> None:
    with LintPool() as pool:
        pending = pool.submit(seeded, "us-east-1")
        assert pending.result() == whole


def test_two_templates_in_the_pool_are_each_linted_whole(seeded: str, whole: list[LintFinding]) -> None:
    with LintPool() as pool:
        first, second = pool.submit(seeded, "us-east-1"), pool.submit(seeded, "us-east-1")
        assert first.result() == whole and second.result() == whole


def test_shares_cover_every_resource_once_and_are_balanced() -> None:
    resources = {f"R{i}": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "x" * (i * 7 % 50)}} for i in range(41)}
    shares = _shares(resources, 2)
    assert shares[0] | shares[1] == set(resources) and not shares[0] & shares[1]
    sizes = [sum(len(json.dumps(resources[name])) for name in share) for share in shares]
    assert abs(sizes[0] - sizes[1]) <= max(len(json.dumps(value)) for value in resources.values())
    assert _shares(resources, 2) == shares  # every process computes the same shares

"""The template writers: any value reads back as written (with our reader, ruamel and cfn-lint's decoder),
intrinsics use the short forms, and every line knows the template path written on it."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from liftspec.render.sam.writers import to_json, to_yaml, yaml_scalar
from liftspec.verify.drift import load_template

scalars = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "yes",
            "No",
            "ON",
            "null",
            "~",
            "true",
            "2010-09-09",
            "0x1F",
            "1e3",
            "12:30",
            ".inf",
            "- x",
            "a: b",
            "a #b",
            "*",
            "&a",
            "!Ref",
            "'",
            '"',
            "@x",
            "%x",
            "`x",
            "x:",
            " x",
            "x ",
            "=",
            "<<",
            "?",
            "|",
            ">",
            "{}",
            "[]",
            "\u2028",
            "\x85",
            "\ufeff",
            "😀",
            "tab\there",
            "back\\slash",
            "",
        ]
    ),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
keys = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3), max_leaves=12
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, min_size=1, max_size=4))
def test_yaml_round_trips_any_value(data: dict[str, Any]) -> None:
    text = to_yaml(data).text
    assert load_template("template.yaml", text.encode()) == data


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys, values, min_size=1, max_size=4))
def test_json_round_trips_any_value(data: dict[str, Any]) -> None:
    assert json.loads(to_json(data).text) == data


def test_cfn_lint_reads_our_yaml_as_we_meant_it() -> None:
    from cfnlint.decode.decode import decode_str  # type: ignore[import-untyped]

    template = {
        "Resources": {
            "Fn": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Layers": [{"Ref": "Layer"}],
                    "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                    "Name": {"Fn::Sub": "${AWS::StackName}-x"},
                    "Joined": {"Fn::Join": ["", ["a", {"Ref": "AWS::Region"}]]},
                    "Tags": {"lift:service": "svc", "cost-center": "4410", "yes": "no"},
                    "Path": "/{proxy+}",
                    "Cron": "cron(0 8 ? * MON-FRI *)",
                    "Ratio": 16.67,
                    "Version": "2012-10-17",
                },
            },
        },
    }
    text = to_yaml(template).text
    assert "!Ref Layer" in text and "!GetAtt Role.Arn" in text and '!Sub "${AWS::StackName}-x"' in text
    decoded, errors = decode_str(text)
    assert not errors
    assert json.loads(json.dumps(decoded)) == template


def test_each_line_knows_its_template_path() -> None:
    template = {"Resources": {"Api": {"Type": "T", "Properties": {"Events": {"Get": {"Path": "/x"}}, "List": [{"A": 1}, 2]}}}}
    text = to_yaml(template, header="one\ntwo")
    lines = text.text.splitlines()
    assert lines[0] == "# one" and text.path_at(1) == ()
    for number, line in enumerate(lines, start=1):
        path = text.path_at(number)
        if path:
            key = path[-1]
            assert (f"{key}:" in line) if isinstance(key, str) else line.lstrip().startswith("-"), (line, path)
    where = ("Resources", "Api", "Properties", "Events", "Get", "Path")
    assert text.path_at([line.strip() for line in lines].index("Path: /x") + 1) == where
    json_text = to_json(template)
    number = [line.strip() for line in json_text.text.splitlines()].index('"Path": "/x"') + 1
    assert json_text.path_at(number) == where


def test_plain_scalars_only_where_yaml_cannot_misread_them() -> None:
    assert [yaml_scalar(v) for v in ("arm64", "AWS::Serverless::Function", "rate(15 minutes)", "/health")] == [
        "arm64",
        "AWS::Serverless::Function",
        "rate(15 minutes)",
        "/health",
    ]
    assert [yaml_scalar(v) for v in ("yes", "2010-09-09", "4410", "", "a: b", "*")] == [
        '"yes"',
        '"2010-09-09"',
        '"4410"',
        '""',
        '"a: b"',
        '"*"',
    ]


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}", fullmatch=True), scalars, min_size=1, max_size=6))
def test_cfn_lint_decoder_reads_any_scalar_back(properties: dict[str, Any]) -> None:
    from cfnlint.decode.decode import decode_str

    template = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": properties}}}
    decoded, errors = decode_str(to_yaml(template).text)
    assert not errors
    assert json.loads(json.dumps(decoded["Resources"]["Queue"]["Properties"])) == properties

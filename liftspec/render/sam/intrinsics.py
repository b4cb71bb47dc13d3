"""CloudFormation intrinsic functions as plain dicts (the YAML writer prints them in short form)."""

from __future__ import annotations

from typing import Any

Node = dict[str, Any]


def ref(logical_id: str) -> Node:
    return {"Ref": logical_id}


def get_att(logical_id: str, attribute: str) -> Node:
    return {"Fn::GetAtt": [logical_id, attribute]}


def sub(text: str) -> Node:
    return {"Fn::Sub": text}


def tag_list(tags: dict[str, str]) -> list[Node]:
    """Tags as plain CloudFormation resources take them."""
    return [{"Key": key, "Value": tags[key]} for key in sorted(tags)]

"""Every code is documented in four parts; docs/rules.md is generated from the same table and is not stale."""

from __future__ import annotations

import re

import pytest
from fixtures.policy.lintkit import ROOT, liftspec

from liftspec.check.codes import all_codes
from liftspec.check.docs import markdown

CODES = all_codes()


def test_docs_rules_md_is_up_to_date() -> None:
    expected = markdown(CODES)
    actual = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/rules.md is stale: run `liftspec rules --format markdown > docs/rules.md`"


def test_the_cli_generates_the_same_markdown() -> None:
    assert liftspec("rules", "--format", "markdown").out == (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def test_the_codes_of_load_model_and_resolve_are_all_documented() -> None:
    # The stages refer to codes as constants of liftspec.codes (tests/test_codes_table.py checks that).
    ids = {code.id for code in CODES}
    assert {f"LS{i:03}" for i in range(12)} <= ids


@pytest.mark.parametrize("code", CODES, ids=lambda c: c.id)
def test_code_has_name_summary_and_four_doc_parts(code: object) -> None:
    from liftspec.codes import Code

    assert isinstance(code, Code)
    assert re.fullmatch(r"LS\d{3}", code.id)
    assert re.fullmatch(r"[a-z][a-z0-9-]+", code.name)
    assert code.summary and not code.summary.endswith(".")
    for part in (code.docs.what, code.docs.why, code.docs.example, code.docs.fix):
        assert part.strip(), code.id


def test_names_are_unique() -> None:
    names = [code.name for code in CODES]
    assert len(names) == len(set(names))


def test_rules_lists_every_code_with_pack_severities() -> None:
    out = liftspec("rules").out
    for code in CODES:
        assert f"{code.id}  {code.name}" in out
    assert re.search(r"LS101 +debug-logs +error +- +yes", out)
    assert re.search(r"LS303 +timeout-range +error \(no waiver\) +error \(no waiver\)", out)

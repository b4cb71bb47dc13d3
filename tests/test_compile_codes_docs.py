"""Every LS7xx id the compile stage emits is documented, through the lookup `liftspec explain` uses."""

from __future__ import annotations

import re

import pytest
from fixtures.policy.lintkit import ROOT

from liftspec.check.codes import lookup


def _emitted() -> set[str]:
    used: set[str] = set()
    for path in (ROOT / "liftspec").rglob("*.py"):
        if path.name != "codes.py":  # the tables themselves
            used |= set(re.findall(r"\"(LS7\d\d)\"", path.read_text(encoding="utf-8")))
    return used


EMITTED = sorted(_emitted())


def test_the_compile_stage_emits_ls7xx_ids() -> None:
    assert {"LS701", "LS711", "LS718", "LS723"} <= set(EMITTED)


@pytest.mark.parametrize("code_id", EMITTED)
def test_emitted_compile_id_is_documented(code_id: str) -> None:
    code = lookup(code_id)
    assert code is not None, f"{code_id} is emitted but has no entry in liftspec/verify/codes.py"
    assert code.kind == "compile"
    assert getattr(code, "severity", None) in ("error", "warning")
    for part in (code.docs.what, code.docs.why, code.docs.example, code.docs.fix):
        assert part.strip(), code_id


def test_every_documented_compile_id_is_emitted() -> None:
    from liftspec.verify.codes import CODES

    assert sorted(code.id for code in CODES) == EMITTED

"""Every LS7xx code the compile stage emits is documented, through the lookup `liftspec explain` uses."""

from __future__ import annotations

import pytest
from test_codes_table import CONSTANTS, referenced_constants

from liftspec.check.codes import all_codes, lookup

EMITTED = sorted(CONSTANTS[name].id for name in referenced_constants() & set(CONSTANTS) if CONSTANTS[name].id.startswith("LS7"))


def test_the_compile_stage_emits_ls7xx_ids() -> None:
    assert {"LS701", "LS711", "LS718", "LS723"} <= set(EMITTED)


@pytest.mark.parametrize("code_id", EMITTED)
def test_emitted_compile_id_is_documented(code_id: str) -> None:
    code = lookup(code_id)
    assert code is not None, f"{code_id} is emitted but has no entry in liftspec/codes.py"
    assert code.kind == "compile"
    assert code.severity in ("error", "warning")
    for part in (code.docs.what, code.docs.why, code.docs.example, code.docs.fix):
        assert part.strip(), code_id


def test_every_documented_compile_id_is_emitted() -> None:
    assert sorted(code.id for code in all_codes() if code.kind == "compile") == EMITTED

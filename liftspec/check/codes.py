"""Every diagnostic id liftspec can report, with its documentation: the table of liftspec.codes with the rules.

Four kinds: ``schema`` codes come from loading and validating the file (LS000-LS011), ``rule`` codes
from the policy rules (LS1xx-LS6xx, LS80x), ``compile`` codes from compiling (LS7xx), and ``policy``
codes are about packs and suppressions themselves (LS900-LS906). ``liftspec explain ID`` and
docs/rules.md read this table.
"""

from __future__ import annotations

from liftspec.codes import TABLE, Code

SCHEMA_CODES = tuple(code for code in TABLE.values() if code.kind == "schema")
POLICY_CODES = tuple(code for code in TABLE.values() if code.kind == "policy")


def all_codes() -> list[Code]:
    """Every built-in code, sorted by id."""
    import liftspec.check.rules  # noqa: F401  (registers the rules)

    return sorted(TABLE.values(), key=lambda code: code.id)


def lookup(id_or_name: str) -> Code | None:
    wanted = id_or_name.strip()
    for code in all_codes():
        if code.id == wanted.upper() or code.name == wanted.lower():
            return code
    return None

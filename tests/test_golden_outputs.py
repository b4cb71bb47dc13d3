"""Every example compiles, in every environment, to the same bytes as the committed record.

tests/fixtures/golden/outputs.json holds the sha256 of each file `liftspec compile --cfn` writes for each example
and environment. A refactoring must leave it unchanged; a change of output that is meant (a new key's default,
a runtime fix) regenerates it on purpose, and the diff of the record shows which files changed:

    .venv/bin/python tests/test_golden_outputs.py --update
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tests" / "fixtures" / "golden" / "outputs.json"


def environments(lift: Path) -> list[str]:
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=True).load(lift.read_text(encoding="utf-8"))
    return sorted({str(data.get("environment") or "production"), *(data.get("environments") or {})})


def digests(example: str, env: str, scratch: Path) -> dict[str, str]:
    from liftspec.pipeline import compile_file

    work = scratch / example
    if not work.exists():
        shutil.copytree(ROOT / "examples" / example, work, ignore=shutil.ignore_patterns("build", ".liftspec_cache"))
    out = scratch / "out" / example / env
    result = compile_file(str(work / "lift.yaml"), str(out), env, cfn=True, verify=False)
    assert not result.failed(), [f"{d.id} {d.message}" for d in result.diagnostics]
    return {
        f"{example}/{env}/{path.relative_to(out).as_posix()}": hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def record(scratch: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for lift in sorted((ROOT / "examples").glob("*/lift.yaml")):
        for env in environments(lift):
            out.update(digests(lift.parent.name, env, scratch))
    return out


def test_every_example_compiles_to_the_recorded_bytes(tmp_path: Path) -> None:
    expected: dict[str, str] = json.loads(RECORD.read_text(encoding="utf-8"))
    actual = record(tmp_path)
    changed = sorted(k for k in expected.keys() & actual.keys() if expected[k] != actual[k])
    assert (changed, sorted(expected.keys() - actual.keys()), sorted(actual.keys() - expected.keys())) == ([], [], []), (
        "compile output changed: if meant, run `.venv/bin/python tests/test_golden_outputs.py --update`"
    )
    assert len(actual) > 100


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: test_golden_outputs.py --update")
    with tempfile.TemporaryDirectory() as scratch:
        RECORD.write_text(json.dumps(record(Path(scratch)), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {RECORD.relative_to(ROOT)}")

"""Fuzzing compile: success with a complete output folder, or diagnostics with positions and no output at all."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import EXAMPLES
from test_fuzz import EXAMPLE_DATA, dump, make_odd, mutate

from liftspec.pipeline import compile_file

EXAMPLE_DIRS = sorted(p.parent for p in EXAMPLES.glob("*/lift.yaml"))


ODDITIES = ("dangling", "loop", "fifo", "device", "unreadable", "folder")


def compile_fuzzed(raw: bytes, example: Path, verify: bool, *, cfn: bool = False, oddities: tuple[str, ...] = ()) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if (example / "src").is_dir():
            shutil.copytree(example / "src", work / "src")
        for kind in oddities:
            (work / "src").mkdir(exist_ok=True)
            make_odd(work / "src" / f"odd-{kind}", kind)
        for extra in example.glob("*.yaml"):
            if extra.name != "lift.yaml":
                shutil.copy(extra, work / extra.name)
        (work / "lift.yaml").write_bytes(raw)
        out = work / "out"
        result = compile_file(str(work / "lift.yaml"), out=str(out), verify=verify, cfn=cfn)
        lines = raw.count(b"\n") + 1
        for d in result.diagnostics:
            assert re.fullmatch(r"[A-Z]{2,}[0-9]{3}", d.id) and d.message, d
            assert 1 <= d.line <= lines + 1 and d.col >= 1, d
        if result.failed():
            assert not out.exists(), "a failed compile must not leave output behind"
            assert not [p for p in work.iterdir() if p.name.startswith(".") or p.name.startswith("out")]
        else:
            manifest = json.loads((out / "manifest.json").read_text())
            written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
            assert (out / "template.yaml").is_file()
            assert set(manifest["files"]) <= set(written)


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(st.data())
def test_mutated_examples_compile_or_explain(choices: st.DataObject) -> None:
    index = choices.draw(st.integers(0, len(EXAMPLE_DATA) - 1))
    data = EXAMPLE_DATA[index]
    for _ in range(choices.draw(st.integers(1, 3))):
        data = mutate(data, choices)
    try:
        raw = dump(data)
    except Exception:  # values the YAML library cannot represent
        return
    compile_fuzzed(raw, EXAMPLE_DIRS[index], verify=False)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_mutated_examples_survive_verification(choices: st.DataObject) -> None:
    index = choices.draw(st.integers(0, len(EXAMPLE_DATA) - 1))
    data = mutate(EXAMPLE_DATA[index], choices)
    try:
        raw = dump(data)
    except Exception:
        return
    compile_fuzzed(raw, EXAMPLE_DIRS[index], verify=True)


@FUZZ
@given(st.data())
def test_odd_entries_in_the_code_folder_compile_or_explain(choices: st.DataObject) -> None:
    index = choices.draw(st.integers(0, len(EXAMPLE_DATA) - 1))
    oddities = tuple(choices.draw(st.lists(st.sampled_from(ODDITIES), min_size=1, max_size=3, unique=True)))
    compile_fuzzed(dump(EXAMPLE_DATA[index]), EXAMPLE_DIRS[index], verify=False, cfn=True, oddities=oddities)


HOSTILE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=30
) | st.sampled_from(['"""', "'''", "\\", "a\nb", "\u2028", "${AWS::Region}", "!Ref x", "# not a comment", "é\u0301", "💥"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(description=HOSTILE, variable=HOSTILE, namespace=HOSTILE | st.from_regex(r"\A[A-Za-z0-9._/#:\- ]{1,40}\Z"))
def test_any_string_round_trips_through_template_and_config(description: str, variable: str, namespace: str) -> None:
    from ruamel.yaml import YAML

    data = json.loads(json.dumps(EXAMPLE_DATA[0], default=str))  # custom-pack or first example, as plain data
    data["description"] = description
    data.setdefault("runtime", {}).setdefault("variables", {})["FUZZ_VALUE"] = variable
    data.setdefault("metrics", {})["namespace"] = namespace = namespace.strip() or "ns"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(EXAMPLE_DIRS[0] / "src", work / "src")
        for extra in EXAMPLE_DIRS[0].glob("*.yaml"):
            if extra.name != "lift.yaml":
                shutil.copy(extra, work / extra.name)
        # JSON text is YAML 1.2 that every parser reads alike; ruamel's dumper writes a raw NEL (U+0085) in a
        # folded quoted scalar, which YAML 1.1 readers (ruamel's own loader too) take for a line break.
        (work / "lift.yaml").write_bytes(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8", "surrogatepass"))
        out = work / "out"
        result = compile_file(str(work / "lift.yaml"), out=str(out), verify=False)
        if result.failed():
            assert not out.exists()
            assert all(d.line >= 1 for d in result.diagnostics)
            return
        template = YAML(typ="rt").load((out / "template.yaml").read_text(encoding="utf-8"))
        variables = {
            name: res["Properties"]["Environment"]["Variables"]
            for name, res in template["Resources"].items()
            if res["Type"] == "AWS::Serverless::Function"
        }
        assert variables and all(v["FUZZ_VALUE"] == variable for v in variables.values())
        config_json = json.loads((out / "lift_config.json").read_text(encoding="utf-8"))
        assert config_json["metrics_namespace"] == namespace[:255]
        source = (out / "lift_config.py").read_text(encoding="utf-8")
        scope: dict[str, object] = {}
        exec(compile(source, "lift_config.py", "exec"), scope)  # the generated module itself, run in isolation
        config = scope["CONFIG"]
        assert getattr(config, "metrics_namespace") == namespace[:255]  # noqa: B009
        assert getattr(config, "service") == data["service"]  # noqa: B009

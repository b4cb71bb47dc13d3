"""Fuzzing: any input ends in success or in diagnostics with a line and column; never a crash or a hang.

Bounded in time (max_examples, deadline) so it runs in the normal test suite.
Crashes found here are kept as regular regression tests in test_fuzz_regressions.py.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from paths import EXAMPLES

from liftspec.api import lint_document
from liftspec.diagnostics import LiftError
from liftspec.load import load_path, load_text, read_text

EXAMPLE_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*/lift.yaml"))]
EXAMPLE_DATA = [load_path(str(p)).data for p in sorted(EXAMPLES.glob("*/lift.yaml"))]

FUZZ = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_pipeline(raw: bytes) -> None:
    """The property: diagnostics with positions inside the text, or a clean result."""
    try:
        text = read_text(raw, "fuzz.yaml")
        document = load_text(text, "fuzz.yaml")
    except LiftError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert re.fullmatch(r"[A-Z]{2,}[0-9]{3}", d.id) and d.line >= 1 and d.col >= 1 and d.message
            (d.message + d.hint).encode("utf-8")  # printable: no lone surrogate leaks into a report
        return
    result = lint_document(document)
    lines = text.count("\n") + 1
    for d in result.diagnostics:
        assert re.fullmatch(r"[A-Z]{2,}[0-9]{3}", d.id) and d.message
        assert 1 <= d.line <= lines + 1 and d.col >= 1, d
        (d.message + d.hint).encode("utf-8")
    assert_unicode(document.data)


def assert_unicode(value: Any) -> None:
    """Loaded data is Unicode text throughout: every string encodes as UTF-8 (what every writer needs)."""
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, list):
        for item in value:
            assert_unicode(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            assert_unicode(key)
            assert_unicode(item)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", "~", "null", "yes", "1e309", "0x1F", "12:30:00", "2027-02-30", '\'"""', "\u2028", "ø\u0301", "${x}"]),
)
VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20
)


def mutate(data: Any, choices: st.DataObject, depth: int = 0) -> Any:
    if isinstance(data, dict) and data:
        key = choices.draw(st.sampled_from(sorted(data, key=str)))
        action = choices.draw(st.sampled_from(["drop", "swap", "recurse", "recurse", "rename", "nest"]))
        out = dict(data)
        if action == "drop":
            out.pop(key)
        elif action == "swap":
            out[key] = choices.draw(VALUES)
        elif action == "rename":
            out[str(key) + choices.draw(st.text(max_size=3))] = out.pop(key)
        elif action == "nest":
            value: Any = out[key]
            for _ in range(choices.draw(st.integers(1, 80))):
                value = {"x": value}
            out[key] = value
        elif depth < 6:
            out[key] = mutate(out[key], choices, depth + 1)
        return out
    if isinstance(data, list) and data:
        index = choices.draw(st.integers(0, len(data) - 1))
        out_list = list(data)
        out_list[index] = mutate(out_list[index], choices, depth + 1) if depth < 6 else choices.draw(VALUES)
        return out_list
    return choices.draw(VALUES)


def dump(data: Any) -> bytes:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue().encode("utf-8", "surrogatepass")


@FUZZ
@given(st.data())
def test_structural_mutations_of_examples(choices: st.DataObject) -> None:
    data = choices.draw(st.sampled_from(EXAMPLE_DATA))
    for _ in range(choices.draw(st.integers(1, 4))):
        data = mutate(data, choices)
    try:
        raw = dump(data)
    except Exception:  # the YAML library cannot represent some drawn values (e.g. lone surrogates)
        return
    check_pipeline(raw)


@FUZZ
@given(st.data())
def test_text_mutations_of_examples(choices: st.DataObject) -> None:
    text = choices.draw(st.sampled_from(EXAMPLE_TEXTS))
    lines = text.splitlines(keepends=True)
    for _ in range(choices.draw(st.integers(1, 5))):
        if not lines:
            break
        i = choices.draw(st.integers(0, len(lines) - 1))
        action = choices.draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "junk", "truncate", "colon"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = "  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i].lstrip()
        elif action == "junk":
            pos = choices.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + choices.draw(st.text(min_size=1, max_size=8)) + lines[i][pos:]
        elif action == "truncate":
            lines = lines[:i]
        else:
            lines[i] = lines[i].replace(":", "", 1)
    check_pipeline("".join(lines).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(raw: bytes) -> None:
    check_pipeline(raw)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("{}[]:-,&*!|>'\"#%@` \n\tab1?<=")), max_size=200))
def test_yaml_punctuation_soup(text: str) -> None:
    check_pipeline(text.encode())


@settings(max_examples=40, deadline=2000)
@given(
    st.integers(min_value=-(10**40), max_value=10**40) | st.floats() | st.sampled_from([math.inf, -math.inf]),
    st.sampled_from(["memory", "timeouts: {function: X}", "concurrency: {reserved: X}", "rate_limit: {max: X}"]),
)
def test_huge_and_odd_numbers(number: float, where: str) -> None:
    value = repr(number) if not isinstance(number, float) or math.isfinite(number) else (".inf" if number > 0 else "-.inf")
    body = f"    memory: {value}\n" if where == "memory" else ""
    top = "" if where == "memory" else where.replace("X", value) + "\n"
    text = f"liftspec: 1\nservice: s\nfunctions:\n  api:\n    handler: a.b\n{body}{top}"
    check_pipeline(text.encode())


# --- merge keys and hostile values (issue 9) ------------------------------------------------------

BLOCK_KEY = re.compile(r"^(\s*)[a-z_][a-z0-9_-]*:\s*(#.*)?$")
MERGES = ["<<: {zz: 1}", "<<: [{zz: 1}, {yy: 2}]", "<<: *m", "? <<\n: *m", "<< : *m"]

# Code points for \u escapes: lone surrogates of both halves, valid pairs, controls and ordinary text.
ESCAPED = st.lists(
    st.one_of(
        st.integers(0xD800, 0xDFFF).map(lambda c: f"\\u{c:04x}"),
        st.tuples(st.integers(0xD800, 0xDBFF), st.integers(0xDC00, 0xDFFF)).map(lambda p: f"\\u{p[0]:04x}\\u{p[1]:04x}"),
        st.integers(0, 0x10FFFF).map(lambda c: f"\\U{c:08x}"),
        st.sampled_from(["a", " ", "\\n", "\\x00", "\\t", "é"]),
    ),
    min_size=1,
    max_size=6,
).map("".join)


@FUZZ
@given(st.data())
def test_merge_keys_are_refused_where_they_are_written(choices: st.DataObject) -> None:
    text = choices.draw(st.sampled_from(EXAMPLE_TEXTS))
    lines = ["m0: &m {zz: 1}\n", *text.splitlines(keepends=True)]
    # a key that opens a block mapping: its next line is a deeper key, where a merge key can go
    opening = [
        i
        for i, line in enumerate(lines[:-1])
        if BLOCK_KEY.match(line) and BLOCK_KEY.match(lines[i + 1].split("#")[0].rstrip() + "\n")
    ]
    i = choices.draw(st.sampled_from(opening))
    indent = len(lines[i + 1]) - len(lines[i + 1].lstrip())
    merge = choices.draw(st.sampled_from(MERGES)).replace("\n", "\n" + " " * indent)
    lines.insert(i + 1, " " * indent + merge + "\n")
    source = "".join(lines)
    try:
        load_text(source, "fuzz.yaml")
    except LiftError as exc:
        col = indent + 1 + (2 if merge.startswith("? ") else 0)  # at the key itself, after an explicit "? "
        assert [(d.id, d.line, d.col) for d in exc.diagnostics] == [("LS010", i + 2, col)]
    else:
        raise AssertionError("a merge key was accepted")


HOSTILE_TOKENS = st.one_of(
    st.sampled_from(
        [
            "https://r.example.com/;script-src-elem",
            "'self',script-src",
            "a; script-src 'unsafe-inline'",
            "*",
            "prod/*",
            "pr?d",
            "${AWS::AccountId}",
            "arn:aws:secretsmanager:*:123456789012:secret:x",
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:p*",
            "'unsafe-inline'",
            "a\tb",
            "a\u00a0b",
            "\x7f",
        ]
    ),
    st.text(alphabet=st.sampled_from(list("ab/:.'*?;,{}$-_ \t\x0b\x7f\u2028é")), min_size=1, max_size=16),
    st.text(min_size=1, max_size=8),
)
# Mostly good values with hostile ones mixed in, so both outcomes (refused, accepted) are exercised.
GOOD_SOURCES = st.sampled_from(["'self'", "https://cdn.example.com", "'unsafe-inline'", "*", "data:", "'nonce-abc'"])
GOOD_SECRETS = st.sampled_from(["prod/orders/jwt", "a+b=c.d@e", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"])
GOOD_ENVS = st.sampled_from(["DB_SECRET", "JWT", "TOKEN_ARN", "lift_ok"])
ENV_NAMES = st.one_of(GOOD_ENVS, GOOD_ENVS, st.sampled_from(["LIFT_HANDLER", "AWS_SECRET_ACCESS_KEY", "_HANDLER", "A B"]))


@FUZZ
@given(
    st.lists(st.one_of(GOOD_SOURCES, GOOD_SOURCES, GOOD_SOURCES, HOSTILE_TOKENS), min_size=1, max_size=3),
    st.one_of(GOOD_SECRETS, GOOD_SECRETS, HOSTILE_TOKENS),
    ENV_NAMES,
)
def test_hostile_csp_sources_secrets_and_names_are_refused_or_harmless(tokens: list[str], secret: str, env: str) -> None:
    """Refused at their own place, or accepted only when the header sent and the IAM resource say exactly that."""
    from liftspec.model.headers import read_directives, render_headers
    from liftspec.model.spec import reserved_variable
    from liftspec.render.sam.secrets import secret_arn

    csp = {"default-src": ["'self'"], "frame-ancestors": ["'none'"], "img-src": tokens}
    data = {
        "liftspec": 1,
        "service": "s",
        "functions": {"api": {"handler": "a.b", "http": {"routes": ["GET /"]}}},
        "security": {"secrets": [{"env": env, "secret": secret}], "headers": {"content_security_policy": csp}},
    }
    try:
        raw = dump(data)
    except Exception:  # not representable as YAML text (e.g. lone surrogates): not this test's subject
        return
    check_pipeline(raw)
    try:
        document = load_text(read_text(raw, "fuzz.yaml"), "fuzz.yaml")
    except LiftError:
        return  # refused while loading, at a position (checked above)
    result = lint_document(document)
    spec = result.envs[0].spec if result.envs else None
    if spec is None:
        assert {d.id for d in result.diagnostics} <= {"LS004", "LS011"}, result.diagnostics
        assert all(d.path[:1] == ("security",) for d in result.diagnostics), result.diagnostics
        return
    sent = render_headers(spec.security.headers)["Content-Security-Policy"]
    written = spec.security.headers.content_security_policy
    assert written is not False and read_directives(sent, separators=";,") == written.directives()
    resource = json.dumps(secret_arn(spec.security.secrets[0].secret))
    assert "*" not in resource and "?" not in resource.replace("-??????", "")
    assert "${" not in spec.security.secrets[0].secret
    assert not reserved_variable(spec.security.secrets[0].env)


@FUZZ
@given(st.data())
def test_unicode_escapes_in_any_string_or_key(choices: st.DataObject) -> None:
    """Lone surrogates reach the loader only through escapes in double-quoted scalars: put them anywhere."""
    text = choices.draw(st.sampled_from(EXAMPLE_TEXTS))
    lines = text.splitlines(keepends=True)
    candidates = [i for i, line in enumerate(lines) if re.match(r"^\s*[\w-]+: [^{\[|>#&*!]", line)]
    i = choices.draw(st.sampled_from(candidates))
    escaped = '"' + choices.draw(ESCAPED) + '"'
    indent, rest = re.match(r"^(\s*)(.*)$", lines[i], re.S).groups()  # type: ignore[union-attr]
    key, _, value = rest.partition(": ")
    if choices.draw(st.booleans()):
        lines[i] = f"{indent}{key}: {escaped}\n"
    else:
        lines[i] = f"{indent}{escaped}: {value}"
    check_pipeline("".join(lines).encode("utf-8"))


def make_odd(entry: Path, kind: str) -> None:
    """A path that is not a plain readable file: what the file reads and the code folder walk must survive."""
    if kind == "dangling":
        entry.symlink_to(entry.parent / "gone.yaml")
    elif kind == "loop":
        entry.symlink_to(entry)
    elif kind == "fifo":
        os.mkfifo(entry)
    elif kind == "device":
        entry.symlink_to("/dev/zero")
    elif kind == "folder":
        entry.mkdir()
    elif kind == "unreadable":
        entry.write_text("secret")
        entry.chmod(0)
    else:
        entry.write_bytes(b"")


@pytest.mark.parametrize("kind", ["dangling", "loop", "fifo", "device", "folder", "empty"])
def test_a_lift_yaml_that_is_not_a_regular_file_ends_in_a_message(tmp_path: Path, kind: str) -> None:
    from liftspec.cli.lint import lint_files
    from liftspec.diagnostics import UsageError
    from liftspec.pipeline import compile_file

    path = tmp_path / "lift.yaml"
    make_odd(path, kind)
    run = lint_files([str(path)], None)
    problems = [d for d in run.diagnostics if d.severity == "error"]
    assert problems and all(d.id in ("LS000", "LS005") for d in problems), run.diagnostics
    try:
        result = compile_file(str(path), verify=False)
    except UsageError as exc:
        assert str(exc).startswith("cannot read")
    else:
        assert result.failed() and not result.written

"""Policy bypasses (issue 9, items 6 and 8-13): each class refused with its diagnostic at the exact line:col."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.policy.lintkit import GOOD, ROOT, TODAY, at, liftspec, lint_text, where, with_overlay

from liftspec.api import resolve_env
from liftspec.check import rules as _registered  # noqa: F401  (importing the package registers every rule)
from liftspec.check.context import Context
from liftspec.check.options import LintOptions
from liftspec.check.rule import RULES
from liftspec.diagnostics import LiftError
from liftspec.load import load_text
from liftspec.model.headers import read_directives, render_headers
from liftspec.model.spec import reserved_variable

SECURITY = "\nsecurity:\n  require_https: true\n  auth:\n    enabled: true\n"
JWT = '    jwt: {issuer: "https://auth.example.com/", audience: [shop]}\n'


def with_security(extra: str) -> str:
    """GOOD with lines added to its security section."""
    return GOOD.replace(JWT, JWT + extra)


def findings(text: str, env: str | None = "production", *, file: str = "lift.yaml") -> list[tuple[str, int, int]]:
    return [where(d) for d in lint_text(text, env, file=file).diagnostics]


# --- 6: the code folder stays inside the lift.yaml's folder (LS211) -------------------------------


@pytest.mark.parametrize("code", ["../..", "../shared/", "/", "/etc", "src/../../x"])
def test_code_outside_the_lift_yaml_folder_is_an_error_in_production(tmp_path: Path, code: str) -> None:
    text = GOOD.replace("  memory: 512\n", f'  memory: 512\n  code: "{code}"\n')
    file = str(tmp_path / "lift.yaml")
    assert findings(text, file=file) == [("LS211", *at(text, f'code: |"{code}"'))]
    staging = lint_text(with_overlay(text, "staging", "tags: {a: b}"), "staging", file=file).diagnostics
    assert [(d.id, d.severity.value) for d in staging] == [("LS211", "warning")]


def test_a_function_code_outside_and_a_symlink_leading_out_are_reported(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to(tmp_path.parent, target_is_directory=True)
    text = GOOD.replace("    handler: jobs.nightly\n", "    handler: jobs.nightly\n    code: link/src\n")
    assert findings(text, file=str(tmp_path / "lift.yaml")) == [("LS211", *at(text, "code: |link/src"))]


@pytest.mark.parametrize("code", [".", "src", "./src/../lib/", "link/src"])
def test_code_inside_the_folder_is_fine(tmp_path: Path, code: str) -> None:
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    text = GOOD.replace("  memory: 512\n", f'  memory: 512\n  code: "{code}"\n')
    assert findings(text, file=str(tmp_path / "lift.yaml")) == []


# --- 8: a secret is one secret: no wildcards ------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    [
        "*",
        "prod/*",
        "prod/orders/jw?",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:*",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/?b",
        "arn:aws:secretsmanager:*:123456789012:secret:prod/db",
        "prod/${AWS::StackName}",
        "prod db",
    ],
)
def test_wildcard_secret_names_and_arns_are_rejected_where_written(secret: str) -> None:
    text = with_security(f'  secrets:\n    - {{env: DB_SECRET, secret: "{secret}"}}\n')
    found = lint_text(text).diagnostics
    assert [where(d) for d in found] == [("LS004", *at(text, f'secret: |"{secret}"'))]
    assert "no wildcards" in found[0].message and "every secret" in found[0].hint


@pytest.mark.parametrize(
    "secret", ["prod/orders/jwt", "a+b=c.d@e_f-g", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"]
)
def test_exact_secret_names_and_arns_are_accepted(secret: str) -> None:
    assert findings(with_security(f'  secrets:\n    - {{env: DB_SECRET, secret: "{secret}"}}\n')) == []


# --- 9: CSP sources cannot smuggle directives, and header rules judge the header as sent ----------


@pytest.mark.parametrize(
    "token", ["https://r.example.com/;script-src-elem", "'self',script-src", "https://a.example.com;", ";", ","]
)
def test_a_csp_source_with_a_separator_is_rejected(token: str) -> None:
    text = with_security(
        "  headers:\n    content_security_policy:\n      default-src: [\"'self'\"]\n"
        f'      img-src: ["{token}", "\'unsafe-inline\'"]\n      frame-ancestors: ["\'none\'"]\n'
    )
    found = lint_text(text).diagnostics
    assert [where(d) for d in found] == [("LS004", *at(text, f'img-src: [|"{token}"'))]
    assert "';'" in found[0].message and "one source per list item" in found[0].hint


def test_ls204_judges_the_rendered_header_not_the_yaml_list() -> None:
    """Whatever reaches the renderer, the rule reads the header the runtime sends (here a smuggled directive)."""
    result = resolve_env(load_text(GOOD, "lift.yaml"), "production")
    assert result.spec is not None and result.resolved is not None
    csp = result.spec.security.headers.content_security_policy
    assert csp is not False
    csp.img_src = ["https://r.example.com/;script-src-elem", "'unsafe-inline'"]  # not validated on assignment
    header = render_headers(result.spec.security.headers)["Content-Security-Policy"]
    assert read_directives(header)["script-src-elem"] == ["'unsafe-inline'"]
    found = list(RULES["LS204"].run(Context(result.resolved, result.spec)))
    assert [(f.path, f.message) for f in found] == [
        (
            ("security", "headers", "content_security_policy"),
            "script-src-elem allows 'unsafe-inline': an injected <script> runs",
        )
    ]


def test_an_empty_csp_sends_no_header_and_is_reported_as_such() -> None:
    text = with_security("  headers:\n    content_security_policy: {}\n")
    found = lint_text(text).diagnostics
    assert [(*where(d), d.message) for d in found] == [
        ("LS204", *at(text, "content_security_policy: |{}"), "no Content-Security-Policy header")
    ]


def test_hsts_is_judged_as_sent() -> None:
    text = with_security("  headers:\n    strict_transport_security: {max_age: 100, include_subdomains: false, preload: true}\n")
    assert findings(text) == [
        ("LS203", *at(text, "max_age: |100")),
        ("LS203", *at(text, "include_subdomains: |false")),
    ]


# --- 10: reserved environment variable names (LS011) ----------------------------------------------


RESERVED = [
    "LIFT_HANDLER",
    "LIFT_ANY",
    "AWS_ACCESS_KEY_ID",
    "AWS_REGION",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_RUNTIME_API",
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "LAMBDA_TASK_ROOT",
]
# Settings of the SDKs and of Lambda that a function may set.
ALLOWED = ["AWS_MAX_ATTEMPTS", "AWS_STS_REGIONAL_ENDPOINTS", "AWS_XRAY_CONTEXT_MISSING", "AWS_LAMBDA_EXEC_WRAPPER"]


@pytest.mark.parametrize("name", RESERVED)
def test_a_secret_env_cannot_take_a_reserved_name(name: str) -> None:
    text = with_security(f"  secrets:\n    - {{env: {name}, secret: prod/orders/jwt}}\n")
    found = lint_text(text).diagnostics
    assert [where(d) for d in found] == [("LS011", *at(text, f"env: |{name}"))]
    assert f"{name} is reserved" in found[0].message and found[0].hint


@pytest.mark.parametrize("name", RESERVED)
def test_a_plain_variable_cannot_take_a_reserved_name(name: str) -> None:
    text = GOOD.replace("  memory: 512\n", f"  memory: 512\n  variables: {{OK: x, {name}: y}}\n").replace(
        "    handler: jobs.nightly\n", f"    handler: jobs.nightly\n    variables:\n      {name}: z\n"
    )
    found = lint_text(text).diagnostics
    assert [where(d) for d in found] == [("LS011", *at(text, f"OK: x, |{name}")), ("LS011", *at(text, f"      |{name}: z"))]


def test_editors_see_the_reserved_names_through_the_json_schema() -> None:
    import importlib

    jsonschema = importlib.import_module("jsonschema")
    schema = json.loads((ROOT / "schemas" / "lift.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for name in [*RESERVED, *ALLOWED, "OK_NAME", "LIFTED", "MY_AWS_X"]:
        data = {"liftspec": 1, "service": "s", "functions": {"api": {"handler": "a.b", "variables": {name: "x"}}}}
        data["security"] = {"secrets": [{"env": name, "secret": "prod/x"}]}
        assert len(list(validator.iter_errors(data))) == (2 if reserved_variable(name) else 0), name


def test_names_that_only_look_reserved_are_fine() -> None:
    text = GOOD.replace("  memory: 512\n", "  memory: 512\n  variables: {LIFTED: a, MY_AWS_REGION: b, lift_handler: c}\n")
    assert findings(text) == []
    allowed = ", ".join(f"{name}: x" for name in ALLOWED)
    assert findings(GOOD.replace("  memory: 512\n", f"  memory: 512\n  variables: {{{allowed}}}\n")) == []
    assert not any(reserved_variable(name) for name in ALLOWED)


# --- 11: a pack's JSON Schema never fetches or reads anything ---------------------------------------


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every request it receives."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = b'{"const": "fetched"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def pack_with(schema: str) -> str:
    return f"pack: refs\nchecks:\n  - id: ACME001\n    name: refs\n    summary: s\n    schema:\n{schema}"


def lint_with_pack(tmp_path: Path, pack: str) -> tuple[int, list[dict[str, object]], str]:
    (tmp_path / "pack.yaml").write_text(pack, encoding="utf-8")
    (tmp_path / "lift.yaml").write_text(GOOD + "\npolicy:\n  packs: [production, ./pack.yaml]\n", encoding="utf-8")
    result = liftspec("lint", "lift.yaml", "--format", "json", cwd=tmp_path)
    diagnostics = json.loads(result.out)["diagnostics"] if result.out.strip() else []
    return result.code, diagnostics, result.err


def test_a_ref_to_a_url_is_ls900_and_no_request_is_made(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    url, requests = server
    schema = (
        f'      properties:\n        service: {{$ref: "{url}/a"}}\n'
        f'      $defs:\n        x: {{$dynamicRef: "{url}/b"}}\n'
        f'        y: {{$id: "{url}/", properties: {{a: {{$ref: "c"}}}}}}\n'
    )
    text = pack_with(schema)
    code, found, err = lint_with_pack(tmp_path, text)
    assert requests == []
    assert code == 1 and "Traceback" not in err
    assert sorted((d["id"], d["file"], d["line"], d["col"]) for d in found) == [
        ("LS900", "pack.yaml", *at(text, f'$ref: |"{url}/a"')),
        ("LS900", "pack.yaml", *at(text, f'$dynamicRef: |"{url}/b"')),
        ("LS900", "pack.yaml", *at(text, f'$id: |"{url}/"')),
        ("LS900", "pack.yaml", *at(text, '$ref: |"c"')),
    ]


@pytest.mark.parametrize("ref", ["file:///etc/passwd", "/etc/hostname", "lift.yaml", "../pack.yaml#/x", "#name"])
def test_a_ref_to_a_file_or_an_anchor_is_ls900_without_reading_it(tmp_path: Path, ref: str) -> None:
    text = pack_with(f'      properties:\n        service: {{$ref: "{ref}"}}\n')
    code, found, err = lint_with_pack(tmp_path, text)
    assert code == 1 and "Traceback" not in err
    assert [(d["id"], d["line"], d["col"]) for d in found] == [("LS900", *at(text, f'$ref: |"{ref}"'))]
    assert "root:" not in json.dumps(found)


def test_refs_inside_the_check_work_and_bad_pointers_or_loops_are_ls900(tmp_path: Path) -> None:
    good = pack_with(
        '      $defs: {name: {pattern: "^acme-"}, tree: {properties: {x: {$ref: "#/$defs/tree"}}}}\n'
        '      properties:\n        service: {$ref: "#/$defs/name"}\n        tags: {$ref: "#/$defs/tree"}\n'
    )
    code, found, _ = lint_with_pack(tmp_path, good)
    assert (code, [(d["id"], d["line"]) for d in found]) == (1, [("ACME001", *at(GOOD, "service: |shop-api")[:1])])
    bad = pack_with(
        '      $defs: {a: {anyOf: [{$ref: "#/$defs/b"}]}, b: {not: {$ref: "#/$defs/a"}}}\n'
        '      properties:\n        service: {$ref: "#/$defs/nope"}\n        region: {$ref: "#/required"}\n'
        "      required: [service]\n"
    )
    code, found, err = lint_with_pack(tmp_path, bad)
    assert code == 1 and "Traceback" not in err
    loop = {("LS900", *at(bad, '$ref: |"#/$defs/b"')), ("LS900", *at(bad, '$ref: |"#/$defs/a"'))}
    assert sum((d["id"], d["line"], d["col"]) in loop for d in found) == 1  # one of the two references closing the loop
    assert sorted((d["id"], d["line"], d["col"]) for d in found if (d["id"], d["line"], d["col"]) not in loop) == [
        ("LS900", *at(bad, '$ref: |"#/$defs/nope"')),
        ("LS900", *at(bad, '$ref: |"#/required"')),
    ]


def test_the_validator_itself_never_retrieves(server: tuple[str, list[str]]) -> None:
    """Second line of defence: a check that skipped the pack parser still fetches nothing."""
    from referencing.exceptions import Unresolvable

    from liftspec.check import declarative
    from liftspec.check.packs import Check, Setting
    from liftspec.check.rule import Code, Docs
    from liftspec.diagnostics import Severity

    url, requests = server
    code = Code("ACME001", "refs", "s", Docs("s", "", "", ""), kind="check")
    check = Check(code, Setting(Severity.ERROR), {"$ref": f"{url}/a"}, "m", "h", (), "pack.yaml", 1)
    result = resolve_env(load_text(GOOD, "lift.yaml"), "production")
    assert result.spec is not None and result.resolved is not None
    ctx = Context(result.resolved, result.spec)
    with pytest.raises(Unresolvable):
        list(declarative.run(check, ctx, declarative.instance(ctx)))
    assert requests == []


def test_a_self_reference_without_descent_is_ls900_not_a_recursion_error(tmp_path: Path) -> None:
    text = pack_with('      allOf: [{$ref: "#"}]\n')
    code, found, err = lint_with_pack(tmp_path, text)
    assert code == 1 and "Traceback" not in err
    assert [(d["id"], d["line"], d["col"]) for d in found] == [("LS900", *at(text, '$ref: |"#"'))]


# --- 12: production's pack is the floor of production (LS906) ----------------------------------------


DEBUG_HTTP = GOOD.replace("level: info", "level: debug").replace("require_https: true", "require_https: false")


@pytest.mark.parametrize("packs", ["[baseline]", "[staging]", "[]"])
def test_choosing_packs_cannot_drop_production_rules(packs: str) -> None:
    text = DEBUG_HTTP + f'\npolicy:\n  packs: {packs}\n  ignore: [{{rule: LS201, reason: "internal"}}]\n'
    result = lint_text(text)
    assert result.envs[0].packs[-1] == "production"
    assert sorted((*where(d), d.severity.value) for d in result.diagnostics) == sorted(
        [
            ("LS101", *at(text, "level: |debug"), "error"),
            ("LS201", *at(text, "require_https: |false"), "error"),
            ("LS904", *at(text, "ignore: [|{rule"), "error"),
            ("LS906", *at(text, f"packs: |{packs}"), "error"),
        ]
    )


def test_the_floor_applies_to_prod_overlays_and_cannot_be_waived() -> None:
    text = with_overlay(DEBUG_HTTP, "prod", 'policy: {packs: [staging], ignore: [{rule: LS906, reason: "x"}]}')
    found = sorted(where(d) for d in lint_text(text, "prod").diagnostics)
    assert [d[0] for d in found] == ["LS101", "LS201", "LS904", "LS906"]
    assert ("LS906", *at(text, "packs: |[staging]")) in found


def test_the_floor_is_not_reported_when_listed_or_in_other_environments() -> None:
    assert findings(GOOD + "\npolicy:\n  packs: [baseline, production]\n") == []
    staging = with_overlay(GOOD, "staging", "policy: {packs: [baseline]}")
    assert findings(staging, "staging") == []


def test_default_packs_from_pyproject_cannot_drop_the_floor_either() -> None:
    options = LintOptions(default_packs={"production": ["staging"]}, today=TODAY)
    result = lint_text(GOOD.replace("level: info", "level: debug"), options=options)
    assert result.envs[0].packs == ["baseline", "staging", "production"]
    found = {d.id: d for d in result.diagnostics}
    assert sorted(found) == ["LS101", "LS906"] and found["LS906"].severity.value == "error"
    assert "[tool.liftspec] default-packs" in found["LS906"].message


def test_a_user_pack_cannot_declare_a_floor(tmp_path: Path) -> None:
    text = "pack: mine\nfloor: [production]\nrules: {LS101: error}\n"
    _, found, _ = lint_with_pack(tmp_path, text)
    assert [(d["id"], d["file"], d["line"], d["col"]) for d in found] == [("LS900", "pack.yaml", 2, 1)]


# --- 13: YAML merge keys are refused in the loader (LS010) -----------------------------------------


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("x: &d {memory: 2048}\nfunctions:\n  api:\n    <<: *d\n    handler: a.b\n", "    |<<: *d"),
        ("functions:\n  api: {handler: a.b, <<: {memory: 64}}\n", "a.b, |<<"),
        ("a: &a {b: 1}\nfunctions:\n  api:\n    handler: a.b\n    <<: [*a, {c: 2}]\n", "    |<<: [*a"),
        ("base: &b\n  level: info\nlogging:\n  <<: *b\n  level: debug # liftspec: ignore[LS101] r\n", "  |<<: *b"),
    ],
)
def test_merge_keys_are_refused_at_their_position(text: str, marked: str) -> None:
    document = "liftspec: 1\nservice: s\n" + text
    with pytest.raises(LiftError) as caught:
        load_text(document, "lift.yaml")
    found = caught.value.diagnostics
    assert [where(d) for d in found] == [("LS010", *at(document, marked))]
    assert "environments" in found[0].hint


def test_a_quoted_merge_key_is_an_ordinary_key_and_anchors_still_work() -> None:
    text = GOOD.replace("  memory: 512\n", "  memory: &m 512\n")
    text = text.replace("    concurrency: {reserved: 2}\n", "    concurrency: {reserved: 2}\n    memory: *m\n")
    assert findings(text) == []
    assert [d.id for d in lint_text(GOOD + '"<<": 1\n').diagnostics] == ["LS003"]


def test_merge_keys_in_a_yaml_pack_are_ls900(tmp_path: Path) -> None:
    text = "pack: p\nbase: &b {LS101: error}\nrules:\n  <<: *b\n"
    code, found, _ = lint_with_pack(tmp_path, text)
    assert code == 1
    assert [(d["id"], d["file"], d["line"], d["col"]) for d in found] == [("LS900", "pack.yaml", 4, 3)]

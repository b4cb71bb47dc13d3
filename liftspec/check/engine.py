"""Run the packs of one environment over its resolved model, then apply suppressions."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from liftspec import codes
from liftspec.check.codes import POLICY_CODES, SCHEMA_CODES
from liftspec.check.context import Context
from liftspec.check.options import LintOptions
from liftspec.check.packs import (
    BUILTIN_PACKS,
    Enabled,
    Pack,
    PackCache,
    Policy,
    default_packs,
    is_path,
    load_file,
    merge,
)
from liftspec.check.rule import RULES, Finding
from liftspec.check.suppress import Suppressed, Suppression, from_comments, from_policy
from liftspec.diagnostics import Code, Diagnostic, Path, Severity, Span
from liftspec.model.effective import EffectiveService
from liftspec.model.spec import LiftSpec
from liftspec.resolve import Resolved
from liftspec.resolve.locate import diagnostic_at, locate

Inline = tuple[list[Suppression], list[Diagnostic]]
_NOT_RULES = frozenset(code.id for code in SCHEMA_CODES + POLICY_CODES)  # schema and policy codes: never waived


@dataclass
class Usage:
    """What one suppression did in one environment (LS903 is decided across environments)."""

    suppression: Suppression
    rule: str
    known: bool
    enabled: bool
    matched: bool
    severity: Severity


@dataclass
class EnvCheck:
    env: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)
    usage: list[Usage] = field(default_factory=list)
    packs: list[str] = field(default_factory=list)


def resolve_policy(resolved: Resolved, spec: LiftSpec, options: LintOptions) -> Policy:
    written = spec.policy.packs is not None
    refs = list(spec.policy.packs) if spec.policy.packs is not None else default_packs(resolved.env, options.default_packs)
    packs: list[Pack] = [options.packs.builtin("baseline")]
    problems: list[Diagnostic] = []
    base = os.path.dirname(os.path.abspath(resolved.file))
    wanted: list[tuple[str, Path | None]] = [(ref, ("policy", "packs", i) if written else None) for i, ref in enumerate(refs)]
    wanted += [(path, None) for path in options.extra_packs]
    seen = {packs[0].file}
    for ref, where in wanted:
        pack, errors = _load(ref, base, where, resolved, options)
        problems += errors
        if pack is not None and pack.file not in seen:
            seen.add(pack.file)
            packs.append(pack)
    for floor in floor_packs(resolved.env, options.packs):
        if floor.file not in seen:
            seen.add(floor.file)
            packs.append(floor)
            if not problems:  # a pack that failed to load (a misspelt 'production'?) is reported first
                problems.append(_left_out(floor, resolved, written))
    rules = merge(packs)
    checks = [check for pack in packs for check in pack.checks]
    return Policy(packs, rules, checks, [d.with_env(resolved.env) for d in problems])


def floor_packs(env: str, cache: PackCache) -> list[Pack]:
    """The built-in packs that always apply to ``env`` (production's rules in production and prod)."""
    return [pack for pack in map(cache.builtin, BUILTIN_PACKS) if env in pack.floor]


def _left_out(floor: Pack, resolved: Resolved, written: bool) -> Diagnostic:
    source = "policy.packs" if written else "the default packs ([tool.liftspec] default-packs)"
    return diagnostic_at(
        resolved,
        codes.FLOOR_PACK_LEFT_OUT,
        Severity.ERROR,
        ("policy", "packs"),
        f"'{floor.name}' is left out of {source}, but it is the floor of environment '{resolved.env}': its rules apply anyway",
        f"add {floor.name} to the list (packs add rules to it, never replace it); waive one finding with a "
        "suppression and its reason",
    )


def _load(
    ref: str, base: str, where: Path | None, resolved: Resolved, options: LintOptions
) -> tuple[Pack | None, list[Diagnostic]]:
    if not is_path(ref):
        if ref in BUILTIN_PACKS:
            return options.packs.builtin(ref), []
        close = difflib.get_close_matches(ref, BUILTIN_PACKS, n=1)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else f"built-in packs: {', '.join(BUILTIN_PACKS)}; a pack file is a path ending in .yaml"
        )
        return None, [_ref_error(resolved, where, f"unknown policy pack '{ref}'", hint)]
    path = ref if os.path.isabs(ref) else os.path.join(base, ref)
    shown = os.path.relpath(path)
    path = path if shown.startswith("..") else shown  # as the user would type it, like the lift.yaml paths
    try:
        return load_file(path, options.packs)
    except OSError as exc:
        return None, [
            _ref_error(
                resolved,
                where,
                f"cannot read policy pack '{ref}': {exc.strerror or exc}",
                "pack paths are relative to the lift.yaml that names them",
            )
        ]


def _ref_error(resolved: Resolved, where: Path | None, message: str, hint: str) -> Diagnostic:
    return diagnostic_at(resolved, codes.PACK_ERROR, Severity.ERROR, where or ("policy", "packs"), message, hint)


def findings(ctx: Context, policy: Policy) -> list[tuple[Code, Finding]]:
    import liftspec.check.rules  # noqa: F401  (registers the rules)

    out: list[tuple[Code, Finding]] = []
    for rule_id in sorted(policy.rules):
        rule = RULES.get(rule_id)
        if rule is not None and rule.function is not None:
            out += [(rule, finding) for finding in rule.run(ctx)]
    if policy.checks:
        from liftspec.check import declarative

        data = declarative.instance(ctx)
        for check in policy.checks:
            out += [(check.code, finding) for finding in declarative.run(check, ctx, data)]
    return out


def run(
    resolved: Resolved,
    spec: LiftSpec,
    options: LintOptions | None = None,
    inline: Inline | None = None,
    service: EffectiveService | None = None,
) -> EnvCheck:
    options = options or LintOptions()
    ctx = Context(resolved, spec, service=service)
    policy = resolve_policy(resolved, spec, options)
    result = EnvCheck(resolved.env, packs=[pack.name for pack in policy.packs])
    raw: list[Diagnostic] = []
    for code, finding in findings(ctx, policy):
        written = finding.fix is not None and resolved.source.written(finding.path)
        d = Diagnostic(
            code,
            finding.message,
            finding.hint,
            Span.of(resolved.file, locate(resolved, finding.path)),
            finding.path,
            severity=policy.rules[code.id].severity,
            envs=(resolved.env,),
            fix=finding.fix if written else None,
        )
        raw.append(d)
    inline = inline if inline is not None else from_comments(resolved.document)
    suppressions = from_policy(resolved, spec) + inline[0]
    meta = [d.with_env(resolved.env) for d in inline[1]] + policy.diagnostics
    today = options.today or date.today()
    kept, result.suppressed, result.usage, problems = apply(raw, suppressions, policy, resolved, today)
    result.diagnostics = kept + [_severity(d, policy.rules) for d in meta + problems]
    return result


def _severity(d: Diagnostic, rules: dict[str, Enabled]) -> Diagnostic:
    from dataclasses import replace

    enabled = rules.get(d.id)
    return replace(d, severity=enabled.severity) if enabled else d


def _problem(code: Code, message: str, hint: str, s: Suppression, env: str, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(code, message, hint, Span.of(s.file, s), s.source, severity=severity, envs=(env,))


def _validity(s: Suppression, rule_id: str, policy: Policy, today: date, env: str) -> Diagnostic | None:
    enabled = policy.rules.get(rule_id)
    if rule_id in _NOT_RULES:
        return _problem(
            codes.SUPPRESSION_NOT_ALLOWED,
            f"{rule_id} cannot be suppressed: it is not a policy rule",
            "fix the problem it reports",
            s,
            env,
        )
    if not s.reason:
        return _problem(
            codes.SUPPRESSION_WITHOUT_REASON,
            f"suppression of {rule_id} has no reason, so it is not applied",
            'add why the finding is acceptable (reason: "...", or text after ] in a comment)',
            s,
            env,
        )
    if s.until is not None and s.until < today:
        return _problem(
            codes.SUPPRESSION_EXPIRED,
            f"suppression of {rule_id} expired on {s.until.isoformat()}, so it is not applied",
            "fix the finding and remove the suppression, or extend `until` with a reason that still holds",
            s,
            env,
        )
    if enabled is not None and not enabled.suppressible:
        packs = ", ".join(enabled.packs)
        return _problem(
            codes.SUPPRESSION_NOT_ALLOWED,
            f"{rule_id} may not be suppressed in this environment ({packs})",
            "fix the finding; suppressions of this rule are not applied",
            s,
            env,
        )
    return None


def apply(
    raw: list[Diagnostic], suppressions: list[Suppression], policy: Policy, resolved: Resolved, today: date
) -> tuple[list[Diagnostic], list[Suppressed], list[Usage], list[Diagnostic]]:
    env = resolved.env
    valid: dict[tuple[Suppression, str], bool] = {}
    problems: list[Diagnostic] = []
    for s in suppressions:
        for rule_id in s.rules:
            problem = _validity(s, rule_id, policy, today, env)
            valid[(s, rule_id)] = problem is None
            if problem is not None:
                problems.append(problem)
    kept: list[Diagnostic] = []
    suppressed: list[Suppressed] = []
    matched: set[tuple[Suppression, str]] = set()
    for d in raw:
        key_loc = resolved.source.keys.get(d.path)
        key_line = key_loc.line if key_loc else None
        by = next((s for s in suppressions if s.covers(d, key_line) and valid[(s, d.id)]), None)
        if by is None:
            kept.append(d)
        else:
            suppressed.append(Suppressed(d, by))
            matched.add((by, d.id))
    lint903 = policy.rules.get(codes.SUPPRESSION_UNUSED.id)
    usage = [
        Usage(
            s,
            rule_id,
            policy.known(rule_id),
            rule_id in policy.rules and valid[(s, rule_id)],
            (s, rule_id) in matched,
            lint903.severity if lint903 else Severity.WARNING,
        )
        for s in suppressions
        for rule_id in s.rules
        if valid[(s, rule_id)] or not (policy.known(rule_id) or rule_id in _NOT_RULES)
    ]
    return kept, suppressed, usage, problems


def unused(results: list[EnvCheck]) -> list[Diagnostic]:
    """LS903 for suppressions that waived nothing in any environment where their rule is enabled."""
    by_key: dict[tuple[Any, ...], list[tuple[str, Usage]]] = {}
    for result in results:
        for u in result.usage:
            by_key.setdefault((u.suppression.key, u.rule), []).append((result.env, u))
    out: list[Diagnostic] = []
    for entries in by_key.values():
        if any(u.matched for _, u in entries):
            continue
        known_anywhere = any(u.known for _, u in entries)
        for env, u in entries:
            s = u.suppression
            if not known_anywhere:
                message = f"suppression of {u.rule}: no such rule in the packs of this environment"
                hint = "check the rule id (`liftspec rules`), or the pack that defines it"
            elif u.enabled:
                message = f"suppression of {u.rule} matched nothing"
                hint = "remove it, or correct its rule id or path"
            else:
                continue
            out.append(_problem(codes.SUPPRESSION_UNUSED, message, hint, s, env, u.severity))
    return out

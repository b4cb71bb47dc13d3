"""The verify stages: translate, check the limits, lint what CloudFormation deploys; findings mapped back to lift.yaml.

cfn-lint checks the transformed template (template.json), the form CloudFormation deploys: every
problem it finds in the SAM form also shows there (tests/test_verify_mapping.py). The SAM form is
linted only when the translator rejects it, as then there is no other form and cfn-lint's SAM
schemas still point at the offending property. Lint results are cached by the exact text linted,
the region and the versions of liftspec, cfn-lint and the SAM translator (verify/cache.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from liftspec import codes
from liftspec.diagnostics import Code, Diagnostic, Path
from liftspec.render.sam import Rendered
from liftspec.render.sam.origins import template_path
from liftspec.render.sam.writers import Text, to_json
from liftspec.reporter import Reporter
from liftspec.resolve import Resolved
from liftspec.resolve.locate import diagnostic_at
from liftspec.verify.cache import cached_lint
from liftspec.verify.cfn_lint import LintFinding
from liftspec.verify.limits import SAME_AS_CFN_LINT, Sizes, check_limits
from liftspec.verify.pool import LintFailed, LintPool
from liftspec.verify.translate import restore_local_code, translate

SAM_FILE = "template.yaml"
CFN_FILE = "template.json"


@dataclass
class Verified:
    cfn_template: dict[str, Any] | None = None  # plain CloudFormation, local code folders restored
    cfn_text: Text | None = None
    sizes: Sizes | None = None
    reporter: Reporter = field(default_factory=Reporter, repr=False)  # the pipeline's sink, or one of its own

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self.reporter)

    def failed(self) -> bool:
        return self.reporter.failed()


def to_cloudformation(
    rendered: Rendered,
    resolved: Resolved,
    region: str,
    code_keys: dict[str, str] | None = None,
    *,
    reporter: Reporter | None = None,
) -> Verified:
    """The SAM translator's output for `rendered`, or LS701 diagnostics (reported to `reporter`)."""
    out = Verified(reporter=reporter if reporter is not None else Reporter())
    translation = translate(rendered.template, region, code_keys)
    if translation.template is None:
        for error in translation.errors:
            path = rendered.origins.locate((error.logical_id,)) if error.logical_id else ()
            out.reporter.report(
                _diagnostic(
                    resolved,
                    codes.SAM_TRANSLATOR_ERROR,
                    path,
                    f"the SAM translator rejects the template: {error.message}",
                    _hint_for(path, "aws-sam-translator"),
                )
            )
        return out
    cfn = restore_local_code(translation.template, translation.local_code)
    for section in ("Resources", "Outputs"):
        if isinstance(cfn.get(section), dict):
            cfn[section] = {key: cfn[section][key] for key in sorted(cfn[section])}
    out.cfn_template = cfn
    out.cfn_text = to_json(cfn)
    return out


def verify(
    rendered: Rendered,
    sam_text: Text,
    resolved: Resolved,
    region: str,
    *,
    pool: LintPool | None = None,
    code_keys: dict[str, str] | None = None,
    reporter: Reporter | None = None,
) -> Verified:
    """Translate, check the limits and lint the transformed template (cfn-lint is skipped when `pool` is None);
    findings go to `reporter`."""
    out = to_cloudformation(rendered, resolved, region, code_keys, reporter=reporter)
    if out.cfn_template is None or out.cfn_text is None:
        out.reporter.extend(_all_lint_diagnostics([(SAM_FILE, sam_text)], pool, region, rendered, resolved, set()))
        return out
    measured, problems = check_limits(rendered.template, sam_text.text, out.cfn_template, rendered.origins)
    out.sizes = measured
    for problem in problems:
        out.reporter.report(_diagnostic(resolved, problem.code, problem.path, problem.message, problem.hint))
    reported = {rule for problem in problems for rule in SAME_AS_CFN_LINT.get(problem.code, ())}
    out.reporter.extend(_all_lint_diagnostics([(CFN_FILE, out.cfn_text)], pool, region, rendered, resolved, reported))
    return out


def _all_lint_diagnostics(
    forms: list[tuple[str, Text]], pool: LintPool | None, region: str, rendered: Rendered, resolved: Resolved, skip: set[str]
) -> list[Diagnostic]:
    if pool is None:
        return []
    found: list[tuple[LintFinding, str, Path]] = []
    try:
        for name, text in forms:
            found += _lint_diagnostics(name, text, cached_lint(pool, text.text, region), rendered, skip)
    except LintFailed as exc:
        return [
            _diagnostic(
                resolved,
                codes.CFN_LINT_FAILED,
                (),
                f"cfn-lint could not check the template: {exc}",
                "run `cfn-lint` on the template by hand to see why, or compile with --no-verify",
            )
        ]
    return _grouped(found, resolved)


def _lint_diagnostics(
    name: str, text: Text, findings: list[LintFinding], rendered: Rendered, skip: set[str]
) -> list[tuple[LintFinding, str, Path]]:
    """(finding, where in the template, lift.yaml path) for the errors and warnings of one form."""
    out = []
    for finding in findings:
        if finding.severity not in ("error", "warning") or finding.rule in skip:
            continue
        where = template_path(text.path_at(finding.line))
        place = ".".join(str(part) for part in where).lstrip("@") or f"line {finding.line}"
        out.append((finding, f"{name}: {place} (line {finding.line})", rendered.origins.locate(where)))
    return out


def _grouped(found: list[tuple[LintFinding, str, Path]], resolved: Resolved) -> list[Diagnostic]:
    """One diagnostic per rule, message and lift.yaml value: a bad tag shows up on every tagged resource."""
    groups: dict[tuple[str, str, Path], list[str]] = {}
    first: dict[tuple[str, str, Path], LintFinding] = {}
    for finding, place, path in found:
        key = (finding.rule, finding.message, path)
        groups.setdefault(key, []).append(place)
        first.setdefault(key, finding)
    out = []
    for key, places in groups.items():
        finding, path = first[key], key[2]
        more = f" (and {len(places) - 1} more place{'s' if len(places) > 2 else ''})" if len(places) > 1 else ""
        message = f"cfn-lint {finding.rule}: {finding.message}, in {places[0]}{more}"
        out.append(
            _diagnostic(
                resolved,
                codes.CFN_LINT_ERROR if finding.severity == "error" else codes.CFN_LINT_WARNING,
                path,
                message,
                _hint_for(path, f"cfn-lint rule {finding.rule}"),
            )
        )
    return out


def _hint_for(path: Path, tool: str) -> str:
    if path:
        return f"{tool} rejects what this value compiles to; change it here"
    return f"{tool} rejects the compiled template; inspect it with `liftspec compile --no-verify` (and report a liftspec bug)"


def _diagnostic(resolved: Resolved, code: Code, path: Path, message: str, hint: str) -> Diagnostic:
    return diagnostic_at(resolved, code, code.severity, path, message, hint)

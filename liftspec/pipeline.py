"""The pipeline: lint (load -> resolve -> model -> check) and compile (lint, then render -> verify -> write).

compile writes an output folder with the SAM template, the runtime files and a manifest. The default output
folder is `build/lift/<env>` next to the lift.yaml. liftspec owns that folder: it is replaced as a whole, so
files that compile no longer produces disappear; a folder that liftspec cannot prove it wrote
(liftspec/outfolder.py) is never replaced. Files are written to a temporary folder beside the target, which
then takes the target's place; on any error the target is left exactly as it was.

Returns results, never prints; liftspec.api is the public facade over it, the CLI its user.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from liftspec import codes
from liftspec.codefolders import CodeWalk, code_problems, files_digest, inside, source_name, tree_digest, walk_problems
from liftspec.diagnostics import Diagnostic, LiftError, Severity, UsageError
from liftspec.digest import sha256
from liftspec.reporter import Reporter, merge_envs
from liftspec.version import __version__

# The stages are imported where they run: compile forks its cfn-lint workers before the rest of liftspec loads.
if TYPE_CHECKING:
    from liftspec.check.options import LintOptions
    from liftspec.check.rule import Fix
    from liftspec.check.suppress import Suppressed
    from liftspec.load import Document
    from liftspec.model.effective import EffectiveService
    from liftspec.model.spec import LiftSpec
    from liftspec.resolve import Resolved
    from liftspec.verify.pool import LintPool

DEFAULT_OUT = os.path.join("build", "lift")
SAM_FILE = "template.yaml"
CFN_FILE = "template.json"
DEFAULT_REGION = "us-east-1"


# --- lint ---------------------------------------------------------------------


@dataclass
class EnvResult:
    env: str
    resolved: Resolved | None
    spec: LiftSpec | None
    sink: Reporter = field(repr=False)  # where this environment's stages report
    suppressed: list[Suppressed] = field(default_factory=list)
    packs: list[str] = field(default_factory=list)
    service: EffectiveService | None = None  # built once; what rules and renderers of this environment read

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """This environment's findings, as reported (not merged with the other environments')."""
        return list(self.sink)


@dataclass
class LintResult:
    file: str
    document: Document | None
    envs: list[EnvResult]
    diagnostics: list[Diagnostic]
    suppressed: list[Suppressed] = field(default_factory=list)

    def failed(self, at: Severity = Severity.ERROR) -> bool:
        return any(d.severity.rank >= at.rank for d in self.diagnostics)

    def fixes(self) -> list[tuple[Diagnostic, Fix]]:
        """Safe fixes for the findings of every environment (one per written value)."""
        return [(d, d.fix) for env in self.envs for d in env.diagnostics if d.fix is not None]


def resolve_env(document: Document, env: str | None = None, reporter: Reporter | None = None) -> EnvResult:
    """Resolve one environment and validate it against the model (no policies); its findings go to `reporter`."""
    from liftspec.model.effective import effective_service
    from liftspec.model.validate import validate
    from liftspec.resolve import resolve

    reporter = reporter if reporter is not None else Reporter()
    try:
        resolved = resolve(document, env)
    except LiftError as exc:
        sink = reporter.in_env(env or "")
        sink.absorb(exc)
        return EnvResult(env or "", None, None, sink)
    sink = reporter.in_env(resolved.env)
    spec, diagnostics = validate(resolved)
    sink.extend(diagnostics)
    service = effective_service(spec) if spec is not None else None
    return EnvResult(resolved.env, resolved, spec, sink, service=service)


def lint_document(
    document: Document,
    env: str | None = None,
    *,
    policies: bool = True,
    options: LintOptions | None = None,
    reporter: Reporter | None = None,
) -> LintResult:
    """Lint a loaded document in one environment, or in every environment it describes."""
    from liftspec.check.options import LintOptions
    from liftspec.resolve import environments

    options = options if options is not None else LintOptions()  # one pack cache for every environment
    names = [env] if env else environments(document)
    sink = Reporter()  # this document's findings, per environment; merged into `reporter` at the end
    results = []
    checked = []
    inline = None
    for name in names:
        result = resolve_env(document, name, sink)
        if policies and result.spec is not None and result.resolved is not None and not result.diagnostics:
            from liftspec.check.engine import run
            from liftspec.check.suppress import from_comments

            inline = inline if inline is not None else from_comments(document)
            outcome = run(result.resolved, result.spec, options, inline, result.service)
            result.sink.extend(outcome.diagnostics)
            result.suppressed, result.packs = outcome.suppressed, outcome.packs
            checked.append((result, outcome))
        results.append(result)
    if checked:
        from liftspec.check.engine import unused

        by_env = {result.env: result for result, _ in checked}
        for d in unused([outcome for _, outcome in checked]):
            by_env[d.env or ""].sink.report(d)
    suppressed = _merge_suppressed(results, names)
    merged = sink.merged(names)
    if reporter is not None:
        reporter.extend(merged)
    return LintResult(document.file, document, results, merged, suppressed)


def lint_file(
    path: str | os.PathLike[str],
    env: str | None = None,
    *,
    policies: bool = True,
    options: LintOptions | None = None,
    raw: bytes | None = None,
) -> LintResult:
    """Lint one file in one environment, or in every environment it describes (`raw`: its bytes, already read)."""
    from liftspec.load import load_bytes, load_path

    file = os.fspath(path)
    load = functools.partial(load_path, file) if raw is None else functools.partial(load_bytes, raw, file)
    return lint_loading(file, load, env, policies=policies, options=options)


def lint_loading(
    file: str,
    load: Callable[[], Document],
    env: str | None = None,
    *,
    policies: bool = True,
    options: LintOptions | None = None,
) -> LintResult:
    """Lint the document `load()` returns; the LiftError it raises is the result (an OSError is the caller's)."""
    try:
        document = load()
    except LiftError as exc:
        reporter = Reporter()
        reporter.absorb(exc)
        return LintResult(file, None, [], reporter.sorted())
    return lint_document(document, env, policies=policies, options=options)


def _merge_suppressed(results: list[EnvResult], names: list[str]) -> list[Suppressed]:
    from liftspec.check.suppress import Suppressed

    by_diagnostic: dict[tuple[Any, ...], Suppressed] = {}
    items = []
    for result in results:
        for s in result.suppressed:
            d = s.diagnostic
            by_diagnostic.setdefault(d.key(), s)
            items.append((d, result.env))
    out = []
    for d, _ in merge_envs(items, names):
        first = by_diagnostic[d.key()]
        out.append(Suppressed(d, first.by))
    return out


# --- compile ------------------------------------------------------------------


@dataclass
class CompileResult:
    file: str
    env: str | None
    out_dir: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # what compile wrote, or would write
    written: bool = False  # the output folder was replaced
    up_to_date: bool = False  # the output folder already held exactly these files
    changes: list[str] = field(default_factory=list)  # --check: what differs from the output folder
    resources: int | None = None  # in template.yaml
    resources_after_transform: int | None = None  # None without verification
    verified: bool = False

    def failed(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    def drifted(self) -> bool:
        return bool(self.changes)


def default_out(file: str, env: str) -> str:
    return os.path.join(os.path.dirname(file) or ".", DEFAULT_OUT, env)


def compile_file(
    path: str,
    out: str | None = None,
    env: str | None = None,
    *,
    cfn: bool = False,
    verify: bool = True,
    check: bool = False,
    options: LintOptions | None = None,
) -> CompileResult:
    """Compile one lift.yaml for one environment (default: its `environment`).

    Lint runs first, with `options` (the [tool.liftspec] settings `liftspec lint` uses), and its
    errors block the compile. Returns the result (diagnostics, files, what happened); writes nothing
    when there is an error, nor with `check`, which fills `changes` instead. Raises UsageError for
    I/O problems and for an output folder that liftspec did not write.
    """
    from liftspec.fileio import read_limited
    from liftspec.load.yaml_loader import MAX_BYTES

    try:
        raw = read_limited(path, MAX_BYTES)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    # Forked first, before the rest of liftspec is imported: loading cfn-lint then overlaps everything below.
    pool = _start_lint_pool() if verify else None
    try:
        return _compile(path, raw, out, env, cfn=cfn, verify=verify, check=check, options=options, pool=pool)
    finally:
        if pool is not None:
            pool.close()


def _compile(
    path: str,
    raw: bytes,
    out: str | None,
    env: str | None,
    *,
    cfn: bool,
    verify: bool,
    check: bool,
    options: LintOptions | None,
    pool: LintPool | None,
) -> CompileResult:
    from liftspec.load import load_bytes

    result = CompileResult(path, env, out)
    reporter = Reporter()
    try:
        document = load_bytes(raw, path)
    except LiftError as exc:
        reporter.absorb(exc)
        result.diagnostics = reporter.sorted()
        return result
    lint = lint_document(document, env, options=options, reporter=reporter)
    result.diagnostics = list(reporter)
    if reporter.failed() or not lint.envs or lint.envs[0].spec is None or lint.envs[0].resolved is None:
        return result
    resolved, service = lint.envs[0].resolved, lint.envs[0].service
    assert service is not None  # built with spec
    result.env = resolved.env
    result.out_dir = out or default_out(path, resolved.env)
    lift_dir = os.path.dirname(os.path.abspath(path))
    _check_target(result.out_dir, path, sorted({os.path.join(lift_dir, fn.code) for fn in service.functions}))
    built = build(result, reporter, raw, document, resolved, service, cfn=cfn, verify=verify, pool=pool)
    # Sorted once all is built; in the order found when a stage stopped the build (as compile always showed them).
    result.diagnostics = reporter.sorted() if built else list(reporter)
    if result.failed():
        result.files = {}
        return result
    from liftspec.outfolder import read_tree, write_tree

    existing = read_tree(result.out_dir)
    if check:
        from liftspec.render.manifest import without_files
        from liftspec.verify.drift import file_changes

        if existing is None:
            result.changes = [f"{result.out_dir} does not exist"]
        else:
            if not cfn and CFN_FILE in existing:  # --check compares what this compile writes: no template.json
                existing = without_files(existing, {CFN_FILE})
            result.changes = file_changes(existing, result.files)
        return result
    if existing == result.files:
        result.up_to_date = True
        return result
    write_tree(result.out_dir, result.files)
    result.written = True
    return result


def build(
    result: CompileResult,
    reporter: Reporter,
    raw: bytes,
    document: Document,
    resolved: Resolved,
    service: EffectiveService,
    *,
    cfn: bool,
    verify: bool,
    pool: LintPool | None = None,
) -> bool:
    """Render (and verify) into `result.files`; problems go to `reporter`. False when a stage stopped it."""
    from liftspec.render import runtime_files
    from liftspec.render.manifest import MANIFEST, render_manifest
    from liftspec.render.sam import header, render_template, to_yaml
    from liftspec.render.sam.context import LAYER_ID
    from liftspec.render.sam.ids import function_id
    from liftspec.resolve.locate import diagnostic_at

    assert result.out_dir is not None
    spec = service.spec
    lift_dir = os.path.dirname(os.path.abspath(document.file))
    code_root = os.path.relpath(lift_dir, os.path.abspath(result.out_dir)).replace(os.sep, "/")
    source = source_name(document.file)
    code_problems(resolved, service, lift_dir, os.path.abspath(result.out_dir), reporter)
    rendered = render_template(resolved, spec, code_root, service=service)
    reporter.extend(rendered.diagnostics)
    meta = {"source": source, "env": resolved.env, "version": __version__, "digest": sha256(raw).hexdigest()}
    try:
        files = dict(runtime_files.runtime_outputs(spec, meta, service=service))
        sam_text = to_yaml(rendered.template, header(source, resolved.env))
    except ValueError as exc:  # a value the runtime config or a template cannot hold (a control character, infinity)
        reporter.report(
            diagnostic_at(
                resolved,
                codes.UNWRITABLE_VALUE,
                Severity.ERROR,
                (),
                f"cannot generate the output: {exc}",
                "change the value the message names",
            )
        )
        return False
    files[SAM_FILE] = sam_text.text.encode()
    result.resources = len(rendered.template["Resources"])
    if reporter.failed():
        return False
    if verify or cfn:
        from liftspec.verify.verifier import to_cloudformation
        from liftspec.verify.verifier import verify as run_verify

        region = spec.region or DEFAULT_REGION
        code_keys: dict[str, str] = {}
        if cfn:
            # Keys that follow the content make SAM publish a new version exactly when code or layer changes.
            walks: dict[str, CodeWalk] = {}
            for fn in service.functions:
                fid = function_id(fn.name)
                if fn.code not in walks:
                    walks[fn.code] = tree_digest(os.path.join(lift_dir, fn.code), os.path.abspath(result.out_dir))
                    walk_problems(resolved, fn, walks[fn.code], reporter)
                code_keys[fid] = f"{fid}/{walks[fn.code].digest}"
            if reporter.failed():
                return False
            layer = {name: content for name, content in files.items() if name.startswith("layer/")}
            if LAYER_ID in rendered.template["Resources"]:
                code_keys[LAYER_ID] = f"{LAYER_ID}/{files_digest(layer)}"
        if verify:
            verified = run_verify(rendered, sam_text, resolved, region, pool=pool, code_keys=code_keys, reporter=reporter)
            result.verified = True
        else:
            verified = to_cloudformation(rendered, resolved, region, code_keys, reporter=reporter)
        if verified.cfn_template is not None:
            result.resources_after_transform = len(verified.cfn_template.get("Resources", {}))
        if cfn and verified.cfn_text is not None:
            files[CFN_FILE] = verified.cfn_text.text.encode()
    files[MANIFEST] = render_manifest(
        version=__version__, service=spec.service, env=resolved.env, source=source, input_sha256=meta["digest"], files=files
    )
    result.files = dict(sorted(files.items()))
    return True


def _start_lint_pool() -> LintPool:
    from liftspec.verify.pool import LintPool

    return LintPool()


def _check_target(out_dir: str, lift_file: str, code_folders: list[str]) -> None:
    """Refuse (UsageError) an output folder liftspec may not replace: one it cannot prove it wrote, or
    one that holds the lift.yaml or a code folder."""
    from liftspec.outfolder import ownership_problem, real_target

    real = real_target(out_dir)
    for what, path in [("the lift.yaml", lift_file), *(("code folder " + c, c) for c in code_folders)]:
        if inside(os.path.realpath(path), real):
            raise UsageError(
                f"{out_dir} holds {what} ({path}): liftspec replaces its output folder as a whole; "
                "choose a folder of its own with --out"
            )
    problem = ownership_problem(out_dir)
    if problem is not None:
        raise UsageError(problem)

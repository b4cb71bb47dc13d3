"""compile: lift.yaml -> an output folder with the SAM template, the runtime files and a manifest.

    lint (blocks on errors) -> render -> verify (SAM translator, limits, cfn-lint) -> write atomically

The default output folder is `build/lift/<env>` next to the lift.yaml. liftspec owns that folder: it is
replaced as a whole, so files that compile no longer produces disappear; a folder that liftspec cannot
prove it wrote (liftspec/outfolder.py) is never replaced. Files are written to a temporary folder beside the target,
which then takes the target's place; on any error the target is left exactly as it was.
"""

from __future__ import annotations

import errno
import hashlib
import os
import posixpath
import stat
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from liftspec import __version__, codes
from liftspec.diagnostics import Code, Diagnostic, LiftError, Path, Severity, Span, UsageError

if TYPE_CHECKING:
    from liftspec.check.options import LintOptions
    from liftspec.load import Document
    from liftspec.model.effective import EffectiveFunction
    from liftspec.model.spec import LiftSpec
    from liftspec.resolve import Resolved
    from liftspec.verify.pool import LintPool

DEFAULT_OUT = os.path.join("build", "lift")
SAM_FILE = "template.yaml"
CFN_FILE = "template.json"
DEFAULT_REGION = "us-east-1"
_SKIP_DIRS = {"__pycache__", ".git", ".venv", "node_modules", ".aws-sam"}


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
    from liftspec.api import lint_document
    from liftspec.load import load_text, read_text
    from liftspec.model.effective import all_functions

    result = CompileResult(path, env, out)
    try:
        document = load_text(read_text(raw, path), path)
    except LiftError as exc:
        result.diagnostics = sorted(exc.diagnostics, key=Diagnostic.sort_key)
        return result
    lint = lint_document(document, env, options=options)
    result.diagnostics = list(lint.diagnostics)
    if lint.failed() or not lint.envs or lint.envs[0].spec is None or lint.envs[0].resolved is None:
        return result
    spec, resolved = lint.envs[0].spec, lint.envs[0].resolved
    result.env = resolved.env
    result.out_dir = out or default_out(path, resolved.env)
    lift_dir = os.path.dirname(os.path.abspath(path))
    _check_target(result.out_dir, path, sorted({os.path.join(lift_dir, fn.code) for fn in all_functions(spec)}))
    build(result, raw, document, resolved, spec, cfn=cfn, verify=verify, pool=pool)
    if result.failed():
        result.files = {}
        return result
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
    raw: bytes,
    document: Document,
    resolved: Resolved,
    spec: LiftSpec,
    *,
    cfn: bool,
    verify: bool,
    pool: LintPool | None = None,
) -> None:
    """Render (and verify) into `result.files`; problems go to `result.diagnostics`."""
    from liftspec.model.effective import all_functions
    from liftspec.render import runtime_files
    from liftspec.render.manifest import MANIFEST, render_manifest
    from liftspec.render.sam import header, render_template, to_yaml
    from liftspec.render.sam.context import LAYER_ID
    from liftspec.render.sam.ids import function_id

    assert result.out_dir is not None
    lift_dir = os.path.dirname(os.path.abspath(document.file))
    code_root = os.path.relpath(lift_dir, os.path.abspath(result.out_dir)).replace(os.sep, "/")
    source = source_name(document.file)
    result.diagnostics += code_problems(resolved, spec, lift_dir, os.path.abspath(result.out_dir))
    rendered = render_template(resolved, spec, code_root)
    result.diagnostics += rendered.diagnostics
    meta = {"source": source, "env": resolved.env, "version": __version__, "digest": hashlib.sha256(raw).hexdigest()}
    try:
        files = dict(runtime_files.runtime_outputs(spec, meta))
        sam_text = to_yaml(rendered.template, header(source, resolved.env))
    except ValueError as exc:  # a value the runtime config or a template cannot hold (a control character, infinity)
        result.diagnostics.append(
            _diag(
                resolved,
                codes.UNWRITABLE_VALUE,
                Severity.ERROR,
                (),
                f"cannot generate the output: {exc}",
                "change the value the message names",
            )
        )
        return
    files[SAM_FILE] = sam_text.text.encode()
    result.resources = len(rendered.template["Resources"])
    if result.failed():
        return
    if verify or cfn:
        from liftspec.verify.verifier import to_cloudformation
        from liftspec.verify.verifier import verify as run_verify

        region = spec.region or DEFAULT_REGION
        code_keys: dict[str, str] = {}
        if cfn:
            # Keys that follow the content make SAM publish a new version exactly when code or layer changes.
            walks: dict[str, CodeWalk] = {}
            for fn in all_functions(spec):
                fid = function_id(fn.name)
                if fn.code not in walks:
                    walks[fn.code] = tree_digest(os.path.join(lift_dir, fn.code), os.path.abspath(result.out_dir))
                    result.diagnostics += _walk_problems(resolved, fn, walks[fn.code])
                code_keys[fid] = f"{fid}/{walks[fn.code].digest}"
            if result.failed():
                return
            layer = {name: content for name, content in files.items() if name.startswith("layer/")}
            if LAYER_ID in rendered.template["Resources"]:
                code_keys[LAYER_ID] = f"{LAYER_ID}/{files_digest(layer)}"
        if verify:
            verified = run_verify(rendered, sam_text, resolved, region, pool=pool, code_keys=code_keys)
            result.verified = True
        else:
            verified = to_cloudformation(rendered, resolved, region, code_keys)
        result.diagnostics += verified.diagnostics
        if verified.cfn_template is not None:
            result.resources_after_transform = len(verified.cfn_template.get("Resources", {}))
        if cfn and verified.cfn_text is not None:
            files[CFN_FILE] = verified.cfn_text.text.encode()
    files[MANIFEST] = render_manifest(
        version=__version__, service=spec.service, env=resolved.env, source=source, input_sha256=meta["digest"], files=files
    )
    result.files = dict(sorted(files.items()))
    result.diagnostics = sorted(result.diagnostics, key=Diagnostic.sort_key)


def _start_lint_pool() -> LintPool:
    from liftspec.verify.pool import LintPool

    return LintPool()


# --- the code folders ---------------------------------------------------------


def code_problems(resolved: Resolved, spec: LiftSpec, lift_dir: str, out_dir: str) -> list[Diagnostic]:
    """Code folders that do not exist (errors) or hold the output folder (warnings). Handlers are checked by
    lint (LS311)."""
    from liftspec.model.effective import all_functions

    out: list[Diagnostic] = []
    reported: set[tuple[str, str]] = set()
    for fn in all_functions(spec):
        where = _code_path(fn)
        folder = os.path.join(lift_dir, fn.code)
        if not os.path.isdir(folder):
            if ("missing", fn.code) not in reported:
                reported.add(("missing", fn.code))
                out.append(
                    _diag(
                        resolved,
                        codes.MISSING_CODE_FOLDER,
                        Severity.ERROR,
                        where,
                        f"code folder {fn.code} does not exist (next to {os.path.basename(resolved.file)})",
                        "create it, or point `code` at the folder that holds the function's code",
                    )
                )
            continue
        if _inside(out_dir, folder) and ("out", fn.code) not in reported:
            reported.add(("out", fn.code))
            out.append(
                _diag(
                    resolved,
                    codes.OUTPUT_IN_CODE_FOLDER,
                    Severity.WARNING,
                    where,
                    f"the output folder is inside code folder {fn.code}: "
                    "sam build would package the compiled files with the function",
                    "keep the code in its own folder (code: src/), or compile with --out outside it",
                )
            )
        if fn.wrapper == "go" and not os.path.isfile(os.path.join(folder, "go.mod")) and ("go.mod", fn.code) not in reported:
            reported.add(("go.mod", fn.code))
            out.append(
                _diag(
                    resolved,
                    codes.GO_MODULE_NOT_FOUND,
                    Severity.WARNING,
                    where,
                    f"build: go, but code folder {fn.code} has no go.mod: sam build would not find the Go module",
                    f"run `go mod init` in {fn.code} (docs/go.md shows the require and replace lines liftspec's module needs)",
                )
            )
    return out


def _code_path(fn: EffectiveFunction) -> Path:
    return ("functions", fn.name, "code") if "code" in fn.spec.model_fields_set else ("runtime", "code")


def _walk_problems(resolved: Resolved, fn: EffectiveFunction, walk: CodeWalk) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if walk.too_large is not None:
        out.append(
            _diag(
                resolved,
                codes.CODE_FOLDER_TOO_LARGE,
                Severity.ERROR,
                _code_path(fn),
                f"code folder {fn.code} holds {walk.too_large}, more than a Lambda function can hold",
                "point `code` at the folder with the function's code only (e.g. src/), not a whole repository or disk",
            )
        )
    for rel, kind in walk.skipped[:5]:
        out.append(
            _diag(
                resolved,
                codes.UNPACKABLE_CODE_FILE,
                Severity.WARNING,
                _code_path(fn),
                f"code folder {fn.code} holds {rel}, which cannot be packaged: {kind}",
                "remove it from the code folder, or make it a regular file",
            )
        )
    return out


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.abspath(path), os.path.abspath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _diag(resolved: Resolved, code: Code, severity: Severity, path: Path, message: str, hint: str) -> Diagnostic:
    loc = resolved.source.locate(path)
    return Diagnostic(code, message, hint, Span.of(resolved.file, loc), path, severity=severity, envs=(resolved.env,))


# The code folder walk is bounded: Lambda takes at most 250 MB of unzipped code and layers.
MAX_CODE_FILES = 20_000
MAX_CODE_BYTES = 250 * 1024 * 1024


@dataclass
class CodeWalk:
    """sha256 over the relative paths and contents of the files under a code folder, and what stopped it."""

    digest: str = ""
    too_large: str | None = None  # why the walk stopped (LS724)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, what it is): not packageable (LS725)


def tree_digest(folder: str, skip: str | None = None) -> CodeWalk:
    """Caches, other output folders and `skip` are left out; symlinks to files are followed."""
    from liftspec.fileio import file_kind, read_limited

    walk = CodeWalk()
    digest = hashlib.sha256()
    total = 0
    files = _files_under(folder, skip, walk)
    for rel in sorted(files):
        full = os.path.join(folder, rel)
        try:
            info = os.stat(full)
        except OSError as exc:
            walk.skipped.append((rel, _unreadable(full, exc)))
            continue
        if not stat.S_ISREG(info.st_mode):
            walk.skipped.append((rel, file_kind(info.st_mode)))
            continue
        total += info.st_size
        if total > MAX_CODE_BYTES:
            walk.too_large = f"more than {MAX_CODE_BYTES // (1024 * 1024)} MB of files"
            return walk
        try:
            content = read_limited(full, MAX_CODE_BYTES)
        except OSError as exc:
            walk.skipped.append((rel, f"unreadable: {exc.strerror or exc}"))
            continue
        digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(content).digest())
    if walk.too_large is None:
        walk.digest = digest.hexdigest()[:16]
    return walk


def _unreadable(path: str, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a symlink loop"
    if os.path.islink(path):
        return "a symlink to a file that does not exist"
    return f"unreadable: {exc.strerror or exc}"


def files_digest(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:16]


def _files_under(folder: str, skip: str | None, walk: CodeWalk) -> list[str]:
    out: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not _is_output(os.path.join(root, d), skip))
        for name in names:
            if not name.endswith(".pyc"):
                out.append(os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/"))
        if len(out) > MAX_CODE_FILES:
            walk.too_large = f"more than {MAX_CODE_FILES:,} files"
            return []
    return out


def _is_output(folder: str, skip: str | None) -> bool:
    """The output folder, or a folder liftspec wrote (compiles of other environments, temporary folders)."""
    from liftspec.render.manifest import MANIFEST

    if skip is not None and os.path.abspath(folder) == skip:
        return True
    name = os.path.basename(folder)
    return os.path.isfile(os.path.join(folder, MANIFEST)) or (name.startswith(".") and (".new-" in name or ".old-" in name))


def source_name(file: str) -> str:
    """The lift.yaml as named in generated files: relative to the repository root, else its file name.

    Never the path as typed, so that the output does not depend on the folder compile was run from.
    """
    here = os.path.dirname(os.path.abspath(file))
    probe = here
    while True:
        if os.path.exists(os.path.join(probe, ".git")):
            return posixpath.join(*os.path.relpath(os.path.abspath(file), probe).split(os.sep))
        parent = os.path.dirname(probe)
        if parent == probe:
            return os.path.basename(file)
        probe = parent


# --- the output folder ----------------------------------------------------------


def _check_target(out_dir: str, lift_file: str, code_folders: list[str]) -> None:
    """Refuse (UsageError) an output folder liftspec may not replace: one it cannot prove it wrote, or
    one that holds the lift.yaml or a code folder."""
    from liftspec.outfolder import ownership_problem, real_target

    real = real_target(out_dir)
    for what, path in [("the lift.yaml", lift_file), *(("code folder " + c, c) for c in code_folders)]:
        if _inside(os.path.realpath(path), real):
            raise UsageError(
                f"{out_dir} holds {what} ({path}): liftspec replaces its output folder as a whole; "
                "choose a folder of its own with --out"
            )
    problem = ownership_problem(out_dir)
    if problem is not None:
        raise UsageError(problem)


def read_tree(folder: str) -> dict[str, bytes] | None:
    """Every file under `folder` that liftspec compares, by relative posix path, or None when the folder does not exist."""
    from liftspec.outfolder import read_tree as read

    return read(folder)


def write_tree(target: str, files: dict[str, bytes]) -> None:
    """Replace `target` by a folder holding exactly `files`, or leave it as it was."""
    from liftspec.outfolder import write_tree as write

    write(target, files)

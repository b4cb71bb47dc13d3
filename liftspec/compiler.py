"""compile: lift.yaml -> an output folder with the SAM template, the runtime files and a manifest.

    lint (blocks on errors) -> render -> verify (SAM translator, limits, cfn-lint) -> write atomically

The default output folder is `build/lift/<env>` next to the lift.yaml. liftspec owns that folder: it is
replaced as a whole, so files that compile no longer produces disappear; a folder that liftspec did not
write (no manifest.json) is never replaced. Files are written to a temporary folder beside the target,
which then takes the target's place; on any error the target is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from liftspec import __version__
from liftspec.diagnostics import Diagnostic, LiftError, Path, Severity, UsageError

if TYPE_CHECKING:
    from liftspec.check.options import LintOptions
    from liftspec.load import Document
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
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
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
    _check_target(result.out_dir)
    build(result, raw, document, resolved, spec, cfn=cfn, verify=verify, pool=pool)
    if result.failed():
        result.files = {}
        return result
    existing = read_tree(result.out_dir)
    if check:
        from liftspec.verify.drift import file_changes

        if existing is None:
            result.changes = [f"{result.out_dir} does not exist"]
        else:
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
                resolved, "LS722", Severity.ERROR, (), f"cannot generate the output: {exc}", "change the value the message names"
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
            for fn in all_functions(spec):
                fid = function_id(fn.name)
                code_keys[fid] = f"{fid}/{tree_digest(os.path.join(lift_dir, fn.code), os.path.abspath(result.out_dir))}"
            layer = {name: content for name, content in files.items() if name.startswith("layer/")}
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
        where: Path = ("functions", fn.name, "code") if "code" in fn.spec.model_fields_set else ("runtime", "code")
        folder = os.path.join(lift_dir, fn.code)
        if not os.path.isdir(folder):
            if ("missing", fn.code) not in reported:
                reported.add(("missing", fn.code))
                out.append(
                    _diag(
                        resolved,
                        "LS718",
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
                    "LS721",
                    Severity.WARNING,
                    where,
                    f"the output folder is inside code folder {fn.code}: "
                    "sam build would package the compiled files with the function",
                    "keep the code in its own folder (code: src/), or compile with --out outside it",
                )
            )
    return out


def _inside(path: str, folder: str) -> bool:
    path, folder = os.path.abspath(path), os.path.abspath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _diag(resolved: Resolved, code: str, severity: Severity, path: Path, message: str, hint: str) -> Diagnostic:
    loc = resolved.source.locate(path)
    return Diagnostic(
        code, severity, message, hint, resolved.file, loc.line, loc.col, loc.end_line, loc.end_col, resolved.env, path
    )


def tree_digest(folder: str, skip: str | None = None) -> str:
    """sha256 over the relative paths and contents of the files under `folder` (caches and `skip` left out)."""
    digest = hashlib.sha256()
    for rel in sorted(_files_under(folder, skip)):
        digest.update(rel.encode() + b"\0")
        with open(os.path.join(folder, rel), "rb") as handle:
            digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()[:16]


def files_digest(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:16]


def _files_under(folder: str, skip: str | None) -> list[str]:
    out: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not _is_output(os.path.join(root, d), skip))
        for name in names:
            if not name.endswith(".pyc"):
                out.append(os.path.relpath(os.path.join(root, name), folder).replace(os.sep, "/"))
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


def _check_target(out_dir: str) -> None:
    from liftspec.render.manifest import MANIFEST

    if os.path.isfile(out_dir) or (os.path.exists(out_dir) and not os.path.isdir(out_dir)):
        raise UsageError(f"{out_dir} exists and is not a folder")
    if os.path.isdir(out_dir) and os.listdir(out_dir) and not os.path.isfile(os.path.join(out_dir, MANIFEST)):
        raise UsageError(
            f"{out_dir} is not empty and was not written by liftspec (it has no {MANIFEST}); "
            "liftspec replaces its output folder as a whole: choose a new or empty folder with --out"
        )


def read_tree(folder: str) -> dict[str, bytes] | None:
    """Every file under `folder` by relative posix path, or None when the folder does not exist."""
    if not os.path.isdir(folder):
        return None
    out: dict[str, bytes] = {}
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            full = os.path.join(root, name)
            with open(full, "rb") as handle:
                out[os.path.relpath(full, folder).replace(os.sep, "/")] = handle.read()
    return out


def write_tree(target: str, files: dict[str, bytes]) -> None:
    """Replace `target` by a folder holding exactly `files`, or leave it as it was."""
    target = os.path.normpath(target)
    parent = os.path.dirname(os.path.abspath(target))
    name = os.path.basename(os.path.abspath(target))
    try:
        os.makedirs(parent, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=f".{name}.new-", dir=parent)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    backup: str | None = None
    try:
        os.chmod(staging, 0o777 & ~_umask())
        for rel, content in files.items():
            full = os.path.join(staging, *rel.split("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as handle:
                handle.write(content)
        if os.path.exists(target):
            backup = tempfile.mkdtemp(prefix=f".{name}.old-", dir=parent)
            os.rmdir(backup)
            os.rename(target, backup)
        try:
            os.rename(staging, target)
        except OSError:
            if backup is not None:
                os.rename(backup, target)
                backup = None
            raise
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

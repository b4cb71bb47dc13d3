"""Files liftspec writes and reads: it never replaces what it cannot prove it wrote, writes through symlinks
keeping mode and owner, leaves no temporary files after signals or concurrent compiles, reads only bounded
regular files, and answers any input with a diagnostic (issue 9 items 1-5 and 7, issue 14's output folder)."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.compile.support import ROOT, copy_example, edit, line_of
from fixtures.policy.lintkit import GOOD, liftspec, lint_text

import liftspec.codefolders as codefolders
from liftspec.diagnostics import LiftError, UsageError
from liftspec.pipeline import compile_file, default_out


def out_of(path: Path, env: str = "production") -> Path:
    return Path(default_out(str(path), env))


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def webhook(tmp_path: Path) -> Path:
    return copy_example("webhook", tmp_path)


# --- 1. ownership by manifest proof -------------------------------------------------------


def test_a_folder_with_someone_elses_manifest_json_is_refused(webhook: Path, tmp_path: Path) -> None:
    app = tmp_path / "webapp"
    (app / ".git").mkdir(parents=True)
    (app / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (app / "manifest.json").write_text(json.dumps({"name": "my extension", "manifest_version": 3}))
    (app / "index.html").write_text("<h1>hi</h1>")
    before = tree(app)
    with pytest.raises(UsageError, match=r"manifest.json is not a liftspec manifest"):
        compile_file(str(webhook), out=str(app), verify=False)
    assert tree(app) == before


@pytest.mark.parametrize(
    ("stray", "named"), [("notes.txt", "notes.txt"), ("assets/logo.png", "assets/"), ("layer/extra.py", "layer/extra.py")]
)
def test_a_file_the_manifest_does_not_list_is_refused_and_named(webhook: Path, stray: str, named: str) -> None:
    assert compile_file(str(webhook), verify=False).written
    out = out_of(webhook)
    (out / stray).parent.mkdir(parents=True, exist_ok=True)
    (out / stray).write_text("mine")
    before = tree(out)
    edit(webhook, "memory: 256", "memory: 512")
    with pytest.raises(UsageError, match=rf"holds {named}, which liftspec did not write"):
        compile_file(str(webhook), verify=False)
    assert tree(out) == before


def test_a_forged_manifest_cannot_make_the_service_or_code_folder_an_output(webhook: Path) -> None:
    compiled = compile_file(str(webhook), verify=False)
    manifest = json.loads(compiled.files["manifest.json"])
    folder = webhook.parent
    manifest["files"] = {name: "0" * 64 for name in ("lift.yaml", "src/webhook.py")}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UsageError, match=r"holds the lift\.yaml"):
        compile_file(str(webhook), out=str(folder), verify=False)
    manifest["files"] = {"webhook.py": "0" * 64}
    (folder / "src" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UsageError, match="holds code folder"):
        compile_file(str(webhook), out=str(folder / "src"), verify=False)
    assert (folder / "lift.yaml").is_file() and (folder / "src" / "webhook.py").is_file()


def test_diff_reads_only_a_folder_liftspec_wrote(webhook: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "photos").mkdir(parents=True)
    (home / "photos" / "cat.jpg").write_bytes(b"\xff\xd8")
    (home / "manifest.json").write_text('{"name": "my app"}')
    result = liftspec("diff", str(webhook), "--out", str(home))
    assert result.code == 2 and "is not a liftspec manifest" in result.err


def test_bytecode_caches_do_not_break_ownership_nor_show_in_check(webhook: Path) -> None:
    assert compile_file(str(webhook), verify=False).written
    out = out_of(webhook)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "lift_config.py"], cwd=out, check=True)  # as an import does
    assert (out / "__pycache__").is_dir()
    assert compile_file(str(webhook), verify=False, check=True).changes == []
    edit(webhook, "memory: 256", "memory: 512")
    assert compile_file(str(webhook), verify=False).written


# --- 2. symlinked --out, signals, concurrent writers --------------------------------------


def test_a_symlinked_out_is_written_through(webhook: Path, tmp_path: Path) -> None:
    real = tmp_path / "real-out"
    link = tmp_path / "link-out"
    link.symlink_to(real, target_is_directory=True)
    real.mkdir()
    assert compile_file(str(webhook), out=str(link), verify=False).written
    edit(webhook, "memory: 256", "memory: 512")
    assert compile_file(str(webhook), out=str(link), verify=False).written
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert b"MemorySize: 512" in (real / "template.yaml").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link-out", "real-out", "webhook"]


def test_a_dangling_symlink_out_is_refused(webhook: Path, tmp_path: Path) -> None:
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "elsewhere" / "x")
    with pytest.raises(UsageError, match="does not exist"):
        compile_file(str(webhook), out=str(link), verify=False)
    assert not (tmp_path / "elsewhere").exists()


def _signal_while_staging(signum: int, monkeypatch: pytest.MonkeyPatch) -> None:
    real_makedirs = os.makedirs

    def makedirs(path: str, *args: object, **kwargs: object) -> None:
        if ".new-" in str(path):
            os.kill(os.getpid(), signum)
        real_makedirs(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "makedirs", makedirs)


def test_ctrl_c_while_writing_leaves_the_old_folder_and_no_temporary_files(
    webhook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert compile_file(str(webhook), verify=False).written
    before = tree(out_of(webhook))
    edit(webhook, "memory: 256", "memory: 512")
    _signal_while_staging(signal.SIGINT, monkeypatch)
    # A process started in the background by a shell ignores SIGINT (and so would this test): act as a terminal's.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            compile_file(str(webhook), verify=False)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert tree(out_of(webhook)) == before
    assert leftovers(out_of(webhook).parent) == []


def test_sigterm_while_writing_leaves_no_temporary_files(webhook: Path) -> None:
    assert compile_file(str(webhook), verify=False).written
    before = tree(out_of(webhook))
    edit(webhook, "memory: 256", "memory: 512")
    script = (
        "import os, signal, sys\n"
        "real = os.makedirs\n"
        "def makedirs(p, *a, **k):\n"
        "    if '.new-' in str(p): os.kill(os.getpid(), signal.SIGTERM)\n"
        "    real(p, *a, **k)\n"
        "os.makedirs = makedirs\n"
        "from liftspec.pipeline import compile_file\n"
        "compile_file(sys.argv[1], verify=False)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(webhook)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGTERM, proc.stderr
    assert tree(out_of(webhook)) == before
    assert leftovers(out_of(webhook).parent) == []


def test_a_second_writer_waits_for_the_lock(webhook: Path) -> None:
    assert compile_file(str(webhook), verify=False).written
    out = out_of(webhook)
    before = tree(out)
    edit(webhook, "memory: 256", "memory: 512")
    lock = os.open(out.parent / ".production.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)
    worker = threading.Thread(target=compile_file, args=(str(webhook),), kwargs={"verify": False})
    worker.start()
    time.sleep(0.6)
    try:
        assert worker.is_alive() and tree(out) == before, "the compile must wait for the lock holder"
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)
    worker.join(30)
    assert b"MemorySize: 512" in (out / "template.yaml").read_bytes()
    assert leftovers(out.parent) == []


def test_concurrent_writers_of_one_folder_leave_one_complete_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    script = (
        "import sys\n"
        "from liftspec.outfolder import write_tree\n"
        "for i in range(15):\n"
        "    write_tree(sys.argv[1], {'a.txt': sys.argv[2].encode(), 'manifest.json': MANIFEST})\n"
    )
    manifest = json.dumps({"manifest": 1, "generator": "liftspec test", "files": {"a.txt": "0" * 64}})
    script = script.replace("MANIFEST", repr(manifest.encode()))
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(out), tag], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for tag in ("one", "two", "three")
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errors
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (out / "a.txt").read_text() in {"one", "two", "three"}


# --- 3. lint --fix ------------------------------------------------------------------------

BROKEN = GOOD.replace("level: info", "level: debug")


def test_fix_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "lift.yaml"
    real.parent.mkdir()
    real.write_text(BROKEN)
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "lift.yaml").symlink_to(real)
    assert liftspec("lint", "lift.yaml", "--fix", cwd=tmp_path / "svc").code == 0
    assert (tmp_path / "svc" / "lift.yaml").is_symlink()
    assert real.read_text() == GOOD


def test_fix_refuses_a_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "lift.yaml"
    path.write_text(BROKEN)
    path.chmod(0o444)
    result = liftspec("lint", "lift.yaml", "--fix", cwd=tmp_path)
    assert result.code == 2 and "cannot write the fixes to lift.yaml: the file is read-only" in result.out
    assert path.read_text() == BROKEN and path.stat().st_mode & 0o777 == 0o444


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_fix_keeps_the_owner(tmp_path: Path) -> None:
    path = tmp_path / "lift.yaml"
    path.write_text(BROKEN)
    os.chown(path, 4321, 4321)
    assert liftspec("lint", "lift.yaml", "--fix", cwd=tmp_path).code == 0
    assert path.read_text() == GOOD and (path.stat().st_uid, path.stat().st_gid) == (4321, 4321)


# --- 4. init ------------------------------------------------------------------------------


def test_init_does_not_write_through_a_dangling_symlink(tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "lift.yaml").symlink_to(tmp_path / "outside" / "evil.yaml")
    (tmp_path / "outside").mkdir()
    for args in (["init"], ["init", "--force"]):
        result = liftspec(*args, cwd=tmp_path / "svc")
        assert result.code == 2 and "is a symlink to" in result.err
    assert list((tmp_path / "outside").iterdir()) == []


def test_init_creates_parent_folders(tmp_path: Path) -> None:
    result = liftspec("init", "sub/dir/lift.yaml", cwd=tmp_path)
    assert result.code == 0, result.err
    assert (tmp_path / "sub" / "dir" / "lift.yaml").is_file() and (tmp_path / "sub" / "dir" / "src" / "app.py").is_file()
    assert "service: dir" in (tmp_path / "sub" / "dir" / "lift.yaml").read_text()


@pytest.mark.parametrize(
    ("folder", "service", "note"),
    [("9lives", "my-service", "cannot be a service name"), ("Billing API", "billing-api", "from the folder name")],
)
def test_init_says_when_it_does_not_use_the_folder_name(tmp_path: Path, folder: str, service: str, note: str) -> None:
    (tmp_path / folder).mkdir()
    result = liftspec("init", cwd=tmp_path / folder)
    assert result.code == 0 and note in result.err and "--service" in result.err
    assert f"service: {service} " in (tmp_path / folder / "lift.yaml").read_text()


# --- 5. bounded reads ---------------------------------------------------------------------


@pytest.mark.parametrize("command", ["lint", "compile"])
def test_device_files_are_refused_not_read(command: str) -> None:
    result = liftspec(command, "/dev/zero")
    assert result.code == 2 and "not a regular file (a device)" in result.out + result.err


def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "lift.yaml")
    result = liftspec("lint", "lift.yaml", cwd=tmp_path)
    assert result.code == 2 and "not a regular file (a named pipe)" in result.out


def test_a_named_pipe_beside_the_file_never_blocks_the_cached_lint(tmp_path: Path) -> None:
    """The lint cache reads pyproject.toml and the file before any rule runs: bounded, regular files only."""
    (tmp_path / "lift.yaml").write_text(GOOD)
    os.mkfifo(tmp_path / "pyproject.toml")
    for real in (False, True):  # click's command, and the console script's fast path before click
        assert liftspec("lint", "lift.yaml", cwd=tmp_path, real=real).code == 0
    (tmp_path / "lift.yaml").unlink()
    os.mkfifo(tmp_path / "lift.yaml")
    result = liftspec("lint", "lift.yaml", cwd=tmp_path, real=True)
    assert result.code == 2 and "not a regular file (a named pipe)" in result.out


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_user_pack_that_is_not_a_file_is_a_finding(tmp_path: Path, kind: str) -> None:
    pack = tmp_path / "pack.yaml"
    if kind == "fifo":
        os.mkfifo(pack)
    else:
        pack.symlink_to("/dev/zero")
    (tmp_path / "lift.yaml").write_text(GOOD.rstrip("\n") + "\npolicy: {packs: [production, ./pack.yaml]}\n")
    result = liftspec("lint", "lift.yaml", cwd=tmp_path)
    assert result.code != 0 and "cannot read policy pack './pack.yaml': not a regular file" in result.out


def test_the_code_folder_walk_is_bounded(webhook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(12):
        (webhook.parent / "src" / f"m{i}.py").write_text("x = 1\n")
    monkeypatch.setattr(codefolders, "MAX_CODE_FILES", 10)
    result = compile_file(str(webhook), cfn=True, verify=False)
    found = [d for d in result.diagnostics if d.id == "LS724"]
    assert result.failed() and found and "more than 10 files" in found[0].message
    assert (found[0].line, found[0].col) == (line_of(webhook, "code: src/"), 9)
    monkeypatch.setattr(codefolders, "MAX_CODE_FILES", 10_000)
    monkeypatch.setattr(codefolders, "MAX_CODE_BYTES", 100)
    (webhook.parent / "src" / "big.bin").write_bytes(b"x" * 200)
    result = compile_file(str(webhook), cfn=True, verify=False)
    assert any(d.id == "LS724" and "MB of files" in d.message for d in result.diagnostics)


# --- 7. tracebacks ------------------------------------------------------------------------


def test_a_lone_surrogate_in_any_string_is_a_finding_at_the_string() -> None:
    line = GOOD.splitlines().index("liftspec: 1") + 2
    with pytest.raises(LiftError) as value:
        lint_text(GOOD.replace("liftspec: 1\n", 'liftspec: 1\ndescription: "caf\\ud800e"\n', 1))
    [found] = value.value.diagnostics
    assert found.id == "LS001" and "lone surrogate \\ud800" in found.message and (found.line, found.col) == (line, 14)
    with pytest.raises(LiftError) as key:
        lint_text(GOOD.replace("liftspec: 1\n", 'liftspec: 1\ntags: {"k\\udc00": v}\n', 1))
    assert [(d.id, d.line, d.col) for d in key.value.diagnostics] == [("LS001", line, 8)]
    pair = lint_text(GOOD.replace("liftspec: 1\n", 'liftspec: 1\ndescription: "\\ud83d\\ude00"\n', 1))
    assert not [d for d in pair.diagnostics if d.id == "LS001"]  # a surrogate pair is one character


def test_a_lone_surrogate_never_reaches_compile(webhook: Path) -> None:
    edit(webhook, "description: Receives", 'description: "\\udfff" # Receives')
    result = compile_file(str(webhook), verify=False)
    assert result.failed() and [d.id for d in result.diagnostics] == ["LS001"]
    for command in ("lint", "compile"):
        cli = liftspec(command, str(webhook))
        assert cli.code == 1 and "LS001 not Unicode text" in cli.out and "Traceback" not in cli.err


def test_a_dangling_symlink_in_the_code_folder_is_a_warning_with_cfn(webhook: Path) -> None:
    (webhook.parent / "src" / "gone.json").symlink_to("nowhere.json")
    os.mkfifo(webhook.parent / "src" / "pipe")
    result = compile_file(str(webhook), cfn=True, verify=False)
    found = sorted((d.id, d.line, d.col, d.message) for d in result.diagnostics if d.id == "LS725")
    line = line_of(webhook, "code: src/")
    assert [f[:3] for f in found] == [("LS725", line, 9)] * 2
    assert "gone.json" in found[0][3] and "pipe" in found[1][3]
    assert result.written


# --- issue 14: --check after --cfn, sam build's folder -------------------------------------


def test_check_compares_only_what_that_compile_writes(webhook: Path) -> None:
    assert compile_file(str(webhook), cfn=True, verify=False).written
    assert compile_file(str(webhook), verify=False, check=True).changes == []
    assert compile_file(str(webhook), cfn=True, verify=False, check=True).changes == []
    edit(webhook, "memory: 256", "memory: 512")
    changes = compile_file(str(webhook), verify=False, check=True).changes
    assert "template.yaml:" in changes and not [c for c in changes if "template.json" in c]


def test_sam_build_output_is_kept_and_never_reported(webhook: Path) -> None:
    from liftspec.cli.compile import diff_command

    assert compile_file(str(webhook), verify=False).written
    out = out_of(webhook)
    (out / ".aws-sam" / "build" / "ReceiveFunction").mkdir(parents=True)
    (out / ".aws-sam" / "build" / "ReceiveFunction" / "webhook.py").write_text("# built")
    (out / ".aws-sam" / "build.toml").write_text("[function_build_definitions]\n")
    (out / "samconfig.toml").write_text("version = 0.1\n")
    assert compile_file(str(webhook), verify=False, check=True).changes == []
    diff = CliRunner().invoke(diff_command, [str(webhook), "--env", "production"])
    assert diff.exit_code == 0, diff.output
    edit(webhook, "memory: 256", "memory: 512")
    assert compile_file(str(webhook), verify=False).written
    assert (out / ".aws-sam" / "build" / "ReceiveFunction" / "webhook.py").read_text() == "# built"
    assert (out / "samconfig.toml").is_file()
    assert b"MemorySize: 512" in (out / "template.yaml").read_bytes()

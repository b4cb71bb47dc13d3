"""The pre-commit hook, for real: `pre-commit try-repo` against a snapshot of this repository, offline.

The hook is `language: python`, so pre-commit builds a virtualenv and runs `pip install .` in it.
To do that without a network, pip gets `--no-index` and `--no-build-isolation` (the virtualenv's
own seeded setuptools builds liftspec) and finds liftspec's dependencies through PYTHONPATH: a
folder of links to this interpreter's site-packages, minus pip, setuptools and liftspec itself.
What is exercised is real: the hook manifest, pre-commit's file filter, a non-editable install of
liftspec (so package data such as the built-in packs must be in the wheel), and the exit status.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from fixtures.policy.lintkit import GOOD, ROOT

# make test distributes whole files (--dist loadfile): these tests share one pre-commit environment, built once
pytestmark = pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs git and a checkout")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
SKIP = ("pip", "setuptools", "pkg_resources", "_distutils_hack", "__pycache__", "wheel")


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, check=True, capture_output=True, timeout=60)


def _snapshot(dest: Path) -> None:
    """The working tree as it is (committed or not), as a one-commit git repository."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=60,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source, target = ROOT / name, dest / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)
    _git("init", "-q", cwd=dest)
    _git("add", "-A", cwd=dest)
    _git("commit", "-q", "-m", "snapshot", cwd=dest)


def _dependencies(dest: Path) -> None:
    site = Path(sysconfig.get_paths()["purelib"])
    dest.mkdir()
    for entry in site.iterdir():
        name = entry.name.lower()
        if name.startswith(SKIP) or name.endswith(".pth") or "liftspec" in name or "lift_runtime" in name:
            continue
        os.symlink(entry, dest / entry.name)


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("precommit")
    _snapshot(base / "hook-repo")
    _dependencies(base / "deps")
    return {
        **os.environ,
        **GIT_ENV,
        "PRE_COMMIT_HOME": str(base / "cache"),
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
        "PYTHONPATH": str(base / "deps"),
        "NO_COLOR": "1",
        "HOOK_REPO": str(base / "hook-repo"),
    }


def _pre_commit(work: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit ARGS --all-files` in `work`, made a git repository with every file added."""
    _git("init", "-q", cwd=work)
    _git("add", "-A", cwd=work)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args, "--all-files"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )


def _try_repo(work: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _pre_commit(work, env, "try-repo", env["HOOK_REPO"], "liftspec")


def test_the_hook_passes_clean_files(tmp_path: Path, hook_env: dict[str, str]) -> None:
    (tmp_path / "lift.yaml").write_text(GOOD, encoding="utf-8")
    result = _try_repo(tmp_path, hook_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "liftspec lint" in result.stdout and "Passed" in result.stdout


def test_the_hook_fails_on_findings_and_lints_only_lift_yaml_in_one_process(tmp_path: Path, hook_env: dict[str, str]) -> None:
    bad = GOOD.replace("level: info", "level: debug")
    for folder in ("orders", "billing"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "lift.yaml").write_text(bad, encoding="utf-8")
    (tmp_path / "lift.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "other.yaml").write_text(bad, encoding="utf-8")  # not a lift.yaml: not passed to the hook
    result = _try_repo(tmp_path, hook_env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert "billing/lift.yaml:27:10: LS101 log level is debug" in result.stdout
    assert "orders/lift.yaml:27:10: LS101 log level is debug" in result.stdout
    assert "other.yaml" not in result.stdout
    assert result.stdout.count("Found 2 problems (2 errors).") == 1  # both files in one liftspec process


def _documented(marker: str) -> list[str]:
    from test_doc_snippets import by_marker

    found = [snippet.body for snippet in by_marker(marker)]
    assert found, f"README.md shows a {marker} configuration"
    return found


def _run_config(work: Path, config: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    (work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    return _pre_commit(work, env, "run")


def _bad_and_good(work: Path) -> None:
    (work / "orders").mkdir()
    (work / "orders" / "lift.yaml").write_text(GOOD.replace("level: info", "level: debug"), encoding="utf-8")
    (work / "lift.yaml").write_text(GOOD, encoding="utf-8")


@pytest.mark.parametrize("config", _documented("pre-commit-local"))
def test_the_documented_local_hook_works_as_written(tmp_path: Path, config: str) -> None:
    env = {
        **os.environ,
        **GIT_ENV,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        "NO_COLOR": "1",
    }
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "lift.yaml").write_text(GOOD, encoding="utf-8")
    clean = _run_config(tmp_path / "clean", config, env)
    assert clean.returncode == 0 and "liftspec lint" in clean.stdout and "Passed" in clean.stdout, clean.stdout + clean.stderr
    (tmp_path / "dirty").mkdir()
    _bad_and_good(tmp_path / "dirty")
    dirty = _run_config(tmp_path / "dirty", config, env)
    assert dirty.returncode == 1, dirty.stdout + dirty.stderr
    assert "orders/lift.yaml:27:10: LS101 log level is debug" in dirty.stdout


@pytest.mark.slow
@pytest.mark.parametrize("config", _documented("pre-commit-remote"))
def test_the_documented_remote_hook_works_with_a_commit_id(tmp_path: Path, hook_env: dict[str, str], config: str) -> None:
    repo = hook_env["HOOK_REPO"]
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
    url, rev = re.search(r"repo: (\S+)", config), re.search(r"rev: (\S+)", config)
    assert url and rev and re.fullmatch(r"[0-9a-f]{40}", rev.group(1)), "rev is shown as a full commit id"
    filled = config.replace(url.group(1), repo).replace(rev.group(1), sha)
    _bad_and_good(tmp_path)
    result = _run_config(tmp_path, filled, hook_env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "orders/lift.yaml:27:10: LS101 log level is debug" in result.stdout

"""The lint result cache: a hit answers before anything heavy is imported; any change of what the result
depends on is a miss; --no-cache, --fix and --diff never use it; a broken cache is never fatal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.policy.lintkit import GOOD, Cli

from liftspec.cache import Cache
from liftspec.cachekey import READ_LIMIT
from liftspec.cli.lintrun import make_cache
from liftspec.load.yaml_loader import MAX_BYTES

WARN = GOOD.replace("  retention_days: 30\n", "")  # LS103: a warning

PROBE = """
import sys
from liftspec.cli.entry import main
sys.argv = ["liftspec", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    names = ("click", "pydantic", "liftspec.model.spec", "liftspec.check.engine", "importlib.metadata")
    heavy = sorted(m for m in names if m in sys.modules)
    print("HEAVY:" + ",".join(heavy), file=sys.stderr)
    raise
"""


def run(*args: str, cwd: Path, cache: Path | None = None) -> tuple[Cli, list[str]]:
    """The real console script in a subprocess; also which heavy modules it imported."""
    env = {**os.environ, "NO_COLOR": "1"}
    if cache is None:
        env.pop("LIFTSPEC_CACHE_DIR", None)
    else:
        env["LIFTSPEC_CACHE_DIR"] = str(cache)
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    err, _, heavy = proc.stderr.rpartition("HEAVY:")
    return Cli(proc.returncode, proc.stdout, err), [m for m in heavy.strip().split(",") if m]


def entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.json"))


def test_a_second_run_is_answered_from_the_cache_without_heavy_imports(tmp_path: Path) -> None:
    (tmp_path / "lift.yaml").write_text(WARN, encoding="utf-8")
    cache = tmp_path / "cache"
    first, heavy_first = run("lint", "lift.yaml", "--fail-on", "warning", cwd=tmp_path, cache=cache)
    second, heavy_second = run("lint", "lift.yaml", "--fail-on", "warning", cwd=tmp_path, cache=cache)
    assert "pydantic" in heavy_first and len(entries(cache)) == 1
    assert "importlib.metadata" not in heavy_first  # pydantic's plugin scan is skipped by the command line
    assert "click" not in heavy_first  # a plain lint does not need it, cached or not
    assert heavy_second == []
    assert (second.code, second.out) == (first.code, first.out) == (1, second.out)
    assert "lift.yaml:26:1: LS103 warning: no log retention is set" in second.out
    # other options are another run: JSON the first time from the file's entry (no lint), then from its own
    fresh, _ = run("lint", "lift.yaml", "--format", "json", "--no-cache", cwd=tmp_path, cache=cache)
    cached, heavy = run("lint", "lift.yaml", "--format", "json", cwd=tmp_path, cache=cache)
    assert cached.out == fresh.out and json.loads(cached.out)["diagnostics"][0]["id"] == "LS103"
    assert "liftspec.check.engine" not in heavy
    again, heavy = run("lint", "lift.yaml", "--format", "json", cwd=tmp_path, cache=cache)
    assert (again.out, heavy) == (fresh.out, [])


def test_default_location_is_beside_the_project_with_its_own_gitignore(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "lift.yaml").write_text(GOOD, encoding="utf-8")
    result, _ = run("lint", "lift.yaml", cwd=tmp_path / "svc")
    assert result.code == 0
    folder = tmp_path / ".liftspec_cache"
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert len(entries(folder)) == 1 and not (tmp_path / "svc" / ".liftspec_cache").exists()


def test_changed_file_and_changed_pack_are_misses(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text("pack: acme\nrules:\n  LS103: error\n", encoding="utf-8")
    text = WARN + "\npolicy:\n  packs: [production, ./pack.yaml]\n"
    (tmp_path / "lift.yaml").write_text(text, encoding="utf-8")
    cache = tmp_path / "cache"
    assert run("lint", "lift.yaml", cwd=tmp_path, cache=cache)[0].code == 1  # the pack makes LS103 an error
    pack.write_text("pack: acme\nrules:\n  LS103: warning\n", encoding="utf-8")
    again, heavy = run("lint", "lift.yaml", cwd=tmp_path, cache=cache)
    assert again.code == 0 and "pydantic" in heavy
    (tmp_path / "lift.yaml").write_text(GOOD, encoding="utf-8")
    clean, heavy = run("lint", "lift.yaml", cwd=tmp_path, cache=cache)
    assert (clean.code, "pydantic" in heavy) == (0, True) and "LS103" not in clean.out


def test_no_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    (tmp_path / "lift.yaml").write_text(GOOD, encoding="utf-8")
    cache = tmp_path / "cache"
    result, heavy = run("lint", "--no-cache", "lift.yaml", cwd=tmp_path, cache=cache)
    assert result.code == 0 and "pydantic" in heavy and not cache.exists()


def poison(file: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry, under the right key, that says the file is clean."""
    from liftspec.check.options import Config

    monkeypatch.setenv("LIFTSPEC_CACHE_DIR", str(cache))
    store = make_cache(None, Config())
    store.put(store.key(file.name, file.read_bytes()), {}, {"diagnostics": [], "fixable": []})


def test_fix_and_diff_never_read_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    fixable = GOOD.replace("level: info", "level: debug")  # LS101: an error with a safe fix
    assert fixable != GOOD
    (tmp_path / "lift.yaml").write_text(fixable, encoding="utf-8")
    cache = tmp_path / "cache"
    poison(tmp_path / "lift.yaml", cache, monkeypatch)
    plain, heavy = run("lint", "lift.yaml", cwd=tmp_path, cache=cache)
    assert (plain.code, plain.out) == (0, "") and "liftspec.check.engine" not in heavy  # the poisoned entry is used...
    diff, _ = run("lint", "--diff", "lift.yaml", cwd=tmp_path, cache=cache)
    assert diff.code == 1 and "+  level: info" in diff.out  # ... but never by --diff
    fixed, _ = run("lint", "--fix", "lift.yaml", cwd=tmp_path, cache=cache)
    assert fixed.code == 0 and "level: info" in (tmp_path / "lift.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("junk", [b"", b"{not json", b'{"key": 1}', b"\xff\xfe", json.dumps({"key": None}).encode()])
def test_corrupt_entries_are_misses(tmp_path: Path, junk: bytes) -> None:
    (tmp_path / "lift.yaml").write_text(WARN, encoding="utf-8")
    cache = tmp_path / "cache"
    expected, _ = run("lint", "lift.yaml", cwd=tmp_path, cache=cache)
    for entry in entries(cache):
        entry.write_bytes(junk)
    for entry in cache.rglob("*.run"):
        entry.write_bytes(junk)
    result, heavy = run("lint", "lift.yaml", cwd=tmp_path, cache=cache)
    assert (result.code, result.out, result.err) == (expected.code, expected.out, expected.err) and "pydantic" in heavy


def test_a_cache_that_cannot_be_written_is_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "lift.yaml").write_text(WARN, encoding="utf-8")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    result, _ = run("lint", "lift.yaml", cwd=tmp_path, cache=blocker)
    assert result.code == 0 and "LS103" in result.out and "Traceback" not in result.err


def test_key_covers_options_date_and_bytes() -> None:
    a = Cache("opts", "2027-01-01", "/nowhere")
    assert a.key("lift.yaml", b"x") != Cache("opts", "2027-01-02", "/nowhere").key("lift.yaml", b"x")  # suppressions expire
    assert a.key("lift.yaml", b"x") != Cache("other", "2027-01-01", "/nowhere").key("lift.yaml", b"x")
    assert a.key("lift.yaml", b"x") != a.key("lift.yaml", b"y")
    assert a.key("lift.yaml", b"x") != a.key("other/lift.yaml", b"x")
    assert READ_LIMIT == MAX_BYTES + 1

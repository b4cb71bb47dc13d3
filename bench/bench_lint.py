"""How fast `liftspec lint` is, beside `python -c pass` and `cfn-lint` on the equivalent compiled template.

    .venv/bin/python bench/bench_lint.py [--runs N]

Every figure is the wall-clock median of N runs (default 11) of a whole process, after one
untimed warm-up run, measured in the same run on the same machine:
- `python -c pass`: the floor of any Python command line;
- `liftspec lint --no-cache examples/order-service/lift.yaml` (every environment of the file), cold;
- the same without --no-cache, a cache hit (the warm-up run fills the cache, in a scratch folder);
- `cfn-lint template.yaml` on the SAM template `liftspec compile --no-verify` writes for that file
  (skipped, with the reason, when compile is not available or fails);
- `liftspec lint --no-cache DIR` over 100 lift.yaml files (copies of the example under different
  service names), in one call.
Bytecode caching is on for every tool (PYTHONDONTWRITEBYTECODE is removed from the environment),
as on a developer's machine; the warm-up run writes the .pyc files.
Run it from a normal (non-editable) install, as users run it (`make bench` builds build/bench-venv).
Targets: one file cold at most 0.3 s and at least 8x faster than cfn-lint; a cache hit at most 2x
`python -c pass`; 100 files at most 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "order-service" / "lift.yaml"
BIN = Path(sys.executable).parent


def tool(name: str) -> list[str]:
    path = BIN / name
    return [str(path)] if path.exists() else [sys.executable, "-m", name.replace("-", "")]


# As users run it: bytecode caching on (the warm-up run writes the .pyc files), no colour codes.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"} | {"NO_COLOR": "1"}


def median_seconds(argv: list[str], runs: int, ok: set[int], cwd: Path, env: dict[str, str] | None = None) -> float:
    samples = []
    for i in range(runs + 1):
        start = time.perf_counter()
        proc = subprocess.run(argv, cwd=cwd, env={**ENV, **(env or {})}, capture_output=True, check=False)
        elapsed = time.perf_counter() - start
        if proc.returncode not in ok:
            raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr.decode()[-400:]}")
        if i:  # the first run warms the file system cache and .pyc files
            samples.append(elapsed)
    return statistics.median(samples)


def compile_template(scratch: Path) -> Path | str:
    """The SAM template of the example, or why there is none."""
    out = scratch / "build"
    argv = [*tool("liftspec"), "compile", str(EXAMPLE), "--env", "production", "--out", str(out), "--no-verify"]
    proc = subprocess.run(argv, cwd=ROOT, env=ENV, capture_output=True, text=True, check=False)
    template = out / "template.yaml"
    if proc.returncode != 0 or not template.exists():
        reason = (proc.stderr or proc.stdout).strip().splitlines()
        return f"`liftspec compile` failed or is not available ({reason[-1] if reason else proc.returncode})"
    return template


def hundred_files(scratch: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    folder = scratch / "services"
    for i in range(100):
        target = folder / f"svc-{i:03d}" / "lift.yaml"
        target.parent.mkdir(parents=True)
        target.write_text(text.replace("service: order-service", f"service: order-service-{i:03d}"), encoding="utf-8")
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="timed runs per figure (after one warm-up run)")
    args = parser.parse_args()
    runs = max(1, args.runs)
    liftspec = tool("liftspec")
    with tempfile.TemporaryDirectory(prefix="bench-lint-") as tmp:
        scratch = Path(tmp)
        rows: list[tuple[str, str, str]] = []
        floor = median_seconds([sys.executable, "-c", "pass"], runs, {0}, ROOT)
        rows.append(("python -c pass", f"{floor:.3f} s", "the floor of any Python command"))
        one = median_seconds([*liftspec, "lint", "--no-cache", str(EXAMPLE)], runs, {0}, ROOT)
        rows.append(
            (
                "liftspec lint order-service, cold",
                f"{one:.3f} s",
                f"{one - floor:.3f} s above the floor; target <= 0.300 s: {'met' if one <= 0.3 else 'MISSED'}",
            )
        )
        cache = {"LIFTSPEC_CACHE_DIR": str(scratch / "cache")}
        hit = median_seconds([*liftspec, "lint", str(EXAMPLE)], runs, {0}, ROOT, cache)
        rows.append(
            (
                "liftspec lint order-service, cache hit",
                f"{hit:.3f} s",
                f"{hit / floor:.2f}x python -c pass; target <= 2x: {'met' if hit <= 2 * floor else 'MISSED'}",
            )
        )
        template = compile_template(scratch)
        if isinstance(template, Path):
            # cfn-lint exits 2/4/8 (or their sum) when it has findings; that is still a full run.
            cfn = median_seconds([*tool("cfn-lint"), str(template)], runs, set(range(16)), ROOT)
            ratio = cfn / one
            rows.append(
                (
                    "cfn-lint template.yaml",
                    f"{cfn:.3f} s",
                    f"liftspec (cold) is {ratio:.1f}x faster; target >= 8x: {'met' if ratio >= 8 else 'MISSED'}",
                )
            )
        else:
            rows.append(("cfn-lint template.yaml", "skipped", template))
        folder = hundred_files(scratch)
        many = median_seconds([*liftspec, "lint", "--no-cache", str(folder)], runs, {0}, ROOT)
        rows.append(
            (
                "liftspec lint, 100 files in one call, cold",
                f"{many:.3f} s",
                f"{(many - floor) / 100 * 1000:.1f} ms per file; target <= 1.5 s: {'met' if many <= 1.5 else 'MISSED'}",
            )
        )
        shutil.rmtree(folder)
    print(
        f"bench_lint: median of {runs} runs after 1 warm-up, wall clock, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    width = max(len(r[0]) for r in rows)
    for name, figure, note in rows:
        print(f"  {name.ljust(width)}  {figure:>9}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark `liftspec compile`: generated services of 1, 10, 50 and 100 functions, with and without
verification, and the order-service example against cfn-lint alone on the same two outputs.

    .venv/bin/python bench/bench_compile.py [--runs N]

Every figure is the median wall time of N runs of the real command line (a new Python process each
time, as a build pipeline runs it), with the output folder removed before each run. The in-process
column times `compile_file(verify=False)` alone, to show how rendering grows with the function count.
Verified runs are cold: each gets an empty cache folder (LIFTSPEC_CACHE_DIR), so cfn-lint runs every
time; the "unchanged" row compiles the same input into the same folder again (warm cache, up to date).
Run it from a normal (non-editable) install, as users run it (`make bench` builds build/bench-venv).
Targets: --no-verify on order-service <= 0.5 s; 100 functions without verification <= 3 s and linear;
100 functions verified, cold <= 12 s; order-service verified, cold <= 0.7x cfn-lint alone on
template.yaml and template.json; unchanged input <= 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import specgen  # noqa: E402

PYTHON = sys.executable
CFN_LINT = str(Path(PYTHON).with_name("cfn-lint"))
SIZES = (1, 10, 50, 100)


def median_time(action: Callable[[], object], runs: int, before: Callable[[], None] | None = None) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(
    first: Callable[[], None], second: Callable[[], None], runs: int, before_first: Callable[[], None]
) -> tuple[float, float, float, float]:
    """Median wall and CPU seconds of two commands run alternately, so that load from elsewhere hits both alike."""
    walls: tuple[list[float], list[float]] = ([], [])
    cpus: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for i, action in enumerate((first, second)):
            if i == 0:
                before_first()
            cpu = _children_cpu()
            start = time.perf_counter()
            action()
            walls[i].append(time.perf_counter() - start)
            cpus[i].append(_children_cpu() - cpu)
    return (statistics.median(walls[0]), statistics.median(walls[1]), statistics.median(cpus[0]), statistics.median(cpus[1]))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


COLD = iter(range(1_000_000))


def command(*args: str, cold: bool = False, cache: str | None = None) -> Callable[[], None]:
    def run() -> None:
        env = dict(os.environ)
        if cold:
            env["LIFTSPEC_CACHE_DIR"] = os.path.join(tempfile.gettempdir(), f"liftspec-bench-cache-{os.getpid()}-{next(COLD)}")
        elif cache is not None:
            env["LIFTSPEC_CACHE_DIR"] = cache
        done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env)
        if cold:
            shutil.rmtree(env["LIFTSPEC_CACHE_DIR"], ignore_errors=True)
        if done.returncode not in (0, 1) or (done.returncode == 1 and args[0] == PYTHON):
            raise SystemExit(f"failed: {' '.join(args)}\n{done.stdout}{done.stderr}")

    return run


def compile_cli(path: str, out: str, *flags: str, cache: str | None = None) -> Callable[[], None]:
    return command(PYTHON, "-m", "liftspec", "compile", path, "--out", out, *flags, cold=cache is None, cache=cache)


def remove(folder: str) -> Callable[[], None]:
    return lambda: shutil.rmtree(folder, ignore_errors=True)


def in_process(path: str, out: str, runs: int) -> float:
    from liftspec.pipeline import compile_file

    compile_file(path, out=out, verify=False)  # imports, once
    return median_time(lambda: compile_file(path, out=out, verify=False), runs, remove(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    work = tempfile.mkdtemp(prefix="liftspec-bench-")
    print(
        f"liftspec compile benchmark: median of {runs} runs, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
        f"load average {os.getloadavg()[0]:.2f}\n"
    )
    print(
        f"{'functions':>9} | {'in-process':>10} | {'--no-verify':>11} | {'verified --cfn':>14} | {'cfn-lint alone':>14} | "
        "resources (SAM -> CloudFormation)"
    )
    print(f"{'-' * 9} | {'-' * 10} | {'-' * 11} | {'-' * 14} | {'-' * 14} | ---------")
    rows = []
    target_100 = "100 functions verified: not measured"
    for count in SIZES:
        folder = os.path.join(work, f"svc{count}")
        path = specgen.write_service(folder, count)
        out = os.path.join(folder, "out")
        inproc = in_process(path, out, max(runs, 10))
        no_verify = median_time(compile_cli(path, out, "--no-verify"), runs, remove(out))
        verified, lint_alone, _, _ = paired(compile_cli(path, out, "--cfn"), cfn_lint(out), runs, remove(out))
        rows.append((count, inproc))
        if count == 100:
            target_100 = f"100 functions verified, cold: {verified:.2f}s, target <= 12 s: {'met' if verified <= 12 else 'MISSED'}"
        print(
            f"{count:>9} | {inproc:>9.3f}s | {no_verify:>10.3f}s | {verified:>13.3f}s | {lint_alone:>13.3f}s | {_resources(out)}"
        )
    (c1, t1), (c2, t2) = rows[1], rows[-1]
    print(
        f"\nin-process, from {c1} to {c2} functions: {(t2 - t1) / (c2 - c1) * 1000:.2f} ms per added function "
        f"({t1 / c1 * 1000:.2f} ms per function at {c1}, {t2 / c2 * 1000:.2f} ms at {c2})"
    )

    example = str(ROOT / "examples" / "order-service" / "lift.yaml")
    out = os.path.join(work, "order-service")
    no_verify = median_time(compile_cli(example, out, "--no-verify"), runs, remove(out))
    verified, lint_alone, verified_cpu, lint_cpu = paired(compile_cli(example, out, "--cfn"), cfn_lint(out), runs, remove(out))
    print("\norder-service example (wall time; CPU time in brackets):")
    print(f"  liftspec compile --no-verify            {no_verify:.3f}s   (target <= 0.5 s)")
    print(
        f"  liftspec compile --cfn (verified)       {verified:.3f}s   [{verified_cpu:.2f}s CPU]  "
        "cold: lint, render, SAM translator, limits, cfn-lint on the transformed template"
    )
    print(
        f"  cfn-lint template.yaml template.json    {lint_alone:.3f}s   [{lint_cpu:.2f}s CPU]  cfn-lint alone on the same outputs"
    )
    ratio = verified / lint_alone
    print(f"  verified compile / cfn-lint alone       {ratio:.2f} (wall; target <= 0.7: {'met' if ratio <= 0.7 else 'MISSED'})")
    warm = os.path.join(work, "warm-cache")
    again = compile_cli(example, os.path.join(work, "unchanged"), "--cfn", cache=warm)
    again()  # fills the output folder and the cache
    unchanged = median_time(again, runs)
    met = "met" if unchanged <= 1.5 else "MISSED"
    print(f"  unchanged input, verified --cfn         {unchanged:.3f}s   (target <= 1.5 s: {met})")
    print(f"  {target_100}")
    shutil.rmtree(work, ignore_errors=True)


def cfn_lint(out: str) -> Callable[[], None]:
    return command(CFN_LINT, "--regions", "us-east-1", "--", f"{out}/template.yaml", f"{out}/template.json")


def _resources(out: str) -> str:
    import json

    from liftspec.verify.drift import load_template

    with open(os.path.join(out, "template.json"), encoding="utf-8") as handle:
        after = len(json.load(handle)["Resources"])
    with open(os.path.join(out, "template.yaml"), "rb") as handle:
        before = len(load_template("template.yaml", handle.read())["Resources"])
    return f"{before} -> {after}"


if __name__ == "__main__":
    main()

"""`make bench`: liftspec beside its peers, measured in one run on one machine, printed as one table.

    .venv/bin/python bench/run_all.py [--quick] [--only lint,compile,scale,runtime] [--no-setup]

Rows (each a median of several timed runs after one untimed warm-up run, the runs of liftspec and
its peers interleaved; ratio = peer / liftspec, so above 1 means liftspec is faster):
- lint of examples/order-service/lift.yaml (`liftspec lint`, every environment) against `cfn-lint`
  and `checkov` (offline) on the SAM template compiled from it;
- compile of the order-service example with verification (`liftspec compile --cfn`) against
  `serverless package` (Serverless Framework v3) of the equivalent bench/peers/serverless/serverless.yml,
  and against `cfn-lint` alone on the two templates that compile wrote;
- compile of generated services of 1, 10, 50 and 100 functions (bench/specgen.py), with and
  without verification, and whether the time grows linearly with the number of functions;
- cold import and per-request overhead of the runtime against AWS Lambda Powertools, as measured
  by bench/bench_runtime.py (run as a child process; its figures are read from bench/results/runtime.json).

Every tool runs as a command-line process, wall-clock time, the way a user or CI runs it; all of
them share one scratch HOME and TMPDIR (checkov and Serverless keep caches there: the warm-up run
fills them). Nothing calls AWS: Serverless gets dummy credentials and checkov its offline flags.
The peers live in bench/.venv and bench/node_modules, installed by bench/setup_peers.sh (run first
unless --no-setup). A peer that is missing or fails gives a row that says why.

The table goes to stdout and to bench/results/bench.txt (figures also in bench/results/bench.json);
progress goes to stderr.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PEERS = BENCH / "peers"
RESULTS = BENCH / "results"
EXAMPLE = ROOT / "examples" / "order-service" / "lift.yaml"
BENCH_PYTHON = BENCH / ".venv" / "bin" / "python"
CFN_LINT = BENCH / ".venv" / "bin" / "cfn-lint"
CHECKOV = BENCH / ".venv" / "bin" / "checkov"
SERVERLESS = BENCH / "node_modules" / ".bin" / "serverless"
SERVERLESS_YML = PEERS / "serverless" / "serverless.yml"
SPECGEN = BENCH / "specgen.py"
BENCH_RUNTIME = BENCH / "bench_runtime.py"
RUNTIME_JSON = RESULTS / "runtime.json"

SIZES = (1, 10, 50, 100)
SECTIONS = ("lint", "compile", "scale", "runtime")
LINEAR_SLACK = 1.5  # linear: an added function costs within 1.5× as much from 50 to 100 functions as from 10 to 50 ...
LINEAR_FLOOR_S = 0.001  # ... or within 1 ms


@dataclass(frozen=True)
class Plan:
    """Repetition counts: timed runs per figure (after one warm-up run), and the runtime bench's own counts."""

    lint: int = 9
    compile: int = 7
    scale: int = 5
    scale_verified_large: int = 3  # 50 and 100 functions with verification take seconds each
    runtime_runs: int = 20  # fresh interpreters per cold-import figure
    runtime_calls: int = 10000  # invocations per timing batch
    timeout_s: float = 300.0  # per process

    def describe(self) -> str:
        return (
            f"timed runs per figure, after 1 warm-up: lint {self.lint}, compile {self.compile}, "
            f"scaling {self.scale} ({self.scale_verified_large} verified at 50 and 100 functions); "
            f"runtime: {self.runtime_runs} fresh interpreters per cold import, batches of {self.runtime_calls} calls"
        )


QUICK = Plan(lint=1, compile=1, scale=1, scale_verified_large=1, runtime_runs=3, runtime_calls=1000)


class Skip(Exception):
    """A row that cannot be measured; the message says why."""


def why(exc: Exception) -> str:
    """The notes of a row that could not be measured: a Skip's own message, or the unexpected error in one line."""
    return str(exc) if isinstance(exc, Skip) else f"failed: {type(exc).__name__}: {exc}"


@dataclass
class Row:
    task: str
    liftspec: str = "-"
    peer: str = "-"
    peer_value: str = "-"
    ratio: str = "-"
    runs: str = "-"
    notes: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    figures: dict[str, object] = field(default_factory=dict)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        versus = f", {row.peer} {row.peer_value}" if row.peer != "-" else ""
        progress(f"  {row.task}: liftspec {row.liftspec}{versus}; {row.notes}".rstrip("; "))


# ---------------------------------------------------------------------------------------------- helpers


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1e6:.1f} µs"


def fmt_ratio(peer: float, liftspec: float) -> str:
    if liftspec <= 0:
        return "-"
    ratio = peer / liftspec
    return f"{ratio:.1f}×" if ratio < 10 else f"{ratio:.0f}×"


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else "no output"


@dataclass(frozen=True)
class Command:
    argv: list[str]
    cwd: Path
    ok: frozenset[int] = frozenset({0})
    env: tuple[tuple[str, str], ...] = ()  # added to the shared environment (e.g. a cache folder of its own)


@dataclass(frozen=True)
class Timed:
    median: float
    samples: list[float]
    returncode: int
    stdout: str
    stderr: str


def run_once(command: Command, env: dict[str, str], timeout: float) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command.argv,
            cwd=command.cwd,
            env={**env, **dict(command.env)},
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise Skip(f"failed: {Path(command.argv[0]).name} did not finish within {timeout:.0f} s") from exc
    except OSError as exc:
        raise Skip(f"failed: cannot run {command.argv[0]}: {exc.strerror}") from exc
    elapsed = time.perf_counter() - started
    if done.returncode not in command.ok:
        why = last_line(done.stderr) if done.stderr.strip() else last_line(done.stdout)
        raise Skip(f"failed: {Path(command.argv[0]).name} exited {done.returncode}: {why}")
    return elapsed, done


@dataclass(frozen=True)
class Contender:
    """One tool in an interleaved measurement: `make(i)` builds its i-th command (0 is the warm-up)."""

    make: Callable[[int], Command]
    runs: int


def measure(contenders: dict[str, Contender], env: dict[str, str], timeout: float) -> dict[str, Timed | Exception]:
    """Untimed warm-up runs of each, then timed runs interleaved (A B C, A B C, ...), so that a burst of
    load from elsewhere on the machine falls on all contenders alike. A contender that fails is dropped
    from the rounds after it and reported with its error; the others go on."""
    failed: dict[str, Exception] = {}
    samples: dict[str, list[float]] = {key: [] for key in contenders}
    last: dict[str, subprocess.CompletedProcess[str]] = {}
    for key, contender in contenders.items():
        try:
            run_once(contender.make(0), env, timeout)
        except Exception as exc:
            failed[key] = exc
    for i in range(1, max((c.runs for c in contenders.values()), default=0) + 1):
        for key, contender in contenders.items():
            if key in failed or i > contender.runs:
                continue
            try:
                elapsed, last[key] = run_once(contender.make(i), env, timeout)
                samples[key].append(elapsed)
            except Exception as exc:
                failed[key] = exc
    results: dict[str, Timed | Exception] = {}
    for key in contenders:
        if key in failed:
            results[key] = failed[key]
        else:
            done = last[key]
            results[key] = Timed(statistics.median(samples[key]), samples[key], done.returncode, done.stdout, done.stderr)
    return results


def tool_env(scratch: Path) -> dict[str, str]:
    home, tmp = scratch / "home", scratch / "tmp"
    home.mkdir(parents=True, exist_ok=True)
    tmp.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(
        HOME=str(home),
        TMPDIR=str(tmp),
        # never AWS: dummy credentials, a region for tools that want one
        AWS_ACCESS_KEY_ID="x",
        AWS_SECRET_ACCESS_KEY="x",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_REGION="us-east-1",
        AWS_EC2_METADATA_DISABLED="true",
        # Serverless Framework v3 offline
        SLS_TELEMETRY_DISABLED="1",
        SLS_NOTIFICATIONS_MODE="off",
        SLS_DEPRECATION_DISABLE="*",
        # checkov offline
        CKV_SKIP_PACKAGE_UPDATE_CHECK="true",
        BC_SKIP_MAPPING="TRUE",
        # npm/node: no update notices
        NO_UPDATE_NOTIFIER="1",
        NPM_CONFIG_UPDATE_NOTIFIER="false",
    )
    return env


def liftspec_cli() -> Path:
    for candidate in (Path(sys.executable).parent / "liftspec", ROOT / ".venv" / "bin" / "liftspec"):
        if candidate.exists():
            return candidate
    raise Skip("skipped: no liftspec command next to this Python or in .venv (run `make bench`, which sets it up)")


def require(path: Path, what: str) -> Path:
    if not path.exists():
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        raise Skip(f"skipped: {what} not installed ({shown} missing; bench/setup_peers.sh installs it)")
    return path


def prebuilt_state() -> str:
    """Whether the liftspec under test validates with its shipped validators (a stale file would make every
    lint figure the slow path's)."""
    probe = "from liftspec.model import prebuilt\nprint(prebuilt.shipped() is not None)"
    try:
        python = liftspec_cli().parent / "python"
        out = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, timeout=60, check=False, cwd="/")
    except (Skip, OSError, subprocess.TimeoutExpired):
        return "?"
    return {"True": "prebuilt", "False": "built at start-up (validators.pickle is stale)"}.get(out.stdout.strip(), "?")


def versions() -> dict[str, str]:
    found: dict[str, str] = {"python": platform.python_version()}
    try:
        out = subprocess.run([str(liftspec_cli()), "--version"], capture_output=True, text=True, timeout=60, check=False)
        found["liftspec"] = last_line(out.stdout).split()[-1] if out.returncode == 0 else "?"
    except (Skip, OSError, subprocess.TimeoutExpired):
        found["liftspec"] = "?"
    if BENCH_PYTHON.exists():
        script = (
            "import importlib.metadata as m\nfor name in ('cfn-lint', 'checkov', 'aws-lambda-powertools'):\n"
            "    try: print(name, m.version(name))\n    except m.PackageNotFoundError: pass\n"
        )
        try:
            out = subprocess.run([str(BENCH_PYTHON), "-c", script], capture_output=True, text=True, timeout=60, check=False)
            for line in out.stdout.splitlines():
                name, _, version = line.partition(" ")
                found[name] = version
        except (OSError, subprocess.TimeoutExpired):
            pass
    found["validators"] = prebuilt_state()
    package = BENCH / "node_modules" / "serverless" / "package.json"
    if package.exists():
        found["serverless"] = str(json.loads(package.read_text(encoding="utf-8")).get("version", "?"))
    node = shutil.which("node")
    if node:
        try:
            out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30, check=False)
            found["node"] = out.stdout.strip().lstrip("v")
        except (OSError, subprocess.TimeoutExpired):
            pass
    return found


def peer_name(name: str, found: dict[str, str]) -> str:
    return f"{name} {found[name]}" if name in found else name


def compile_summary(stderr: str) -> str:
    """'26 resources, 46 after the SAM transform' from the last line compile prints."""
    match = re.search(r"(\d+) resources(?:, (\d+) after the SAM transform)?", stderr)
    if not match:
        return ""
    return f"{match.group(1)} resources" + (f", {match.group(2)} after transform" if match.group(2) else "")


# ---------------------------------------------------------------------------------------------- sections


def compile_example(scratch: Path, env: dict[str, str], timeout: float) -> Path:
    """Compile the order-service example once (verified, with --cfn): the input of the template linters."""
    out = scratch / "order-service-out"
    liftspec = liftspec_cli()
    command = Command([str(liftspec), "compile", str(EXAMPLE), "--env", "production", "--out", str(out), "--cfn"], ROOT)
    try:
        run_once(command, env, timeout)
    except Skip as exc:
        raise Skip(f"skipped: liftspec compile of the example {str(exc).removeprefix('failed: ')}") from exc
    if not (out / "template.yaml").exists():
        raise Skip("skipped: liftspec compile wrote no template.yaml")
    return out


# cfn-lint exits 2, 4, 8 (or their sums) for errors, warnings, informational findings: still a full lint
CFN_LINT_OK = frozenset({0} | set(range(2, 16, 2)))


def peer_row(task: str, lift: Timed, peer: str, result: Timed | Exception, runs: int, notes: Callable[[Timed], str]) -> Row:
    if isinstance(result, Exception):
        return Row(task, fmt_time(lift.median), peer, runs=str(runs), notes=why(result))
    return Row(
        task,
        fmt_time(lift.median),
        peer,
        fmt_time(result.median),
        fmt_ratio(result.median, lift.median),
        str(runs),
        notes(result),
    )


def section_lint(report: Report, plan: Plan, scratch: Path, env: dict[str, str], found: dict[str, str]) -> None:
    task = "lint order-service, cold"
    liftspec = liftspec_cli()
    lint_argv = [str(liftspec), "lint", "--no-cache", str(EXAMPLE)]  # cold: the result cache is bypassed
    contenders = {"liftspec": Contender(lambda _: Command(lint_argv, ROOT, frozenset({0, 1})), plan.lint)}
    template: Path | None = None
    why_no_template = ""
    try:
        template = compile_example(scratch, env, plan.timeout_s) / "template.yaml"
    except Skip as exc:
        why_no_template = str(exc)
    peers: dict[str, Exception] = {}
    if template is not None:
        try:
            cfn_lint = require(CFN_LINT, "cfn-lint")
            contenders["cfn-lint"] = Contender(lambda _: Command([str(cfn_lint), str(template)], ROOT, CFN_LINT_OK), plan.lint)
        except Skip as exc:
            peers["cfn-lint"] = exc
        try:
            checkov = require(CHECKOV, "checkov")
            argv = [str(checkov), "-f", str(template), "--framework", "cloudformation", "--skip-download", "-o", "json"]
            contenders["checkov"] = Contender(lambda _: Command(argv, ROOT, frozenset({0, 1})), plan.lint)
        except Skip as exc:
            peers["checkov"] = exc
    results = measure(contenders, env, plan.timeout_s)
    lift = results.pop("liftspec")
    if isinstance(lift, Exception):
        report.add(Row(task, runs=str(plan.lint), notes=why(lift)))
        return
    report.figures["lint.liftspec_s"] = lift.samples
    lift_note = "liftspec: every environment of lift.yaml" + ("" if lift.returncode == 0 else ", with findings")
    lift_note += f"; target <= 0.30 s: {'met' if lift.median <= 0.30 else 'MISSED'}"
    lint_cached_and_many(report, plan, scratch, env, liftspec)
    if template is None:
        report.add(Row(task, fmt_time(lift.median), "cfn-lint, checkov", runs=str(plan.lint), notes=why_no_template))
        return

    def cfn_note(timed: Timed) -> str:
        findings = "no findings" if timed.returncode == 0 else f"exit {timed.returncode} (findings)"
        target = f"target >= 8x: {'met' if timed.median >= 8 * lift.median else 'MISSED'}"
        return f"{lift_note}; cfn-lint: the compiled template.yaml (SAM), {findings}; {target}"

    def checkov_note(timed: Timed) -> str:
        try:
            summary = json.loads(timed.stdout).get("summary", {})
            detail = f"{summary.get('failed', '?')} failed / {summary.get('passed', '?')} passed checks"
        except (ValueError, AttributeError):
            detail = f"exit {timed.returncode}"
        return f"checkov: the same template.yaml, offline, {detail}"

    for key, note in (("cfn-lint", cfn_note), ("checkov", checkov_note)):
        result = peers.get(key) or results[key]
        if isinstance(result, Timed):
            report.figures[f"lint.{key}_s"] = result.samples
        report.add(peer_row(task, lift, peer_name(key, found), result, plan.lint, note))


def lint_cached_and_many(report: Report, plan: Plan, scratch: Path, env: dict[str, str], liftspec: Path) -> None:
    """The cache-hit row (against `python -c pass` of liftspec's own interpreter) and 100 files in one call, cold."""
    cache = (("LIFTSPEC_CACHE_DIR", str(scratch / "lint-cache")),)
    python = liftspec.parent / "python"
    contenders = {
        "liftspec": Contender(
            lambda _: Command([str(liftspec), "lint", str(EXAMPLE)], ROOT, frozenset({0, 1}), cache), plan.lint
        ),
        "python": Contender(lambda _: Command([str(python), "-c", "pass"], ROOT), plan.lint),
    }
    results = measure(contenders, env, plan.timeout_s)  # the warm-up run fills the cache
    hit, floor = results["liftspec"], results["python"]
    task = "lint order-service, cache hit"
    if isinstance(hit, Exception):
        report.add(Row(task, runs=str(plan.lint), notes=why(hit)))
    elif isinstance(floor, Exception):
        report.add(Row(task, runs=str(plan.lint), notes=why(floor)))
    else:
        met = "met" if hit.median <= 2 * floor.median else "MISSED"
        note = f"the second run of the same command; target <= 2x python -c pass: {met}"
        report.figures["lint.cache_hit_s"] = hit.samples
        report.add(peer_row(task, hit, "python -c pass", floor, plan.lint, lambda _: note))
    folder = scratch / "services"
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(100):
        target = folder / f"svc-{i:03d}" / "lift.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace("service: order-service", f"service: order-service-{i:03d}"), encoding="utf-8")
    command = Command([str(liftspec), "lint", "--no-cache", str(folder)], ROOT, frozenset({0, 1}))
    task = "lint 100 files, one call, cold"
    solo_row(report, task, "lint.hundred_s", command, plan.lint, env, plan.timeout_s, "copies of order-service", 1.5)


def serverless_project(scratch: Path, compiled: Path) -> Path:
    """serverless.yml, the example's code and the compiled runtime in one folder, as a Serverless user would have it."""
    project = scratch / "serverless-project"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir()
    shutil.copy2(SERVERLESS_YML, project / "serverless.yml")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for source in (EXAMPLE.parent / "src", compiled / "layer" / "python"):
        for entry in sorted(source.iterdir()):
            if entry.name == "__pycache__":
                continue
            if entry.is_dir():
                shutil.copytree(entry, project / entry.name, ignore=ignore)
            else:
                shutil.copy2(entry, project / entry.name)
    return project


def section_compile(report: Report, plan: Plan, scratch: Path, env: dict[str, str], found: dict[str, str]) -> None:
    task = "compile order-service, verified, cold"
    liftspec = liftspec_cli()
    compiled = compile_example(scratch, env, plan.timeout_s)  # the input of the peers (and the warm-up of liftspec)

    def lift_command(i: int) -> Command:
        # cold: a new output folder and an empty cache folder each run, so cfn-lint runs every time
        out = scratch / "compile-runs" / f"run{i}"
        cache = (("LIFTSPEC_CACHE_DIR", str(scratch / "compile-caches" / f"run{i}")),)
        return Command(
            [str(liftspec), "compile", str(EXAMPLE), "--env", "production", "--out", str(out), "--cfn"], ROOT, env=cache
        )

    contenders = {"liftspec": Contender(lift_command, plan.compile)}
    peers: dict[str, Exception] = {}
    try:
        if shutil.which("npm") is None or shutil.which("node") is None:
            raise Skip("skipped: npm/node not found on PATH, so Serverless Framework v3 cannot be installed")
        serverless = require(SERVERLESS, "Serverless Framework v3")
        project = serverless_project(scratch, compiled)

        def sls_command(i: int) -> Command:
            out = scratch / "sls-runs" / f"run{i}"
            argv = [str(serverless), "package", "--stage", "production", "--region", "us-east-1", "--package", str(out)]
            return Command(argv, project)

        contenders["serverless"] = Contender(sls_command, plan.compile)
    except Exception as exc:
        peers["serverless"] = exc
    try:
        cfn_lint = require(CFN_LINT, "cfn-lint")
        outputs = [str(compiled / "template.yaml"), str(compiled / "template.json")]
        contenders["cfn-lint"] = Contender(lambda _: Command([str(cfn_lint), *outputs], ROOT, CFN_LINT_OK), plan.compile)
    except Skip as exc:
        peers["cfn-lint"] = exc
    results = measure(contenders, env, plan.timeout_s)
    lift = results.pop("liftspec")
    if isinstance(lift, Exception):
        report.add(Row(task, runs=str(plan.compile), notes=why(lift)))
        return
    report.figures["compile.liftspec_s"] = lift.samples
    lift_note = compile_summary(lift.stderr)

    def sls_note(_: Timed) -> str:
        template = scratch / "sls-runs" / "run1" / "cloudformation-template-update-stack.json"
        count = len(json.loads(template.read_text(encoding="utf-8")).get("Resources", {})) if template.exists() else "?"
        return f"liftspec --cfn: {lift_note}; serverless: {count} resources + zip, no CodeDeploy (needs a plugin)"

    def cfn_note(timed: Timed) -> str:
        met = "met" if lift.median <= 0.7 * timed.median else "MISSED"
        return f"cfn-lint on the template.yaml + template.json that compile wrote, one process; target <= 0.7x: {met}"

    for key, label, note in (("serverless", " package", sls_note), ("cfn-lint", " alone", cfn_note)):
        result = peers.get(key) or results[key]
        if isinstance(result, Timed):
            report.figures[f"compile.{key}_s"] = result.samples
        report.add(peer_row(task, lift, peer_name(key, found) + label, result, plan.compile, note))
    compile_unchanged(report, plan, scratch, env, liftspec)


def compile_unchanged(report: Report, plan: Plan, scratch: Path, env: dict[str, str], liftspec: Path) -> None:
    """The same compile again: the output folder is up to date and cfn-lint's result is in the cache."""
    cache = (("LIFTSPEC_CACHE_DIR", str(scratch / "compile-cache-unchanged")),)
    argv = [str(liftspec), "compile", str(EXAMPLE), "--env", "production", "--out", str(scratch / "unchanged"), "--cfn"]
    task = "compile order-service, verified, unchanged input"
    command = Command(argv, ROOT, env=cache)
    solo_row(report, task, "compile.unchanged_s", command, plan.compile, env, plan.timeout_s, "after the warm-up run", 1.5)


def solo_row(
    report: Report,
    task: str,
    figure: str,
    command: Command,
    runs: int,
    env: dict[str, str],
    timeout: float,
    note: str,
    target_s: float,
) -> None:
    """A row of liftspec alone: the median of `runs` runs of `command` (after a warm-up), against an upper bound."""
    result = measure({"liftspec": Contender(lambda _: command, runs)}, env, timeout)["liftspec"]
    if isinstance(result, Exception):
        report.add(Row(task, runs=str(runs), notes=why(result)))
        return
    report.figures[figure] = result.samples
    met = "met" if result.median <= target_s else "MISSED"
    report.add(Row(task, fmt_time(result.median), runs=str(runs), notes=f"{note}; target <= {target_s:g} s: {met}"))


def load_specgen() -> ModuleType:
    if not SPECGEN.exists():
        raise Skip("skipped: bench/specgen.py (the spec generator of the compile issue) is missing")
    spec = importlib.util.spec_from_file_location("liftspec_bench_specgen", SPECGEN)
    if spec is None or spec.loader is None:
        raise Skip("skipped: bench/specgen.py cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise Skip(f"skipped: bench/specgen.py failed to import: {type(exc).__name__}: {exc}") from exc
    if not callable(getattr(module, "write_service", None)):
        raise Skip("skipped: bench/specgen.py has no write_service(folder, count)")
    return module


def growth(times: dict[int, float]) -> tuple[str, str]:
    """(verdict, detail) from the medians at 1, 10, 50, 100 functions.

    Linear when an added function costs about as much at the large end (50→100) as in the middle
    (10→50): within LINEAR_SLACK× or LINEAR_FLOOR_S per function. The fixed cost (start-up, imports)
    does not enter the verdict; the detail gives the least-squares line through all four medians.
    """
    sizes = sorted(times)
    early = (times[sizes[2]] - times[sizes[1]]) / (sizes[2] - sizes[1])
    late = (times[sizes[3]] - times[sizes[2]]) / (sizes[3] - sizes[2])
    if late > max(early * LINEAR_SLACK, early + LINEAR_FLOOR_S):
        verdict = "superlinear"
    elif late < early / LINEAR_SLACK and early - late > LINEAR_FLOOR_S:
        verdict = "sublinear"
    else:
        verdict = "linear"
    mean_n = statistics.fmean(sizes)
    mean_t = statistics.fmean(times[n] for n in sizes)
    slope = sum((n - mean_n) * (times[n] - mean_t) for n in sizes) / sum((n - mean_n) ** 2 for n in sizes)
    fixed = mean_t - slope * mean_n
    detail = (
        f"per added function: {fmt_time(max(early, 0.0))} ({sizes[1]}→{sizes[2]}), {fmt_time(max(late, 0.0))} "
        f"({sizes[2]}→{sizes[3]}); line: {fmt_time(max(fixed, 0.0))} + {fmt_time(max(slope, 0.0))} × functions"
    )
    return verdict, detail


def section_scale(report: Report, plan: Plan, scratch: Path, env: dict[str, str]) -> None:
    liftspec = liftspec_cli()
    try:
        specgen = load_specgen()
    except Skip as exc:
        report.add(Row("compile 1/10/50/100 functions", notes=why(exc)))
        return
    services: dict[int, Path] = {}
    for count in SIZES:
        try:
            services[count] = Path(str(specgen.write_service(str(scratch / f"generated-{count}"), count)))
        except Exception as exc:
            report.add(Row(f"compile {count} functions", notes=f"skipped: bench/specgen.py failed: {type(exc).__name__}: {exc}"))
            return
    for verified in (False, True):
        mode = "verified" if verified else "--no-verify"
        tag = "verify" if verified else "no-verify"
        contenders: dict[str, Contender] = {}
        for count, path in services.items():

            def command(i: int, path: Path = path, count: int = count, verified: bool = verified, tag: str = tag) -> Command:
                argv = [str(liftspec), "compile", str(path), "--out", str(scratch / f"scale-{count}-{tag}-{i}")]
                cache = (("LIFTSPEC_CACHE_DIR", str(scratch / f"scale-cache-{count}-{tag}-{i}")),)  # cold: cfn-lint runs
                return Command(argv if verified else [*argv, "--no-verify"], ROOT, env=cache)

            runs = plan.scale_verified_large if verified and count >= 50 else plan.scale
            contenders[str(count)] = Contender(command, runs)
        results = measure(contenders, env, plan.timeout_s)
        times: dict[int, float] = {}
        for count in SIZES:
            runs = contenders[str(count)].runs
            task = f"compile {count} function{'s' if count > 1 else ''}, {mode}"
            result = results[str(count)]
            if isinstance(result, Exception):
                report.add(Row(task, runs=str(runs), notes=why(result)))
                continue
            times[count] = result.median
            report.figures[f"scale.{count}.{tag}_s"] = result.samples
            note = compile_summary(result.stderr)
            if verified and count == 100:
                note += f"; cold; target <= 12 s: {'met' if result.median <= 12 else 'MISSED'}"
            report.add(Row(task, fmt_time(result.median), runs=str(runs), notes=note))
        if all(count in times for count in SIZES):
            verdict, detail = growth(times)
            report.add(Row(f"compile growth, {mode}", verdict, notes=detail))


def section_runtime(report: Report, plan: Plan, found: dict[str, str]) -> None:
    peer = peer_name("aws-lambda-powertools", found).replace("aws-lambda-powertools", "powertools")
    task = "runtime"
    if not BENCH_RUNTIME.exists():
        report.add(Row(task, notes="skipped: bench/bench_runtime.py (the runtime issue's bench) is missing"))
        return
    if RUNTIME_JSON.exists():
        RUNTIME_JSON.unlink()
    argv = [sys.executable, str(BENCH_RUNTIME), "--runs", str(plan.runtime_runs), "--calls", str(plan.runtime_calls)]
    try:
        # its own environment: it builds its layer with liftspec in-process and finds Powertools in bench/.venv
        done = subprocess.run(
            argv, cwd=ROOT, capture_output=True, text=True, timeout=plan.timeout_s * 3, stdin=subprocess.DEVNULL, check=False
        )
    except subprocess.TimeoutExpired:
        report.add(Row(task, notes=f"failed: bench/bench_runtime.py did not finish within {plan.timeout_s * 3:.0f} s"))
        return
    if done.returncode != 0 or not RUNTIME_JSON.exists():
        report.add(
            Row(task, notes=f"failed: bench/bench_runtime.py exited {done.returncode}: {last_line(done.stderr or done.stdout)}")
        )
        return
    try:
        data = json.loads(RUNTIME_JSON.read_text(encoding="utf-8"))
        cold: dict[str, float] = data["cold_import_ms"]
        invocation: dict[str, dict[str, float]] = data["invocation"]
        report.figures["runtime"] = data
        runs = f"{data.get('runs', plan.runtime_runs)}"
        for label, lift_key, peer_key in (
            ("with .pyc", "lift, with .pyc", "powertools, with .pyc"),
            ("sources only", "lift, sources only", "powertools, sources only"),
        ):
            if lift_key in cold and peer_key in cold:
                lift_s, peer_s = cold[lift_key] / 1000, cold[peer_key] / 1000
                report.add(
                    Row(
                        f"cold import, {label}",
                        fmt_time(lift_s),
                        peer,
                        fmt_time(peer_s),
                        fmt_ratio(peer_s, lift_s),
                        runs,
                        "lift_config + lift_runtime.entry vs Logger + Metrics + APIGatewayHttpResolver;"
                        " after `import awslambdaric.bootstrap`",
                    )
                )
        lift_us, peer_us = invocation["lift"]["overhead_us"], invocation["powertools"]["overhead_us"]
        report.add(
            Row(
                "per-request overhead",
                fmt_time(lift_us / 1e6),
                peer,
                fmt_time(peer_us / 1e6),
                fmt_ratio(peer_us, lift_us),
                f"7×{data.get('calls', plan.runtime_calls)}",
                "HTTP API v2 event: lift wrapper vs resolver + inject_lambda_context + log_metrics, each minus a bare handler",
            )
        )
    except (ValueError, KeyError, TypeError) as exc:
        report.add(Row(task, notes=f"failed: bench/results/runtime.json has an unexpected shape ({type(exc).__name__}: {exc})"))


# ---------------------------------------------------------------------------------------------- table


HEADERS = ("task", "liftspec", "peer", "peer time", "ratio", "runs", "notes")


def render(rows: Sequence[Row], preamble: Sequence[str]) -> str:
    cells = [HEADERS, *((r.task, r.liftspec, r.peer, r.peer_value, r.ratio, r.runs, r.notes) for r in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADERS) - 1)]
    right = {1, 3, 4, 5}  # numbers flush right

    def line(row: Sequence[str]) -> str:
        parts = [row[i].rjust(widths[i]) if i in right else row[i].ljust(widths[i]) for i in range(len(widths))]
        return "  ".join([*parts, row[-1]]).rstrip()

    rule = "  ".join("-" * w for w in widths) + "  " + "-" * 5
    return "\n".join([*preamble, "", line(HEADERS), rule, *(line(r) for r in cells[1:])]) + "\n"


def run_setup() -> None:
    script = BENCH / "setup_peers.sh"
    if not script.exists():
        progress("bench: bench/setup_peers.sh missing; using whatever peers are installed")
        return
    try:
        subprocess.run(["bash", str(script)], cwd=ROOT, check=False, timeout=1800, stdin=subprocess.DEVNULL, stdout=sys.stderr)
    except subprocess.TimeoutExpired:
        progress("bench: bench/setup_peers.sh took over 30 minutes; going on with what is installed")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one timed run per figure (for trying the bench, not for figures)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections: {', '.join(SECTIONS)}")
    parser.add_argument("--no-setup", action="store_true", help="do not run bench/setup_peers.sh first")
    args = parser.parse_args(argv)
    sections = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    plan = QUICK if args.quick else Plan()

    started = time.perf_counter()
    setup_s = 0.0
    if not args.no_setup:
        run_setup()
        setup_s = time.perf_counter() - started
    found = versions()
    report = Report()
    with tempfile.TemporaryDirectory(prefix="liftspec-bench-") as tmp:
        scratch = Path(tmp)
        env = tool_env(scratch)
        steps: dict[str, Callable[[], None]] = {
            "lint": lambda: section_lint(report, plan, scratch, env, found),
            "compile": lambda: section_compile(report, plan, scratch, env, found),
            "scale": lambda: section_scale(report, plan, scratch, env),
            "runtime": lambda: section_runtime(report, plan, found),
        }
        for name in SECTIONS:
            if name not in sections:
                continue
            progress(f"bench: {name} ...")
            section_started = time.perf_counter()
            try:
                steps[name]()
            except Exception as exc:  # a bug in a section must not hide the other rows
                report.add(Row(name, notes=why(exc)))
            took = time.perf_counter() - section_started
            report.figures[f"section.{name}_s"] = round(took, 1)
            progress(f"bench: {name} took {took:.0f} s")
    elapsed = time.perf_counter() - started

    tools = ", ".join(
        f"{name} {found[name]}"
        for name in ("liftspec", "cfn-lint", "checkov", "serverless", "aws-lambda-powertools", "node")
        if name in found
    )
    preamble = [
        f"liftspec bench: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {found['python']}; {tools}; "
        f"model validators: {found.get('validators', '?')}",
        "medians of wall-clock times of whole processes (runtime rows: bench/bench_runtime.py's own timers)",
        plan.describe(),
        "ratio = peer time / liftspec time (above 1: liftspec is faster)",
    ]
    closing = f"bench took {elapsed:.0f} s" + (
        f", of which {setup_s:.0f} s checking/installing peers" if not args.no_setup else ""
    )
    table = render(report.rows, preamble) + f"\n{closing}{' (--quick)' if args.quick else ''}\n"
    sys.stdout.write(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench.txt").write_text(table, encoding="utf-8")
    (RESULTS / "bench.json").write_text(
        json.dumps(
            {
                "plan": plan.__dict__,
                "versions": found,
                "rows": [r.__dict__ for r in report.rows],
                "samples_s": report.figures,
                "elapsed_s": round(elapsed, 1),
                "setup_s": round(setup_s, 1),
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        progress("bench: interrupted")
        sys.exit(130)

"""Benchmark of the lift runtime against AWS Lambda Powertools, side by side in one run.

    .venv/bin/python bench/bench_runtime.py [--runs 30] [--calls 20000]

1. Cold import, each sample in a fresh interpreter (``python -S -E -B``: no site, no .pyc written)
   that has first imported ``awslambdaric.bootstrap``, as Lambda's Python runtime has when it
   imports the function's Handler (so ``json``, ``logging``, ``threading``... are already loaded);
   the time of the import statements only, median of --runs:
   - lift: the generated ``lift_config`` + ``lift_runtime.entry`` (which builds the wrapper around a
     bare handler);
   - Powertools: ``Logger`` + ``Metrics`` + ``APIGatewayHttpResolver`` imported and instantiated.
   Both as shipped in a layer of sources only (no .pyc: what Lambda does with the .py files of a
   read-only /opt) and with .pyc files compiled ahead. awslambdaric's own files (copied out of this
   venv) always have their .pyc, as in Lambda's /var/runtime.
2. Per-invocation overhead on the same HTTP API event (the AWS sample POST): the wrapper around a
   bare handler minus the bare handler, medians of 7 batches of --calls calls; the same for a
   Powertools handler (resolver + inject_lambda_context + log_metrics) for reference. Logs and EMF go
   to /dev/null; the lift config is order-service's with a rate limit high enough never to refuse.

Powertools is installed with pip into bench/.venv (git-ignored; shared with make bench's other peers,
created here when missing), at the version pinned in bench/peers/requirements.txt. For the cold-import
figures, the files the Powertools import loads are copied out of it (with or without .pyc).
Results are printed and written to bench/results/runtime.json. ``--lift-only`` skips Powertools.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VENV = ROOT / "bench" / ".venv"
RESULTS = ROOT / "bench" / "results" / "runtime.json"
EXAMPLE = ROOT / "examples" / "order-service" / "lift.yaml"
EVENT = ROOT / "tests" / "fixtures" / "events" / "http-api-post.json"
PEER_REQUIREMENTS = ROOT / "bench" / "peers" / "requirements.txt"
POWERTOOLS = "aws-lambda-powertools>=3,<4"

BARE_HANDLER = 'def handler(event, context):\n    return {"statusCode": 200, "body": "ok"}\n'

# What Lambda's Python runtime has loaded when it imports the function's Handler.
LAMBDA_BOOTSTRAP = "import awslambdaric.bootstrap\n"

LIFT_IMPORT = """
import os, sys, time
sys.path[:0] = [{layer!r}, {code!r}, {base!r}]
import awslambdaric.bootstrap
os.environ.update(LIFT_HANDLER="bare.handler", LIFT_FUNCTION="api")
started = time.perf_counter_ns()
import lift_config, lift_runtime.entry
print(time.perf_counter_ns() - started)
"""

POWERTOOLS_IMPORT = """
import sys, time
sys.path[:0] = [{site!r}, {base!r}]
import awslambdaric.bootstrap
started = time.perf_counter_ns()
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
logger = Logger(service="order-service")
metrics = Metrics(namespace="OrderService", service="order-service")
app = APIGatewayHttpResolver()
print(time.perf_counter_ns() - started)
"""

# The per-invocation scripts share a harness: a Lambda context, a bare handler, and batches that time
# `measured` against `bare`. Each tool's script defines `measured` and a check of its last response.
_HARNESS_HEAD = """
class Context:
    aws_request_id = "bench"
    function_name = "api"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:api"
    memory_limit_in_mb = 1024
    def get_remaining_time_in_millis(self):
        return 30000

def bare(event, context):
    return {{"statusCode": 200, "headers": {{"Content-Type": "application/json"}}, "body": '{{"ok":true}}'}}

context = Context()
"""

_HARNESS_LOOP = """
sys.stdout = open(os.devnull, "w")
calls = {calls}

def batch(handler):
    started = time.perf_counter_ns()
    for _ in range(calls):
        handler(event, context)
    return (time.perf_counter_ns() - started) / calls / 1000

for handler in (bare, measured):
    batch(handler)  # warm up
results = {{"bare": [], "wrapped": []}}
for _ in range(7):
    results["bare"].append(batch(bare))
    results["wrapped"].append(batch(measured))
"""

_HARNESS_END = """
sys.stdout = sys.__stdout__
print(json.dumps(results))
"""

LIFT_INVOKE = (
    """
import json, os, sys, time
sys.path[:0] = [{layer!r}]
from lift_config import CONFIG
from lift_runtime.wrapper import Wrapper
config = CONFIG.replace(rate_limit=CONFIG.rate_limit.replace(max=10**12, burst=10**12))
event = json.load(open({event!r}))
"""
    + _HARNESS_HEAD
    + """
measured = Wrapper(bare, config=config, function="api")
"""
    + _HARNESS_LOOP
    + """
assert measured(event, context)["headers"]["Strict-Transport-Security"]
"""
    + _HARNESS_END
)

POWERTOOLS_INVOKE = (
    """
import json, os, sys, time
event = json.load(open({event!r}))
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.metrics import MetricUnit
logger = Logger(service="order-service")
metrics = Metrics(namespace="OrderService", service="order-service")
app = APIGatewayHttpResolver()

@app.post("/path/to/resource")
def resource():
    return {{"ok": True}}

@logger.inject_lambda_context
@metrics.log_metrics
def powertools_handler(event, context):
    metrics.add_metric(name="Requests", unit=MetricUnit.Count, value=1)
    return app.resolve(event, context)
"""
    + _HARNESS_HEAD
    + """
measured = powertools_handler
"""
    + _HARNESS_LOOP
    + """
assert measured(event, context)["statusCode"] == 200
"""
    + _HARNESS_END
)


def powertools_requirement() -> str:
    """The Powertools pin of bench/peers/requirements.txt (make bench's peers), else a 3.x range."""
    if PEER_REQUIREMENTS.exists():
        for line in PEER_REQUIREMENTS.read_text().splitlines():
            if line.strip().startswith("aws-lambda-powertools"):
                return line.split("#", 1)[0].strip()
    return POWERTOOLS


def powertools_python() -> Path:
    """bench/.venv (shared with make bench's other peers: never cleared) with Powertools installed."""
    python = BENCH_VENV / "bin" / "python"
    probe = [str(python), "-c", "import aws_lambda_powertools"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    if not python.exists():
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(BENCH_VENV)], check=True)
    requirement = powertools_requirement()
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement], check=True)
    return python


def site_packages(python: Path) -> Path:
    out = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def loaded_files(python: Path, site: Path, script: str) -> list[Path]:
    """The files of site-packages (relative paths) that `script` loads from it: all a layer of it would need."""
    script = f"import sys\nsys.path.insert(0, {str(site)!r})\n{script}" + (
        "import json\n"
        f"site = {str(site)!r}\n"
        "files = {m.__file__ for m in list(sys.modules.values()) if (getattr(m, '__file__', None) or '').startswith(site)}\n"
        "print(json.dumps(sorted(files)))\n"
    )
    done = subprocess.run([str(python), "-S", "-E", "-c", script], capture_output=True, text=True, check=True)
    return [Path(file).relative_to(site) for file in json.loads(done.stdout.strip().splitlines()[-1])]


def write_layer(target: Path) -> Path:
    """The layer compile writes for order-service (layer/python), plus a bare handler module."""
    from liftspec.api import load, resolve_env
    from liftspec.render.runtime_files import runtime_outputs

    spec = resolve_env(load(EXAMPLE)).spec
    assert spec is not None
    for relative, content in runtime_outputs(
        spec, {"source": "lift.yaml", "env": "production", "version": "bench", "digest": "0" * 64}
    ).items():
        if relative.startswith("layer/python/"):
            path = target / "layer" / relative[len("layer/python/") :]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    (target / "code").mkdir()
    (target / "code" / "bare.py").write_text(BARE_HANDLER)
    return target / "layer"


def copy_sources(site: Path, files: list[Path], target: Path) -> Path:
    """Copies of `files` (relative to `site`) under `target`, without any .pyc."""
    for relative in files:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(site / relative, target / relative)
    return target


def with_pyc(folder: Path) -> Path:
    compileall.compile_dir(folder, quiet=1, workers=0)
    return folder


def cold_import(python: str, script: str, runs: int) -> list[float]:
    env = {"PATH": os.environ.get("PATH", "")}
    samples = []
    for _ in range(runs):
        done = subprocess.run([python, "-S", "-E", "-B", "-c", script], capture_output=True, text=True, env=env, check=True)
        samples.append(int(done.stdout.strip().splitlines()[-1]) / 1e6)
    return samples


def invocation(python: str, script: str) -> dict[str, float]:
    done = subprocess.run([python, "-c", script], capture_output=True, text=True, check=True)
    raw = json.loads(done.stdout.strip().splitlines()[-1])
    bare, wrapped = statistics.median(raw["bare"]), statistics.median(raw["wrapped"])
    return {"bare_us": round(bare, 2), "wrapped_us": round(wrapped, 2), "overhead_us": round(wrapped - bare, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="fresh interpreters per cold-import figure")
    parser.add_argument("--calls", type=int, default=20000, help="invocations per timing batch")
    parser.add_argument("--lift-only", action="store_true", help="skip the Powertools figures")
    args = parser.parse_args()

    python = sys.executable
    results: dict[str, object] = {"python": sys.version.split()[0], "runs": args.runs, "calls": args.calls}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        layer = write_layer(work / "lift")
        code = str(work / "lift" / "code")
        lift_pyc = with_pyc(shutil.copytree(layer, work / "lift-pyc"))
        own_site = site_packages(Path(python))
        base = str(with_pyc(copy_sources(own_site, loaded_files(Path(python), own_site, LAMBDA_BOOTSTRAP), work / "lambda")))
        cold: dict[str, list[float]] = {}
        cold["lift, sources only"] = cold_import(python, LIFT_IMPORT.format(layer=str(layer), code=code, base=base), args.runs)
        cold["lift, with .pyc"] = cold_import(python, LIFT_IMPORT.format(layer=str(lift_pyc), code=code, base=base), args.runs)
        invocations = {"lift": invocation(python, LIFT_INVOKE.format(layer=str(lift_pyc), event=str(EVENT), calls=args.calls))}
        if not args.lift_only:
            pt_python = powertools_python()
            pt_site = site_packages(pt_python)
            pt_files = loaded_files(pt_python, pt_site, POWERTOOLS_IMPORT.format(site=str(pt_site), base=base))
            pt_src = copy_sources(pt_site, pt_files, work / "powertools-src")
            pt_pyc = with_pyc(copy_sources(pt_site, pt_files, work / "powertools-pyc"))
            cold["powertools, sources only"] = cold_import(
                python, POWERTOOLS_IMPORT.format(site=str(pt_src), base=base), args.runs
            )
            cold["powertools, with .pyc"] = cold_import(python, POWERTOOLS_IMPORT.format(site=str(pt_pyc), base=base), args.runs)
            invocations["powertools"] = invocation(str(pt_python), POWERTOOLS_INVOKE.format(event=str(EVENT), calls=args.calls))
        results["cold_import_ms"] = {name: round(statistics.median(samples), 2) for name, samples in cold.items()}
        results["invocation"] = invocations
    print(
        f"Python {results['python']}; cold import after `import awslambdaric.bootstrap`: "
        f"median of {args.runs} fresh interpreters (python -S -E -B)"
    )
    for name, value in results["cold_import_ms"].items():  # type: ignore[attr-defined]
        print(f"  {name:28s} {value:8.2f} ms")
    print(f"Per invocation, HTTP API v2 sample event: median of 7 batches of {args.calls} calls")
    for name, value in results["invocation"].items():  # type: ignore[attr-defined]
        print(
            f"  {name:12s} bare {value['bare_us']:7.2f} us   wrapped {value['wrapped_us']:7.2f} us   "
            f"overhead {value['overhead_us']:7.2f} us"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""Generated lift.yaml files of any size, for the compile benchmark and the limit tests.

    python bench/specgen.py 50 > /tmp/svc/lift.yaml      (plus an empty src/ folder beside it)

`light` services (environment `dev`) give each function an HTTP route (every tenth one a schedule
instead) and nothing else, so that 100 functions still fit in one stack. `heavy` ones (environment
`production`) add what the production pack asks for: alarms and a gradual deployment with rollback,
about ten resources a function after the SAM transform.
"""

from __future__ import annotations

import os
import sys

HEADER = """\
liftspec: 1
service: {service}
description: generated service with {count} functions
environment: {env}
region: us-east-1
runtime: {{lambda: python3.12, architecture: arm64, memory: 512, code: src/}}
timeouts: {{function: 20s, request: 19s}}
logging: {{level: info, format: json, retention_days: 30}}
security:
  auth: {{enabled: true, jwt: {{issuer: "https://auth.example.com/", audience: [generated]}}}}
rate_limit: {{enabled: true, window: 1m, max: 6000}}
metrics: {{enabled: true, namespace: Generated}}
"""

HEAVY = """\
alarms:
  topic: arn:aws:sns:us-east-1:123456789012:alerts
  errors: {threshold: 5, period: 1m, evaluation_periods: 3}
  latency: {threshold: 1s, period: 1m, evaluation_periods: 3, statistic: p99}
  throttles: {threshold: 1, period: 1m, evaluation_periods: 1}
deployment: {strategy: Canary10Percent5Minutes, alias: live, rollback_on: [errors, latency]}
"""


def function_name(i: int) -> str:
    return f"fn{i:03d}"


def generate(count: int, *, heavy: bool = False, service: str = "generated") -> str:
    lines = [HEADER.format(service=service, count=count, env="production" if heavy else "dev")]
    if heavy:
        lines.append(HEAVY)
    lines.append("functions:\n")
    for i in range(count):
        name = function_name(i)
        lines.append(f"  {name}:\n    handler: app.handler\n")
        if i % 10 == 9:
            lines.append("    schedule: rate(1 hour)\n")
        else:
            lines.append(f'    http: {{routes: ["ANY /{name}/{{proxy+}}"]}}\n')
        lines.append(f"    concurrency: {{reserved: {5 if heavy else 2}}}\n")
    return "".join(lines)


def write_service(folder: str, count: int, *, heavy: bool = False) -> str:
    """A lift.yaml with `count` functions and its code folder under `folder`; returns the lift.yaml path."""
    os.makedirs(os.path.join(folder, "src"), exist_ok=True)
    with open(os.path.join(folder, "src", "app.py"), "w", encoding="utf-8") as handle:
        handle.write("def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n")
    path = os.path.join(folder, "lift.yaml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(generate(count, heavy=heavy))
    return path


if __name__ == "__main__":
    sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 10, heavy="--heavy" in sys.argv))

"""The commented starter file written by `liftspec init`; it lints clean in production."""

from __future__ import annotations

STARTER = """\
# yaml-language-server: $schema=lift.schema.json
# Editor completion: `liftspec schema > lift.schema.json` writes that schema next to this file.
# The format reference: docs/format.md in the liftspec repository, or `liftspec schema --format markdown`.
# lift.yaml: one file per Lambda service. `liftspec lint` checks it, `liftspec compile` builds it.
liftspec: 1
service: {service}               # 1-40 chars of a-z, 0-9 and '-', starting with a letter
environment: production          # used when --env is not given

runtime:
  lambda: python3.12
  architecture: arm64
  memory: 512                    # MB
  code: src/                     # relative to this file

timeouts:
  function: 10s                  # Lambda timeout; HTTP APIs allow at most 30s
  request: 9s                    # per-request deadline, below the function timeout

functions:
  api:
    handler: app.handler
    http:
      routes: ["ANY /{{proxy+}}"]
    concurrency:
      reserved: 50

logging:
  level: info                    # debug | info | warn | error
  format: json
  retention_days: 30

security:
  require_https: true
  auth:
    enabled: true
    jwt: {{issuer: "https://auth.example.com/", audience: [{service}]}}

rate_limit:
  enabled: true
  window: 1m
  max: 6000                      # requests per window (100/s)

tracing:
  enabled: true

metrics:
  enabled: true
  namespace: {namespace}

alarms:
  topic: {{create: true}}
  errors:    {{threshold: 5, period: 1m, evaluation_periods: 3}}
  latency:   {{threshold: 2s, period: 1m, evaluation_periods: 3, statistic: p99}}
  throttles: {{threshold: 1, period: 1m, evaluation_periods: 1}}

deployment:
  strategy: Canary10Percent5Minutes
  alias: live
  rollback_on: [errors, latency]

environments:
  staging:
    logging: {{level: debug}}
    functions: {{api: {{concurrency: {{reserved: 5}}}}}}
"""


STARTER_HANDLER = '''"""The api function of lift.yaml: a plain Lambda handler; the lift runtime wraps it."""

import json


def handler(event, context):
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps({"ok": True})}
'''


def starter(service: str) -> str:
    namespace = "".join(part.capitalize() for part in service.split("-")) or "Service"
    return STARTER.format(service=service, namespace=namespace)

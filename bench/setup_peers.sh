#!/usr/bin/env bash
# Installs the peers that `make bench` measures liftspec against, outside the project's .venv:
#   bench/.venv         cfn-lint, checkov, aws-lambda-powertools  (pinned in bench/peers/requirements.txt)
#   bench/node_modules  Serverless Framework v3                   (pinned in bench/peers/package.json)
# Idempotent: each part is redone only when missing or when its pin file changed. A part that
# cannot be installed (no npm, no network) is reported and skipped; bench/run_all.py then prints
# a row saying why. Always exits 0 so that the bench still runs what it can.
# Environment: PYTHON (default python3), SETUP_TIMEOUT seconds per install step (default 600).
set -u

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
SETUP_TIMEOUT="${SETUP_TIMEOUT:-600}"
REQUIREMENTS="$BENCH/peers/requirements.txt"
PACKAGE_JSON="$BENCH/peers/package.json"

say() { echo "setup_peers: $*" >&2; }

digest() { sha256sum "$1" | cut -c1-64; }

setup_python() {
    local venv="$BENCH/.venv" stamp="$BENCH/.venv/.peers-installed" want
    want="$(digest "$REQUIREMENTS")"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$venv/bin/python" ]]; then
        return 0
    fi
    say "installing cfn-lint, checkov and aws-lambda-powertools into bench/.venv"
    if [[ ! -x "$venv/bin/python" ]] && ! timeout "$SETUP_TIMEOUT" "$PYTHON" -m venv "$venv"; then
        say "could not create bench/.venv with $PYTHON"
        return 0
    fi
    if timeout "$SETUP_TIMEOUT" "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
            -r "$REQUIREMENTS" >&2; then
        echo "$want" > "$stamp"
    else
        say "pip install -r bench/peers/requirements.txt failed; the rows of those peers will say so"
    fi
}

setup_node() {
    local stamp="$BENCH/node_modules/.peers-installed" want version
    if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
        say "npm or node not found: the Serverless Framework row will be skipped"
        return 0
    fi
    want="$(digest "$PACKAGE_JSON")"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$BENCH/node_modules/.bin/serverless" ]]; then
        return 0
    fi
    version="$(node -p "require(process.argv[1]).dependencies.serverless" "$PACKAGE_JSON")"
    say "installing serverless@$version into bench/node_modules"
    # --no-save: bench/ keeps no package.json of its own; the pin lives in bench/peers/package.json.
    if timeout "$SETUP_TIMEOUT" npm install --prefix "$BENCH" --no-save --no-package-lock --no-audit --no-fund \
            --loglevel=error "serverless@$version" >&2; then
        echo "$want" > "$stamp"
    else
        say "npm install serverless@$version failed; the Serverless Framework row will say so"
    fi
}

setup_python
setup_node
exit 0

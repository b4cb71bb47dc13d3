from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fixtures.policy.lintkit import Cli, liftspec

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def write(tmp_path: Path):
    """Write a dedented lift.yaml into a temp dir and return its path."""

    def _write(text: str, name: str = "lift.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture(autouse=True)
def _own_lint_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with an empty result cache of its own (and never writes one into the checkout)."""
    monkeypatch.setenv("LIFTSPEC_CACHE_DIR", str(tmp_path_factory.mktemp("lint-cache")))


@pytest.fixture(scope="session", autouse=True)
def _cfn_lint_loaded() -> None:
    """cfn-lint and its rules, loaded once per test process: the verify workers each compile forks inherit them."""
    from liftspec.verify.cfn_lint import load_rules

    load_rules()


@pytest.fixture
def cli() -> Callable[..., Cli]:
    """The command line, in-process through click's CliRunner; `cli(..., real=True)` runs it in a subprocess."""
    return liftspec


@pytest.fixture(scope="session")
def moto_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """moto's DynamoDB-compatible server on a free local port, once per test process (tests/moto_server.py says why)."""
    import moto_server

    try:
        with moto_server.running(tmp_path_factory.mktemp("moto") / "moto.log") as url:
            yield url
    except moto_server.Unavailable as exc:
        pytest.skip(str(exc))

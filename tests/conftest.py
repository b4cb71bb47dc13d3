from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

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

"""What every Python end-to-end test needs: the Lambda Runtime Interface Emulator and awslambdaric."""

from __future__ import annotations

from pathlib import Path

import pytest
from rie import Unavailable, awslambdaric_path, rie_binary


@pytest.fixture(scope="session")
def emulator() -> Path:
    """The emulator binary; the test is skipped, with the reason, where it or awslambdaric cannot be had."""
    try:
        awslambdaric_path()
        return rie_binary()
    except Unavailable as exc:
        pytest.skip(f"Lambda Runtime Interface Emulator unavailable: {exc}")

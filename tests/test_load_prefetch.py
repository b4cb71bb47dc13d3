"""Files loaded in a forked child (liftspec/load/prefetch.py) are exactly what loading them here gives, and
whatever happens to the child, the caller gets every document."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from liftspec.diagnostics import LiftError
from liftspec.load import load_bytes, prefetch
from liftspec.load.prefetch import Prefetch

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(str(path) for path in (ROOT / "examples").glob("*/lift.yaml"))
BROKEN = [("bad-syntax.yaml", b"service: [unclosed\n"), ("two-docs.yaml", b"a: 1\n---\nb: 2\n"), ("huge.yaml", b"#" * 1_000_001)]


@pytest.fixture
def sources() -> list[tuple[str, bytes]]:
    examples = [(path, Path(path).read_bytes()) for path in EXAMPLES]
    return [*examples[:2], *BROKEN, *examples[2:], ("quotes.yaml", 'service: "a\\"b"\nnote: "\\u2028 é 😀"\n'.encode())]


@pytest.fixture(autouse=True)
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    # pytest-timeout's timer thread makes the real check say no; the child here touches no lock of that thread.
    monkeypatch.setattr(prefetch, "can_fork", lambda: True)


def outcome(load: object) -> object:
    try:
        return ("ok", load())  # type: ignore[operator]
    except LiftError as exc:
        return ("error", exc.diagnostics)


def test_every_document_and_every_error_is_what_loading_here_gives(sources: list[tuple[str, bytes]]) -> None:
    expected = [outcome(lambda s=s: load_bytes(s[1], s[0])) for s in sources]
    with Prefetch(sources) as loaded:
        assert loaded.forked
        got = [outcome(lambda i=i: loaded.document(i)) for i in range(len(sources))]
    assert got == expected
    assert [kind for kind, _ in got].count("error") == len(BROKEN)


def test_without_fork_the_documents_are_loaded_here(sources: list[tuple[str, bytes]]) -> None:
    with Prefetch(sources, fork=False) as loaded:
        assert not loaded.forked
        got = [outcome(lambda i=i: loaded.document(i)) for i in range(len(sources))]
    assert got == [outcome(lambda s=s: load_bytes(s[1], s[0])) for s in sources]


def test_a_child_that_dies_midway_leaves_the_rest_to_the_caller(
    sources: list[tuple[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()
    real = prefetch.load_bytes

    def dies_on_the_third(raw: bytes, file: str) -> object:
        if os.getpid() != parent and file == sources[2][0]:
            os._exit(3)
        return real(raw, file)

    monkeypatch.setattr(prefetch, "load_bytes", dies_on_the_third)
    with Prefetch(sources) as loaded:
        got = [outcome(lambda i=i: loaded.document(i)) for i in range(len(sources))]
    assert got == [outcome(lambda s=s: real(s[1], s[0])) for s in sources]


def test_documents_asked_out_of_order_are_still_right(sources: list[tuple[str, bytes]]) -> None:
    order = [1, 0, *range(2, len(sources))]
    with Prefetch(sources) as loaded:
        got = [outcome(lambda i=i: loaded.document(i)) for i in order]
    assert got == [outcome(lambda i=i: load_bytes(sources[i][1], sources[i][0])) for i in order]


def test_closing_early_reaps_the_child(sources: list[tuple[str, bytes]]) -> None:
    loaded = Prefetch(sources * 20)
    pid = loaded._pid
    assert pid is not None
    loaded.document(0)
    loaded.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind


def test_a_process_with_other_threads_does_not_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not prefetch.can_fork()
        assert not Prefetch([("a.yaml", b"a: 1\n")]).forked
    finally:
        release.set()
        other.join()


def test_a_lint_run_reports_the_same_bytes_with_and_without_the_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every report format, over examples, broken files, an unreadable one and an expired suppression."""
    from liftspec.cli.lintrun import FORMATS, lint_files, render, shown_of

    for path in EXAMPLES:
        folder = tmp_path / Path(path).parent.name
        folder.mkdir()
        (folder / "lift.yaml").write_bytes(Path(path).read_bytes())
    for name, raw in BROKEN:
        (tmp_path / name).write_bytes(raw)
    suppressed = Path(EXAMPLES[0]).read_text(encoding="utf-8") + "# liftspec: ignore[LS204] until=2020-01-01 tried once\n"
    (tmp_path / "expired.yaml").write_text(suppressed, encoding="utf-8")
    os.mkfifo(tmp_path / "fifo.yaml")
    files = sorted(str(path) for path in tmp_path.rglob("*.yaml"))

    def reports() -> list[str]:
        run = lint_files(files, None)
        return [render(run, fmt, shown_of(run, "info"), False, False) for fmt in FORMATS]

    forked = reports()
    monkeypatch.setattr(prefetch, "can_fork", lambda: False)
    assert forked == reports()
    assert all(found in forked[0] for found in ("not a regular file", "LS001", "LS902")), forked[0]

"""cfn-lint results cached by the exact text linted: an unchanged compile does not run cfn-lint again.

The key is the template text, the region and the versions of liftspec, cfn-lint and the SAM
translator; entries go to the lint cache's folder (liftspec/cache.py), under verify-<key>. An entry
that cannot be read is a miss; cfn-lint failing is never cached.
"""

from __future__ import annotations

import hashlib
from typing import Any

from liftspec.verify.cfn_lint import LintFinding
from liftspec.verify.pool import LintPool
from liftspec.version import __version__


def key(text: str, region: str) -> str:
    from samtranslator import __version__ as translator  # type: ignore[import-untyped]

    from liftspec.verify.cfn_lint import version

    digest = hashlib.sha256(f"verify\0{__version__}\0cfn-lint {version()}\0sam {translator}\0{region}\0".encode())
    digest.update(text.encode())
    return digest.hexdigest()


def cached_lint(pool: LintPool, text: str, region: str) -> list[LintFinding]:
    """cfn-lint's findings on `text`, from the cache or from the pool; raises LintFailed."""
    from liftspec.cache import cache_dir, read_entry, write_entry

    folder, name = cache_dir(), key(text, region)
    found = _findings(read_entry(folder, name))
    if found is not None:
        return found
    findings = pool.submit(text, region).result()
    write_entry(folder, name, {"findings": [[f.rule, f.severity, f.line, f.col, f.message] for f in findings]})
    return findings


def _findings(entry: dict[str, Any] | None) -> list[LintFinding] | None:
    if entry is None:
        return None
    try:
        return [LintFinding(str(r), str(s), int(line), int(col), str(m)) for r, s, line, col, m in entry["findings"]]
    except (KeyError, TypeError, ValueError):
        return None

"""manifest.json: what produced an output folder and what it holds.

No timestamps and no tool versions other than liftspec's own, so that compiling the same input
twice gives the same bytes and `liftspec compile --check` reports only real changes.
"""

from __future__ import annotations

import hashlib
import json

MANIFEST = "manifest.json"
FORMAT = 1


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def render_manifest(*, version: str, service: str, env: str, source: str, input_sha256: str, files: dict[str, bytes]) -> bytes:
    data = {
        "manifest": FORMAT,
        "generator": f"liftspec {version}",
        "service": service,
        "environment": env,
        "source": source,
        "input_sha256": input_sha256,
        "files": {name: sha256(files[name]) for name in sorted(files) if name != MANIFEST},
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def without_files(tree: dict[str, bytes], names: set[str]) -> dict[str, bytes]:
    """An output folder's files as if `names` had not been written: left out, and out of its manifest."""
    out = {name: content for name, content in tree.items() if name not in names}
    if MANIFEST in out:
        try:
            data = json.loads(out[MANIFEST])
        except ValueError:
            return out
        if isinstance(data, dict) and isinstance(data.get("files"), dict):
            data["files"] = {name: digest for name, digest in data["files"].items() if name not in names}
            out[MANIFEST] = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
    return out

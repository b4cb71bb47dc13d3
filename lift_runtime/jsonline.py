"""Compact one-line JSON for logs, metrics and response bodies.

``json.dumps(obj, separators=(",", ":"), default=str)``, with one encoder built once: the
standard library's C encoder does the work. ``json`` is already loaded when Lambda's Python
runtime (awslambdaric) imports the function's handler, so importing it here costs nothing there.
"""

from __future__ import annotations

from json import JSONEncoder

dumps = JSONEncoder(separators=(",", ":"), default=str).encode

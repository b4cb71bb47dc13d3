"""Compact one-line JSON for logs, metrics and response bodies.

CPython's C encoder is used directly: ``import json`` pulls in ``re`` and ``enum`` and costs
milliseconds of cold start. The output is that of ``json.dumps(obj, separators=(",", ":"),
default=str)``; where the C encoder is missing or differs, that is what runs.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


def _default(value: object) -> str:
    return str(value)


def _c_dumps() -> Callable[[object], str] | None:
    try:
        from _json import encode_basestring_ascii, make_encoder

        def dumps(obj: object) -> str:
            # A fresh encoder per call: its circular-reference markers never leak from a failed call.
            encode = make_encoder({}, _default, encode_basestring_ascii, None, ":", ",", False, False, True)
            return "".join(encode(obj, 0))

        if dumps({"a": [1, 2.5, None, True, "\n"]}) == '{"a":[1,2.5,null,true,"\\n"]}':
            return dumps
    except (ImportError, TypeError):
        pass
    return None


def _py_dumps() -> Callable[[object], str]:
    from json import JSONEncoder

    return JSONEncoder(separators=(",", ":"), default=_default).encode


dumps: Callable[[object], str] = _c_dumps() or _py_dumps()

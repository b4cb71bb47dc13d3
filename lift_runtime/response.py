"""HTTP responses: the handler's result made valid, the runtime's headers and gzip, then the caller's form.

``normalize`` turns whatever the handler returned into a response API Gateway and ALB accept, or
raises InvalidResponse with the reason (the runtime answers 500 and logs it). A normalized
response has an int ``statusCode`` (100-599), ``headers`` (name -> str), a str ``body``, a bool
``isBase64Encoded``, and, when the handler set them, ``multiValueHeaders`` (name -> list of str)
and ``cookies`` (list of str). ``finish`` writes it in the form the request came in.
"""

from __future__ import annotations

from lift_runtime import http
from lift_runtime.jsonline import dumps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from lift_runtime.http import Request, Response

# Bodies that are already compressed: gzip would only cost time.
_COMPRESSED_TYPES = (
    "image/",
    "audio/",
    "video/",
    "font/woff",
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/x-7z",
    "application/x-bzip",
    "application/x-xz",
    "application/zstd",
    "application/pdf",
)
_JSON_BODIES = (dict, list, tuple, int, float)  # bool is an int
_BYTES = (bytes, bytearray, memoryview)


class InvalidResponse(Exception):
    """The handler's result cannot be made into a response API Gateway or ALB would accept."""


def _kind(value: object) -> str:
    return type(value).__name__


def normalize(result: object) -> Response:
    """The handler's result as a valid proxy response (a copy: the handler's objects are never changed).

    A dict with statusCode is a response; anything else becomes a 200 JSON body, as API Gateway
    does for payload 2.0.
    """
    try:
        if isinstance(result, dict) and "statusCode" in result:
            return _proxy(result)
        body = _json(result, "result")
    except InvalidResponse:
        raise
    except Exception as exc:  # a hostile object: a dict subclass whose methods raise, ...
        raise InvalidResponse(f"the result cannot be read ({_kind(exc)})") from exc
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": body, "isBase64Encoded": False}


def _json(value: object, what: str) -> str:
    try:
        return dumps(value)
    except (ValueError, TypeError, RecursionError) as exc:  # a cycle, a key JSON cannot have, very deep nesting
        raise InvalidResponse(f"the {what} cannot be encoded as JSON ({_kind(exc)}: {str(exc)[:200]})") from exc


def _proxy(result: dict[object, object]) -> Response:
    headers = _headers(result.get("headers"))
    body, encoded = result.get("body"), result.get("isBase64Encoded")
    if type(body) is not str or (encoded is not None and type(encoded) is not bool):  # the common case costs no call
        body, encoded = _body(body, encoded, headers)
    elif encoded:
        _check_base64(body)
    status = result.get("statusCode")
    if type(status) is not int or not 100 <= status <= 599:
        status = _status(status)
    out: Response = {
        "statusCode": status,
        "headers": headers,
        "body": body,
        "isBase64Encoded": bool(encoded),
    }
    multi = result.get("multiValueHeaders")
    if multi is not None:
        out["multiValueHeaders"] = _multi_headers(multi)
    cookies = result.get("cookies")
    if cookies is not None:
        if not isinstance(cookies, list | tuple):
            raise InvalidResponse(f"cookies must be a list of strings, not {_kind(cookies)}")
        out["cookies"] = [_value("cookies", item) for item in cookies]
    return out


def _status(value: object) -> int:
    code = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str) and value.isascii() and value.strip().isdigit():
        code = int(value)
    if code is None or not 100 <= code <= 599:
        shown = repr(value)[:40] if isinstance(value, int | str) or value is None else _kind(value)
        raise InvalidResponse(f"statusCode must be an integer from 100 to 599, not {shown}")
    return code


def _name(name: object) -> str:
    if not isinstance(name, str) or not name or not name.isascii() or not name.isprintable() or " " in name or ":" in name:
        raise InvalidResponse(f"header name {str(name)[:60]!r} is not a valid HTTP header name")
    return name


def _value(name: str, value: object) -> str:
    if isinstance(value, str):
        if "\n" in value or "\r" in value or "\0" in value:
            raise InvalidResponse(f"the value of {name} holds a line break or NUL (header injection)")
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    raise InvalidResponse(f"the value of {name} must be a string or a number, not {_kind(value)}")


def _headers(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidResponse(f"headers must be a mapping of names to strings, not {_kind(value)}")
    out: dict[str, str] = {}
    for name, item in value.items():
        name = _name(name)
        if item is None:
            continue
        out[name] = ", ".join(_value(name, v) for v in item) if isinstance(item, list | tuple) else _value(name, item)
    return out


def _multi_headers(value: object) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise InvalidResponse(f"multiValueHeaders must be a mapping of names to lists, not {_kind(value)}")
    out: dict[str, list[str]] = {}
    for name, items in value.items():
        name = _name(name)
        if items is None:
            continue
        out[name] = [_value(name, v) for v in items] if isinstance(items, list | tuple) else [_value(name, items)]
    return out


def _body(body: object, encoded: object, headers: dict[str, str]) -> tuple[str, bool]:
    if encoded is not None and not isinstance(encoded, bool):
        raise InvalidResponse(f"isBase64Encoded must be true or false, not {_kind(encoded)}")
    if isinstance(body, str):
        if encoded:
            _check_base64(body)
        return body, bool(encoded)
    if body is None:
        return "", False
    if isinstance(body, _BYTES):
        import binascii

        return binascii.b2a_base64(bytes(body), newline=False).decode("ascii"), True
    if isinstance(body, _JSON_BODIES):
        if find(headers, "content-type") is None:
            headers["Content-Type"] = "application/json"
        return _json(body, "body"), False
    raise InvalidResponse(f"body must be a string, bytes or JSON data, not {_kind(body)}")


def _check_base64(body: str) -> None:
    """API Gateway and ALB decode an isBase64Encoded body; one they cannot decode is their 502, not ours to send."""
    import binascii

    try:
        binascii.a2b_base64(body.encode("ascii"), strict_mode=True)
    except (UnicodeEncodeError, binascii.Error):
        raise InvalidResponse("isBase64Encoded is true but the body is not base64") from None


# --- what the runtime adds ----------------------------------------------------------------------


def names(resp: Response) -> set[str]:
    """Lowercase names of the headers a response sets, in any of its forms."""
    present = {name.lower() for name in resp["headers"]}  # type: ignore[attr-defined]
    multi = resp.get("multiValueHeaders")
    if multi:
        present.update(name.lower() for name in multi)  # type: ignore[attr-defined]
    if resp.get("cookies"):
        present.add("set-cookie")
    return present


def add_headers(resp: Response, extra: Iterable[tuple[str, str]]) -> None:
    """Add headers the response does not already have (case-insensitively): the handler's choice wins."""
    headers: dict[str, str] = resp["headers"]  # type: ignore[assignment]
    present = names(resp)
    for name, value in extra:
        if name.lower() not in present:
            headers[name] = value


def find(headers: dict[str, str], lower_name: str) -> str | None:
    for name, value in headers.items():
        if name.lower() == lower_name:
            return value
    return None


def header(resp: Response, lower_name: str) -> str | None:
    """A response header's value in any form (multiple values joined with ',')."""
    value = find(resp["headers"], lower_name)  # type: ignore[arg-type]
    if value is not None:
        return value
    multi: dict[str, list[str]] | None = resp.get("multiValueHeaders")  # type: ignore[assignment]
    if multi:
        for name, values in multi.items():
            if name.lower() == lower_name and values:
                return ",".join(values)
    return None


def _drop(resp: Response, lower_name: str) -> None:
    for headers in (resp["headers"], resp.get("multiValueHeaders") or {}):
        for name in [name for name in headers if name.lower() == lower_name]:  # type: ignore[attr-defined]
            del headers[name]  # type: ignore[attr-defined]


def compress(resp: Response, request: Request, min_size: int) -> bool:
    """Gzip the body in place when it is larger than min_size bytes, compressible and the client accepts gzip."""
    body: str = resp["body"]  # type: ignore[assignment]
    # A str of n characters is at most 4n bytes in UTF-8 (base64: fewer than n): small ones are left at once.
    if len(body) * 4 <= min_size or resp["statusCode"] in (204, 304) or request.method == "HEAD":
        return False
    if not request.accepts_gzip() or header(resp, "content-encoding") is not None:
        return False
    content_type = (header(resp, "content-type") or "").lower()
    if content_type.startswith(_COMPRESSED_TYPES) and "svg" not in content_type:
        return False
    import binascii  # C modules, loaded on the first response worth compressing
    import zlib

    try:
        data = binascii.a2b_base64(body) if resp["isBase64Encoded"] else body.encode("utf-8")
    except (binascii.Error, UnicodeEncodeError):  # not base64 / a lone surrogate: sent as it is
        return False
    if len(data) <= min_size:
        return False
    packed = zlib.compress(data, 6, 31)  # wbits 31: a gzip stream (mtime 0, so the same input gives the same bytes)
    if len(packed) >= len(data):
        return False
    resp["body"] = binascii.b2a_base64(packed, newline=False).decode("ascii")
    resp["isBase64Encoded"] = True
    _drop(resp, "content-length")  # the length of the body before gzip: API Gateway and ALB set the new one
    headers: dict[str, str] = resp["headers"]  # type: ignore[assignment]
    headers["Content-Encoding"] = "gzip"
    vary = header(resp, "vary")
    if vary is None:
        headers["Vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower() and vary.strip() != "*":
        for name in list(headers):
            if name.lower() == "vary":
                headers[name] = f"{headers[name]}, Accept-Encoding"
                break
        else:
            headers["Vary"] = f"{vary}, Accept-Encoding"
    return True


# --- the caller's form --------------------------------------------------------------------------


def finish(resp: Response, form: str, method: str) -> Response:
    """The response in the form its caller accepts (see http.V2, V1, ALB, ALB_MULTI); no body for HEAD."""
    if method == "HEAD" and resp["body"]:
        resp["body"] = ""
    multi: dict[str, list[str]] | None = resp.pop("multiValueHeaders", None)  # type: ignore[assignment]
    cookies: list[str] | None = resp.pop("cookies", None)  # type: ignore[assignment]
    headers: dict[str, str] = resp["headers"]  # type: ignore[assignment]
    if form == http.V2:
        if multi:
            for name, values in multi.items():
                if name.lower() == "set-cookie":
                    cookies = [*(cookies or ()), *values]
                elif values:
                    _join(headers, name, values)
        if cookies:
            resp["cookies"] = cookies
        return resp
    if cookies:
        multi = multi or {}
        multi.setdefault("Set-Cookie", []).extend(cookies)
    if form == http.V1:
        if multi:
            resp["multiValueHeaders"] = multi
        return resp
    if form == http.ALB_MULTI:
        merged: dict[str, list[str]] = {}
        for name, values in [*((name, [value]) for name, value in headers.items()), *(multi or {}).items()]:
            key = next((known for known in merged if known.lower() == name.lower()), name)
            merged.setdefault(key, []).extend(values)
        del resp["headers"]
        resp["multiValueHeaders"] = merged
        return resp
    for name, values in (multi or {}).items():  # ALB with one value per header: one Set-Cookie, the last
        if values and name.lower() == "set-cookie":
            _set(headers, name, values[-1])
        elif values:
            _join(headers, name, values)
    return resp


def _set(headers: dict[str, str], name: str, value: str) -> None:
    key = next((known for known in headers if known.lower() == name.lower()), name)
    headers[key] = value


def _join(headers: dict[str, str], name: str, values: list[str]) -> None:
    existing = find(headers, name.lower())
    _set(headers, name, ", ".join([existing, *values] if existing is not None else values))

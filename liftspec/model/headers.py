"""The security headers as they go on the wire: what the runtime sends and what the header rules judge."""

from __future__ import annotations

import json

from liftspec.model.spec import Headers


def _header_value(name: str, value: str) -> str:
    """HTTP header values are visible ASCII and spaces: anything else (a newline above all) is refused."""
    bad = sorted({ch for ch in value if not (" " <= ch <= "~")})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad)
        raise ValueError(f"security header {name}: {shown} cannot appear in an HTTP header value ({value!r})")
    return value


def _permission_origin(origin: str) -> str:
    if origin in ("self", "'self'"):
        return "self"
    if origin in ("*", "src", "'src'"):
        return origin.strip("'")
    return json.dumps(origin)  # a structured-field string: "https://example.com"


def render_headers(headers: Headers) -> dict[str, str]:
    """security.headers as HTTP header name -> value, in a fixed order."""
    out: dict[str, str] = {}
    hsts = headers.strict_transport_security
    if hsts is not False:
        value = f"max-age={hsts.max_age}"
        if hsts.include_subdomains:
            value += "; includeSubDomains"
        if hsts.preload:
            value += "; preload"
        out["Strict-Transport-Security"] = value
    csp = headers.content_security_policy
    if csp is not False:
        parts = [" ".join([name, *sources]) for name, sources in csp.directives().items()]
        if parts:
            out["Content-Security-Policy"] = "; ".join(parts)
    if headers.x_frame_options is not False:
        out["X-Frame-Options"] = headers.x_frame_options
    if headers.x_content_type_options is not False:
        out["X-Content-Type-Options"] = headers.x_content_type_options
    if headers.referrer_policy is not False:
        out["Referrer-Policy"] = headers.referrer_policy
    if headers.permissions_policy:
        features = []
        for feature, origins in headers.permissions_policy.items():
            if origins == ["*"]:
                features.append(f"{feature}=*")
            else:
                features.append(f"{feature}=({' '.join(_permission_origin(o) for o in origins)})")
        out["Permissions-Policy"] = ", ".join(features)
    return {name: _header_value(name, value) for name, value in out.items()}


def read_directives(value: str, *, separators: str = ";") -> dict[str, list[str]]:
    """A directive header (CSP, HSTS) as a browser reads it: split on ';' (and ',', which starts another CSP
    policy: read as ';' so that nothing after it escapes a check), names lowercased, first occurrence wins."""
    for sep in separators[1:]:
        value = value.replace(sep, separators[0])
    out: dict[str, list[str]] = {}
    for part in value.split(separators[0]):
        tokens = part.split(None)
        if tokens and tokens[0].lower() not in out:
            out[tokens[0].lower()] = tokens[1:]
    return out

"""Who is asking: the verified claims API Gateway put in an HTTP event, the token's scopes, the client's key.

HTTP API (payload 2.0) events carry a JWT authorizer's claims in ``requestContext.authorizer.jwt.claims``
(and its scopes in ``jwt.scopes``); REST (1.0) events in ``requestContext.authorizer.claims``. ALB events
carry none: an ALB has no authorizer.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lift_runtime.http import Request


def _claims_of(authorizer: object) -> dict[str, object]:
    if not isinstance(authorizer, dict):
        return {}
    jwt = authorizer.get("jwt")
    claims = jwt.get("claims") if isinstance(jwt, dict) else authorizer.get("claims")  # v2 JWT | v1 REST
    return claims if isinstance(claims, dict) else {}


def authorizer_of(event: object) -> object:
    context = event.get("requestContext") if isinstance(event, dict) else None
    return context.get("authorizer") if isinstance(context, dict) else None


def claims(event: object) -> dict[str, object]:
    """The verified JWT claims API Gateway put in the event (HTTP API 2.0 or REST 1.0); ALB events have none."""
    return _claims_of(authorizer_of(event))


def _words(value: object) -> list[str]:
    """A scope claim: space-separated text (OAuth's `scope`), a list (`scp`), or a list as HTTP API renders it: '[a b]'."""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        return text.replace(",", " ").split()
    return []


def scopes(event: object) -> set[str]:
    """Every scope the token carries: the `scope` and `scp` claims, and the scopes list of an HTTP API JWT authorizer."""
    authorizer = authorizer_of(event)
    found = set()
    granted = claims(event)
    for name in ("scope", "scp"):
        found.update(_words(granted.get(name)))
    jwt = authorizer.get("jwt") if isinstance(authorizer, dict) else None
    if isinstance(jwt, dict):
        found.update(_words(jwt.get("scopes")))
    return found


def client_key(event: dict[str, object], request: Request, key: str) -> str:
    """Who is asking: the configured identity, else the source IP (a public route has no JWT, a header may be absent)."""
    if key == "jwt_sub":
        sub = claims(event).get("sub")
        if isinstance(sub, str) and sub:
            return f"sub:{sub}"
    elif key.startswith("header:"):
        values = request.header(key[len("header:") :])
        if values:
            return f"{key}:{', '.join(values)}"
    return f"ip:{source_ip(event, request)}"


def source_ip(event: dict[str, object], request: Request) -> str:
    """The client's address as API Gateway saw it (2.0: http.sourceIp; 1.0: identity.sourceIp). ALB: the address
    it appended last to X-Forwarded-For (earlier entries are whatever the client sent)."""
    context = event.get("requestContext")
    context = context if isinstance(context, dict) else {}
    for holder in (context.get("http"), context.get("identity")):
        if isinstance(holder, dict) and isinstance(holder.get("sourceIp"), str) and holder["sourceIp"]:
            return str(holder["sourceIp"])
    forwarded = ",".join(request.header("x-forwarded-for"))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-1] if hops else "unknown"

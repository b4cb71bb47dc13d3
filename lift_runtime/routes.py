"""A function's route table at run time: which of its routes a request reached, and who may call it.

The same table compiles into the HTTP API's routes (liftspec.render.sam.http_api), so the runtime's
answer follows the authorizer's. API Gateway names the route it matched (``routeKey`` in payload
2.0, ``resource`` in REST's 1.0); an ALB names none, so the path is matched the way HTTP APIs do:
a route without path variables before one with ``{name}`` variables before a greedy ``{name+}``,
longer literal prefixes first, a method before ANY, and ``$default`` last.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from lift_runtime.config_types import Route
    from lift_runtime.http import Request


def _segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


class _Pattern:
    __slots__ = ("greedy", "literals", "method", "parts", "route")

    def __init__(self, route: Route) -> None:
        method, _, path = route.route.partition(" ")
        self.route = route
        self.method = method
        self.parts = _segments(path)
        self.greedy = bool(self.parts) and self.parts[-1].startswith("{") and self.parts[-1].endswith("+}")
        self.literals = sum(1 for part in self.parts if not part.startswith("{"))

    def matches(self, method: str, parts: list[str]) -> bool:
        if self.method not in ("ANY", method):
            return False
        fixed = self.parts[:-1] if self.greedy else self.parts
        if (len(parts) <= len(fixed)) if self.greedy else (len(parts) != len(fixed)):
            return False  # a greedy variable takes one segment or more
        return all(want.startswith("{") or want == got for want, got in zip(fixed, parts, strict=False))

    def rank(self) -> tuple[bool, bool, int, bool]:
        exact = self.literals == len(self.parts)
        return (not self.greedy, exact, self.literals, self.method != "ANY")


class Table:
    """The routes of one function, looked up per request."""

    __slots__ = ("by_key", "default", "patterns")

    def __init__(self, routes: tuple[Route, ...]) -> None:
        self.by_key = {route.route: route for route in routes}
        self.default = self.by_key.get("$default")
        patterns = [_Pattern(route) for route in routes if route.route != "$default"]
        self.patterns = sorted(patterns, key=_Pattern.rank, reverse=True)

    def match(self, event: dict[str, object], request: Request) -> Route | None:
        """The route that served this request; None when none of the function's routes fits it."""
        key = event.get("routeKey")  # HTTP API 2.0: the route API Gateway matched
        if isinstance(key, str) and key in self.by_key:
            return self.by_key[key]
        resource = event.get("resource")  # REST 1.0: the resource API Gateway matched
        if isinstance(resource, str) and resource.startswith("/"):
            for method in (request.method, "ANY"):
                found = self.by_key.get(f"{method} {resource}")
                if found is not None:
                    return found
        parts = _segments(request.path)
        for pattern in self.patterns:
            if pattern.matches(request.method, parts):
                return pattern.route
        return self.default

"""The runtime's auth check follows the route table of the HTTP API (issue 13 item 2), in every event form.

examples/order-service's api function: GET|POST|PUT|DELETE /{proxy+} behind the JWT authorizer,
GET /products public, POST /orders with scopes [orders:write]. Events are the AWS samples.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_runtime_support import Context, event, example_config, header, wrapper

from lift_runtime import http, routes
from lift_runtime.config_types import Route


class Recorder:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.calls.append(event)
        return {"statusCode": 200, "body": "{}"}


def v2(method: str, path: str, route_key: str | None = None, authorizer: Any = None) -> dict[str, Any]:
    """The HTTP API sample at `method path`; API Gateway names the route it matched in routeKey (both places)."""
    ev = event("http-api-post")
    ev["rawPath"] = ev["requestContext"]["http"]["path"] = path
    ev["requestContext"]["http"]["method"] = method
    key = route_key or f"{method} {path}"
    ev["routeKey"] = ev["requestContext"]["routeKey"] = key
    if authorizer is None:
        del ev["requestContext"]["authorizer"]
    else:
        ev["requestContext"]["authorizer"] = authorizer
    return ev


def jwt(claims: dict[str, Any], scopes: list[str] | None = None) -> dict[str, Any]:
    return {"jwt": {"claims": {"sub": "user-1", **claims}, "scopes": scopes}}


def v1(method: str, resource: str, path: str, claims: dict[str, Any] | None) -> dict[str, Any]:
    ev = event("rest-api-proxy", httpMethod=method, resource=resource, path=path)
    ev["requestContext"]["resourcePath"] = resource
    if claims is not None:
        ev["requestContext"]["authorizer"] = {"claims": claims}
    return ev


def alb(method: str, path: str) -> dict[str, Any]:
    """An ALB event: the REST sample's shape with an elb context and no authorizer (ALBs have none)."""
    ev = event("rest-api-proxy", httpMethod=method, path=path)
    ev["requestContext"] = {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1"}}
    ev.pop("resource", None)
    ev.pop("multiValueHeaders", None)
    ev["headers"] = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}
    return ev


def call(ev: dict[str, Any]) -> tuple[dict[str, Any], Recorder]:
    user = Recorder()
    response: dict[str, Any] = wrapper(user)(ev, Context())  # type: ignore[assignment]
    return response, user


# --- public routes ---------------------------------------------------------------------------------


def test_a_public_route_is_answered_without_claims_in_every_form() -> None:
    for ev in (v2("GET", "/products"), v1("GET", "/products", "/products", None), alb("GET", "/products")):
        response, user = call(ev)
        assert response["statusCode"] == 200, (ev.get("version"), response)
        assert len(user.calls) == 1


def test_other_routes_still_need_claims() -> None:
    for ev in (v2("GET", "/orders", "GET /{proxy+}"), v1("GET", "/{proxy+}", "/orders", None), alb("GET", "/orders")):
        response, user = call(ev)
        assert response["statusCode"] == 401 and user.calls == []
        assert header(response, "WWW-Authenticate") == "Bearer"


def test_a_method_the_public_route_does_not_name_is_not_public() -> None:
    response, _ = call(v2("DELETE", "/products", "DELETE /{proxy+}"))
    assert response["statusCode"] == 401
    response, _ = call(alb("POST", "/products"))  # matched by path: POST /{proxy+}, not GET /products
    assert response["statusCode"] == 401


def test_health_stays_public() -> None:
    health = event("http-api-get-health")
    health["requestContext"].pop("authorizer", None)
    response, user = call(health)
    assert response["statusCode"] == 200 and user.calls == []  # answered by the runtime itself


# --- scopes ----------------------------------------------------------------------------------------


def test_a_scoped_route_answers_403_when_the_token_lacks_every_scope() -> None:
    ev = v2("POST", "/orders", authorizer=jwt({"scope": "orders:read profile"}, ["orders:read", "profile"]))
    response, user = call(ev)
    assert response["statusCode"] == 403 and user.calls == []
    assert json.loads(response["body"])["error"] == "insufficient_scope"
    assert header(response, "WWW-Authenticate") == 'Bearer error="insufficient_scope", scope="orders:write"'
    assert header(response, "Strict-Transport-Security") is not None  # the runtime's answers carry the headers


@pytest.mark.parametrize(
    ("claims", "scopes"),
    [
        ({"scope": "orders:read orders:write"}, None),  # OAuth's space-separated scope claim
        ({"scp": ["orders:write"]}, None),  # a list (Azure AD, Okta)
        ({"scp": "[orders:write admin]"}, None),  # an array claim as HTTP API renders it
        ({}, ["orders:write"]),  # the authorizer's own scopes list
    ],
)
def test_a_scoped_route_is_served_when_the_token_carries_one_of_its_scopes(claims: dict[str, Any], scopes: Any) -> None:
    response, user = call(v2("POST", "/orders", authorizer=jwt(claims, scopes)))
    assert response["statusCode"] == 200 and len(user.calls) == 1


def test_the_sample_events_claims_do_not_carry_the_scope() -> None:
    ev = event("http-api-post")  # claims claim1/claim2, scopes scope1/scope2
    ev["rawPath"] = ev["requestContext"]["http"]["path"] = "/orders"
    response, _ = call(ev)  # routeKey $default is not a route of api: matched by path, POST /orders
    assert response["statusCode"] == 403
    ev["rawPath"] = ev["requestContext"]["http"]["path"] = "/carts"
    assert call(ev)[0]["statusCode"] == 200  # POST /{proxy+}: any valid token


def test_rest_api_claims_are_read_from_the_authorizer_claims() -> None:
    response, _ = call(v1("POST", "/orders", "/orders", {"sub": "u", "scope": "orders:read"}))
    assert response["statusCode"] == 403
    response, user = call(v1("POST", "/orders", "/orders", {"sub": "u", "scope": "orders:write"}))
    assert response["statusCode"] == 200 and len(user.calls) == 1
    response, _ = call(v1("POST", "/{proxy+}", "/orders", {"sub": "u"}))  # REST matched the greedy resource
    assert response["statusCode"] == 200


def test_an_alb_never_reaches_a_scoped_route() -> None:
    response, user = call(alb("POST", "/orders"))
    assert response["statusCode"] == 401 and user.calls == []


def test_without_auth_every_route_is_served() -> None:
    config = example_config()
    user = Recorder()
    ev = v2("POST", "/orders")
    assert wrapper(user, auth=config.auth.replace(enabled=False))(ev, Context())["statusCode"] == 200


# --- the table -------------------------------------------------------------------------------------


def table(*keys: str) -> routes.Table:
    return routes.Table(tuple(Route(route=key, public=False, scopes=()) for key in keys))


def matched(t: routes.Table, method: str, path: str) -> str | None:
    request = http.Request({"httpMethod": method, "path": path, "requestContext": {"elb": {}}}, http.ALB)
    found = t.match({}, request)
    return found.route if found is not None else None


def test_paths_match_the_most_specific_route_as_http_apis_do() -> None:
    t = table("ANY /{proxy+}", "GET /orders/{id}", "GET /orders/new", "ANY /orders/{rest+}", "$default", "POST /orders")
    assert matched(t, "GET", "/orders/new") == "GET /orders/new"
    assert matched(t, "GET", "/orders/7") == "GET /orders/{id}"
    assert matched(t, "GET", "/orders/7/lines") == "ANY /orders/{rest+}"
    assert matched(t, "POST", "/orders") == "POST /orders"
    assert matched(t, "GET", "/orders") == "ANY /{proxy+}"
    assert matched(t, "GET", "/") == "$default"  # a greedy variable takes one segment or more
    assert matched(table("GET /a"), "GET", "/b") is None


def test_route_key_and_resource_win_over_the_path() -> None:
    t = table("GET /{proxy+}", "GET /products")
    request = http.Request({"httpMethod": "GET", "path": "/products"}, http.V1)
    assert t.match({"routeKey": "GET /{proxy+}"}, request).route == "GET /{proxy+}"  # type: ignore[union-attr]
    assert t.match({"resource": "/{proxy+}"}, request).route == "GET /{proxy+}"  # type: ignore[union-attr]
    assert t.match({"routeKey": "$default"}, request).route == "GET /products"  # type: ignore[union-attr]

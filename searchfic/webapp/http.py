"""HTTP habits shared by the pages and the API: ETags, CORS, JSON errors."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from flask import Flask, Response, current_app, jsonify, request

from searchfic import __version__
from searchfic.webapp import state

API_PREFIX = "/api/"
CORS_METHODS = "GET, HEAD, OPTIONS"
# Request headers a cross-origin caller may send; anything else is refused at preflight.
CORS_ALLOWED_HEADERS = ("accept", "accept-language", "content-type", "if-none-match")
CORS_MAX_AGE = "86400"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(status: int, code: str, message: str, param: str | None = None) -> Response:
    """Return the API's error shape: ``{"error": {"code", "message"}}``."""
    body: dict[str, object] = {"code": code, "message": message}
    if param:
        body["param"] = param
    resp = jsonify({"error": body})
    resp.status_code = status
    return resp


def request_etag(variant: str = "") -> str:
    """Return an ETag naming the index generation, the app version and the request."""
    key = "\0".join(
        (__version__, state.generation(), variant, request.path, request.query_string.hex())
    )
    return hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()


def not_modified(etag: str) -> Response | None:
    """Return a 304 when the client already holds this ETag, else None."""
    if etag in request.if_none_match:
        resp = Response(status=304)
        resp.set_etag(etag)
        resp.headers["Cache-Control"] = "no-cache"
        return resp
    return None


def with_etag(resp: Response, etag: str) -> Response:
    """Mark a fresh answer so clients revalidate it (cheaply) on every use."""
    resp.set_etag(etag)
    resp.headers["Cache-Control"] = "no-cache"
    return resp


def cors_origins(value: object) -> tuple[str, ...]:
    """Normalise the CORS_ORIGINS setting: ``*``, a comma-separated string or a list."""
    if value is None:
        return ("*",)
    items: Iterable[str] = value.split(",") if isinstance(value, str) else value  # type: ignore[assignment]
    origins = tuple(o.strip().rstrip("/") for o in items if o and o.strip())
    return origins or ()


def add_cors_headers(resp: Response) -> Response:
    """Allow cross-origin GETs of the API from the configured origins (after_request)."""
    if not is_api_request():
        return resp
    allowed: tuple[str, ...] = current_app.config["CORS_ORIGINS"]
    origin = request.headers.get("Origin")
    if "*" in allowed:
        resp.headers["Access-Control-Allow-Origin"] = "*"
    else:
        resp.vary.add("Origin")
        if origin and origin.rstrip("/") in allowed:
            resp.headers["Access-Control-Allow-Origin"] = origin
        else:
            return resp
    resp.headers["Access-Control-Expose-Headers"] = "ETag"
    if request.method == "OPTIONS":
        resp.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        asked = request.headers.get("Access-Control-Request-Headers", "")
        granted = [h.strip() for h in asked.split(",") if h.strip().lower() in CORS_ALLOWED_HEADERS]
        if granted:
            resp.headers["Access-Control-Allow-Headers"] = ", ".join(granted)
        resp.headers["Access-Control-Max-Age"] = CORS_MAX_AGE
    return resp


def install(app: Flask) -> None:
    app.after_request(add_cors_headers)

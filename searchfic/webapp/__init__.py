"""The web front end and JSON API: ``create_app(config)`` builds a Flask app.

The app holds the Index of the current generation (opened on first use, refreshed per
request) and never does work at import time.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from searchfic import __version__, settings
from searchfic.errors import (
    IndexMissingError,
    NotFoundError,
    QueryError,
    SchemaVersionError,
    SearchficError,
)
from searchfic.request import iter_filter_items
from searchfic.webapp import http, state
from searchfic.webapp.assets import assets_dir
from searchfic.webapp.cache import ResponseCache

log = logging.getLogger("searchfic.web")

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 400: "bad_parameter"}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app.

    Keys: INDEX_DIR, CORPUS, CORS_ORIGINS (``*``, a comma-separated string or a list of
    origins), RESPONSE_CACHE_SIZE (search answers kept per app; 0 turns the cache off).
    """
    assets = assets_dir()
    app = Flask(
        __name__,
        template_folder=str(assets / "templates"),
        static_folder=str(assets / "static"),
        static_url_path="/static",
    )
    app.config.update(
        INDEX_DIR=str(settings.index_dir()),
        CORPUS=str(settings.corpus_dir()),
        CORS_ORIGINS=settings.resolve("cors_origins"),
        JSON_SORT_KEYS=False,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        RESPONSE_CACHE_SIZE=256,
    )
    if config:
        app.config.update(config)
    app.config["CORS_ORIGINS"] = http.cors_origins(app.config["CORS_ORIGINS"])
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["version"] = __version__
    app.jinja_env.globals["active_filters"] = iter_filter_items
    app.extensions[state.EXTENSION] = state.IndexHolder(Path(app.config["INDEX_DIR"]))
    app.extensions[state.CACHE] = ResponseCache(app.config["RESPONSE_CACHE_SIZE"])

    from searchfic.webapp import api, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    http.install(app)
    app.teardown_request(state.release_request_index)
    _install_error_handlers(app)
    return app


def _error_response(status: int, code: str, message: str, param: str | None = None) -> Response:
    if http.is_api_request():
        return http.json_error(status, code, message, param)
    html = render_template("error.html", status=status, code=code, message=message, param=param)
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def _install_error_handlers(app: Flask) -> None:
    @app.errorhandler(QueryError)
    def bad_request(exc: QueryError) -> Response:
        return _error_response(400, exc.code, exc.message, exc.param)

    @app.errorhandler(NotFoundError)
    def not_found(exc: NotFoundError) -> Response:
        return _error_response(404, "not_found", str(exc) or "no such story")

    @app.errorhandler(IndexMissingError)
    @app.errorhandler(SchemaVersionError)
    def unavailable(exc: SearchficError) -> Response:
        log.warning("index unavailable: %s", exc)
        return _error_response(503, "index_unavailable", str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        code = _HTTP_CODES.get(status, f"http_{status}")
        if status == 404:
            message = f"there is nothing at {request.path[:200]}"
        else:
            message = exc.description or exc.name
        resp = _error_response(status, code, message)
        if status == 405:
            resp.headers["Allow"] = "GET, HEAD, OPTIONS"
        return resp

    @app.errorhandler(Exception)
    def internal_error(exc: Exception) -> Response:
        # The last line of defence: bad input must not reach here (tests fuzz for it), but
        # a user still gets one clear line, never a traceback.
        log.exception("unexpected error on %s", request.full_path)
        return _error_response(
            500, "internal_error", f"searchfic hit an unexpected {type(exc).__name__}"
        )

"""The JSON API, version 1: /api/v1/search, /api/v1/stories/<id>, /api/v1/openapi.json."""

from __future__ import annotations

import re

from flask import Blueprint, Response, jsonify, request

from searchfic.errors import NotFoundError
from searchfic.webapp import http, params, state
from searchfic.webapp.openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: story ids are short hex digests; anything else cannot name a story
STORY_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@bp.get("/search")
def search() -> Response:
    """Run a search and return the SearchResponse as JSON."""
    req = params.search_request(request.args)
    etag = http.request_etag("api")
    cached = http.not_modified(etag)
    if cached is not None:
        return cached
    resp = state.run_search(req)
    return http.with_etag(jsonify(resp.to_dict()), etag)


@bp.get("/stories/<path:story_id>")
def story(story_id: str) -> Response:
    """Return one story record; ``?body=1`` adds the story text."""
    from searchfic.engine import search as engine_search

    want_body = params.flag(request.args, "body")
    if not STORY_ID.fullmatch(story_id):
        raise NotFoundError(f"no story has the id {story_id[:80]!r}")
    etag = http.request_etag("api")
    cached = http.not_modified(etag)
    if cached is not None:
        return cached
    found = engine_search.get_story(state.request_index(), story_id)
    return http.with_etag(jsonify(found.to_record(body=want_body)), etag)


@bp.get("/openapi.json")
def openapi() -> Response:
    """Return the OpenAPI 3.1 document of this API."""
    doc = openapi_document(server_url=request.host_url.rstrip("/"))
    return jsonify(doc)

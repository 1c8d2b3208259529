"""The HTML pages: home, search results with facets, the story reader, OpenSearch."""

from __future__ import annotations

import dataclasses

from flask import Blueprint, Response, make_response, render_template, request, url_for

from searchfic.errors import NotFoundError
from searchfic.request import DEFAULT_PER_PAGE, SearchRequest
from searchfic.webapp import http, params, reader, state, views
from searchfic.webapp.api import STORY_ID

bp = Blueprint("pages", __name__)

PER_PAGE_CHOICES = (10, 20, 50, 100)


def _html(body: str, etag: str | None = None, status: int = 200) -> Response:
    resp = make_response(body, status)
    resp.headers["Content-Type"] = "text/html; charset=utf-8"
    if etag:
        http.with_etag(resp, etag)
    return resp


@bp.get("/")
def home() -> Response:
    """Show the search form with a short guide to the query syntax."""
    return _html(render_template("home.html", req=SearchRequest()))


@bp.get("/search")
def search() -> Response:
    """Show one page of results with the facet sidebar (the JSON API's twin)."""
    req = params.search_request(request.args, form=True)
    etag = http.request_etag("html")
    cached = http.not_modified(etag)
    if cached is not None:
        return cached
    resp = state.run_search(req)
    url_of = views.make_url_for(url_for("pages.search"))
    words_min, words_max = views.word_bounds(req)
    body = render_template(
        "search.html",
        req=req,
        resp=resp,
        facets=views.facet_groups(resp, url_of),
        chips=views.chips(req, url_of),
        pager=views.pagination(resp, url_of),
        clear_url=url_of(SearchRequest(q=req.q, sort=req.sort, per_page=req.per_page)),
        suggestion_url=(
            url_of(dataclasses.replace(req, q=resp.suggestion, page=1)) if resp.suggestion else None
        ),
        sort_labels=views.SORT_LABELS,
        per_page_choices=sorted({*PER_PAGE_CHOICES, req.per_page}),
        default_per_page=DEFAULT_PER_PAGE,
        words_min=words_min,
        words_max=words_max,
        api_url=views.make_url_for(url_for("api.search"))(req),
    )
    return _html(body, etag)


@bp.get("/stories/<path:story_id>")
def story(story_id: str) -> Response:
    """Show one story, every match of ``q`` highlighted, with links from match to match."""
    from searchfic.engine import search as engine_search

    q = params.clean(request.args.get("q", ""))
    req = params.search_request([("q", q)])
    if not STORY_ID.fullmatch(story_id):
        raise NotFoundError(f"no story has the id {story_id[:80]!r}")
    etag = http.request_etag("html")
    cached = http.not_modified(etag)
    if cached is not None:
        return cached
    index = state.request_index()
    found = engine_search.get_story(index, story_id)
    if req.q.strip():
        paragraphs = list(engine_search.highlight_story(index, found, req.q))
    else:
        paragraphs = reader.plain_paragraphs(found.body)
    text = reader.with_match_links(paragraphs)
    body = render_template(
        "story.html",
        req=req,
        story=found,
        text=text,
        original_url=reader.safe_link(found.url),
        back_url=views.make_url_for(url_for("pages.search"))(req),
        api_url=url_for("api.story", story_id=found.id),
    )
    return _html(body, etag)


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    """Describe the search to browsers (OpenSearch 1.1), so it can be added as an engine."""
    xml = render_template("opensearch.xml", base=request.host_url.rstrip("/"))
    resp = make_response(xml)
    resp.headers["Content-Type"] = "application/opensearchdescription+xml; charset=utf-8"
    return resp

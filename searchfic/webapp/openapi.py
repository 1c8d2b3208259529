"""The OpenAPI 3.1 document of the JSON API, built from the same constants it validates with."""

from __future__ import annotations

from typing import Any

from searchfic import __version__
from searchfic.model import RATINGS
from searchfic.request import (
    DEFAULT_PER_PAGE,
    FACETS,
    MAX_FILTER_VALUES,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    SORTS,
)

ERROR_CODES = (
    "bad_parameter",
    "bad_query",
    "not_found",
    "method_not_allowed",
    "index_unavailable",
    "internal_error",
)

_STR = {"type": "string"}
_STR_LIST = {"type": "array", "items": {"type": "string"}}
_NULL_STR = {"type": ["string", "null"]}
_DATE = {"type": ["string", "null"], "format": "date"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _filter_param(name: str, exclude: bool) -> dict[str, Any]:
    if exclude:
        text = (
            f"Leave out stories with this {name} (repeatable; a story with any of the "
            "values is left out)."
        )
    else:
        text = (
            f"Keep only stories with this {name} (repeatable; all values must hold). "
            "Matched case- and accent-insensitively against whole values."
        )
    if name == "pairing":
        text += (
            " Member order is ignored and a member matches a full name or one part of "
            "it: `Benson/Cabot` matches `Alex Cabot/Olivia Benson`; `/` (romantic) and "
            "` & ` (platonic) are told apart."
        )
    if name == "rating":
        text += " Original notations (`G`, `PG-13`, `NC-17`, ...) are accepted too."
    return {
        "name": f"exclude_{name}" if exclude else name,
        "in": "query",
        "required": False,
        "description": text,
        "style": "form",
        "explode": True,
        "schema": {
            "type": "array",
            "maxItems": MAX_FILTER_VALUES,
            "items": {"type": "string"},
        },
    }


def _parameters() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {
            "name": "q",
            "in": "query",
            "required": False,
            "description": (
                'Query text. Words are ANDed; `"..."` is an exact phrase (typography and '
                "case ignored); `OR`, `NOT` / `-word`, parentheses and `field:value` (title, "
                "author, summary, fandom, pairing, character, tag) work as on AO3; "
                "`words:>5000` style ranges too. Empty or absent: every story that passes "
                "the filters."
            ),
            "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS},
        }
    ]
    out += [_filter_param(name, exclude=False) for name in FACETS]
    out += [_filter_param(name, exclude=True) for name in FACETS]
    out += [
        {
            "name": "complete",
            "in": "query",
            "required": False,
            "description": "`true`: complete works only; `false`: works in progress only.",
            "schema": {"type": "string", "enum": ["true", "false"]},
        },
        {
            "name": "words",
            "in": "query",
            "required": False,
            "description": (
                "Word-count range: `N` exactly, `<N` or `>N` (strict), `N-M` (inclusive); "
                "`1,000` = `1000`."
            ),
            "schema": {
                "type": "string",
                "pattern": r"^\s*(\d[\d,]*|[<>]\s*\d[\d,]*|\d[\d,]*\s*-\s*\d[\d,]*)\s*$",
            },
            "examples": {"range": {"value": "1000-5000"}, "above": {"value": ">20,000"}},
        },
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": (
                "`title` ascending; `words`, `published`, `updated` descending; ties by id. "
                "`relevance` sorts by `updated` when `q` is empty."
            ),
            "schema": {"type": "string", "enum": list(SORTS), "default": "relevance"},
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "Page number, from 1. A page past the end gives no results.",
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        {
            "name": "per_page",
            "in": "query",
            "required": False,
            "description": "Results per page.",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PER_PAGE,
                "default": DEFAULT_PER_PAGE,
            },
        },
    ]
    return out


def _schemas() -> dict[str, Any]:
    facet_list = {"type": "array", "items": _ref("FacetValue"), "maxItems": 50}
    story_props: dict[str, Any] = {
        "id": {**_STR, "description": "Stable id: same file content and path, same id."},
        "source": {**_STR, "description": "The file it came from, relative to the corpus."},
        "format": {**_STR, "description": "Detected input format, e.g. `ao3-html`, `fff-txt`."},
        "title": _STR,
        "authors": _STR_LIST,
        "fandoms": _STR_LIST,
        "pairings": {**_STR_LIST, "description": "Members joined by `/` or ` & `."},
        "characters": _STR_LIST,
        "rating": {"type": "string", "enum": list(RATINGS)},
        "rating_original": {**_STR, "description": "The rating token as the file wrote it."},
        "warnings": _STR_LIST,
        "categories": _STR_LIST,
        "tags": _STR_LIST,
        "language": {**_NULL_STR, "description": "ISO 639-1 code."},
        "summary": _STR,
        "notes": _STR,
        "published": _DATE,
        "updated": _DATE,
        "complete": {"type": ["boolean", "null"]},
        "chapters": {"type": ["integer", "null"]},
        "words": {"type": "integer", "minimum": 0},
        "url": {**_NULL_STR, "description": "Where the story was first posted."},
        "body": {**_STR, "description": "Only with `?body=1`: the story text alone."},
    }
    hit_props: dict[str, Any] = {
        "id": _STR,
        "source": _STR,
        "title": _STR,
        "authors": _STR_LIST,
        "fandoms": _STR_LIST,
        "pairings": _STR_LIST,
        "rating": _STR,
        "summary": _STR,
        "words": {"type": "integer", "minimum": 0},
        "score": {"type": ["number", "null"], "description": "null when `q` is empty."},
        "snippets": {
            "type": "array",
            "items": {"type": "string"},
            "description": "HTML: story text escaped, matches wrapped in `<mark>`.",
        },
        "url": {**_STR, "description": "searchfic's own page of the story: `/stories/<id>`."},
        "characters": _STR_LIST,
        "tags": _STR_LIST,
        "language": _NULL_STR,
        "complete": {"type": ["boolean", "null"]},
        "published": _DATE,
        "updated": _DATE,
        "approximate": {"type": "boolean", "description": "A near match, not an exact one."},
        "copies": {**_STR_LIST, "description": "Other files holding the same story."},
    }
    return {
        "Story": {
            "type": "object",
            "required": [k for k in story_props if k != "body"],
            "properties": story_props,
        },
        "SearchHit": {
            "type": "object",
            "required": [
                "id",
                "source",
                "title",
                "authors",
                "fandoms",
                "pairings",
                "rating",
                "summary",
                "words",
                "score",
                "snippets",
                "url",
            ],
            "properties": hit_props,
        },
        "FacetValue": {
            "type": "object",
            "required": ["value", "count"],
            "properties": {"value": _STR, "count": {"type": "integer", "minimum": 0}},
        },
        "SearchResponse": {
            "type": "object",
            "required": [
                "query",
                "total",
                "page",
                "per_page",
                "results",
                "facets",
                "approximate",
                "suggestion",
            ],
            "properties": {
                "query": _STR,
                "total": {"type": "integer", "minimum": 0},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                "approximate": {
                    "type": "boolean",
                    "description": "No exact match existed; near matches are shown.",
                },
                "suggestion": {**_NULL_STR, "description": '"Did you mean" query.'},
                "results": {"type": "array", "items": _ref("SearchHit")},
                "facets": {
                    "type": "object",
                    "description": "Top values by count over the whole filtered result set.",
                    "required": list(FACETS),
                    "properties": {name: facet_list for name in FACETS},
                },
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string", "enum": list(ERROR_CODES)},
                        "message": _STR,
                        "param": {**_STR, "description": "The parameter at fault, if one."},
                    },
                }
            },
        },
    }


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("Error")}},
    }


_NOT_MODIFIED = {"description": "Not modified: the ETag sent in If-None-Match still holds."}
_ETAG = {
    "ETag": {
        "description": "Changes when the index is rebuilt; send it back in If-None-Match.",
        "schema": {"type": "string"},
    }
}


def openapi_document(server_url: str = "") -> dict[str, Any]:
    """Return the OpenAPI document (a plain dict, ready for JSON)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "searchfic API",
            "version": __version__,
            "description": (
                "Full-text search over a fan fiction collection: quotes, pairings, fandoms, "
                "facets. Read-only; CORS-enabled GETs; responses carry ETags."
            ),
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": server_url or "/"}],
        "paths": {
            "/api/v1/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search stories, with facet counts over all matches",
                    "parameters": _parameters(),
                    "responses": {
                        "200": {
                            "description": "One page of results and the facets.",
                            "headers": _ETAG,
                            "content": {"application/json": {"schema": _ref("SearchResponse")}},
                        },
                        "304": _NOT_MODIFIED,
                        "400": _error("A bad parameter (`bad_parameter`) or query (`bad_query`)."),
                        "503": _error("No index has been built yet (`index_unavailable`)."),
                    },
                }
            },
            "/api/v1/stories/{id}": {
                "get": {
                    "operationId": "getStory",
                    "summary": "One story record",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "body",
                            "in": "query",
                            "required": False,
                            "description": "`1` adds the story text as `body`.",
                            "schema": {"type": "string", "enum": ["1", "0", "true", "false"]},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The story record.",
                            "headers": _ETAG,
                            "content": {"application/json": {"schema": _ref("Story")}},
                        },
                        "304": _NOT_MODIFIED,
                        "400": _error("A bad `body` value (`bad_parameter`)."),
                        "404": _error("No story has this id (`not_found`)."),
                        "503": _error("No index has been built yet (`index_unavailable`)."),
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
        },
        "components": {"schemas": _schemas()},
    }

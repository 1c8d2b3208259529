"""The one exception tree: every error searchfic raises on purpose is a SearchficError."""

from __future__ import annotations


class SearchficError(Exception):
    """Base of every error searchfic reports to a user."""


class ParseError(SearchficError):
    """A story file could not be read or parsed."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class QueryError(SearchficError):
    """A query or a search parameter is not acceptable.

    ``code`` is one of the API error codes: ``bad_parameter``, ``bad_query``.
    """

    def __init__(self, message: str, code: str = "bad_query", param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.param = param


class NotFoundError(SearchficError):
    """A story id that the index does not hold."""

    code = "not_found"


class IndexMissingError(SearchficError):
    """There is no index where one was expected."""


class SchemaVersionError(SearchficError):
    """The index was built with another schema version."""


class IndexLockedError(SearchficError):
    """Another writer holds the index."""


class CorpusError(SearchficError):
    """The corpus directory is missing or unreadable."""

"""Turn a raw query string into the pairs request_from_params validates.

Every value is hostile: control characters are blanked here so that nothing downstream
(the query parser, the index, a log line) ever sees them, and the two word-count boxes of
the HTML form are folded into the one ``words`` range the API takes.
"""

from __future__ import annotations

import re
from typing import Any

from searchfic.errors import QueryError
from searchfic.request import MAX_VALUE_CHARS, SearchRequest, request_from_params

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUMBER = re.compile(r"\d[\d,]{0,14}")
#: names the HTML form uses besides the API's own parameters
FORM_WORDS_MIN = "words_min"
FORM_WORDS_MAX = "words_max"


def clean(text: str) -> str:
    """Blank control characters (NUL and friends) that no legitimate value contains."""
    return _CONTROL.sub(" ", text)


def raw_pairs(args: Any) -> list[tuple[str, str]]:
    """Return the (name, value) pairs of a MultiDict or a list of pairs, cleaned, in order."""
    if hasattr(args, "lists"):
        return [(clean(k), clean(v)) for k, values in args.lists() for v in values]
    return [(clean(str(k)), clean(str(v))) for k, v in args]


def _form_bound(pairs: list[tuple[str, str]], name: str) -> int | None:
    values = [v.strip() for k, v in pairs if k == name and v.strip()]
    if not values:
        return None
    text = values[-1]
    if len(text) > MAX_VALUE_CHARS or not _NUMBER.fullmatch(text):
        raise QueryError(
            f"{name}: {text[:50]!r} is not a whole number of words",
            code="bad_parameter",
            param=name,
        )
    return int(text.replace(",", ""))


def fold_word_boxes(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Replace the form's ``words_min``/``words_max`` (inclusive) by one ``words`` range."""
    low = _form_bound(pairs, FORM_WORDS_MIN)
    high = _form_bound(pairs, FORM_WORDS_MAX)
    rest = [(k, v) for k, v in pairs if k not in (FORM_WORDS_MIN, FORM_WORDS_MAX)]
    if low is None and high is None:
        return rest
    if any(k == "words" and v.strip() for k, v in rest):
        return rest  # an explicit range wins over the boxes
    if low is not None and high is not None:
        if low > high:
            low, high = high, low
        words = f"{low}-{high}"
    elif low is not None:
        if low == 0:
            return rest  # "at least 0 words" is no filter at all
        words = f">{low - 1}"
    else:
        words = f"<{high + 1}"  # type: ignore[operator]
    return [(k, v) for k, v in rest if k != "words"] + [("words", words)]


def search_request(args: Any, form: bool = False) -> SearchRequest:
    """Validate the query string into a SearchRequest (QueryError when it is bad)."""
    pairs = raw_pairs(args)
    if form:
        pairs = fold_word_boxes(pairs)
    return request_from_params(pairs)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def flag(args: Any, name: str) -> bool:
    """Read a boolean parameter such as ``body=1``; raise QueryError for anything else."""
    values = args.getlist(name)
    if not values:
        return False
    text = clean(values[-1]).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise QueryError(
        f"{name}: {values[-1][:50]!r} is not true or false (use 1 or 0)",
        code="bad_parameter",
        param=name,
    )

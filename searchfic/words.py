"""The word tokens of a text: one definition, one scan of a story body shared by its users.

A story's words are found twice while it is indexed: for its fingerprint (the story id of a
story without URL, in :mod:`searchfic.ingest.normalize`) and for its analysis
(:func:`searchfic.engine.schema.to_document`). :func:`body_words` remembers the last body
it scanned, so the second asks costs no second scan.
"""

from __future__ import annotations

import re

#: A word: letters and digits (any script), combining marks kept inside. Punctuation,
#: asterisks, underscores and apostrophes separate words, so ``*really*`` is ``really``
#: and ``don’t`` is ``don t`` whatever the quote mark.
#: (Written as runs of letters between runs of marks: the same matches as
#: ``[^\W_](?:[^\W_]|[\u0300-\u036f])*``, a quarter faster than a choice per character.)
WORD_RE = re.compile(r"[^\W_]+(?:[\u0300-\u036f]+[^\W_]*)*")

#: Bodies up to this many characters are remembered by :func:`body_words` (a bigger one's
#: words would be held, tens of MB, until the next body).
REMEMBER_CHARS = 1 << 20

_last: tuple[str, list[str]] = ("", [])


def body_words(text: str) -> list[str]:
    """Return ``WORD_RE.findall(text)``; asked again for the same text, the same list.

    The list is shared: callers must not change it.
    """
    global _last
    last = _last  # read once: another thread may replace it between two reads
    if text is last[0]:
        return last[1]
    found = WORD_RE.findall(text)
    if len(text) <= REMEMBER_CHARS:
        _last = (text, found)
    return found

"""Detect a story's language from its text with py3langid (bundled model, no download)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Below this many words the guess is noise; the record then says null rather than guess.
MIN_WORDS = 12
MIN_CONFIDENCE = 0.5
_SAMPLE_CHARS = 20_000


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # Records carry ISO 639-1 codes: leave out the model's few three-letter languages.
    identifier.set_languages([code for code in identifier.nb_classes if len(code) == 2])
    return identifier


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the text's language, or None when too little to tell."""
    sample = _sample(text)
    if len(re.findall(r"[^\W\d_]{2,}", sample)) < MIN_WORDS:
        return None
    code, prob = _identifier().classify(sample)
    if prob < MIN_CONFIDENCE or len(code) != 2:
        return None
    return str(code)


def _sample(text: str) -> str:
    """Take the middle of long texts: openings are often headings and front matter."""
    if len(text) <= _SAMPLE_CHARS:
        return text
    start = (len(text) - _SAMPLE_CHARS) // 2
    return text[start : start + _SAMPLE_CHARS]

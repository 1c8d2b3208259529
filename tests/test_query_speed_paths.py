"""The fast paths give what the slow ones gave: did-you-mean words and snippet matches."""

from __future__ import annotations

import pytest
from engine_support import build_index, load_stories

from searchfic.engine import search
from searchfic.engine.store import open_index
from searchfic.request import SearchRequest


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = open_index(build_index(tmp_path_factory.mktemp("paths"), load_stories()))
    yield ix
    ix.close()


def _typos(word: str) -> list[str]:
    out = [word[:i] + word[i + 1 :] for i in range(1, len(word))]  # dropped letters
    out += [word[:i] + "x" + word[i + 1 :] for i in range(1, len(word))]  # changed
    out += [word[:i] + "e" + word[i:] for i in range(1, len(word) + 1)]  # added
    out += [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)]
    return out


def test_vocabulary_finds_the_same_close_words_as_whoosh(index):
    with index.searcher() as s:
        reader = s.reader()
        vocab = search._vocabulary(s)
        assert vocab is not None
        words = [b.decode("utf-8") for b in reader.lexicon("body")]
        checked = 0
        for word in [w for w in words if len(w) >= 4][::3]:
            for tok in _typos(word)[:6]:
                maxdist = 1 if len(tok) <= 4 else 2
                want = sorted(
                    b.decode("utf-8") if isinstance(b, bytes) else b
                    for b in reader.terms_within("body", tok, maxdist, prefix=1)
                )
                assert vocab.within(tok, maxdist) == want, tok
                checked += 1
        assert checked > 50


def test_misspelt_word_gets_the_suggestion(index):
    resp = search.run(index, SearchRequest(q="trsut"))
    assert resp.total == 0 or resp.approximate
    assert resp.suggestion == "trust"


TEXTS = [
    "Die Straße war leer. Er ging die STRASSE hinunter, große Schritte, grosse Sorgen.",
    "Un café, deux CAFÉS et un cafe noir; la naïve Zoë lit « L'Été ».",
    "Æther and aether, œuvre and oeuvre: the encyclopædia of Ångström.",
    "He said — ‘don’t’ — and she said “don't”; ǅemal wrote *really* twice.",
]
QUERIES = [
    "strasse",
    "große",
    "grosse schritte",
    '"die strasse"',
    "cafe",
    "café",
    "naive zoe",
    '"l ete"',
    "aether",
    "oeuvre",
    "encyclopaedia",
    "angstrom",
    "don",
    '"she said don t"',
    "really",
    "dzemal",
    "caf*",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("q", QUERIES)
def test_snippet_matching_equals_the_word_by_word_scan(text, q):
    spec = search.HighlightSpec.from_parsed(search.parse_query(q), ("english", "german"))
    for lang in ("en", "de", "fr"):
        fast = spec.find(text, lang)
        slow = spec._find_slow(text, search.analysis.snowball_language(lang), 60)
        assert fast == slow, (q, lang)

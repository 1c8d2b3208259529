"""The benchmark's pure parts: corpus cutting and dressing, query building, baseline reading."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
DATA = Path(__file__).resolve().parent / "data" / "bench" / "eltec"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import engines  # noqa: E402
import queries  # noqa: E402


@pytest.fixture(scope="module")
def novel() -> corpus.Novel:
    return corpus.read_novel(DATA / "eng" / "ENG18500_Test.txt", DATA)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    corpus.build(12, out, seed=5, eltec=DATA)
    return out


def test_novel_header_gives_short_title_author_and_language(novel: corpus.Novel) -> None:
    assert novel.title == "The Mill on the Lane"
    assert novel.author == "Anna Testwright"
    assert novel.lang == "en"
    assert novel.path == "eng/ENG18500_Test.txt"


def test_characters_found_by_capitalisation_with_full_names(novel: corpus.Novel) -> None:
    assert "Agnes Pell" in novel.characters
    assert "Tobias Crane" in novel.characters
    assert not {"The", "I", "Mr"} & set(novel.characters)


def test_german_nouns_after_articles_are_not_characters() -> None:
    text = ["Da sagte Anna leise, dass Bertram und der Garten und die Mühle alt sind."] * 8
    chars = corpus.find_characters(text)
    assert "Anna" in chars and "Bertram" in chars
    assert "Garten" not in chars and "Mühle" not in chars


def test_pairing_notations_share_one_canonical_key() -> None:
    rng = random.Random(1)
    written = {corpus.write_pairing("Will Ladislaw", "Dorothea Brooke", rng) for _ in range(200)}
    notations = {w for w, _ in written}
    assert {"Will Ladislaw/Dorothea Brooke", "Dorothea Brooke / Will Ladislaw"} <= notations
    assert "Will Ladislaw x Dorothea Brooke" in notations
    assert "Ladislaw/Brooke" in notations
    assert {c for w, c in written if "&" not in w} == {"Dorothea Brooke/Will Ladislaw"}
    assert {c for w, c in written if "&" in w} == {"Dorothea Brooke & Will Ladislaw"}


def test_piece_lengths_stay_in_the_spread_around_the_median() -> None:
    rng = random.Random(2)
    lengths = sorted(corpus.piece_length(rng) for _ in range(2000))
    assert lengths[0] >= corpus.MIN_WORDS and lengths[-1] <= corpus.MAX_WORDS
    assert 3500 < lengths[len(lengths) // 2] < 4500


def test_stories_are_cut_on_paragraph_boundaries_and_reuse_the_novel(
    novel: corpus.Novel,
) -> None:
    plans = corpus.plan_stories([novel], 8, seed=3)
    assert [p.index for p in plans] == list(range(8))
    for p in plans:
        assert 0 <= p.p0 < p.p1 <= len(novel.paragraphs)
        assert p.words == sum(len(x.split()) for x in novel.paragraphs[p.p0 : p.p1])
    # The test novel is shorter than eight stories: later cuts start it again.
    assert any(b.p0 < a.p0 for a, b in zip(plans, plans[1:], strict=False))


def test_plans_are_deterministic_and_a_smaller_corpus_is_a_prefix(novel: corpus.Novel) -> None:
    big = corpus.plan_stories([novel], 6, seed=9)
    assert corpus.plan_stories([novel], 6, seed=9) == big
    assert corpus.plan_stories([novel], 3, seed=9) == big[:3]
    assert corpus.plan_stories([novel], 6, seed=10) != big


def test_built_corpus_has_manifest_crlf_and_html_shapes(built: Path) -> None:
    plans = corpus.read_manifest(built / "12.jsonl")
    assert len(plans) == 12
    files = {p.source: (built / "12" / p.source).read_bytes() for p in plans}
    for plan in plans:
        data = files[plan.source]
        assert (b"\r\n" in data) == plan.crlf
        if plan.format == "ao3-html":
            assert b'<dl class="tags">' in data and plan.source.endswith(".html")
    assert not list(built.glob("12/*.jsonl")), "the manifest must stay outside the corpus"


def test_baseline_reader_recovers_header_and_body(built: Path, novel: corpus.Novel) -> None:
    for plan in corpus.read_manifest(built / "12.jsonl"):
        doc = engines.read_story(built / "12" / plan.source, built / "12")
        assert doc.title == plan.title
        assert doc.author == plan.author
        assert doc.fandom == plan.fandom
        assert tuple(engines.pairing_key(p) for p in doc.pairings) == tuple(
            engines.pairing_key(p) for p in plan.pairings_written
        )
        body_words = doc.body.split()
        assert len(body_words) == plan.words
        assert " ".join(body_words[:5]) == " ".join(novel.paragraphs[plan.p0].split()[:5])


def test_every_rendered_header_style_is_read_back(novel: corpus.Novel, tmp_path: Path) -> None:
    plan = corpus.plan_stories([novel], 1, seed=1)[0]
    for style in range(len(corpus.HEADER_STYLES)):
        p = corpus.StoryPlan(**{**plan.__dict__, "style": style, "format": "text"})
        path = tmp_path / f"s{style}.txt"
        path.write_text(corpus.render(p, novel), encoding="utf-8")
        doc = engines.read_story(path, tmp_path)
        assert (doc.title, doc.fandom) == (p.title, p.fandom), style
        assert doc.body.startswith(novel.paragraphs[p.p0][:40]), style


def test_retyping_swaps_every_typographic_mark() -> None:
    rng = random.Random(4)
    assert queries.retype('it\'s "so" well-known', rng) in {
        "it’s “so” well–known",
        "it’s “so” well—known",
    }
    assert queries.retype("l’oncle — «oui»", rng) == 'l\'oncle - "oui"'


def test_noise_changes_exactly_one_word_or_letter() -> None:
    words = ["the", "quiet", "parlour", "was", "empty", "when", "Agnes", "returned"]
    seen = set()
    for seed in range(60):
        rng = random.Random(seed)
        noisy = queries.add_noise(words, rng, ["orchard"])
        assert noisy != words
        diff = abs(len(noisy) - len(words))
        assert diff <= 1
        if diff == 0:
            assert sum(a != b for a, b in zip(noisy, words, strict=True)) == 1
        seen.add(diff)
    assert seen == {0, 1}


def test_queries_are_deterministic_with_gold_from_overlapping_cuts(built: Path) -> None:
    plans = corpus.read_manifest(built / "12.jsonl")
    qs = queries.build_queries(plans, 4, seed=1, eltec=DATA)
    assert qs == queries.build_queries(plans, 4, seed=1, eltec=DATA)
    assert [q.kind for q in qs[: len(queries.KINDS)]] == list(queries.KINDS)
    assert len(qs) == 4 * len(queries.KINDS)
    loader = queries.novel_paragraphs(DATA)
    for q in qs:
        if q.kind == "quote":
            assert q.gold
            for src in q.gold:
                plan = next(p for p in plans if p.source == src)
                body = " ".join(" ".join(loader(plan.novel)[plan.p0 : plan.p1]).split())
                assert " ".join(q.text.split()) in body
        if q.kind == "pairing":
            assert q.gold and all(q.pairing_key in p.pairings for p in plans if p.source in q.gold)


def test_pairing_key_ignores_order_spacing_and_x_notation() -> None:
    key = engines.pairing_key("Dorothea Brooke/Will Ladislaw")
    assert engines.pairing_key("Will Ladislaw / Dorothea Brooke") == key
    assert engines.pairing_key("will ladislaw x DOROTHEA BROOKE") == key
    assert engines.pairing_key("Will Ladislaw & Dorothea Brooke") != key
    assert engines.pairing_key("Alex Xander/Bo") == "alex xander/bo"


def test_percentile_is_nearest_rank() -> None:
    run = _load_run()
    values = list(range(1, 101))
    assert run.percentile(values, 50) == 50
    assert run.percentile(values, 95) == 95
    assert run.percentile([7.0], 95) == 7.0


def _load_run():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    assert spec and spec.loader
    run = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = run
    spec.loader.exec_module(run)
    return run


def test_report_says_not_available_instead_of_numbers_for_a_missing_engine() -> None:
    run = _load_run()
    lat = {k: {"p50": 2.0, "p95": 4.0, "cpu_p50": 1.0, "cpu_p95": 2.0} for k in queries.KINDS}
    build = {
        "seconds": 10.0,
        "mb_per_s": 3.0,
        "cpu_seconds": 5.0,
        "cpu_mb_per_s": 6.0,
        "peak_rss_mb": 100.0,
        "index_mb": 40.0,
        "docs": 12,
    }
    results = {
        "meta": {
            "stories": 12,
            "input_mb": 30.0,
            "corpus": "bench/corpus/12",
            "per_kind": 2,
            "runs": 1,
            "python": "3.11",
            "cpus": 2,
            "commit": "abc1234",
            "date": "today",
        },
        "engines": ["searchfic", "fts5"],
        "unavailable": {"searchfic": "ImportError: no module named searchfic.engine.search"},
        "build": {"fts5": build},
        "latency": {"fts5": lat},
        "quality": {"fts5": {"quote_top1": 1.0}},
        "errors": {"fts5": {}},
    }
    table = run.summarise(results)
    assert "| searchfic | not available: ImportError" in table
    assert "| fts5 | 10.0 | 3.00 |" in table
    assert "searchfic against each baseline" not in table
    assert "| fts5 | 100.0% |" in table

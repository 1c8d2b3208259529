"""Any bytes at all give a Story or a ParseError: never another exception, never a hang."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchfic.errors import ParseError
from searchfic.ingest import parse_raw
from searchfic.ingest.base import RawFile
from searchfic.model import RATINGS, Story

HERE = Path(__file__).parent
SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


def _real_files() -> list[Path]:
    files = sorted((HERE / "data" / "ingest").glob("*.txt"))
    if SAMPLES.is_dir():
        for sub in ("classic", "ao3", "fanficfare"):
            files += sorted((SAMPLES / sub).glob("*.*"))
        files += sorted((SAMPLES / "encodings").glob("en_*"))
    return files


REAL = _real_files()
# SEARCHFIC_FUZZ_EXAMPLES=2000 runs a long, randomised fuzzing session; the suite default is
# short and derandomised so that it is fast and repeatable.
_EXAMPLES = int(os.environ.get("SEARCHFIC_FUZZ_EXAMPLES", "0") or 0)
SETTINGS = settings(
    max_examples=_EXAMPLES or 60,
    deadline=None,
    derandomize=not _EXAMPLES,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(data: bytes) -> None:
    raw = RawFile(data=data, source="fuzz.bin", path="fuzz.bin")
    try:
        story = parse_raw(raw)
    except ParseError as exc:
        assert exc.path == "fuzz.bin"
        assert exc.reason and "\n" not in exc.reason.strip()
        return
    assert isinstance(story, Story)
    assert story.rating in RATINGS
    assert story.words == len(story.body.split())
    assert "\x00" not in story.body and "\r" not in story.body
    assert "\n\n\n" not in story.body
    assert story.body == story.body.strip()
    assert story.language is None or len(story.language) == 2
    for date in (story.published, story.updated):
        assert date is None or len(date) == 10
    assert story.to_record(body=True)["id"] == story.id


@SETTINGS
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    _check(data)


@SETTINGS
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    _check(text.encode("utf-8"))


@SETTINGS
@given(
    st.lists(
        st.sampled_from(
            [
                "Title: ",
                "Author: ",
                "Pairing: A/B, C & D (x)",
                "RATING: ",
                "*****",
                "\n",
                "\r\n",
                "THE END",
                "--",
                "Recent Posts",
                "\u00a9 2001 Somebody",
                "Summary - ",
                "x ",
                "word " * 30,
                "<p>",
                "<html>",
                "&amp;",
                "\ufeff",
                "\x85",
                "\u2028",
            ]
        ),
        max_size=60,
    )
)
def test_header_like_fragments(parts: list[str]) -> None:
    _check("".join(parts).encode("utf-8"))


_MUTATION = st.tuples(
    st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate", "zero"]),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=1, max_value=64),
    st.integers(min_value=0, max_value=255),
)


def _mutate(data: bytes, mutations: list[tuple[str, float, int, int]]) -> bytes:
    buf = bytearray(data)
    for kind, where, length, byte in mutations:
        if not buf:
            break
        pos = int(where * (len(buf) - 1))
        if kind == "flip":
            buf[pos] ^= 1 << (byte % 8)
        elif kind == "delete":
            del buf[pos : pos + length]
        elif kind == "insert":
            buf[pos:pos] = bytes([byte]) * length
        elif kind == "truncate":
            del buf[pos:]
        elif kind == "duplicate":
            buf[pos:pos] = buf[pos : pos + length]
        elif kind == "zero":
            buf[pos : pos + length] = b"\x00" * len(buf[pos : pos + length])
    return bytes(buf)


@pytest.mark.skipif(not REAL, reason="no real files to mutate")
@SETTINGS
@given(st.sampled_from(REAL or [Path(".")]), st.lists(_MUTATION, min_size=1, max_size=6))
def test_mutated_real_files(path: Path, mutations: list[tuple[str, float, int, int]]) -> None:
    _check(_mutate(path.read_bytes(), mutations))


_EPUBS = [p for p in REAL if p.suffix == ".epub"]


@pytest.mark.skipif(not _EPUBS, reason="no EPUB samples to mutate")
@SETTINGS
@given(st.sampled_from(_EPUBS or [Path(".")]), st.data())
def test_epubs_with_a_mutated_member(path: Path, data: st.DataObject) -> None:
    # Byte flips mostly break the zip itself; this damages what is inside a valid zip.
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    target = data.draw(st.integers(min_value=0, max_value=len(members) - 1))
    mutations = data.draw(st.lists(_MUTATION, min_size=1, max_size=4))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for k, (info, content) in enumerate(members):
            zf.writestr(info, _mutate(content, mutations) if k == target else content)
    _check(out.getvalue())


def test_real_files_parse_unmutated() -> None:
    for path in REAL:
        _check(path.read_bytes())

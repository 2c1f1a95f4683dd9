"""Property tests of the stream parser: arbitrary bytes split anywhere never raise out or
hang, and every valid frame embedded in preamble-free noise is found, in order."""

from __future__ import annotations

import itertools

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from devices.id_reader.frames import MAX_LENGTH, PREAMBLE, StreamParser, frame_body


def xor_all(data: bytes) -> int:
    """Written here independently of frames.checksum."""
    out = 0
    for b in data:
        out ^= b
    return out


def frame_of(body: bytes) -> bytes:
    counted = (len(body) + 1).to_bytes(2, "big") + body
    return PREAMBLE + counted + bytes([xor_all(counted)])


bodies = st.binary(min_size=2, max_size=300)
noise = st.binary(max_size=60).filter(lambda b: PREAMBLE not in b)


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(noise, bodies), max_size=6), noise,
       st.lists(st.integers(min_value=0), max_size=20))
def test_finds_every_frame_in_noise(parts: list[tuple[bytes, bytes]], tail: bytes,
                                    cuts: list[int]) -> None:
    frames = [frame_of(body) for _, body in parts]
    stream = b"".join(n + f for (n, _), f in zip(parts, frames, strict=True)) + tail
    parser = StreamParser()
    found: list[bytes] = []
    for chunk in split(stream, cuts):
        found += parser.feed(chunk)
    assert found == frames


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.lists(st.integers(min_value=0), max_size=30))
def test_arbitrary_bytes_never_raise_and_yield_only_valid_frames(
        data: bytes, cuts: list[int]) -> None:
    parser = StreamParser()
    for chunk in split(data, cuts):
        for frame in parser.feed(chunk):
            frame_body(frame)  # raises if the parser let an invalid frame through
        assert parser.pending <= 7 + MAX_LENGTH
        assert parser.wanted() >= 1


@settings(max_examples=200, deadline=None)
@given(noise, st.integers(min_value=0, max_value=0xFFFF), noise, bodies)
def test_a_false_preamble_does_not_hide_the_frame_after_it(
        before: bytes, length: int, after: bytes, body: bytes) -> None:
    """Garbage holding a false preamble whose length runs into the real frame: once the line
    goes on, the false candidate fails its checksum and the real frame is still found."""
    frame = frame_of(body)
    junk = before + PREAMBLE + length.to_bytes(2, "big") + after
    stream = junk + frame + bytes(2400)
    start = len(before)
    candidate = stream[start:start + 7 + length]
    # Skip the 1-in-256 case where the false candidate is itself a valid frame.
    assume(not (3 <= length <= MAX_LENGTH and xor_all(candidate[5:-1]) == candidate[-1]))
    found = StreamParser().feed(stream)
    assert frame in found

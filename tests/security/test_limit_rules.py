"""The pure rules behind the limits, as properties: bounded JSON, quotas, admission, paging."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.org.admission import Admission, address_key
from accord.org.paging import read_page
from accord.org.quotas import Quota, QuotaExceeded, Quotas
from accord.protocol.jsonlimits import MAX_DEPTH, JsonRefused, deeper_than, loads, salvage

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5).filter(str.isprintable),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=20,
)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _wrapped(value: Any, levels: int) -> Any:
    for _ in range(levels):
        value = [value]
    return value


@given(values, st.integers(0, 80))
def test_loads_takes_json_up_to_the_depth_and_refuses_deeper(value: Any, extra: int) -> None:
    wrapped = _wrapped(value, extra)
    text = json.dumps(wrapped)
    assert deeper_than(wrapped, MAX_DEPTH) == (_depth(wrapped) > MAX_DEPTH)
    if _depth(wrapped) <= MAX_DEPTH:
        assert loads(text) == wrapped
    else:
        with pytest.raises(JsonRefused) as refused:
            loads(text)
        assert refused.value.reason == "depth"


@pytest.mark.parametrize(
    "text",
    ['"\\ud800"', '"\\udc00x"', '{"\\udfff": 1}', '["a", "\\ud83d"]', '"\\ud800\\u0041"'],
)
def test_lone_surrogates_are_refused_and_salvaged(text: str) -> None:
    with pytest.raises(JsonRefused) as refused:
        loads(text)
    assert refused.value.reason == "unicode"
    assert "\ufffd" in json.dumps(salvage(text), ensure_ascii=False)


def test_pairs_of_surrogates_are_unicode() -> None:
    assert loads('"\\ud83d\\ude00"') == "\U0001f600"


@given(values, st.integers(0, 400))
def test_whatever_was_stored_salvages_into_what_loads_takes(value: Any, extra: int) -> None:
    salvaged = salvage(json.dumps(_wrapped(value, extra)))
    assert loads(json.dumps(salvaged)) == salvaged


def test_text_that_is_not_json_is_a_plain_value_error() -> None:
    for text in ("{", "[1,", "nope", ""):
        with pytest.raises(ValueError) as failed:
            loads(text)
        assert not isinstance(failed.value, JsonRefused)


@given(st.lists(st.tuples(st.floats(0, 2), st.integers(1, 50), st.integers(0, 5000)), max_size=60))
def test_a_quota_never_lets_more_through_than_its_burst_and_rate(
    calls: list[tuple[float, int, int]],
) -> None:
    now = [0.0]
    quota = Quota(10, 1000, burst_seconds=2, min_events=20, min_bytes=4000)
    quotas = Quotas({"room.publish": quota}, lambda: now[0])
    events = size = 0
    for pause, count, length in calls:
        now[0] += pause
        try:
            quotas.charge("u", "room.publish", count, length)
        except QuotaExceeded as over:
            assert over.retry_after > 0
            continue
        events += min(count, 20)
        size += min(length, 4000)
        assert events <= 20 + 10 * now[0] + 1e-6
        assert size <= 4000 + 1000 * now[0] + 1e-6
    quotas.charge("other", "room.publish", 20, 4000)  # another user's buckets are their own


@given(st.lists(st.tuples(st.booleans(), st.sampled_from(["10.0.0.1", "10.0.0.2", "::1", "::2"]))))
def test_admission_never_passes_its_caps(steps: list[tuple[bool, str]]) -> None:
    admission = Admission(per_address=3, total=5)
    inside: list[str] = []
    for entering, host in steps:
        if entering:
            if admission.enter(host) is None:
                inside.append(host)
        elif host in inside:
            inside.remove(host)
            admission.leave(host)
        assert admission.waiting == len(inside) <= 5
        keys = [address_key(h) for h in inside]
        assert all(keys.count(k) <= 3 for k in keys)
    assert address_key("::1") == address_key("::2") == "::/64"  # one IPv6 host, one /64


@given(st.lists(st.integers(1, 300), max_size=80), st.integers(0, 20), st.integers(1, 100))
async def test_a_page_holds_at_least_one_event_and_stays_within_its_budget(
    sizes: list[int], after: int, limit: int
) -> None:
    async def fetch(start: int, count: int) -> list[tuple[int, int]]:
        return [(n, sizes[n - 1]) for n in range(start + 1, min(len(sizes), start + count) + 1)]

    page, more = await read_page(fetch, lambda e: e[0], lambda e: e[1], after, limit, budget=500)
    expected_first = after + 1
    if expected_first > len(sizes):
        assert (page, more) == ([], False)
        return
    assert page and page[0][0] == expected_first and len(page) <= limit
    assert [n for n, _ in page] == list(range(expected_first, expected_first + len(page)))
    assert len(page) == 1 or sum(s for _, s in page) <= 500
    if not more:
        assert page[-1][0] == len(sizes)

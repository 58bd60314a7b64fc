"""Window math: publish time -> hourly bucket, hopping 24-hour sums, lateness and expiry."""

from __future__ import annotations

from datetime import datetime

import pytest

from streams.live.windows import (
    HOUR,
    SEOUL,
    Watermark,
    bucket_start,
    event_time,
    expired_buckets,
    interval,
    parse_at,
    series,
    window_count,
)

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=SEOUL).timestamp()


def seoul(day: int, hour: int, minute: int = 0) -> float:
    return datetime(2026, 3, day, hour, minute, tzinfo=SEOUL).timestamp()


def test_publish_time_with_offset_is_used_as_is():
    assert event_time("2026-03-02T10:05:00+09:00", NOW) == seoul(2, 10, 5)
    assert event_time("2026-03-02T01:05:00Z", NOW) == seoul(2, 10, 5)


def test_naive_publish_time_is_seoul_time():
    assert event_time("2026-03-02T10:05:00", NOW) == seoul(2, 10, 5)


def test_missing_or_unparseable_publish_time_is_the_time_of_processing():
    assert event_time(None, NOW) == NOW
    assert event_time("어제 오후", NOW) == NOW


def test_date_only_is_processing_time_clamped_into_that_day():
    assert event_time("2026-03-02", NOW) == NOW
    assert event_time("2026-03-01", NOW) == seoul(2, 0) - 1  # the last second of that day
    assert event_time("2026-03-03", NOW) == seoul(3, 0)


def test_publish_time_far_in_the_future_is_not_trusted():
    assert event_time("2026-03-02T16:20:00+09:00", NOW) == seoul(2, 16, 20)  # within the hour of tolerance
    assert event_time("2027-03-02T10:00:00+09:00", NOW) == NOW


def test_buckets_are_seoul_hours():
    assert bucket_start(seoul(2, 10, 59)) == seoul(2, 10)
    assert interval(int(seoul(2, 10))) == "2026-03-02T10:00:00+09:00/2026-03-02T11:00:00+09:00"


def test_24h_window_sums_the_24_hours_ending_with_the_hour():
    buckets = {int(seoul(1, h)): 1 for h in range(24)} | {int(seoul(2, h)): 10 for h in range(24)}

    def count(start):
        return buckets.get(start, 0)

    assert window_count(count, 1, int(seoul(2, 5))) == 10
    assert window_count(count, 24, int(seoul(2, 5))) == 6 * 10 + 18 * 1
    hopping = series(count, 24, int(seoul(2, 1)), last=3)
    # windows ending with the hours 23:00 (1 Mar), 00:00 and 01:00 (2 Mar), named by their start
    assert hopping == [(int(seoul(1, 0)), 24), (int(seoul(1, 1)), 23 + 10), (int(seoul(1, 2)), 22 + 20)]


def test_hourly_series_is_oldest_first_and_includes_empty_hours():
    buckets = {int(seoul(2, 9)): 3, int(seoul(2, 11)): 1}
    assert series(lambda s: buckets.get(s, 0), 1, int(seoul(2, 11)), last=3) == [
        (int(seoul(2, 9)), 3),
        (int(seoul(2, 10)), 0),
        (int(seoul(2, 11)), 1),
    ]


def test_lateness_is_measured_from_the_subjects_newest_mention():
    mark = Watermark().advance(seoul(2, 12))
    assert not mark.too_late(seoul(2, 10), lateness=2 * HOUR)
    assert mark.too_late(seoul(2, 9, 59), lateness=2 * HOUR)
    assert mark.advance(seoul(2, 11)) == mark  # an older mention does not move it back
    assert not Watermark().too_late(seoul(1, 0), lateness=0)


def test_expiry_deletes_only_buckets_that_fell_out_of_retention():
    assert list(expired_buckets(None, seoul(2, 12), retention_hours=3)) == []
    assert list(expired_buckets(seoul(2, 12), seoul(2, 14, 30), retention_hours=3)) == [
        int(seoul(2, 9)),
        int(seoul(2, 10)),
    ]
    far = expired_buckets(seoul(2, 12), seoul(30, 0), retention_hours=3)  # a jump of weeks: a short range
    assert list(far) == [int(seoul(2, h)) for h in range(9, 13)]


@pytest.mark.parametrize("text", ["2026-03-02T10:00:00+09:00", "2026-03-02T10:00:00 09:00", "2026-03-02T10:00:00"])
def test_reference_time_from_a_query_string(text):
    assert parse_at(text) == seoul(2, 10)

"""Window math for the live counts, as pure functions (no Faust, no clock of its own).

Counts are kept in hourly buckets aligned on the hour (Asia/Seoul is a whole-hour offset, so the
buckets are Seoul hours too). A tumbling 1-hour window is one bucket; a hopping 24-hour window with a
1-hour step is the sum of 24 consecutive buckets, so it is exact by construction and costs no
extra writes. Times are epoch seconds (float); a window is named by its start (int epoch seconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from collections.abc import Callable

from streams.timezones import SEOUL

HOUR = 3600
FUTURE_TOLERANCE = HOUR  # a publish time further in the future than this is not trusted

WINDOW_SPANS = {"1h": 1, "24h": 24}  # window name -> number of hourly buckets it sums


def event_time(published_at: str | None, now: float) -> float:
    """The time a mention is windowed by: the article's publish time, else the time of processing.

    A date without a time is placed at the processing time clamped into that Seoul day (we know the
    day, not the hour); a naive datetime is taken as Seoul time; a publish time more than an hour
    in the future (a wrong clock or a typo) is replaced by the processing time.
    """
    if not published_at:
        return now
    text = published_at.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            start = datetime(day.year, day.month, day.day, tzinfo=SEOUL).timestamp()
            return min(max(now, start), start + 24 * HOUR - 1)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return now
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=SEOUL)
    when = parsed.timestamp()
    return now if when > now + FUTURE_TOLERANCE else when


def bucket_start(when: float) -> int:
    """Start of the hourly bucket holding `when`."""
    return int(when // HOUR) * HOUR


def bucket_key(subject_key: str, start: int) -> str:
    """Table key of one hourly bucket: `kind:subject|start`."""
    return f"{subject_key}|{start}"


def window_count(counts: Callable[[int], int], span: int, end_bucket: int) -> int:
    """Count of the window of `span` buckets whose last bucket starts at `end_bucket`."""
    return sum(counts(end_bucket - i * HOUR) for i in range(span))


def series(counts: Callable[[int], int], span: int, end_bucket: int, last: int) -> list[tuple[int, int]]:
    """The `last` windows of `span` buckets, one hour apart, oldest first, ending with the window whose
    last bucket is `end_bucket`: [(window start, count), ...]."""
    out = []
    for i in range(last - 1, -1, -1):
        end = end_bucket - i * HOUR
        out.append((end - (span - 1) * HOUR, window_count(counts, span, end)))
    return out


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, SEOUL).isoformat()


def interval(start: int, span: int = 1) -> str:
    """ISO 8601 interval of a window: `2026-03-02T10:00:00+09:00/2026-03-02T11:00:00+09:00`."""
    return f"{iso(start)}/{iso(start + span * HOUR)}"


def parse_at(text: str) -> float:
    """A reference time given by a user (ISO 8601; naive = Seoul time). Raises ValueError."""
    # a "+09:00" offset in a query string arrives as " 09:00" when the client did not escape the "+"
    text = text.strip()
    if "T" in text:
        text = text.replace(" ", "+")
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=SEOUL)
    return parsed.timestamp()


@dataclass(frozen=True)
class Watermark:
    """Per-subject event-time progress: the latest event time accepted for the subject."""

    latest: float | None = None

    def too_late(self, when: float, lateness: float) -> bool:
        """A mention older than the latest one by more than `lateness` seconds is not windowed."""
        return self.latest is not None and when < self.latest - lateness

    def advance(self, when: float) -> Watermark:
        return self if self.latest is not None and when <= self.latest else Watermark(when)


def expired_buckets(old_latest: float | None, new_latest: float, retention_hours: int) -> range:
    """Bucket starts to delete when a subject's watermark moves from `old_latest` to `new_latest`.

    Buckets are kept for `retention_hours` before the bucket of the watermark. Every bucket that can
    exist starts at or after the old cut-off (lateness < retention), and none after the old
    watermark's bucket, so this range is short (at most retention + 1 hours) however far time jumps.
    """
    if old_latest is None:
        return range(0)
    old_cut = bucket_start(old_latest) - retention_hours * HOUR
    new_cut = bucket_start(new_latest) - retention_hours * HOUR
    return range(old_cut, min(new_cut, bucket_start(old_latest) + HOUR), HOUR)

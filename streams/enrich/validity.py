"""Dates: parsing data-file dates, validity windows, and the article's date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from streams.timezones import SEOUL


def parse_date(value: object) -> dt.date | None:
    """A date from YAML (already a date), an ISO date string, or the date part of an ISO datetime."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip()[:10])
    raise ValueError(f"not a date: {value!r}")


@dataclass(frozen=True, slots=True)
class Window:
    """Inclusive validity window; None is open-ended."""

    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


def today_in_seoul() -> dt.date:
    return dt.datetime.now(SEOUL).date()

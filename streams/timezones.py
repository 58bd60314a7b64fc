"""The one time zone the newsroom counts and dates in: Korea Standard Time (UTC+9, no daylight
saving since 1988), for the cleaner's naive page dates, the gazetteer's validity dates and the
hourly count windows alike."""

from __future__ import annotations

from datetime import timedelta, timezone

SEOUL = timezone(timedelta(hours=9))

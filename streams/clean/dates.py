"""Publication dates as a reader writes them -> ISO 8601 in Asia/Seoul (+09:00), or a bare date; a
time written without an offset is the page's local time (Seoul's unless the caller says another).

Understands `입력 2025.08.14. 오후 6:39` (오후 12:xx is noon, 오전 12:xx midnight),
`2025-08-14 18:39`, ISO 8601 with any offset, `20250814183856`, `2025년 8월 14일`,
`Aug. 14, 2025 6:39 PM`, `14 August 2025`, Europe's day first (`25.04.2024 | 14:07 Uhr`,
`13. Mai 2026 um 15:44`, `1 de abril de 2025`: month names in data/text_rules.yaml), month-day only (`08-14`, year from the fetch time),
and dates in image URL paths (`/202508/14/`, `/2025/08/14/`).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from streams.timezones import SEOUL

from .rule_cache import Patterns
from .rules import RULES

_KEPT = Patterns("dates")  # this module's patterns, kept between runs: `_KEPT.keep()` at its end


_MERIDIEM = r"(?P<mer>오전|오후|새벽|AM|PM|a\.m\.|p\.m\.)"
_TIME = rf"(?:\s*{_MERIDIEM})?\s*(?P<H>\d{{1,2}}):(?P<M>\d{{2}})(?::(?P<S>\d{{2}}))?(?:\.\d+)?\s*(?P<mer2>AM|PM|a\.m\.|p\.m\.)?"
_OFFSET = r"(?P<tz>Z|[+-]\d{2}:?\d{2})?"
_YMD = [
    _KEPT.compile(rf"(?P<y>(?:19|20)\d{{2}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?:[T ]{_TIME}{_OFFSET})?", re.I),
    _KEPT.compile(rf"(?P<y>(?:19|20)\d{{2}})\s*[./]\s*(?P<m>\d{{1,2}})\s*[./]\s*(?P<d>\d{{1,2}})\.?(?:{_TIME})?", re.I),
    _KEPT.compile(
        rf"(?P<y>(?:19|20)\d{{2}})년\s*(?P<m>\d{{1,2}})월\s*(?P<d>\d{{1,2}})일(?:\s*\([월화수목금토일]\))?(?:{_TIME})?",
        re.I,
    ),
]
_COMPACT = _KEPT.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?$")
_MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
_MON = r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_ENGLISH = [
    _KEPT.compile(rf"{_MON}\s+(?P<d>\d{{1,2}}),?\s+(?P<y>(?:19|20)\d{{2}})(?:,?\s*(?:at\s*)?{_TIME})?", re.I),
    _KEPT.compile(rf"(?P<d>\d{{1,2}})\s+{_MON}\s+(?P<y>(?:19|20)\d{{2}})(?:,?\s*{_TIME})?", re.I),
]
_MONTH_NAMES = {name: i for i, names in enumerate(RULES["month_names"], start=1) for name in names}
_NAMED_MONTH = "|".join(sorted(map(re.escape, _MONTH_NAMES), key=len, reverse=True))
_TIME_WORDS = "|".join(sorted(map(re.escape, RULES["date_time_words"]), key=len, reverse=True))
_THEN_TIME = rf"(?:\s*[,|]?\s*(?:(?:{_TIME_WORDS})\s+)?{_TIME})?"
_DAY_FIRST = [  # European pages: the day first, the month in figures or in words
    _KEPT.compile(
        rf"(?<![\d.])(?P<d>\d{{1,2}})\.\s?(?P<m>\d{{1,2}})\.\s?(?P<y>(?:19|20)\d{{2}})(?![\d.]\d){_THEN_TIME}"
    ),
    _KEPT.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})\.?\s+(?:de\s+)?(?P<name>{_NAMED_MONTH})\.?\s+(?:de\s+)?(?P<y>(?:19|20)\d{{2}})(?!\d)"
        rf"{_THEN_TIME}",
        re.I,
    ),
]
_MONTH_DAY = _KEPT.compile(r"(?<!\d)(?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?!\d)(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2}))?")
_URL_DATE = [
    _KEPT.compile(r"/(?P<y>20\d{2})(?P<m>\d{2})/(?P<d>\d{2})/"),
    _KEPT.compile(r"/(?P<y>20\d{2})/(?P<m>\d{2})/(?P<d>\d{2})/"),
    _KEPT.compile(r"/(?P<y>20\d{2})(?P<m>\d{2})(?P<d>\d{2})\d{0,12}[_/.-]"),
]


def _hour(hour: int, meridiem: str | None) -> int:
    mer = (meridiem or "").lower()
    if mer in ("오후", "pm", "p.m."):
        return hour if hour == 12 else hour + 12
    if mer in ("오전", "새벽", "am", "a.m."):
        return 0 if hour == 12 else hour
    return hour


@lru_cache(maxsize=64)
def _offset(tz: str) -> timezone:
    """`Z`, `+09:00`, `-0500` -> a fixed-offset timezone."""
    if tz.upper() == "Z":
        return UTC
    return timezone((1 if tz[0] == "+" else -1) * timedelta(hours=int(tz[1:3]), minutes=int(tz[-2:])))


def _build(g: dict, year: int | None = None, zone: tzinfo = SEOUL) -> str | None:
    try:
        y = int(g.get("y") or year or 0)
        m = (
            int(g["m"])
            if g.get("m")
            else _MONTH_NAMES[g["name"].lower()]
            if g.get("name")
            else _MONTHS[g["mon"].lower()[:3]]
        )
        d = int(g["d"])
        day = date(y, m, d)
    except (KeyError, ValueError, TypeError):
        return None
    if g.get("H") is None:
        return day.isoformat()
    try:
        hour = _hour(int(g["H"]), g.get("mer") or g.get("mer2"))
        moment = datetime(y, m, d, hour, int(g["M"]), int(g.get("S") or 0))
    except ValueError:
        return day.isoformat()
    tz = g.get("tz")
    if tz:
        moment = moment.replace(tzinfo=_offset(tz)).astimezone(SEOUL)
    else:  # no offset: the page's local time
        moment = moment.replace(tzinfo=zone).astimezone(SEOUL)
    return moment.isoformat()


_STRICT_ISO = _KEPT.compile(r"(?:19|20)\d\d-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?(?:Z|[+-]\d\d:\d\d)?)?$")


def _from_iso(text: str, zone: tzinfo = SEOUL) -> str | None:
    """A strict ISO 8601 date or date-time as `_build` writes it (fractions of a second dropped,
    no offset meaning the page's local time, `zone`), or None to leave it to the patterns."""
    if len(text) == 10:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00")).replace(microsecond=0)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(SEOUL).isoformat()


_ZONED = _KEPT.compile(r"\d(?::\d\d)?(?:\.\d+)?\s*(?:Z|[+-]\d\d:?\d\d)\s*$", re.I)


def has_offset(text: str | None) -> bool:
    """The time in `text` says its own offset (`...T18:16:04+0200`, `...Z`)."""
    return bool(text and _ZONED.search(text.strip()))


def parse_date(text: str | None, zone: tzinfo = SEOUL) -> str | None:
    """The first full date (with time if given) in a text, as ISO 8601 Asia/Seoul; a time without
    an offset is read in `zone`, the page's local time (streams.clean.zones). None for a date that
    stands for no date (`placeholder`)."""
    if not text:
        return None
    text = text.strip()
    found = None
    if _STRICT_ISO.match(text):  # the usual metadata value: the C parser, same answer
        found = _from_iso(text, zone)
    found = found or _via_patterns(text, zone)
    return None if found is None or placeholder(found) else found


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY_SECONDS = 86_400
_EMPTY_DAYS = ("1900-01-01",)  # a database's or spreadsheet's empty date


def placeholder(iso: str) -> bool:
    """A date a page writes where it has none: the Unix epoch, a timestamp of 0 shown in any zone
    (`1970-01-01T01:00:00+01:00` in a Polish shop's JSON-LD, `1969-12-31T19:00:00-05:00`, or the
    bare day), or 1900-01-01. A real story of that day is not worth the wrong date on every page
    whose CMS had no date (and a wrong date names the wrong ministries: the tagger reads names in
    force on it). Older real dates stay (the NYT's 1977 archive pages)."""
    if iso.startswith(_EMPTY_DAYS):
        return True
    if not iso.startswith(("1970-01-01", "1969-12-31")):
        return False
    if len(iso) == 10:
        return True
    moment = datetime.fromisoformat(iso)
    return moment.tzinfo is None or abs((moment - _EPOCH).total_seconds()) <= _DAY_SECONDS


def after(iso: str, fetched: str | None) -> bool:
    """The date is later than the page was fetched (`fetched`, as parse_date reads the fetch time;
    a day's slack for zones): no page was published after it was read, so such a date is another
    one (an event's, a copyright's); False where the fetch time is unknown or unreadable (None)."""
    if fetched is None:
        return False
    if len(iso) == 10 or len(fetched) == 10:
        return iso[:10] > (date.fromisoformat(fetched[:10]) + timedelta(days=1)).isoformat()
    return (datetime.fromisoformat(iso) - datetime.fromisoformat(fetched)).total_seconds() > _DAY_SECONDS


def _via_patterns(text: str, zone: tzinfo) -> str | None:
    compact = _COMPACT.match(text)
    if compact:
        return _build(compact.groupdict(), zone=zone)
    best: tuple[int, str] | None = None
    for pattern in _YMD + _DAY_FIRST + _ENGLISH:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            built = _build(match.groupdict(), zone=zone)
            if built:
                best = (match.start(), built)
                if match.start() == 0:  # no pattern can match earlier
                    break
    return best[1] if best else None


def parse_month_day(text: str | None, year: int | None, zone: tzinfo = SEOUL) -> str | None:
    """`08-14` or `08.14 11:20` with the year supplied from elsewhere (the fetch time)."""
    if not text or not year:
        return None
    match = _MONTH_DAY.search(text)
    return _build(match.groupdict(), year, zone) if match else None


def date_in_url(url: str | None) -> str | None:
    """The date in an image/article URL path such as /news/202508/14/, date only."""
    if not url:
        return None
    for pattern in _URL_DATE:
        match = pattern.search(url)
        if match:
            built = _build(match.groupdict())
            if built:
                return built
    return None


def year_of(iso: str | None) -> int | None:
    match = re.match(r"((?:19|20)\d{2})-", iso or "")
    return int(match.group(1)) if match else None


_KEPT.keep()  # after the module's last pattern

"""The gazetteer: Korea's central government bodies, their names through time, and their officials.

Loaded from `data/gazetteer.yaml` (an editor changes the data, not this code). Every entry is
validated on load; a bad entry raises EnrichDataError naming the entry.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .datafiles import entry_id, read_yaml
from .errors import EnrichDataError
from .errors import data_error as _fail
from .validity import Window, parse_date

DEFAULT_GAZETTEER = Path(__file__).parent / "data" / "gazetteer.yaml"
KINDS = ("부", "처", "청", "위원회")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
ROLES = ("장관", "제1차관", "제2차관", "차관", "청장", "처장", "위원장", "본부장")


@dataclass(frozen=True, slots=True)
class OfficialName:
    ko: str
    en: str
    kind: str
    window: Window


@dataclass(frozen=True, slots=True)
class SurfaceForm:
    """A way the body is written in text: an abbreviation, acronym or extra alias."""

    text: str
    window: Window = Window()


@dataclass(frozen=True, slots=True)
class Official:
    name: str
    role: str
    body_id: str
    window: Window
    confirmed: bool


@dataclass(frozen=True, slots=True)
class Body:
    id: str
    names: tuple[OfficialName, ...]
    abbreviations: tuple[SurfaceForm, ...]
    acronyms: tuple[SurfaceForm, ...]
    english_aliases: tuple[SurfaceForm, ...]
    officials: tuple[Official, ...]
    confirmed: bool

    def name_on(self, day: dt.date) -> OfficialName:
        """The official name in force on `day`; before the body existed its first name, after it
        ended its last name."""
        for name in self.names:
            if name.window.contains(day):
                return name
        first = self.names[0]
        if first.window.valid_from and day < first.window.valid_from:
            return first
        return self.names[-1]

    def in_force_on(self, day: dt.date) -> bool:
        return any(n.window.contains(day) for n in self.names)


@dataclass(frozen=True)
class Gazetteer:
    bodies: tuple[Body, ...]
    foreign_countries: frozenset[str]
    foreign_abbreviations: frozenset[str]
    foreign_english: frozenset[str]
    sources: dict[str, Any] = field(default_factory=dict)
    # Strings that, earlier in the same sentence, make a body without a country foreign: foreign
    # officials' names, capitals, 중국 측.
    foreign_context: tuple[str, ...] = ()
    # Right before a body's name, these say it is Korea's own (우리 외교부, 한국 외교부): a body
    # named as foreign earlier in the paragraph is Korea's again after one of them.
    home_prefixes: frozenset[str] = frozenset()
    # A word starting with one of these says a Korean text speaks of Korea (우리, 한국, 정부, 국회):
    # in an article about another country, a paragraph without one reads a bare body as foreign.
    korean_markers: tuple[str, ...] = ()
    # ... but not inside one of these, Korea named as the party a sentence addresses (`외교부는 한국
    # 정부에 자제를 촉구했다`: the other country's ministry speaking to Korea's government).
    korea_addressed: tuple[str, ...] = ()
    # The forms the Korean press also gives other countries' bodies (외교부, 국방부, 경찰청): only these
    # are read as foreign from their sentence or article; None: every form (a gazetteer without the list).
    shared_forms: frozenset[str] | None = None
    # Context markers of the countries whose ministries the Korean press names -성 (Japan, North Korea):
    # alone in a sentence, they leave a -부 form Korea's.
    seong_context: frozenset[str] = frozenset()
    # A body's form followed by a word starting with one of `desk_words` (and none of `desk_not`) is a
    # newsroom's desk of that name (산업부 기자), not the body.
    desk_words: tuple[str, ...] = ()
    desk_not: tuple[str, ...] = ()
    # Foreign markers that do not make an article about another country: North Korea's news is
    # told from Seoul (북한이 미사일을 발사했다 ... 국방부는 is Korea's ministry).
    not_abroad: frozenset[str] = frozenset()
    # Roles between a body and a foreign official's name that follows it ("외교부 마오닝 대변인",
    # "Foreign Ministry spokesman Qin Gang"): the official is the body's, so the body is foreign.
    apposition_roles: frozenset[str] = frozenset()
    # Foreign officials' surnames that are Korean words or places too (오스틴, 라이더, 화이트): not
    # context markers alone, but right before a body and one of `apposition_roles` after it they name
    # whose body it is (오스틴 국방부 장관, 라이더 국방부 대변인): the body is foreign.
    surnames_with_role: frozenset[str] = frozenset()
    # Words between a country and its body that leave the body the country's: 영국의 현 교육부, 미국 전 국방부.
    between: frozenset[str] = frozenset()
    # Local governments: a body's name right after one is a local office (인천시 선거관리위원회).
    local_places: frozenset[str] = frozenset()
    local_suffixes: tuple[str, ...] = ()
    local_not: frozenset[str] = frozenset()
    # ... except a district (강남구, 양평군) before a body whose local offices are above districts.
    district_suffixes: tuple[str, ...] = ()
    above_districts: frozenset[str] = frozenset()
    # An English-language article names a Korean body only if it mentions Korea (one of these).
    home_markers: tuple[str, ...] = ()
    # ... and an English article that names one of these (and no home marker) is about abroad.
    abroad_markers: frozenset[str] = frozenset()
    # foreign_context as one regular expression (None when empty), compiled in __post_init__
    foreign_context_re: re.Pattern[str] | None = field(init=False, default=None, repr=False, compare=False)
    # korea_addressed as one, each phrase a whole one: before a space, punctuation or the end, and
    # not before 대한 (`한국 정부에 대한 신뢰`: about Korea's government, which Korea's bodies say too)
    korea_addressed_re: re.Pattern[str] | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {b.id: b for b in self.bodies})
        pattern = "|".join(re.escape(m) for m in sorted(self.foreign_context, key=len, reverse=True))
        object.__setattr__(self, "foreign_context_re", re.compile(pattern) if pattern else None)
        pattern = "|".join(re.escape(m) for m in sorted(self.korea_addressed, key=len, reverse=True))
        addressed = re.compile(rf"(?:{pattern})(?=[\s,.·…\"'”’)]|$)(?!\s*대한)") if pattern else None
        object.__setattr__(self, "korea_addressed_re", addressed)

    def is_local_place(self, token: str, body_id: str | None = None) -> bool:
        """'인천시', '부산', '강남구' (a local government), not '당시' or '동시'; with `body_id`, a
        local government that can have an office of that body (not '서대문구' before 경찰청)."""
        if token in self.local_places:
            return True
        if body_id in self.above_districts and token.endswith(self.district_suffixes):
            return False
        return (
            2 <= len(token) <= 6
            and token.endswith(self.local_suffixes)
            and token not in self.local_not
            and all("\uac00" <= ch <= "\ud7a3" for ch in token)
        )

    def body(self, body_id: str) -> Body:
        return self._by_id[body_id]  # type: ignore[attr-defined]


def _date(where: str, raw: dict, key: str) -> dt.date | None:
    try:
        return parse_date(raw.get(key))
    except (ValueError, TypeError) as exc:
        raise _fail(where, f"{key} is not an ISO date ({raw.get(key)!r})") from exc


def _window(where: str, raw: dict, lo: str = "valid_from", hi: str = "valid_to") -> Window:
    w = Window(_date(where, raw, lo), _date(where, raw, hi))
    if w.valid_from and w.valid_to and w.valid_from > w.valid_to:
        raise _fail(where, f"{lo} {w.valid_from} is after {hi} {w.valid_to}")
    return w


def _text(where: str, raw: Any, key: str) -> str:
    value = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise _fail(where, f"{key} must be a non-empty string without surrounding spaces, got {value!r}")
    return value


def _forms(where: str, raw: Any) -> tuple[SurfaceForm, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(where, "must be a list")
    out = []
    for i, item in enumerate(raw):
        w = f"{where}[{i}]"
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict):
            raise _fail(w, f"must be a string or a mapping with text, got {item!r}")
        out.append(SurfaceForm(_text(w, item, "text"), _window(w, item)))
    return tuple(out)


def _body(where: str, raw: Any) -> Body:
    body_id = entry_id(where, raw, ID_PATTERN)
    where = f"body {body_id!r}"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _fail(where, f"kind must be one of {KINDS}, got {kind!r}")
    names_raw = raw.get("names")
    if not isinstance(names_raw, list) or not names_raw:
        raise _fail(where, "needs a non-empty list of names")
    names = []
    for i, n in enumerate(names_raw):
        w = f"{where} names[{i}]"
        if not isinstance(n, dict):
            raise _fail(w, "must be a mapping with ko, en, valid_from, valid_to")
        name_kind = n.get("kind", kind)
        if name_kind not in KINDS:
            raise _fail(w, f"kind must be one of {KINDS}, got {name_kind!r}")
        names.append(OfficialName(_text(w, n, "ko"), _text(w, n, "en"), name_kind, _window(w, n)))
    for a, b in zip(names, names[1:]):
        if a.window.valid_to is None or b.window.valid_from is None or a.window.valid_to >= b.window.valid_from:
            raise _fail(where, f"names must be in date order without overlap: {a.ko} then {b.ko}")
    if names[-1].kind != kind:
        raise _fail(where, f"kind {kind} must be the kind of the latest name {names[-1].ko} ({names[-1].kind})")
    officials = []
    for i, o in enumerate(raw.get("officials") or []):
        w = f"{where} officials[{i}]"
        if not isinstance(o, dict):
            raise _fail(w, "must be a mapping with name, role, from, to")
        role = o.get("role")
        if role not in ROLES:
            raise _fail(w, f"role must be one of {ROLES}, got {role!r}")
        confirmed = o.get("confirmed", True)
        if not isinstance(confirmed, bool):
            raise _fail(w, "confirmed must be true or false")
        if not o.get("from"):
            raise _fail(w, "from (start of term) is required")
        officials.append(Official(_text(w, o, "name"), role, body_id, _window(w, o, "from", "to"), confirmed))
    confirmed = raw.get("confirmed", True)
    if not isinstance(confirmed, bool):
        raise _fail(where, "confirmed must be true or false")
    return Body(
        id=body_id,
        names=tuple(names),
        abbreviations=_forms(f"{where} abbreviations", raw.get("abbreviations")),
        acronyms=_forms(f"{where} acronyms", raw.get("acronyms")),
        english_aliases=_forms(f"{where} english_aliases", raw.get("english_aliases")),
        officials=tuple(officials),
        confirmed=confirmed,
    )


def _check_unique_forms(bodies: list[Body]) -> None:
    """No surface form may point at two bodies in overlapping periods."""
    seen: dict[str, list[tuple[str, Window]]] = {}
    for b in bodies:
        forms = [(n.ko, n.window) for n in b.names] + [(n.en.lower(), n.window) for n in b.names]
        forms += [
            (f.text.lower() if f.text.isascii() else f.text, f.window)
            for f in (*b.abbreviations, *b.acronyms, *b.english_aliases)
        ]
        for text, window in forms:
            for other_id, _other_window in seen.get(
                text, []
            ):  # periods not compared: a shared form is refused whatever its dates
                if other_id != b.id:
                    raise _fail(f"body {b.id!r}", f"form {text!r} is also a form of {other_id!r}")
            seen.setdefault(text, []).append((b.id, window))


def parse_gazetteer(raw: Any, origin: str = "gazetteer") -> Gazetteer:
    if not isinstance(raw, dict) or not isinstance(raw.get("bodies"), list):
        raise EnrichDataError(f"{origin}: expected a mapping with a 'bodies' list")
    bodies = [_body(f"{origin} bodies[{i}]", b) for i, b in enumerate(raw["bodies"])]
    ids = [b.id for b in bodies]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise EnrichDataError(f"{origin}: duplicate body ids {dupes}")
    _check_unique_forms(bodies)
    markers = raw.get("foreign_markers") or {}
    local = raw.get("local_markers") or {}
    desks = raw.get("newsroom_desks") or {}
    lists = {
        "foreign_markers.context": markers.get("context"),
        "foreign_markers.home_prefixes": markers.get("home_prefixes"),
        "foreign_markers.apposition_roles": markers.get("apposition_roles"),
        "foreign_markers.surnames_with_role": markers.get("surnames_with_role"),
        "foreign_markers.korean_markers": markers.get("korean_markers"),
        "foreign_markers.korea_addressed": markers.get("korea_addressed"),
        "foreign_markers.not_abroad": markers.get("not_abroad"),
        "foreign_markers.between": markers.get("between"),
        "foreign_markers.shared_forms": markers.get("shared_forms"),
        "foreign_markers.seong_context": markers.get("seong_context"),
        "newsroom_desks.words": desks.get("words"),
        "newsroom_desks.not_words": desks.get("not_words"),
        "local_markers.places": local.get("places"),
        "local_markers.suffixes": local.get("suffixes"),
        "local_markers.not_places": local.get("not_places"),
        "local_markers.district_suffixes": local.get("district_suffixes"),
        "local_markers.offices_above_districts": local.get("offices_above_districts"),
        "home_markers": raw.get("home_markers"),
        "abroad_markers": raw.get("abroad_markers"),
    }
    for key, value in lists.items():
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            raise EnrichDataError(f"{origin}: {key} must be a list of non-empty strings")
    context = _with_sides(markers.get("context") or (), markers.get("countries") or ())
    shared = markers.get("shared_forms")
    forms = {n.ko for b in bodies for n in b.names} | {a.text for b in bodies for a in b.abbreviations}
    for key, values, known, what in (
        ("local_markers.offices_above_districts", local.get("offices_above_districts"), set(ids), "body"),
        ("foreign_markers.seong_context", markers.get("seong_context"), set(context), "context marker"),
        # a surname of an official the context names with a first name or a role (로이드 오스틴)
        (
            "foreign_markers.surnames_with_role",
            markers.get("surnames_with_role"),
            {word for marker in context if " " in marker for word in marker.split()},
            "official's name in foreign_markers.context",
        ),
        ("foreign_markers.shared_forms", shared, forms, "body's form"),
    ):
        unknown = sorted(set(values or ()) - known)
        if unknown:
            raise EnrichDataError(f"{origin}: {key} names no {what}: {unknown}")
    return Gazetteer(
        bodies=tuple(bodies),
        foreign_countries=frozenset(markers.get("countries") or ()),
        foreign_abbreviations=frozenset(markers.get("abbreviations") or ()),
        foreign_english=frozenset(m.lower() for m in markers.get("english") or ()),
        sources=raw.get("sources") or {},
        foreign_context=context,
        home_prefixes=frozenset(markers.get("home_prefixes") or ()),
        apposition_roles=frozenset(r.lower() for r in markers.get("apposition_roles") or ()),
        surnames_with_role=frozenset(markers.get("surnames_with_role") or ()),
        korean_markers=tuple(markers.get("korean_markers") or ()),
        korea_addressed=tuple(markers.get("korea_addressed") or ()),
        not_abroad=frozenset(markers.get("not_abroad") or ()),
        between=frozenset(markers.get("between") or ()),
        shared_forms=frozenset(shared) if shared is not None else None,
        seong_context=frozenset(markers.get("seong_context") or ()),
        desk_words=tuple(desks.get("words") or ()),
        desk_not=tuple(desks.get("not_words") or ()),
        local_places=frozenset(local.get("places") or ()),
        local_suffixes=tuple(local.get("suffixes") or ()),
        local_not=frozenset(local.get("not_places") or ()),
        district_suffixes=tuple(local.get("district_suffixes") or ()),
        above_districts=frozenset(local.get("offices_above_districts") or ()),
        home_markers=tuple(raw.get("home_markers") or ()),
        abroad_markers=frozenset(raw.get("abroad_markers") or ()),
    )


def _with_sides(context, countries) -> tuple[str, ...]:
    """The context markers, and `<country> 측` / `<country>측` for every country of two or more
    letters (베트남 측은 ... 국방부가: the other side's ministry)."""
    sides = [f"{c}{gap}측" for c in countries if len(c) >= 2 and not c.isascii() for gap in (" ", "")]
    return tuple(dict.fromkeys([*context, *sides]))


def load_gazetteer(path: str | Path | None = None) -> Gazetteer:
    """Load and validate the gazetteer YAML (the packaged one by default)."""
    path = Path(path) if path else DEFAULT_GAZETTEER
    return parse_gazetteer(read_yaml(path, "gazetteer"), str(path.name))

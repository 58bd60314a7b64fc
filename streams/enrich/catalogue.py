"""What the shell needs to know up front: the bodies in force and the topics."""

from __future__ import annotations

import datetime as dt

from .gazetteer import Gazetteer
from .taxonomy import Taxonomy
from .validity import today_in_seoul


def bodies_in_force(gazetteer: Gazetteer, day: dt.date | None = None) -> list[dict]:
    day = day or today_in_seoul()
    out = []
    for body in gazetteer.bodies:
        if body.in_force_on(day):
            name = body.name_on(day)
            out.append({"id": body.id, "name_ko": name.ko, "name_en": name.en, "kind": name.kind})
    return out


def topics_listed(taxonomy: Taxonomy) -> list[dict]:
    return [{"id": t.id, "label_ko": t.label_ko, "label_en": t.label_en} for t in taxonomy.topics]

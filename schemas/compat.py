"""Schema evolution checks: what a change to an event's JSON Schema breaks, and what a writer wrote
that its model does not declare.

`breaking_changes(old, new)` lists the changes that break a reader or writer of the old schema:
a property removed, retyped (its types narrowed), a new required property, an enum narrowed,
additional properties forbidden. Anything else (a new optional property, a wider type or enum,
descriptions) is compatible. `ignored_fields(model, data)` lists the keys a tolerant model would
silently drop: tests keep writers strict with it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $refs are supported, not {ref}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _types(schema: dict, root: dict) -> set[str]:
    """The JSON types a value may have under `schema` (anyOf flattened; no type: any)."""
    schema = _resolve(schema, root)
    if "anyOf" in schema or "oneOf" in schema:
        out: set[str] = set()
        for sub in schema.get("anyOf", []) + schema.get("oneOf", []):
            out |= _types(sub, root)
        return out
    if "const" in schema and "type" not in schema:
        return {type(schema["const"]).__name__}
    kind = schema.get("type")
    if kind is None:
        return {"any"}
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if "number" in kinds:
        kinds.add("integer")  # a number accepts integers
    return kinds


def _enum(schema: dict, root: dict) -> set | None:
    schema = _resolve(schema, root)
    if "enum" in schema:
        return {repr(v) for v in schema["enum"]}
    if "const" in schema:
        return {repr(schema["const"])}
    return None


def _alternatives(schema: dict, root: dict) -> list[dict]:
    schema = _resolve(schema, root)
    return [_resolve(s, root) for s in schema.get("anyOf", []) + schema.get("oneOf", [])] or [schema]


def breaking_changes(old: dict, new: dict) -> list[str]:
    """Human-readable breaking changes from schema `old` to schema `new` (both whole documents)."""
    problems: list[str] = []
    _compare(old, new, old, new, "$", problems)
    return problems


def _compare(old: dict, new: dict, old_root: dict, new_root: dict, where: str, problems: list[str]) -> None:
    old, new = _resolve(old, old_root), _resolve(new, new_root)
    old_types, new_types = _types(old, old_root), _types(new, new_root)
    if "any" not in new_types and not old_types <= new_types:
        problems.append(f"{where}: retyped from {sorted(old_types)} to {sorted(new_types)}")
        return
    old_enum, new_enum = _enum(old, old_root), _enum(new, new_root)
    if new_enum is not None and (old_enum is None or not old_enum <= new_enum):
        lost = sorted(old_enum - new_enum) if old_enum is not None else ["(any value)"]
        problems.append(f"{where}: enum narrowed, {', '.join(lost)} no longer allowed")
    # objects and arrays, also inside anyOf (e.g. a nullable list): compare alternatives of one type
    for old_alt in _alternatives(old, old_root):
        for new_alt in _alternatives(new, new_root):
            if old_alt.get("type") != new_alt.get("type"):
                continue
            if old_alt.get("type") == "object" or "properties" in old_alt:
                _compare_objects(old_alt, new_alt, old_root, new_root, where, problems)
            if old_alt.get("type") == "array" and "items" in old_alt and "items" in new_alt:
                _compare(old_alt["items"], new_alt["items"], old_root, new_root, f"{where}[]", problems)


def _compare_objects(old: dict, new: dict, old_root: dict, new_root: dict, where: str, problems: list[str]) -> None:
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name, old_prop in old_props.items():
        if name not in new_props:
            problems.append(f"{where}.{name}: removed")
            continue
        _compare(old_prop, new_props[name], old_root, new_root, f"{where}.{name}", problems)
    added_required = set(new.get("required", [])) - set(old.get("required", []))
    for name in sorted(added_required):
        problems.append(f"{where}.{name}: newly required")
    if new.get("additionalProperties") is False and old.get("additionalProperties") is not False:
        problems.append(f"{where}: additional properties now forbidden (an older reader of a newer event breaks)")


def ignored_fields(model: type[BaseModel], data: Any) -> list[str]:
    """Paths of the keys in `data` that `model` does not declare (and so would ignore when reading)."""
    instance = model.model_validate(data)
    dumped = instance.model_dump(mode="json")
    out: list[str] = []
    _walk_unknown(data, dumped, "$", out)
    return out


def _walk_unknown(data: Any, dumped: Any, where: str, out: list[str]) -> None:
    if isinstance(data, dict) and isinstance(dumped, dict):
        for key, value in data.items():
            if key not in dumped:
                out.append(f"{where}.{key}")
            else:
                _walk_unknown(value, dumped[key], f"{where}.{key}", out)
    elif isinstance(data, list) and isinstance(dumped, list):
        for i, (value, kept) in enumerate(zip(data, dumped, strict=False)):
            _walk_unknown(value, kept, f"{where}[{i}]", out)

"""docs/asyncapi.json: current, a valid AsyncAPI 3.0 document, and it describes every topic consumers see."""

from __future__ import annotations

import copy
import json
import warnings

import pytest
from pydantic import ValidationError

from streams.contract.asyncapi import DOCUMENT, ROOT, rendered
from streams.settings import load_settings
from streams.topology import topic_specs

with warnings.catch_warnings():  # asyncapi3 0.0.2 names a field `schema`, which pydantic warns about
    warnings.simplefilter("ignore", UserWarning)
    from asyncapi3.models.asyncapi import AsyncAPI3


def test_the_asyncapi_document_is_current():
    assert DOCUMENT.read_text(encoding="utf-8") == rendered(), "docs/asyncapi.json is stale: run `make asyncapi`"


def test_it_is_a_valid_asyncapi_3_document_and_an_invalid_one_is_refused():
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    AsyncAPI3.model_validate(document)
    broken = copy.deepcopy(document)
    broken["operations"]["send_enriched"]["action"] = "publish"  # AsyncAPI 2's verb
    with pytest.raises(ValidationError):
        AsyncAPI3.model_validate(broken)


def _refs(node, out: list[str]) -> list[str]:
    if isinstance(node, dict):
        out += [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        for value in node.values():
            _refs(value, out)
    elif isinstance(node, list):
        for value in node:
            _refs(value, out)
    return out


def test_every_reference_resolves_and_every_topic_is_a_channel():
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    for ref in _refs(document, []):
        if ref.startswith("#/"):
            target = document
            for part in ref[2:].split("/"):
                target = target[part]
        else:
            assert (DOCUMENT.parent / ref).resolve().is_file(), ref
    settings = load_settings({}, require_broker=False)
    addresses = set()
    for channel in document["channels"].values():
        for name, parameter in channel.get("parameters", {}).items():
            addresses |= {channel["address"].replace("{" + name + "}", value) for value in parameter["enum"]}
        addresses.add(channel["address"])
    assert {spec.name for spec in topic_specs(settings, tables={})} <= addresses
    fan_out = document["channels"]["ministry"]
    assert set(fan_out["messages"]) == {"EnrichedArticle", "Retraction"}
    assert fan_out["bindings"]["kafka"]["topicConfiguration"]["retention.ms"] == 30 * 24 * 3600 * 1000
    assert document["channels"]["counts"]["bindings"]["kafka"]["topicConfiguration"]["cleanup.policy"] == ["compact"]
    assert ROOT.joinpath("schemas", "released", "Retraction", "1.0.schema.json").is_file()

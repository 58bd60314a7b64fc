"""prometheusrule.yaml (the Prometheus Operator's PrometheusRule) from newsroom-rules.yml, the one
source of the alert rules: `python deploy/monitoring/render.py` writes it (`make monitoring`),
`--check` only says whether it is current (exit 1 if not; tests/unit/test_monitoring.py runs it)."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
RULES = HERE / "newsroom-rules.yml"
TARGET = HERE / "prometheusrule.yaml"
HEADER = """\
# Generated from newsroom-rules.yml by `python deploy/monitoring/render.py` (make monitoring): edit
# that file, not this one; a test checks that this one is current. What each alert means and what to
# do: docs/operating.md. The Prometheus Operator's Prometheus picks PrometheusRules by its
# ruleSelector: add the labels yours selects on (e.g. `release: <kube-prometheus-stack release>`).
"""


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # PromQL over several lines stays a readable block, as in the rules file
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def render() -> str:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    manifest = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": "newsroom-streams",
            "labels": {"app.kubernetes.io/name": "newsroom-streams", "app.kubernetes.io/component": "monitoring"},
        },
        "spec": {"groups": groups},
    }
    return HEADER + yaml.dump(manifest, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        current = TARGET.exists() and TARGET.read_text() == render()
        if not current:
            print(f"{TARGET.name} is not current: run python deploy/monitoring/render.py", file=sys.stderr)
        return 0 if current else 1
    TARGET.write_text(render())
    print(f"wrote {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

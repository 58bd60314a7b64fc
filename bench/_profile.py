"""Summaries of a pyinstrument session (.pyisession) of the worker, as Markdown tables.

    .venv/bin/python bench/_profile.py PATH.pyisession     # print the tables for a saved session

pyinstrument samples Python frames: time in a C extension (pydantic-core, orjson, selectolax,
pyahocorasick) is counted in the Python function that called it. "Idle" is the event loop waiting
in `selectors` for sockets.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

AREAS = [  # (label, substring of the file path), first match wins
    ("streams/clean", "/streams/clean/"),
    ("streams/enrich", "/streams/enrich/"),
    ("streams (app, steps)", "/streams/"),
    ("schemas (pydantic models)", "/schemas/"),
    ("pydantic", "/pydantic"),
    ("faust", "/faust/"),
    ("mode", "/mode/"),
    ("aiokafka", "/aiokafka/"),
    ("asyncio", "/asyncio/"),
    ("rocksdict / faust stores", "/rocksdict/"),
    ("traceback (formatting logged exceptions)", "/traceback.py"),
    ("logging", "/logging/"),
    ("python stdlib", "/lib/python3"),
]


def _parts(identifier: str) -> tuple[str, str, str]:
    head = identifier.split("\x01", 1)[0]
    function, path, line = (head.split("\x00") + ["", ""])[:3]
    return function, path, line


def _area(path: str) -> str:
    for label, needle in AREAS:
        if needle in path:
            return label
    return "other"


def _short(function: str, path: str, line: str = "") -> str:
    if path.startswith("<"):  # a C function, e.g. <built-in>
        return f"{function} (C)"
    if function.startswith("<") or function in ("agent", "wrapper", "inner"):
        function = f"{function}@{line}"  # closures and lambdas: the line tells them apart
    p = Path(path)
    for anchor in ("streams", "schemas", "site-packages"):
        if anchor in p.parts:
            i = len(p.parts) - 1 - p.parts[::-1].index(anchor)
            rel = "/".join(p.parts[i + (1 if anchor == "site-packages" else 0) :])
            return f"{rel}:{function}"
    return f"{p.name}:{function}"


def _idle(stack: list[str]) -> bool:
    """The event loop waiting for sockets (epoll/select, or selectors.select itself)."""
    function, path, _ = _parts(stack[-1])
    if path.startswith("<") and len(stack) > 1:
        function, path, _ = _parts(stack[-2])
    return path.endswith("selectors.py") and function in ("select", "poll")


def _python_leaf(stack: list[str]) -> tuple[str, str, str]:
    """The innermost Python frame (a C function's time belongs to the area of its caller)."""
    for ident in reversed(stack):
        function, path, line = _parts(ident)
        if path and not path.startswith("<"):
            return function, path, line
    return _parts(stack[-1])


STEMS = ("asyncio/events.py:_run", "asyncio/base_events.py:", "selectors.py:select")


def summarize(path: Path, top: int = 20) -> str:
    from pyinstrument.session import Session

    session = Session.load(str(path))
    records = [(stack, t) for stack, t in session.frame_records if stack]
    total = sum(t for _, t in records)
    idle = sum(t for s, t in records if _idle(s))
    busy = total - idle or 1e-9
    inclusive: Counter = Counter()
    self_time: Counter = Counter()
    areas: Counter = Counter()
    for stack, t in records:
        if _idle(stack):
            continue
        seen = set()
        for ident in stack:
            function, file, line = _parts(ident)
            if not file or file.startswith("<frozen"):
                continue
            key = _short(function, file, line)
            if key not in seen:
                seen.add(key)
                inclusive[key] += t
        function, file, line = _parts(stack[-1])
        leaf = _short(function, file, line)
        caller = _python_leaf(stack)
        if file.startswith("<"):
            leaf += f" ← {_short(*caller)}"
        self_time[leaf] += t
        areas[_area(caller[1])] += t

    out = [
        f"sampled {session.duration:.1f} s wall, {session.sample_count:,} samples; "
        f"main thread busy {busy:.1f} s, idle (waiting on sockets) {idle:.1f} s "
        f"({idle / total:.0%} of sampled time)\n"
    ]
    out.append("### Busy time by where the sampled frame is (self time per area)\n")
    out.append(
        _table(["area", "seconds", "% of busy"], [[a, f"{t:.1f}", f"{t / busy:.1%}"] for a, t in areas.most_common()])
    )
    entry = {k for k, t in inclusive.items() if t >= 0.9 * busy or any(stem in k for stem in STEMS)}
    out.append(f"\n### Top {top} functions by inclusive time (without the event-loop stem)\n")
    out.append(
        _table(
            ["function", "seconds", "% of busy"],
            [[f"`{k}`", f"{t:.1f}", f"{t / busy:.1%}"] for k, t in inclusive.most_common() if k not in entry][:top],
        )
    )
    ours = [k for k, _ in inclusive.most_common() if k not in entry and k.startswith("streams/") and "@" not in k][:4]
    for name in ours:
        out.append(f"\n### Where `{name}` spends its time ({inclusive[name]:.1f} s)\n")
        out.append(
            _table(
                ["callee", "seconds", "% of busy"],
                [[f"`{k}`", f"{t:.1f}", f"{t / busy:.1%}"] for k, t in callees(path, name)],
            )
        )
    out.append(f"\n### Top {top} functions by self time\n")
    out.append(
        _table(
            ["function", "seconds", "% of busy"],
            [[f"`{k}`", f"{t:.1f}", f"{t / busy:.1%}"] for k, t in self_time.most_common(top)],
        )
    )
    return "\n".join(out)


def callees(path: Path, target: str, top: int = 8) -> list[tuple[str, float]]:
    """Time under the frames named `target` (as `_short` writes it), split by the function it called."""
    from pyinstrument.session import Session

    split: Counter = Counter()
    for stack, t in Session.load(str(path)).frame_records:
        names = [_short(*_parts(ident)) for ident in stack]
        if target not in names:
            continue
        i = len(names) - 1 - names[::-1].index(target)  # innermost occurrence
        split[names[i + 1] if i + 1 < len(names) else "(self)"] += t
    return split.most_common(top)


def _table(headers, rows) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    return "\n".join(lines + ["| " + " | ".join(map(str, r)) + " |" for r in rows])


if __name__ == "__main__":
    print(summarize(Path(sys.argv[1])))

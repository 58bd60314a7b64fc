"""Generic extractor: finds the article body of any page by text density and link density.

Scores, as readability-style extractors do: every paragraph-like element with enough text adds
to its parent (and half to its grandparent); a container with much bare text (`<br>` bodies)
scores itself; class/id names that say "article" help, names that say "comment/related" hurt;
the score is scaled by (1 - link density). No recursion: CSS queries and parent pointers only.
"""
from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser

from .tags import tag_ids

_GOOD = re.compile(r"article|content|body|story|entry|post|text|news|view|main|detail|본문", re.I)
_BAD = re.compile(
    r"comment|related|footer|sidebar|nav|menu|share|popular|rank|banner|promo|recommend|"
    r"header|widget|sponsor|outbrain|taboola|newsletter|subscribe|social|tags?\b|byline|author", re.I)
_PARA_IDS = tag_ids(["p", "pre", "blockquote"])
_BOX_IDS = tag_ids(["div", "td", "article", "section", "main"])
_DIV = tag_ids(["div"])
_NOT_CANDIDATES = tag_ids(["html", "body"]) | {LexborHTMLParser("").root.parent.tag_id}  # and the document
_MIN_P = 25
_TOP = 25
_WEIGHT_SCALE = 50  # a good class name (+25) scales the score by 1.5, a bad one (-25) by 0.5
_MAX_BOOST = 1 + (25 + 10) / _WEIGHT_SCALE


def _weight(node) -> float:
    attrs = node.attributes
    return _name_weight(f"{attrs.get('class') or ''} {attrs.get('id') or ''}") + (10 if node.tag == "article" else 0)


@lru_cache(maxsize=2048)
def _name_weight(names: str) -> float:
    return (25 if _GOOD.search(names) else 0) - (25 if _BAD.search(names) else 0)


def _link_density(node, text_len: int) -> float:
    if not text_len:
        return 1.0
    linked = sum(len((a.text(deep=True) or "").strip()) for a in node.css("a"))
    return min(linked / text_len, 1.0)


def find_body(root):
    """The element holding the article body, or None."""
    scores: dict[int, list] = {}

    def add(node, score: float) -> None:
        if node is None or node.tag_id in _NOT_CANDIDATES:
            return
        entry = scores.get(node.mem_id)
        if entry is None:
            scores[node.mem_id] = [node, score]
        else:
            entry[1] += score

    paras, boxes = [], []
    for el in root.css("*"):  # one pass, split by tag id (cheaper than two selector lists)
        tag_id = el.tag_id
        if tag_id in _PARA_IDS:
            paras.append(el)
        elif tag_id in _BOX_IDS:
            boxes.append(el)
    for para in paras:
        text = (para.text() or "").strip()
        if len(text) < _MIN_P:
            continue
        score = 1 + text.count(",") + text.count("，") + min(len(text) // 100, 3)
        parent = para.parent
        while parent is not None and parent.tag_id in _DIV and len((parent.text() or "").strip()) == len(text):
            parent = parent.parent  # a wrapper around one paragraph (`<div class="text-block"><p>`) is the paragraph
        if parent is not None:
            add(parent, score)
            add(parent.parent, score / 2)
    for box in boxes:
        direct = (box.text(deep=False) or "").strip()
        if len(direct) < _MIN_P:
            continue
        if len(direct) >= 100 and box.css_first("br") is not None:  # a <br>-separated body
            add(box, 1 + min(len(direct) // 100, 10) + direct.count(",") / 2)
        else:  # a paragraph written as a <div>
            score = 1 + direct.count(",") + min(len(direct) // 100, 3)
            parent = box.parent
            if parent is not None:
                add(parent, score)
                add(parent.parent, score / 2)

    best, best_score = None, 0.0
    for node, score in sorted(scores.values(), key=lambda e: e[1], reverse=True)[:_TOP]:
        if score * _MAX_BOOST <= best_score:  # no later (lower) candidate can win any more
            break
        text_len = len((node.text() or "").strip())
        final = score * (1 + _weight(node) / _WEIGHT_SCALE) * (1 - _link_density(node, text_len))
        if final > best_score:
            best, best_score = node, final
    return best


def drop_link_boxes(body) -> None:
    """Remove boxes inside the body that are mostly links (live-update boxes, topic lists, "more on
    this story"): two or more links whose text is at least half of the box's text."""
    doomed: dict[int, object] = {}
    if len(body.css("a")) < 2:  # no box can have two links
        return
    for box in body.css("div, ul, ol, section, table"):
        links = box.css("a")
        if len(links) < 2 or any(id_ in doomed for id_ in _ancestors(box, body)):
            continue
        text_len = len((box.text(deep=True) or "").strip())
        if text_len and sum(len((a.text(deep=True) or "").strip()) for a in links) >= text_len / 2:
            doomed[box.mem_id] = box
    for box in doomed.values():
        box.decompose()


def _ancestors(node, stop):
    parent = node.parent
    while parent is not None and parent.mem_id != stop.mem_id:
        yield parent.mem_id
        parent = parent.parent

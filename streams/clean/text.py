"""Plain-text normalisation shared by every field: NFC, no invisible characters, one space."""
from __future__ import annotations

import hashlib
import re
import unicodedata

# Zero-width and bidi-control characters, soft hyphen, BOM: invisible, never content.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# C0/C1 control characters except tab/newline/carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e]")
_KANA = re.compile("[\u3040-\u30ff]")
_HAN = re.compile("[\u4e00-\u9fff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")

# Block separator the extractor inserts into the DOM; stripped from input first so it is unique.
BLOCK_MARK = "\x1e"


def strip_controls(text: str) -> str:
    """Remove control and invisible characters (used on the whole page before parsing)."""
    return _INVISIBLE.sub("", _CONTROL.sub("", text))


def normalise(text: str | None) -> str:
    """One line of plain text: NFC, invisible/control chars removed, whitespace collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", _CONTROL.sub(" ", text))
    return _SPACES.sub(" ", text).strip()


def normalise_lines(text: str | None) -> list[str]:
    """Non-empty normalised lines of a text that keeps its line breaks."""
    if not text:
        return []
    return [line for line in (normalise(part) for part in text.split("\n")) if line]


def fingerprint(paragraphs: list[str]) -> str:
    """sha256 (first 32 hex chars) of the body text, independent of URL, case and spacing."""
    body = normalise(" ".join(paragraphs)).casefold()
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]


def detect_language(text: str, declared: str | None = None) -> str | None:
    """`ko` when Hangul dominates, else the page's declared language, else a script guess."""
    sample = text[:5000]
    hangul = len(_HANGUL.findall(sample))
    latin = len(_LATIN.findall(sample))
    kana = len(_KANA.findall(sample))
    han = len(_HAN.findall(sample))
    letters = hangul + latin + kana + han
    if not letters:
        return None
    if hangul / letters > 0.2:
        return "ko"
    if kana / letters > 0.1:
        return "ja"
    if han / letters > 0.5:
        return "zh"
    if declared:
        primary = declared.strip().lower().split("-")[0].split("_")[0]
        if re.fullmatch("[a-z]{2,3}", primary):
            return primary
    return "en" if latin / letters > 0.5 else None

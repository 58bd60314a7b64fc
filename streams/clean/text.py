"""Plain-text normalisation shared by every field: NFC, no invisible characters, one space."""

from __future__ import annotations

import hashlib
import unicodedata

from .rule_cache import Patterns

_KEPT = Patterns("text")  # this module's patterns, kept between runs: `_KEPT.keep()` at its end

_HANGUL = _KEPT.compile("[\uac00-\ud7a3\u3131-\u318e]")
_KANA = _KEPT.compile("[\u3040-\u30ff]")
_HAN = _KEPT.compile("[\u4e00-\u9fff]")
_LATIN_EXT = _KEPT.compile("[\u00c0-\u024f]")
_LANGUAGE_CODE = _KEPT.compile("[a-z]{2,3}")
_NON_ASCII = _KEPT.compile("[^\x00-\x7f]+")
_NOT_ASCII_LETTER = bytes(b for b in range(128) if not chr(b).isalpha())

# Block separator the extractor inserts into the DOM; stripped from input first so it is unique.
BLOCK_MARK = "\x1e"
_BLOCK_MARK_BYTE = BLOCK_MARK.encode()


# Never content, removed from every field: zero-width and bidi-control characters, soft hyphen,
# BOM, and the C0/C1 control characters except tab/newline/carriage return. (One regex finds and
# removes them: `re.sub` is ~20x faster than `str.translate` on a page's non-ASCII text.)
_UNSEEN = _KEPT.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def needs_preparing(data: bytes) -> bool:
    """Whether `prepare_page` would change the page these UTF-8 bytes encode (NUL and the block
    mark are one byte each in UTF-8, and no other character's bytes hold them)."""
    return b"\x00" in data or _BLOCK_MARK_BYTE in data


def prepare_page(text: str) -> str:
    """The page as the parser may see it: without NUL and without the block mark (so the marks the
    extractor inserts are the only ones). Other invisible characters are left to `normalise`,
    which removes them from every field the parser's text reaches (no regex over the page)."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text.replace(BLOCK_MARK, "") if BLOCK_MARK in text else text


def normalise(text: str | None) -> str:
    """One line of plain text: NFC, invisible/control chars removed, whitespace collapsed."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if _UNSEEN.search(text) is not None:  # rare: most texts are searched once and left as they are
        text = _UNSEEN.sub("", text)
    return " ".join(text.split())


def normalise_lines(text: str | None) -> list[str]:
    """Non-empty normalised lines of a text that keeps its line breaks."""
    if not text:
        return []
    return [line for line in (normalise(part) for part in text.split("\n")) if line]


def fingerprint(paragraphs: list[str], normalised: bool = False) -> str:
    """sha256 (first 32 hex chars) of the body text, independent of URL, case and spacing.

    `normalised=True` says every paragraph is already `normalise`d (as the cleaner's are): joined
    by single spaces they are then normalised too, so the result is the same, for less work."""
    body = " ".join(paragraphs) if normalised else normalise(" ".join(paragraphs))
    body = body.casefold()
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]


def detect_language(text: str, declared: str | None = None) -> str | None:
    """`ko` when Hangul dominates, else the page's declared language, else a script guess."""
    sample = text[:5000]
    ascii_part = sample.encode("ascii", "ignore")
    latin = len(ascii_part.translate(None, _NOT_ASCII_LETTER))
    hangul = kana = han = 0
    non_ascii = len(sample) - len(ascii_part)
    # Count scripts over the non-ASCII runs only, and only when they could decide: with fewer
    # non-ASCII characters than a tenth of the ASCII letters no script share reaches 10%.
    if non_ascii and non_ascii * 10 > latin:
        wide = "".join(_NON_ASCII.findall(sample))
        hangul = len(_HANGUL.findall(wide))
        latin += len(_LATIN_EXT.findall(wide))
        kana = len(_KANA.findall(wide))
        han = len(_HAN.findall(wide))
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
        if _LANGUAGE_CODE.fullmatch(primary):
            return primary
    return "en" if latin / letters > 0.5 else None


_KEPT.keep()  # after the module's last pattern

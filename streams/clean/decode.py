"""Bytes -> str: BOM, declared charset (envelope, <meta charset>, http-equiv), UTF-8, CP949.

A declaration is trusted only when the bytes agree with it: bytes that are valid UTF-8 with
non-ASCII content are UTF-8 whatever the page claims, and Korean bytes declared as Latin-1 are
read as CP949. EUC-KR is read as CP949 (its superset, what browsers do).
"""

from __future__ import annotations

import codecs
import re

from .errors import CleanError

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_BINARY_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"%PDF", "pdf"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"BZh", "bzip2"),
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Names pages use for Korean legacy encodings -> the codec that reads them all.
_ALIASES = {
    "euc-kr": "cp949",
    "euckr": "cp949",
    "euc_kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "ksc5601": "cp949",
    "x-windows-949": "cp949",
    "windows-949": "cp949",
    "uhc": "cp949",
    "cp949": "cp949",
    "ms949": "cp949",
}
_SINGLE_BYTE = {"latin_1", "iso8859-1", "cp1252", "ascii"}
_FALLBACKS = ("cp949", "gb18030", "shift_jis", "big5")
_UTF8_SHARE = 0.95  # of the non-ASCII characters decode as UTF-8: the page is UTF-8 with a few broken bytes


def canonical_codec(name: str | None) -> str | None:
    """Python codec name for a declared charset, or None if unknown."""
    if not name:
        return None
    key = name.strip().strip("\"'").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


# A page that opens as HTML does (after whitespace): a stray NUL byte in its head is a bad byte of
# its CMS, not a sign of binary data (the HTML parser reads a NUL as a parse error and goes on)
_MARKUP_START = re.compile(rb"\s*(?:<!doctype\s+html|<html|<head|<meta|<body|<!--|<\?xml)", re.IGNORECASE)
_STRAY_NULS = 16  # at most this many NULs in the first 4 KB: UTF-16 without a BOM has thousands


def sniff_binary(data: bytes) -> str | None:
    """Name of the binary format the bytes are, or None if they may be text."""
    for magic, name in _BINARY_MAGIC:
        if data.startswith(magic):
            return name
    head = data[:4096]
    if b"\x00" in head and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if head.count(b"\x00") <= _STRAY_NULS and _MARKUP_START.match(head.replace(b"\x00", b"")):
            return None
        return "binary (NUL bytes)"
    return None


def declared_in_page(data: bytes) -> str | None:
    """Charset from <meta charset> or http-equiv Content-Type in the first 4 KB."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _hangul_share(text: str) -> float:
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if not non_ascii:
        return 0.0
    return sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3") / non_ascii


UTF8_REPLACED = "utf-8 (bytes replaced)"  # the codec decode_bytes names for UTF-8 with broken bytes


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, codec used). Raises CleanError."""
    binary = sniff_binary(data)
    if binary:
        raise CleanError("not_html", f"value is {binary} data, not HTML")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], codec)
            if text is not None:
                return text, codec
    if data.isascii():
        return data.decode("ascii"), "ascii"
    utf8 = _strict(data, "utf-8")
    if utf8 is not None:  # valid UTF-8 with non-ASCII bytes: no legacy charset looks like this
        return utf8, "utf-8"
    utf8 = _nearly_utf8(data)
    if utf8 is not None:
        return utf8, UTF8_REPLACED
    envelope_codec = canonical_codec(declared)
    if declared and envelope_codec is None:
        raise CleanError("bad_encoding", f"unknown encoding {declared!r} and the bytes are not UTF-8")
    candidates = [envelope_codec, canonical_codec(declared_in_page(data))]
    for codec in (c for c in candidates if c):
        if codec == "utf-8":
            continue
        text = _strict(data, codec)
        if text is None:
            continue
        if codec in _SINGLE_BYTE:  # Latin-1 decodes anything: prefer CP949 if the bytes are Korean
            korean = _strict(data, "cp949")
            if korean is not None and _hangul_share(korean) > 0.5:
                return korean, "cp949"
        return text, codec
    for codec in _FALLBACKS:
        text = _strict(data, codec)
        if text is not None and (codec != "cp949" or _hangul_share(text) > 0.3):
            if codec == "cp949" or _plausible(text):
                return text, codec
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        return guess
    raise CleanError("undecodable", "bytes are not UTF-8, CP949/EUC-KR or any declared charset")


def utf8_of(data: bytes, codec: str) -> bytes | None:
    """`data` where it is exactly the text `decode_bytes` gave as `codec` in UTF-8 (ASCII, or
    UTF-8 without a BOM and without a replaced byte), so the parser can read the bytes without
    encoding the text again; else None."""
    return data if codec == "ascii" or (codec == "utf-8" and not data.startswith(codecs.BOM_UTF8)) else None


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8 with a stray broken byte or two (a cut multi-byte character, one pasted Latin-1 byte),
    read as UTF-8 with those bytes replaced, as a browser reads a UTF-8 page: None unless at least
    `_UTF8_SHARE` of the non-ASCII characters decode. Legacy bytes read as UTF-8 mostly fail (a
    Latin-1 `é` before ASCII, CP949's two-byte Hangul), so they stay for the codecs below; a single
    byte codec would otherwise read the whole page as mojibake (`Fundacjńô` for `Fundację`)."""
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd")
    broken = replaced - data.count(b"\xef\xbf\xbd")
    ascii_chars = len(text.encode("ascii", "ignore"))
    decoded = len(text) - ascii_chars - replaced  # the non-ASCII characters that decoded
    return text if broken <= (decoded + broken) * (1 - _UTF8_SHARE) else None


def _plausible(text: str) -> bool:
    """Few replacement/private-use/unassigned characters: the decode reads like text."""
    sample = text[:20000]
    odd = sum(1 for ch in sample if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd")
    return odd <= len(sample) * 0.01


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - dependency of the project
        return None
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding in _SINGLE_BYTE | {"latin_1", "cp1252"}:
        return None
    text = _strict(data, best.encoding)
    if text is None or not _plausible(text):
        return None
    return text, best.encoding

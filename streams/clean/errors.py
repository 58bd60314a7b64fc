"""Why the cleaner rejects an input: one exception, one reason code per way of failing.

Every failure of `clean_event` / `clean_html` is a `CleanError`; nothing else escapes.
The shell turns it into a DeadLetter with `stage` and `reason` = `code`.

| code              | stage  | meaning                                                                  |
|-------------------|--------|--------------------------------------------------------------------------|
| `empty`           | decode | the value (or the envelope's `html`) is 0 bytes or only whitespace       |
| `too_large`       | decode | the value (or the envelope's `html`) is over `max_bytes`                 |
| `malformed_json`  | decode | the value starts like JSON (`{` or `[`) but is not valid JSON            |
| `bad_envelope`    | decode | valid JSON object that is not a RawArticle (no `html`, no `id`, ...)     |
| `not_html`        | decode | binary (NUL bytes in the first 4 KB, beyond a few stray ones in bytes    |
|                   |        | that open as an HTML page; gzip/zip/png/pdf magic), JSON array/scalar,   |
|                   |        | or text without any HTML markup                                          |
| `undecodable`     | decode | bytes that no plausible charset (declared, UTF-8, CP949, ...) decodes    |
| `bad_encoding`    | decode | the envelope names an `encoding` Python does not know and the bytes are  |
|                   |        | not UTF-8 either                                                         |
| `parse_failed`    | parse  | the HTML parser itself failed on the document                            |
| `no_article_text` | clean  | HTML, but no article body text was found (e.g. only scripts or chrome)   |
| `internal`        | clean  | an unexpected bug in the cleaner; the message names the exception        |
"""

from __future__ import annotations

CODES: dict[str, str] = {
    "empty": "decode",
    "too_large": "decode",
    "malformed_json": "decode",
    "bad_envelope": "decode",
    "not_html": "decode",
    "undecodable": "decode",
    "bad_encoding": "decode",
    "parse_failed": "parse",
    "no_article_text": "clean",
    "internal": "clean",
}


class CleanError(Exception):
    """A rejected input: `code` (reason code), `stage` (decode/parse/clean), `message`."""

    def __init__(self, code: str, message: str, stage: str | None = None) -> None:
        self.code = code
        self.stage = stage or CODES.get(code, "clean")
        self.message = message
        super().__init__(f"{self.code} ({self.stage}): {message}")

    def __repr__(self) -> str:
        return f"CleanError(code={self.code!r}, stage={self.stage!r}, message={self.message!r})"

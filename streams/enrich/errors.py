"""Exceptions of the enricher: one for bad input articles, one for bad data files."""

from __future__ import annotations


class EnrichError(Exception):
    """An article could not be enriched. The shell sends `code` and `message` to the dead-letter topic."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class EnrichDataError(EnrichError):
    """A gazetteer or taxonomy file is invalid; the message names the file and the entry."""

    def __init__(self, message: str) -> None:
        super().__init__("bad_enrich_data", message)


def data_error(where: str, message: str) -> EnrichDataError:
    """An EnrichDataError whose message starts with the entry it is about."""
    return EnrichDataError(f"{where}: {message}")

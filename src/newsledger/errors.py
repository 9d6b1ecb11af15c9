"""One error vocabulary for newsledger: every error has a code and says what to do.

Codes are stable (tests and the REST API match on them); messages say what was wrong and how to
fix it.  ``NewsledgerError`` is the base; the CLI prints ``[CODE] message`` and exits non-zero,
the API turns it into ``{"error": {"code", "message", "detail"}}``.
"""
from __future__ import annotations

from typing import Any


class NewsledgerError(Exception):
    code = "E000"
    status = 400  # HTTP status when it reaches the API

    def __init__(self, message: str, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "detail": self.detail}


class DecodeError(NewsledgerError):
    """A file whose bytes are not text in any encoding we accept (or are binary junk)."""

    code = "E101"
    status = 422


class FormatError(NewsledgerError):
    """Text that decodes but does not have the expected shape (digest, feed, JSON line...)."""

    code = "E102"
    status = 422


class InputTooLarge(NewsledgerError):
    code = "E103"
    status = 413


class IOFailure(NewsledgerError):
    """A file that cannot be read or written (permissions, missing folder, full disk)."""

    code = "E104"
    status = 500


class NotFound(NewsledgerError):
    code = "E404"
    status = 404


class StoreError(NewsledgerError):
    code = "E201"
    status = 500


class ConfigError(NewsledgerError):
    code = "E301"
    status = 400


class Unauthorized(NewsledgerError):
    code = "E401"
    status = 401

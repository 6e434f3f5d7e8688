"""One exception family for the domain: views and commands catch ApplicationError and show its
message (already in the user's language) instead of a stack trace."""

from typing import Any


class ApplicationError(Exception):
    """A rule of the domain refused the request. `message` is shown to the user as it is."""

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundOrForbidden(ApplicationError):
    """The object does not exist, or the caller may not see it; the two must look the same."""

"""Who is doing something, and from where: passed from the edges (views, commands) into services
so that every write can be audited without services reading the request."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest


@dataclass(frozen=True)
class Actor:
    user: Any  # accounts.User or None for the system; typed loosely to keep core below accounts
    ip: str | None = None
    label: str = ""

    @classmethod
    def from_request(cls, request: "HttpRequest") -> "Actor":
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, ip=client_ip(request), label=user.get_username() if user else "")

    @classmethod
    def system(cls, label: str) -> "Actor":
        return cls(user=None, ip=None, label=label)


def client_ip(request: "HttpRequest") -> str | None:
    """The address the request came from; behind a proxy, axes' ipware setting decides."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR")

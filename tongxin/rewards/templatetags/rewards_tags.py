from typing import Any

from django import template

from .. import policies

register = template.Library()


@register.filter
def may_book(user: Any) -> bool:
    """Whether the staff account has communities whose time-bank bookings it runs."""
    return policies.managed_communities(user).exists()

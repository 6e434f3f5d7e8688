from django import template

from ..amounts import hours_text

register = template.Library()


@register.filter
def hours_of(minutes: int) -> str:
    """Minutes as hours: 90 → "1.5"."""
    sign = "-" if minutes < 0 else ""
    return sign + hours_text(abs(int(minutes)))

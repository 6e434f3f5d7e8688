"""How amounts read: minutes as hours, points as points. Shared by messages, pages and exports."""

from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Currency


def hours_text(minutes: int) -> str:
    """60 → "1", 90 → "1.5", 100 → "1.67": hours with at most two decimals, no trailing zeros."""
    value = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
    text = format(value, "f").rstrip("0").rstrip(".")
    return text or "0"


def amount_text(currency: str, amount: int) -> str:
    if currency == Currency.HOURS:
        return _("%(n)s 小时") % {"n": hours_text(amount)}
    if currency == Currency.CREDITS:
        return _("%(n)s 时间币") % {"n": hours_text(amount)}
    return _("%(n)s 积分") % {"n": amount}

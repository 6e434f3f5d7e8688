"""The points rule form (integers or empty: no cap) and the manual adjustment form; the services
check the rest."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongxin.core.numbers import PlainDecimalField, PlainIntegerField

from .models import Currency

INVALID = {"invalid": _("请输入整数。"), "required": _("请填写此项。")}
INVALID_CHOICE = {"invalid_choice": _("请从列表中选择。"), "required": _("请选择此项。")}


class RuleForm(forms.Form):
    points_per_unit = PlainIntegerField(label=_("每单位积分"), error_messages=INVALID)
    cap_per_day = PlainIntegerField(label=_("每日上限"), required=False, error_messages=INVALID)
    cap_per_month = PlainIntegerField(label=_("每月上限"), required=False, error_messages=INVALID)
    cap_per_year = PlainIntegerField(label=_("每年上限"), required=False, error_messages=INVALID)
    yearly_budget = PlainIntegerField(label=_("年度预算"), required=False, error_messages=INVALID)
    active = forms.BooleanField(label=_("启用"), required=False)


class Direction:
    CREDIT = "credit"
    DEBIT = "debit"


DIRECTIONS = [(Direction.CREDIT, _("增加")), (Direction.DEBIT, _("扣减"))]


# The most one adjustment may move; a larger figure is a typing mistake (or needs a second look).
MAX_ADJUST = {Currency.CREDITS: Decimal(1000), Currency.POINTS: Decimal(100_000)}


class AdjustForm(forms.Form):
    """A manual correction of one person's points or time credits: credits are entered in hours
    (up to two decimals, stored as minutes), points as whole points."""

    # Hours are certified through the service records, never adjusted by hand.
    currency = forms.ChoiceField(
        label=_("币种"),
        choices=[(c.value, c.label) for c in (Currency.POINTS, Currency.CREDITS)],
        error_messages=INVALID_CHOICE,
    )
    direction = forms.ChoiceField(
        label=_("调整方向"),
        choices=DIRECTIONS,
        initial=Direction.CREDIT,
        error_messages=INVALID_CHOICE,
    )
    amount = PlainDecimalField(
        label=_("数额"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        help_text=_("积分填整数;时间币按小时填写,如 1.5。"),
        error_messages={
            "invalid": _("请输入数字,如 1.5 或 20。"),
            "required": _("请填写此项。"),
            "min_value": _("数额须大于 0。"),
            "max_digits": _("数额太大,请核对。"),
            "max_whole_digits": _("数额太大,请核对。"),
            "max_decimal_places": _("最多两位小数。"),
        },
    )
    reason = forms.CharField(
        label=_("调整原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("将显示在本人的收支明细中,并记入审计日志。"),
        error_messages={"required": _("请写明调整原因(至少4个字)。"), "max_length": _("原因最多200个字。")},
    )

    def signed_amount(self) -> int:
        """The amount in the ledger's unit, negative for a debit."""
        data = self.cleaned_data
        units = data["amount"] * 60 if data["currency"] != Currency.POINTS else data["amount"]
        return int(units) if data["direction"] == Direction.CREDIT else -int(units)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        amount, currency = data.get("amount"), data.get("currency")
        if amount is None or currency is None:
            return data
        if amount > MAX_ADJUST[currency]:
            unit = _("积分") if currency == Currency.POINTS else _("小时")
            self.add_error(
                "amount",
                _("单次调整最多 %(max)s %(unit)s,请核对。") % {"max": MAX_ADJUST[currency], "unit": unit},
            )
        elif currency == Currency.POINTS and amount != amount.to_integral_value():
            self.add_error("amount", _("积分须为整数。"))
        elif currency != Currency.POINTS and (amount * 60) != (amount * 60).to_integral_value():
            self.add_error("amount", _("时间币须为整分钟,如 0.5 小时或 1.25 小时。"))
        return data

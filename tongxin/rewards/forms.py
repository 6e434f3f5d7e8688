"""Forms of the catalogue (staff) and the time bank (phone). Rules live in the services; the forms
only turn typed text into values, so that every refusal reads the same wherever it comes from."""

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.core.numbers import PlainIntegerField, is_plain_decimal
from tongxin.matching.skills import SKILLS
from tongxin.people.models import Person
from tongxin.territory.models import Territory

from .models import BookingStatus, RedemptionStatus
from .services import ItemData

HOUR_CHOICES = [(m, _("%(h)s 小时") % {"h": f"{m / 60:g}"}) for m in range(30, 8 * 60 + 1, 30)]


def credits_to_minutes(value: object) -> int | None:
    """ "1.5" 时间币 → 90 minutes; None when it is not a plain number (the service says why if ≤ 0
    or over the limit)."""
    if not is_plain_decimal(value):
        return None
    try:
        return int((Decimal(str(value).strip()) * 60).to_integral_value())
    except ArithmeticError:  # cannot happen with a plain number; never a server error
        return None


class ItemForm(forms.Form):
    offerer = forms.ChoiceField(label=_("提供方"), required=False)
    name = forms.CharField(label=_("名称"), max_length=200)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    price = PlainIntegerField(label=_("所需积分"))
    stock = PlainIntegerField(label=_("库存"), required=False, help_text=_("服务类不限量请留空。"))
    per_person_limit = PlainIntegerField(label=_("每人限兑"), required=False, help_text=_("不限请留空。"))
    valid_until = forms.DateField(
        label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    active = forms.BooleanField(label=_("上架"), required=False, initial=True)

    def __init__(self, *args: Any, offerers: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offerers is None:
            del self.fields["offerer"]
        else:
            field = self.fields["offerer"]
            field.required = True
            field.choices = offerers  # type: ignore[attr-defined]
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = _("请输入整数。")
            field.error_messages["required"] = _("此项必填。")

    def data_object(self) -> ItemData:
        d = self.cleaned_data
        return ItemData(
            name=d["name"],
            description=d["description"],
            price=d["price"],
            stock=d["stock"],
            per_person_limit=d["per_person_limit"],
            active=d["active"],
            valid_until=d["valid_until"],
        )


class CodeForm(forms.Form):
    code = forms.CharField(label=_("兑换码"), max_length=40)


class RedemptionFilter(forms.Form):
    q = forms.CharField(label=_("兑换码或物品"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *list(RedemptionStatus.choices)]
    )


class BookingFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *list(BookingStatus.choices)]
    )
    skill = forms.ChoiceField(label=_("服务内容"), required=False, choices=[("", _("全部")), *SKILLS])
    community = forms.ModelChoiceField(
        label=_("社区"), required=False, queryset=Territory.objects.none(), empty_label=_("全部")
    )

    def __init__(self, *args: Any, communities: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]


class TransferForm(forms.Form):
    name = forms.CharField(label=_("亲属姓名"), max_length=50)
    mobile = forms.CharField(
        label=_("亲属手机号"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    amount = forms.CharField(
        label=_("转出时间币(个)"), max_length=10, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


class DonateForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("捐给哪个社区"), queryset=Territory.objects.none(), empty_label=None
    )
    amount = forms.CharField(
        label=_("捐出时间币(个)"), max_length=10, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )

    def __init__(self, *args: Any, communities: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]


class BookForm(forms.Form):
    beneficiary = forms.ModelChoiceField(
        label=_("为谁预约"), queryset=Person.objects.none(), empty_label=None
    )
    skill = forms.ChoiceField(label=_("需要什么服务"), choices=SKILLS)
    minutes = forms.TypedChoiceField(label=_("需要多长时间"), choices=HOUR_CHOICES, coerce=int, initial=60)
    day = forms.DateField(label=_("哪一天"), widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(label=_("几点"), widget=forms.TimeInput(attrs={"type": "time"}), initial=time(9, 0))
    address = forms.CharField(label=_("服务地点(如3号楼2单元)"), max_length=100)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def __init__(self, *args: Any, beneficiaries: QuerySet[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if beneficiaries is None:
            del self.fields["beneficiary"]
        else:
            self.fields["beneficiary"].queryset = beneficiaries  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.error_messages["required"] = _("此项必填。")

    def wanted_at(self) -> datetime:
        d = self.cleaned_data
        return timezone.make_aware(datetime.combine(d["day"], d["at"]))


class StaffBookForm(BookForm):
    resident_name = forms.CharField(label=_("老人姓名"), max_length=50)
    resident_id = forms.CharField(label=_("老人身份证号"), max_length=18)
    from_pool = forms.BooleanField(label=_("从社区互助池扣时间币(老人自己没有时间币时)"), required=False)

    field_order = ["resident_name", "resident_id", "from_pool"]

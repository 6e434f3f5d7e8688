"""Staff forms: a point, one range of hours, one closure; and the filters of the appointment list.
Forms only parse; the services decide (and say in Chinese what is wrong)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tongxin.territory.models import Territory

from .models import WEEKDAY_NAMES, AppointmentStatus, HoursKind, PointKind, ServicePoint


class PointForm(forms.Form):
    community = forms.ModelChoiceField(label=_("所在社区/街道"), queryset=Territory.objects.none())
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=PointKind.choices)
    address = forms.CharField(label=_("地址"), max_length=200)
    phone = forms.CharField(label=_("服务电话"), max_length=30, required=False)
    matters = forms.CharField(
        label=_("可办事项(每行一项)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("例如:社保卡办理、老年证、居住证明。"),
    )
    active = forms.BooleanField(label=_("开放预约"), required=False, initial=True)
    closed_on_holidays = forms.BooleanField(label=_("法定节假日休息"), required=False, initial=True)
    slot_minutes = forms.IntegerField(label=_("每个时段(分钟)"), initial=30)
    slot_capacity = forms.IntegerField(label=_("每个时段可约人数"), initial=2)
    days_ahead = forms.IntegerField(label=_("可提前预约天数"), initial=14)
    notice_minutes = forms.IntegerField(label=_("至少提前(分钟)"), initial=120)

    def __init__(self, *args: Any, communities: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(point: ServicePoint) -> dict[str, Any]:
        return {
            "community": point.community_id,
            "name": point.name,
            "kind": point.kind,
            "address": point.address,
            "phone": point.phone,
            "matters": "\n".join(point.matters),
            "active": point.active,
            "closed_on_holidays": point.closed_on_holidays,
            "slot_minutes": point.slot_minutes,
            "slot_capacity": point.slot_capacity,
            "days_ahead": point.days_ahead,
            "notice_minutes": point.notice_minutes,
        }


class HoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("星期"), choices=list(enumerate(WEEKDAY_NAMES)), coerce=int)
    opens = forms.TimeField(label=_("开始"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    closes = forms.TimeField(label=_("结束"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    kind = forms.ChoiceField(label=_("类型"), choices=HoursKind.choices)


class ClosureForm(forms.Form):
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("原因"), max_length=100)


WHEN_CHOICES = (
    ("today", _("今天")),
    ("upcoming", _("今后")),
    ("past", _("以往")),
    ("all", _("全部")),
)


class AppointmentFilter(forms.Form):
    when = forms.ChoiceField(label=_("时间"), choices=WHEN_CHOICES, required=False)
    point = forms.ModelChoiceField(
        label=_("服务点"), queryset=ServicePoint.objects.none(), required=False, empty_label=_("全部")
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *AppointmentStatus.choices], required=False
    )
    q = forms.CharField(label=_("预约人姓名"), max_length=50, required=False)

    def __init__(self, *args: Any, points: QuerySet[ServicePoint], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

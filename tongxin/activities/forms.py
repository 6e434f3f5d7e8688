"""Forms: the organiser's activity with its slots, the paper results, the phone subscription."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.matching.skills import SKILLS
from tongxin.needs.policies import COMMUNITY_LEVELS
from tongxin.territory.models import Territory

from .models import Category, Slot
from .policies import OrganiserChoice
from .services import ActivityData, SlotData


def local(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


class ActivityForm(forms.Form):
    organiser = forms.ChoiceField(label=_("主办方"))
    title = forms.CharField(label=_("活动名称"), max_length=60)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    community = forms.ModelChoiceField(
        label=_("所在社区"), queryset=Territory.objects.filter(level__in=COMMUNITY_LEVELS).order_by("path")
    )
    venue = forms.CharField(label=_("活动地点"), max_length=60, help_text=_("如:杨树浦敬老院二楼活动室"))
    address = forms.CharField(label=_("详细地址"), max_length=120, required=False)
    description = forms.CharField(
        label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    skills = forms.MultipleChoiceField(
        label=_("所需专长(任选其一即可报名;不选则不限)"),
        choices=SKILLS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    min_age = forms.IntegerField(label=_("最低年龄"), required=False, min_value=0, max_value=100)
    max_age = forms.IntegerField(label=_("最高年龄"), required=False, min_value=0, max_value=100)
    awards_hours = forms.BooleanField(label=_("记录服务时长"), required=False, initial=True)
    awards_points = forms.BooleanField(label=_("给予积分"), required=False, initial=True)
    cancel_hours = forms.IntegerField(
        label=_("取消报名截止(开始前小时数)"), min_value=0, max_value=168, initial=2
    )
    checkin_minutes = forms.IntegerField(label=_("提前签到(分钟)"), min_value=0, max_value=180, initial=30)

    def __init__(
        self, *args: Any, organisers: list[OrganiserChoice], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisers = {c.key: c for c in organisers}
        field = self.fields["organiser"]
        field.choices = [(c.key, c.label) for c in organisers]  # type: ignore[attr-defined]
        if editing:
            field.disabled = True
            field.required = False

    def activity_data(self) -> ActivityData:
        d = self.cleaned_data
        return ActivityData(
            title=d["title"],
            category=d["category"],
            community=d["community"],
            venue=d["venue"],
            address=d["address"],
            description=d["description"],
            skills=list(d["skills"]),
            min_age=d["min_age"],
            max_age=d["max_age"],
            awards_hours=d["awards_hours"],
            awards_points=d["awards_points"],
            cancel_hours=d["cancel_hours"],
            checkin_minutes=d["checkin_minutes"],
        )


class SlotForm(forms.Form):
    slot_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("开始"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("结束"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=1000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise forms.ValidationError(_("结束时间必须晚于开始时间。"))
        return data

    def slot_data(self) -> SlotData:
        d = self.cleaned_data
        return SlotData(
            starts_at=local(d["day"], d["start"]),
            ends_at=local(d["day"], d["end"]),
            capacity=d["capacity"],
            pk=d.get("slot_id"),
        )

    @staticmethod
    def initial_of(slot: Slot) -> dict[str, Any]:
        start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
        return {
            "slot_id": slot.pk,
            "day": start.date(),
            "start": start.time(),
            "end": end.time(),
            "capacity": slot.capacity,
        }


SlotFormSet = forms.formset_factory(SlotForm, extra=1, can_delete=True, max_num=20, validate_max=True)


def blank_slot_initial(now: datetime) -> dict[str, Any]:
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    return {"day": tomorrow, "start": time(9, 0), "end": time(11, 0), "capacity": 10}


class PaperRowForm(forms.Form):
    """One person's times from the paper sheet (HH:MM on the slot's day)."""

    signup_id = forms.IntegerField(widget=forms.HiddenInput)
    checked_in = forms.TimeField(
        label=_("签到时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    checked_out = forms.TimeField(
        label=_("签退时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("checked_in")) != bool(data.get("checked_out")):
            raise forms.ValidationError(_("请同时填写签到和签退时间,或都不填。"))
        return data


PaperFormSet = forms.formset_factory(PaperRowForm, extra=0)


class SubscriptionForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("我关注的活动类别"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("我关注的社区"),
        queryset=Territory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    by_sms = forms.BooleanField(label=_("有新活动时也发短信给我"), required=False)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = communities  # type: ignore[attr-defined]


class AdjustForm(forms.Form):
    minutes = forms.IntegerField(label=_("服务时长(分钟)"), min_value=1)
    reason = forms.CharField(label=_("调整原因"), max_length=100)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=100)

"""Forms of the records pages: the volunteer's correction request, the organiser's entry of
offline service and its correction, and the public verification box."""

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CorrectionRequestForm(forms.Form):
    hours = forms.IntegerField(label=_("小时"), min_value=0, max_value=24, initial=0)
    minutes = forms.IntegerField(label=_("分钟"), min_value=0, max_value=59, initial=0)
    reason = forms.CharField(
        label=_("为什么要更正"),
        max_length=300,
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("例如:我11点才离开,签退时忘了扫码。"),
    )

    def total(self) -> int:
        return int(self.cleaned_data["hours"] or 0) * 60 + int(self.cleaned_data["minutes"] or 0)


class RecordEntryForm(forms.Form):
    organiser = forms.ChoiceField(label=_("组织方"), choices=())
    title = forms.CharField(label=_("服务内容"), max_length=100)
    place = forms.CharField(label=_("服务地点"), max_length=100, required=False)
    day = forms.DateField(label=_("服务日期"), widget=forms.DateInput({"type": "date"}))
    start = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput({"type": "time"}))
    end = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput({"type": "time"}))
    minutes = forms.IntegerField(label=_("服务时长(分钟)"), min_value=1, max_value=24 * 60)
    award_points = forms.BooleanField(label=_("按规则计积分"), required=False, initial=True)
    reason = forms.CharField(
        label=_("说明(补录原因)"), max_length=300, required=False, help_text=_("例如:纸质签到表补录。")
    )

    def __init__(
        self, *args: Any, organisers: list[tuple[str, list[tuple[str, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].choices = [("", "—"), *organisers]  # type: ignore[attr-defined]

    def span(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        tz = timezone.get_current_timezone()
        start = datetime.combine(day, self.cleaned_data["start"] or time(0), tzinfo=tz)
        end = datetime.combine(day, self.cleaned_data["end"] or time(0), tzinfo=tz)
        return start, end


class CorrectForm(forms.Form):
    minutes = forms.IntegerField(label=_("更正后的时长(分钟)"), min_value=1, max_value=24 * 60)
    reason = forms.CharField(label=_("更正理由"), max_length=300)

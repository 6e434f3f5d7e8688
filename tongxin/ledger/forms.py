"""The points rule form: integers or empty (no cap); the service checks the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

INVALID = {"invalid": _("请输入整数。"), "required": _("请填写此项。")}


class RuleForm(forms.Form):
    points_per_unit = forms.IntegerField(label=_("每单位积分"), error_messages=INVALID)
    cap_per_day = forms.IntegerField(label=_("每日上限"), required=False, error_messages=INVALID)
    cap_per_month = forms.IntegerField(label=_("每月上限"), required=False, error_messages=INVALID)
    cap_per_year = forms.IntegerField(label=_("每年上限"), required=False, error_messages=INVALID)
    yearly_budget = forms.IntegerField(label=_("年度预算"), required=False, error_messages=INVALID)
    active = forms.BooleanField(label=_("启用"), required=False)

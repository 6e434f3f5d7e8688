"""The registration form (phone page and staff page alike) and the team forms."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tongxin.matching.forms import HelperFieldsForm


class RegisterForm(HelperFieldsForm):
    consent = forms.BooleanField(label=_("我已阅读上面的说明,同意实名注册为志愿者。"), required=False)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("服务队名称"), max_length=100)
    owner = forms.ChoiceField(label=_("隶属于"), choices=())
    leader = forms.CharField(
        label=_("队长(志愿者编号,可不填)"),
        max_length=32,
        required=False,
        help_text=_("例如 ZY310110202600001"),
    )
    description = forms.CharField(
        label=_("简介"), max_length=300, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(
        self, *args: Any, owners: list[tuple[str, list[tuple[str, str]]]] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].choices = [("", "—"), *owners]  # type: ignore[attr-defined]

"""The registration form (phone page and staff page alike) and the team forms."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tongxin.matching.skills import PERIODS, SKILLS, SLOT_CODES, WEEKDAYS
from tongxin.territory.models import Territory


class RegisterForm(forms.Form):
    skills = forms.MultipleChoiceField(
        label=_("我能做什么"), choices=SKILLS, widget=forms.CheckboxSelectMultiple, required=False
    )
    slots = forms.MultipleChoiceField(
        label=_("什么时候有空"),
        choices=[(c, c) for c in SLOT_CODES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("我愿意服务的社区"),
        queryset=Territory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent = forms.BooleanField(label=_("我已阅读上面的说明,同意实名注册为志愿者。"), required=False)

    def __init__(self, *args: Any, communities: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = communities  # type: ignore[attr-defined]

    def slot_grid(self) -> list[tuple[object, list[tuple[str, object, bool]]]]:
        """Rows of the weekday × period table: (weekday, [(code, period, checked)])."""
        chosen = set(self["slots"].value() or [])
        return [
            (day, [(f"{d}-{p[0]}", p[1], f"{d}-{p[0]}" in chosen) for p in PERIODS])
            for d, day in enumerate(WEEKDAYS)
        ]


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

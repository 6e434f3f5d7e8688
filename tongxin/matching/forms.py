"""The helper's fields (skills, free slots, communities served) and the member's own profile
form on the phone site; the volunteer registration builds on the same fields."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tongxin.territory.models import Territory

from .skills import PERIODS, SKILLS, SLOT_CODES, WEEKDAYS


class HelperFieldsForm(forms.Form):
    """What a HelperProfile keeps; rendered by matching/_helper_fields.html."""

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


class ProfileForm(HelperFieldsForm):
    paused = forms.BooleanField(label=_("暂停接单(暂时不被推荐)"), required=False)
    consent = forms.BooleanField(
        label=_("我同意社区工作人员在有居民需要帮助时看到我的专长和空闲时段,并联系我。"), required=False
    )

"""Forms of the care pages. They only parse input: the rules (and their Chinese messages) are the
services', so a form never accepts what a service would refuse or says it differently."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import CADENCE_MAX, CADENCE_MIN, Basis, CloseReason, Condition, ConsentBy, Kind, Way
from .services import NOTES_MAX, PLACE_MAX, VISIT_NOTES_MAX, CareError

CHECK = {"class": "form-check-input"}
DAYS_AGO = [(0, _("今天")), (1, _("昨天")), (2, _("前天"))]


class RefusableForm(forms.Form):
    def refuse(self, error: CareError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error.message))


class SubjectForm(RefusableForm):
    kinds = forms.TypedMultipleChoiceField(
        label=_("关爱类别"),
        choices=Kind.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs=CHECK),
        required=False,
    )
    community: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("所在社区"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
    )
    place = forms.CharField(label=_("楼栋门牌"), max_length=PLACE_MAX, required=False)
    basis = forms.ChoiceField(
        label=_("登记依据"), choices=Basis.choices, widget=forms.RadioSelect(attrs=CHECK), required=False
    )
    consent_by = forms.ChoiceField(
        label=_("同意人"), choices=ConsentBy.choices, widget=forms.RadioSelect(attrs=CHECK), required=False
    )
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50, required=False)
    consent_on = forms.DateField(
        label=_("同意日期"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    legal_basis = forms.CharField(label=_("法定依据"), max_length=100, required=False)
    legal_reference = forms.CharField(label=_("认定文号"), max_length=100, required=False)
    cadence_days = forms.IntegerField(
        label=_("走访周期(天)"),
        required=False,
        help_text=_("不填则按类别默认:独居老人7天,残疾人、留守儿童14天,困难家庭30天。"),
        widget=forms.NumberInput(attrs={"min": CADENCE_MIN, "max": CADENCE_MAX}),
    )
    notes = forms.CharField(
        label=_("备注"), max_length=NOTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, communities: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kinds": data.get("kinds") or [],
            "community": data.get("community"),
            "basis": data.get("basis") or "",
            "consent_by": data.get("consent_by") or "",
            "guardian_name": data.get("guardian_name") or "",
            "consent_on": data.get("consent_on"),
            "legal_basis": data.get("legal_basis") or "",
            "legal_reference": data.get("legal_reference") or "",
            "cadence_days": data.get("cadence_days"),
            "place": data.get("place") or "",
            "notes": data.get("notes") or "",
        }


class CloseForm(RefusableForm):
    reason = forms.ChoiceField(
        label=_("销册原因"), choices=CloseReason.choices, widget=forms.RadioSelect(attrs=CHECK)
    )
    note = forms.CharField(
        label=_("销册说明"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class VisitForm(RefusableForm):
    way = forms.ChoiceField(
        label=_("走访方式"), choices=Way.choices, widget=forms.RadioSelect(attrs=CHECK), required=False
    )
    condition = forms.ChoiceField(
        label=_("对象情况"), choices=Condition.choices, widget=forms.RadioSelect(attrs=CHECK), required=False
    )
    visited_on = forms.DateField(
        label=_("走访日期"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("走访记录(选填)"),
        max_length=VISIT_NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": VISIT_NOTES_MAX}),
    )
    follow_up = forms.BooleanField(label=_("需要社区跟进"), required=False)
    visitor = forms.TypedChoiceField(label=_("走访人"), coerce=int, required=False)

    # On the phone: a tap for today, yesterday or the day before instead of a date picker.
    days_ago = forms.TypedChoiceField(
        label=_("哪天走访的"),
        choices=DAYS_AGO,
        coerce=int,
        widget=forms.RadioSelect(attrs=CHECK),
        initial=0,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        visitors: list[tuple[int, str]] | None = None,
        today: date,
        phone: bool = False,
        **kwargs: Any,
    ):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("visited_on", today)
        super().__init__(*args, **kwargs)
        self.today = today
        if visitors is None:
            del self.fields["visitor"]
        else:
            self.fields["visitor"].choices = visitors  # type: ignore[attr-defined]
        if phone:
            del self.fields["visited_on"]
        else:
            del self.fields["days_ago"]

    def visit_day(self) -> date | None:
        if "days_ago" in self.fields:
            return self.today - timedelta(days=self.cleaned_data.get("days_ago") or 0)
        return self.cleaned_data.get("visited_on")

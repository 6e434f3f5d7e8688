"""Forms of the registry pages. The rules live in the services (person_clean, unit_clean); a form
only turns typed text into their arguments and puts each refusal at the field it concerns."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tongxin.audit.models import AuditAction, AuditResult
from tongxin.people.choices import EDUCATION_CHOICES, ETHNIC_GROUPS
from tongxin.people.services import PersonData, person_clean
from tongxin.territory.models import Territory, TerritoryLevel
from tongxin.units.models import UnitKind
from tongxin.units.services import unit_clean

# Where a person can be registered as living: a community or village, or a grid inside one.
RESIDENCE_LEVELS = (TerritoryLevel.COMMUNITY, TerritoryLevel.VILLAGE, TerritoryLevel.GRID)


def territory_choices(
    territories: QuerySet[Territory], *, levels: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """Options labelled with their path inside the caller's scope ("街道 › 社区 › 网格"), in tree
    order, so that two communities with the same name in different streets can be told apart."""
    nodes = list(territories.order_by("path"))
    names = {n.path: n.name for n in nodes}
    step = Territory.steplen
    choices: list[tuple[str, str]] = [("", str(_("请选择")))]
    for node in nodes:
        if levels and node.level not in levels:
            continue
        chain = [names[node.path[:i]] for i in range(step, len(node.path), step) if node.path[:i] in names]
        choices.append((str(node.pk), " › ".join([*chain, node.name])))
    return choices


class TerritoryChoiceField(forms.ChoiceField):
    """A territory picked among the ones the form was given; anything else is refused."""

    def __init__(self, *, territories: QuerySet[Territory] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.territories = territories if territories is not None else Territory.objects.none()

    def set_territories(self, territories: QuerySet[Territory], *, levels: tuple[str, ...] = ()) -> None:
        """Offer `territories` (only those of `levels`, when given); labels name their visible
        ancestors from the whole set."""
        self.territories = territories.filter(level__in=levels) if levels else territories
        self.choices = territory_choices(territories, levels=levels)

    def clean(self, value: Any) -> Territory | None:  # type: ignore[override]
        value = super().clean(value)
        if not value:
            return None
        return self.territories.filter(pk=value).first()

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit() and super().valid_value(value)


def _django_default(field: forms.Field, code: str) -> str:
    for klass in type(field).__mro__:
        message = getattr(klass, "default_error_messages", {}).get(code)
        if message is not None:
            return str(message)
    return ""


def _plain_messages(field: forms.Field, label: str) -> dict[str, str]:
    """What a field's own checks say, in the words the services use ("姓名不能超过50个字。")."""
    choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
    messages = {
        "required": (_("请选择%(label)s。") if choosing else _("请填写%(label)s。")) % {"label": label},
        "invalid_choice": _("请在列表中选择%(label)s。") % {"label": label},
    }
    if isinstance(field, forms.DateField):
        messages["invalid"] = _("请按“2019-07-01”的格式填写%(label)s。") % {"label": label}
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = _("%(label)s须是整数。") % {"label": label}
    else:
        messages["invalid"] = _("%(label)s的格式不正确。") % {"label": label}
    max_length = getattr(field, "max_length", None)
    if max_length is not None:
        messages["max_length"] = _("%(label)s不能超过%(n)d个字。") % {"label": label, "n": max_length}
    min_length = getattr(field, "min_length", None)
    if min_length is not None:
        messages["min_length"] = _("%(label)s不能少于%(n)d个字。") % {"label": label, "n": min_length}
    return messages


class PlainForm(forms.Form):
    """A registry form whose fields' own checks (required, too long, not a date, not in the list)
    speak like the services, instead of Django's "确保该变量包含不超过 50 字符 (目前字符数 300)。".
    A message a field sets itself is kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = str(field.label or name)
            for code, message in _plain_messages(field, label).items():
                if str(field.error_messages.get(code, "")) in ("", _django_default(field, code)):
                    field.error_messages[code] = message


class ServiceCheckedForm(PlainForm):
    """Runs a service's clean function after the field checks and files its errors by field."""

    # Fields the service insists on although the form field is optional (so the service's own
    # message is the one shown); the page marks them with an asterisk all the same.
    mandatory: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.mandatory:
            self.fields[name].mandatory = True  # type: ignore[attr-defined]

    def service_clean(self) -> dict[str, Any]:
        raise NotImplementedError

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        try:
            self.service_clean()
        except ValidationError as exc:
            # A field that already failed its own check (too long, not in the list) reached the
            # service as empty; the service's "please fill in" would only contradict it.
            self.add_service_error(exc)
        return cleaned

    def add_service_error(self, exc: ValidationError) -> None:
        """A service's refusal, each message at its field; one about something the form has no
        field for (the organisation of a membership) above the form. A field that already failed
        its own check keeps that message alone."""
        errors: dict[str | None, Any] = dict(getattr(exc, "error_dict", {})) or {None: exc.error_list}
        for field, errs in errors.items():
            target = field if field in self.fields else None
            if target is None or target not in self.errors:
                self.add_error(target, errs)


class PersonForm(ServiceCheckedForm):
    mandatory: tuple[str, ...] = ("name", "id_number")
    # Name and ID number are not `required` here: person_clean says what is missing, in the words
    # the import and the API use too.
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        required=False,
        help_text=_("18位,最后一位可以是X。出生日期和性别从身份证号读取。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("居住地址"), max_length=200, required=False)
    ethnicity = forms.ChoiceField(label=_("民族"), choices=ETHNIC_GROUPS, initial="汉族")
    education = forms.ChoiceField(
        label=_("学历"), choices=[("", _("未填写")), *EDUCATION_CHOICES], required=False
    )
    residence = TerritoryChoiceField(
        label=_("居住社区/网格"),
        error_messages={
            "required": _("请选择居住的社区或网格。"),
            "invalid_choice": _("请在列表中选择您有权登记的社区或网格。"),
        },
    )

    def __init__(self, *args: Any, territories: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residence"].set_territories(territories, levels=RESIDENCE_LEVELS)  # type: ignore[attr-defined]

    def person_data(self) -> PersonData:
        return typed_person(self.cleaned_data)

    def service_clean(self) -> dict[str, Any]:
        return person_clean(self.person_data())


def typed_person(data: dict[str, Any]) -> PersonData:
    """What a person form holds, as the people services take it; a field that failed its own
    check (or that the form lacks) goes in empty, and the service says what is missing."""
    return PersonData(
        name=data.get("name", ""),
        id_number=data.get("id_number", ""),
        mobile=data.get("mobile", ""),
        address=data.get("address", ""),
        ethnicity=data.get("ethnicity", "汉族"),
        education=data.get("education", ""),
        residence=data.get("residence"),
    )


class UnitForm(ServiceCheckedForm):
    mandatory = ("name", "credit_code", "kind", "territory")
    name = forms.CharField(label=_("单位名称"), max_length=150, required=False)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        required=False,
        help_text=_("18位,见营业执照或登记证书。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(
        label=_("单位类型"), choices=[("", _("请选择")), *UnitKind.choices], required=False
    )
    territory = TerritoryChoiceField(
        label=_("所在属地"),
        required=False,  # unit_clean says "请选择单位所在的社区或街道。"
        error_messages={"invalid_choice": _("请在列表中选择您有权登记的属地。")},
    )
    address = forms.CharField(label=_("单位地址"), max_length=200, required=False)

    def __init__(self, *args: Any, territories: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].set_territories(territories)  # type: ignore[attr-defined]

    def unit_args(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data.get("name", ""),
            "credit_code": data.get("credit_code", ""),
            "kind": data.get("kind", ""),
            "territory": data.get("territory"),
            "address": data.get("address", ""),
        }

    def service_clean(self) -> dict[str, Any]:
        return unit_clean(**self.unit_args(), existing=None)


class AuditSearchForm(PlainForm):
    text = forms.CharField(
        label=_("关键词"),
        required=False,
        help_text=_("操作人、对象名称或来源地址"),
    )
    action = forms.ChoiceField(
        label=_("操作"), choices=[("", _("全部")), *AuditAction.choices], required=False
    )
    result = forms.ChoiceField(
        label=_("结果"), choices=[("", _("全部")), *AuditResult.choices], required=False
    )
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return cleaned

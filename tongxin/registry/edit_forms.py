"""Forms that change existing rows or write two rows at once: editing a person, a unit, a tree
node, a membership, and "添加党员" (a person found by ID number or registered, plus membership)."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from tongxin.core.validators import clean_text, parse_id_number
from tongxin.orgs.models import Organization, OrgKind
from tongxin.people.models import FlowDirection, MemberStatus, Person
from tongxin.people.selectors import person_find_by_id_number
from tongxin.people.services import (
    MembershipData,
    PersonData,
    membership_clean,
    person_clean,
    transfer_first_message,
)
from tongxin.territory.models import Territory
from tongxin.units.models import Unit
from tongxin.units.services import unit_clean

from .forms import (
    RESIDENCE_LEVELS,
    PersonForm,
    PlainForm,
    ServiceCheckedForm,
    TerritoryChoiceField,
    UnitForm,
    typed_person,
)

KEEP_HINT = _("留空表示不修改。当前:%(masked)s")
# The optional values a wrong entry must be removable from; the ID number is not optional.
CLEARABLE = {
    "mobile": (_("清除手机号"), _("保存时删除已登记的手机号。")),
    "address": (_("清除居住地址"), _("保存时删除已登记的居住地址。")),
}


class PersonEditForm(PersonForm):
    """Sensitive values are not put back into the page in clear (that would be a reveal without
    an audit row): left empty, they stay as they are; typed, they replace the old value; a
    "清除" box beside a recorded mobile or address removes it."""

    mandatory = ("name",)  # the ID number may stay empty: it is kept
    clear_mobile = forms.BooleanField(required=False)
    clear_address = forms.BooleanField(required=False)
    field_order = ["name", "id_number", "mobile", "clear_mobile", "address", "clear_address"]

    def __init__(self, *args: Any, person: Person, masked: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        for name in ("id_number", "mobile", "address"):
            shown = masked.get(name) or _gettext("未填写")
            self.fields[name].help_text = KEEP_HINT % {"masked": shown}
        for name, (label, hint) in CLEARABLE.items():
            if getattr(person, name):
                self.fields[f"clear_{name}"].label, self.fields[f"clear_{name}"].help_text = label, hint
            else:  # nothing recorded, nothing to remove
                del self.fields[f"clear_{name}"]
        # Someone without a recorded residence (a member living outside the district) may stay so.
        self.fields["residence"].required = person.residence_id is not None

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        for name in CLEARABLE:
            if self.cleaned_data.get(f"clear_{name}") and self.cleaned_data.get(name, "").strip():
                self.add_error(
                    name,
                    _gettext("勾选了“%(clear)s”:请清空本栏,或取消勾选以改为新填写的内容。")
                    % {"clear": CLEARABLE[name][0]},
                )
        return cleaned

    def _cleared(self, name: str) -> bool:
        return bool(self.cleaned_data.get(f"clear_{name}"))

    def person_data(self) -> PersonData:
        data = super().person_data()
        data.id_number = data.id_number or self.person.id_number
        data.mobile = "" if self._cleared("mobile") else data.mobile or self.person.mobile
        data.address = "" if self._cleared("address") else data.address or self.person.address
        return data

    def service_clean(self) -> dict[str, Any]:
        return person_clean(self.person_data(), existing=self.person)


class UnitEditForm(UnitForm):
    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        self.unit = unit
        super().__init__(*args, **kwargs)

    def service_clean(self) -> dict[str, Any]:
        return unit_clean(**self.unit_args(), existing=self.unit)


class NodeRenameForm(PlainForm):
    name = forms.CharField(label=_("名称"), max_length=100, required=False)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("请填写名称。"))
        return name


class OrgEditForm(NodeRenameForm):
    committee_elected_on = forms.DateField(
        label=_("支委会选举日期"),
        required=False,
        help_text=_("未设支委会的留空。"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请按“2024-07-01”的格式填写日期。")},
    )


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("请按“2019-07-01”的格式填写日期。")}


class MembershipFields(ServiceCheckedForm):
    """The membership half, checked by membership_clean."""

    status = forms.ChoiceField(
        label=_("党员状态"),
        choices=[("", _("请选择")), *MemberStatus.choices],
        error_messages={"required": _("请选择党员状态。")},
    )
    joined_on = forms.DateField(
        label=_("入党日期"),
        widget=DATE_WIDGET,
        error_messages={**DATE_ERRORS, "required": _("请填写入党日期。")},
    )
    confirmed_on = forms.DateField(
        label=_("转正日期"),
        required=False,
        widget=DATE_WIDGET,
        error_messages=DATE_ERRORS,
        help_text=_("预备党员不填。"),
    )
    party_group = forms.ChoiceField(label=_("党小组"), required=False)
    in_service = forms.BooleanField(label=_("在职党员"), required=False)
    employer = forms.CharField(
        label=_("工作单位统一社会信用代码"),
        max_length=30,
        required=False,
        help_text=_("在职党员填写,须是已登记的驻区单位。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    is_flowing = forms.BooleanField(label=_("流动党员"), required=False)
    flow_direction = forms.ChoiceField(
        label=_("流动方向"), required=False, choices=[("", _("不是流动党员")), *FlowDirection.choices]
    )
    flow_place = forms.CharField(label=_("流入/流出地"), max_length=100, required=False)

    def __init__(
        self,
        *args: Any,
        organization: Organization,
        units: QuerySet[Unit],
        today: date,
        born_on: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organization, self.units, self.today = organization, units, today
        self.born_on = born_on
        self.groups = Organization.objects.filter(
            kind=OrgKind.PARTY_GROUP, path__startswith=organization.path, depth=organization.depth + 1
        ).order_by("path")
        groups = [("", _("不分党小组")), *[(str(g.pk), g.name) for g in self.groups]]
        self.fields["party_group"].choices = groups  # type: ignore[attr-defined]

    def clean_employer(self) -> Unit | None:
        code = self.cleaned_data["employer"].strip().upper()
        if not code:
            return None
        unit = self.units.filter(credit_code=code).first()
        if unit is None:
            raise ValidationError(
                _("没有找到统一社会信用代码为 %(code)s 的驻区单位,请先登记该单位。") % {"code": code}
            )
        return unit

    def membership_data(self) -> MembershipData | None:
        data = self.cleaned_data
        if not data.get("status") or not data.get("joined_on"):
            return None  # the field errors already say what is missing
        group_pk = data.get("party_group")
        return MembershipData(
            organization=self.organization,
            status=data["status"],
            joined_on=data["joined_on"],
            confirmed_on=data.get("confirmed_on"),
            in_service=bool(data.get("in_service")),
            employer=data.get("employer"),
            is_flowing=bool(data.get("is_flowing")),
            flow_direction=data.get("flow_direction", ""),
            flow_place=data.get("flow_place", ""),
            party_group=self.groups.filter(pk=group_pk).first() if group_pk else None,
        )

    def birth_date(self) -> date | None:
        """The member's birth date, for the rule that one joins at eighteen or later."""
        return self.born_on

    def service_clean(self) -> dict[str, Any]:
        data = self.membership_data()
        if data is None:
            return {}
        return membership_clean(data, today=self.today, born_on=self.birth_date())


class MemberAddForm(MembershipFields):
    """添加党员: who (by ID number: a registered person is reused, never registered twice), then
    the membership. Both halves are checked before anything is written."""

    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    id_number = PersonForm.base_fields["id_number"]
    mobile = PersonForm.base_fields["mobile"]
    ethnicity = PersonForm.base_fields["ethnicity"]
    education = PersonForm.base_fields["education"]
    residence = TerritoryChoiceField(
        label=_("居住社区/网格"),
        required=False,
        help_text=_("居住在本区以外的可不选。"),
        error_messages={"invalid_choice": _("请在列表中选择您有权登记的社区或网格。")},
    )
    mandatory = ("name", "id_number", "status", "joined_on")
    field_order = ["name", "id_number", "mobile", "ethnicity", "education", "residence"]

    def __init__(
        self, *args: Any, territories: QuerySet[Territory], rosters: QuerySet[Organization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rosters = rosters
        self.existing: Person | None = None
        self.fields["residence"].set_territories(territories, levels=RESIDENCE_LEVELS)  # type: ignore[attr-defined]

    PERSON_FIELDS = ("name", "id_number", "mobile", "ethnicity", "education", "residence")

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Who, then the membership: two groups on the page."""
        person = [self[name] for name in self.PERSON_FIELDS]
        member = [self[name] for name in self.fields if name not in self.PERSON_FIELDS]
        return [(_gettext("人员信息"), person), (_gettext("党员信息"), member)]

    def person_data(self) -> PersonData:
        return typed_person(self.cleaned_data)

    def birth_date(self) -> date | None:
        """From the registered person, or else from the ID number being typed (so the 入党日期
        is checked against it while the form is filled in)."""
        if self.existing is not None:
            return self.existing.birth_date
        try:
            return parse_id_number(self.cleaned_data.get("id_number", "")).birth_date
        except ValidationError:
            return None  # the ID number's own message says what is wrong with it

    def service_clean(self) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        person = self.person_data()
        self.existing = person_find_by_id_number(persons=Person.objects.all(), id_number=person.id_number)
        if self.existing is None:
            try:
                person_clean(person)
            except ValidationError as exc:
                errors.update(exc.error_dict)
        else:
            errors.update(self._existing_person_errors(self.existing, person))
        try:
            super().service_clean()
        except ValidationError as exc:
            errors.update(exc.error_dict)
        if errors:
            raise ValidationError(errors)
        return {}

    def _existing_person_errors(self, existing: Person, typed: PersonData) -> dict[str, str]:
        membership = getattr(existing, "membership", None)
        if membership is not None:
            if membership.organization_id == self.organization.pk:
                return {"id_number": _gettext("此人已在本党组织的名册中。")}
            seen = self.rosters.filter(pk=membership.organization_id).exists()
            return {"id_number": transfer_first_message(membership.organization, may_see_roster=seen)}
        if clean_text(typed.name) != existing.name:
            return {"name": _gettext("该身份证号已登记,但姓名与登记的不一致,请核对。")}
        return {}


class MembershipEditForm(MembershipFields):
    mandatory = ("status", "joined_on")

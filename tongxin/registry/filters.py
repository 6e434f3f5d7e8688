"""The filter forms above the registry lists. Each is an ordinary GET form: a value that is not
one of the choices is ignored (the list shows unfiltered on that field), never an error page."""

from datetime import date
from typing import Any, TypeVar

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tongxin.core.trees import subtree_q
from tongxin.orgs.models import Organization, OrgKind
from tongxin.people.models import Gender, Membership, MemberStatus, Person
from tongxin.territory.models import Territory, TerritoryLevel
from tongxin.units.models import Unit, UnitKind

from .forms import territory_choices

ALL = ("", _("全部"))
COMMUNITY_LEVELS = (TerritoryLevel.COMMUNITY, TerritoryLevel.VILLAGE)
PLACE_LEVELS = (TerritoryLevel.STREET, TerritoryLevel.TOWN, *COMMUNITY_LEVELS)
# Age bands as the community offices count them (youth, working age, elderly, very old).
AGE_BANDS = {
    "0-17": (0, 17),
    "18-35": (18, 35),
    "36-59": (36, 59),
    "60-79": (60, 79),
    "80+": (80, 200),
}


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class ListFilter(forms.Form):
    """Drops invalid values instead of failing: `values()` holds only what passed."""

    def values(self) -> dict[str, Any]:
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in ("", None)}

    @property
    def active(self) -> bool:
        return bool(self.values())


class PlaceChoiceField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)


class PersonFilter(ListFilter):
    place = PlaceChoiceField(label=_("居住社区"))
    member = forms.ChoiceField(
        label=_("党员状态"),
        required=False,
        choices=[ALL, ("member", _("党员")), *MemberStatus.choices, ("none", _("非党员"))],
    )
    gender = forms.ChoiceField(label=_("性别"), required=False, choices=[ALL, *Gender.choices])
    age = forms.ChoiceField(
        label=_("年龄段"),
        required=False,
        choices=[
            ALL,
            *[(k, _("80岁以上") if k == "80+" else format_lazy(_("{band}岁"), band=k)) for k in AGE_BANDS],
        ],
    )

    def __init__(self, *args: Any, territories: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = territories
        self.fields["place"].choices = [ALL, *territory_choices(territories, levels=COMMUNITY_LEVELS)[1:]]  # type: ignore[attr-defined]

    def apply(self, persons: QuerySet[Person], *, today: date) -> QuerySet[Person]:
        v = self.values()
        if "place" in v:
            place = self.places.filter(pk=v["place"]).first()
            if place is not None:
                persons = persons.filter(subtree_q([place.path], field="residence__path"))
        member = v.get("member")
        if member == "member":
            persons = persons.filter(membership__isnull=False)
        elif member == "none":
            persons = persons.filter(membership__isnull=True)
        elif member in MemberStatus.values:
            persons = persons.filter(membership__status=member)
        if "gender" in v:
            persons = persons.filter(gender=v["gender"])
        if "age" in v:
            youngest, oldest = AGE_BANDS[v["age"]]
            # Age n on `today` means born in (today - n - 1 years, today - n years].
            persons = persons.filter(
                birth_date__lte=_years_before(today, youngest),
                birth_date__gt=_years_before(today, oldest + 1),
            )
        return persons


class UnitFilter(ListFilter):
    kind = forms.ChoiceField(label=_("单位类型"), required=False, choices=[ALL, *UnitKind.choices])
    place = PlaceChoiceField(label=_("所在属地"))
    has_org = forms.ChoiceField(
        label=_("党组织"),
        required=False,
        choices=[ALL, ("yes", _("已建立")), ("no", _("未建立"))],
    )
    # Any visible place, a district or a grid included: the 驻区单位 table of a territory's page
    # exports through this (the drop-down above offers streets and communities only).
    territory = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, territories: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = territories
        self.fields["place"].choices = [ALL, *territory_choices(territories, levels=PLACE_LEVELS)[1:]]  # type: ignore[attr-defined]

    def apply(self, units: QuerySet[Unit]) -> QuerySet[Unit]:
        v = self.values()
        if "kind" in v:
            units = units.filter(kind=v["kind"])
        for name in ("place", "territory"):
            if name in v:
                place = self.places.filter(pk=v[name]).first()
                if place is None:  # not a place the account may see: nothing, not everything
                    return units.none()
                units = units.filter(subtree_q([place.path], field="territory__path"))
        if "has_org" in v:
            linked = Exists(Organization.units.through.objects.filter(unit_id=OuterRef("pk")))
            units = units.filter(linked if v["has_org"] == "yes" else ~linked)
        return units


N = TypeVar("N", Territory, Organization)


def children_of(nodes: QuerySet[N], parent_pk: int) -> QuerySet[N]:
    """The children of one node (a page's 下级 table, exported). `nodes` is the visible set, so a
    child the account may not see stays out; an unknown parent gives nothing, not everything."""
    parent = nodes.model.objects.filter(pk=parent_pk).first()
    if parent is None:
        return nodes.none()
    return nodes.filter(subtree_q([parent.path]), depth=parent.depth + 1)


class OrgFilter(ListFilter):
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[ALL, *OrgKind.choices])
    # The children of one organisation (its page's 下级党组织 table, exported).
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def apply(self, orgs: QuerySet[Organization]) -> QuerySet[Organization]:
        v = self.values()
        if "kind" in v:
            orgs = orgs.filter(kind=v["kind"])
        return children_of(orgs, v["parent"]) if "parent" in v else orgs


class TerritoryFilter(ListFilter):
    level = forms.ChoiceField(label=_("层级"), required=False, choices=[ALL, *TerritoryLevel.choices])
    # The children of one node (its page's 下级属地 table, exported).
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def apply(self, nodes: QuerySet[Territory]) -> QuerySet[Territory]:
        v = self.values()
        if "level" in v:
            nodes = nodes.filter(level=v["level"])
        return children_of(nodes, v["parent"]) if "parent" in v else nodes


class MembershipFilter(ListFilter):
    status = forms.ChoiceField(label=_("党员状态"), required=False, choices=[ALL, *MemberStatus.choices])
    in_service = forms.ChoiceField(
        label=_("在职党员"), required=False, choices=[ALL, ("yes", _("是")), ("no", _("否"))]
    )
    flowing = forms.ChoiceField(
        label=_("流动党员"), required=False, choices=[ALL, ("yes", _("是")), ("no", _("否"))]
    )
    # The organisation is chosen on its own page (its roster), not from a list of thousands.
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The members working at one unit (the unit page's 在职党员 table, exported).
    employer = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def apply(
        self, memberships: QuerySet[Membership], *, orgs: QuerySet[Organization]
    ) -> QuerySet[Membership]:
        v = self.values()
        if "status" in v:
            memberships = memberships.filter(status=v["status"])
        if "in_service" in v:
            memberships = memberships.filter(in_service=v["in_service"] == "yes")
        if "flowing" in v:
            memberships = memberships.filter(is_flowing=v["flowing"] == "yes")
        if "org" in v:
            memberships = memberships.filter(organization__in=orgs.filter(pk=v["org"]))
        if "employer" in v:
            memberships = memberships.filter(in_service=True, employer_id=v["employer"])
        return memberships

    def organization(self, orgs: QuerySet[Organization]) -> Organization | None:
        pk = self.values().get("org")
        return orgs.filter(pk=pk).first() if pk else None

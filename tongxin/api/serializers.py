"""What the API shows of each row and what it accepts. Output serializers only read; input
serializers check types and scope-limited references, and the domain services check the rest.

Related rows are chosen from the caller's scope: a reference outside it gets the same "does not
exist" message as a missing one."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tongxin.accounts.policies import Action, creatable, visible, with_visible_rosters
from tongxin.core import masking
from tongxin.core.validators import clean_text, parse_id_number
from tongxin.orgs.models import Organization, OrgKind
from tongxin.people.choices import EDUCATION_CHOICES, ETHNIC_GROUPS
from tongxin.people.models import FlowDirection, Membership, MemberStatus, Person
from tongxin.people.services import REVEALABLE
from tongxin.territory.models import Territory, TerritoryLevel
from tongxin.units.models import Unit, UnitKind

_MISSING = _("未找到该记录,或您无权使用。")


def scoped(queryset: QuerySet[Any]) -> serializers.PrimaryKeyRelatedField:
    """A reference field whose choices the view narrows to the caller's scope."""
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset, error_messages={"does_not_exist": _MISSING, "incorrect_type": _MISSING}
    )


class TerritorySerializer(serializers.ModelSerializer[Territory]):
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_id", read_only=True, allow_null=True, help_text=_("上级节点编号;顶层为空。")
    )
    level_display = serializers.CharField(source="get_level_display", read_only=True, help_text=_("层级名称"))

    class Meta:
        model = Territory
        fields = [
            "id",
            "name",
            "code",
            "level",
            "level_display",
            "parent",
            "depth",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TerritoryCreateSerializer(serializers.Serializer[Territory]):
    name = serializers.CharField(label=_("名称"), max_length=100, allow_blank=True)
    code = serializers.CharField(label=_("区划代码"), max_length=20, allow_blank=True)
    level = serializers.ChoiceField(label=_("层级"), choices=TerritoryLevel.choices)
    parent = scoped(Territory.objects.none())  # type: ignore[assignment]


class TerritoryRenameSerializer(serializers.Serializer[Territory]):
    name = serializers.CharField(label=_("名称"), max_length=100, allow_blank=True)


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_id", read_only=True, allow_null=True, help_text=_("上级党组织编号;顶层为空。")
    )
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, help_text=_("类别名称"))

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "code",
            "kind",
            "kind_display",
            "is_external",
            "parent",
            "depth",
            "territory",
            "committee_elected_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OrganizationCreateSerializer(serializers.Serializer[Organization]):
    name = serializers.CharField(label=_("名称"), max_length=100, allow_blank=True)
    code = serializers.CharField(label=_("组织编码"), max_length=30, allow_blank=True)
    kind = serializers.ChoiceField(label=_("类别"), choices=OrgKind.choices)
    parent = scoped(Organization.objects.none())  # type: ignore[assignment]
    territory = scoped(Territory.objects.none())
    committee_elected_on = serializers.DateField(label=_("支委会选举日期"), required=False, allow_null=True)


class UnitSerializer(serializers.ModelSerializer[Unit]):
    kind_display = serializers.CharField(
        source="get_kind_display", read_only=True, help_text=_("单位类型名称")
    )
    has_org = serializers.BooleanField(read_only=True, help_text=_("是否已建立党组织"))

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "credit_code",
            "kind",
            "kind_display",
            "territory",
            "address",
            "has_org",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# Text fields accept blanks here so that the service, which checks every field at once, gives
# the message (and the user sees all the wrong fields in one answer).
class UnitWriteSerializer(serializers.Serializer[Unit]):
    name = serializers.CharField(label=_("单位名称"), max_length=150, allow_blank=True)
    credit_code = serializers.CharField(label=_("统一社会信用代码"), max_length=40, allow_blank=True)
    kind = serializers.ChoiceField(label=_("单位类型"), choices=UnitKind.choices)
    territory = scoped(Territory.objects.none())
    address = serializers.CharField(label=_("单位地址"), max_length=200, required=False, allow_blank=True)


class PersonSerializer(serializers.ModelSerializer[Person]):
    """Masked by default: the sensitive values always masked (POST …/reveal/ shows one in clear,
    audited); the birth date only to whoever may reveal this person, the age to everyone."""

    gender_display = serializers.CharField(source="get_gender_display", read_only=True, help_text=_("性别"))
    id_number = serializers.SerializerMethodField(help_text=_("身份证号(已脱敏)"))
    mobile = serializers.SerializerMethodField(help_text=_("手机号(已脱敏)"))
    address = serializers.SerializerMethodField(help_text=_("居住地址(已脱敏)"))
    age = serializers.SerializerMethodField(help_text=_("周岁年龄"))
    birth_date = serializers.SerializerMethodField(
        help_text=_("出生日期;仅对可查看明文的账号给出,否则为空。")
    )
    may_reveal = serializers.SerializerMethodField(help_text=_("当前账号是否可查看此人的敏感信息明文"))
    education = serializers.ChoiceField(
        choices=EDUCATION_CHOICES, allow_blank=True, read_only=True, help_text=_("学历;未填为空")
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "gender_display",
            "age",
            "birth_date",
            "ethnicity",
            "education",
            "id_number",
            "mobile",
            "address",
            "residence",
            "may_reveal",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_id_number(self, person: Person) -> str:
        return masking.mask_id_number(person.id_number)

    def get_mobile(self, person: Person) -> str:
        return masking.mask_mobile(person.mobile)

    def get_address(self, person: Person) -> str:
        return masking.mask_address(person.address)

    def get_age(self, person: Person) -> int:
        return masking.age_on(person.birth_date, timezone.localdate())

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_birth_date(self, person: Person) -> str | None:
        return person.birth_date.isoformat() if self.get_may_reveal(person) else None

    def get_may_reveal(self, person: Person) -> bool:
        return bool(getattr(person, "may_reveal", False))


class PersonWriteSerializer(serializers.Serializer[Person]):
    name = serializers.CharField(label=_("姓名"), max_length=50, allow_blank=True)
    id_number = serializers.CharField(label=_("身份证号"), max_length=40, allow_blank=True)
    mobile = serializers.CharField(label=_("手机号"), max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(label=_("居住地址"), max_length=200, required=False, allow_blank=True)
    ethnicity = serializers.ChoiceField(label=_("民族"), choices=ETHNIC_GROUPS, required=False)
    education = serializers.ChoiceField(
        label=_("学历"), choices=EDUCATION_CHOICES, required=False, allow_blank=True
    )
    residence = scoped(Territory.objects.none())


class PersonSearchSerializer(serializers.Serializer[Any]):
    """按身份证号查找人员。身份证号放在请求体中,不进入网址与访问日志。"""

    id_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text=_("完整的18位身份证号(精确匹配,全角、小写x与空格会被规范)"),
    )
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("姓名包含(可选,进一步缩小结果)")
    )

    def validate_id_number(self, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return parse_id_number(value).number
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_name(self, value: str) -> str:
        return clean_text(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("id_number") and not attrs.get("name"):
            raise serializers.ValidationError({"id_number": [_("请填写身份证号。")]})
        return attrs


class RevealRequestSerializer(serializers.Serializer[Any]):
    field = serializers.ChoiceField(label=_("字段"), choices=[(f, f) for f in REVEALABLE])


class RevealResponseSerializer(serializers.Serializer[Any]):
    field = serializers.ChoiceField(choices=[(f, f) for f in REVEALABLE], help_text=_("字段"))
    value = serializers.CharField(help_text=_("明文值;本次查看已记入审计日志。"))


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    person_name = serializers.CharField(source="person.name", read_only=True, help_text=_("党员姓名"))
    status_display = serializers.CharField(
        source="get_status_display", read_only=True, help_text=_("党员状态")
    )
    flow_direction = serializers.ChoiceField(
        choices=FlowDirection.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("流动方向;非流动党员为空"),
    )

    class Meta:
        model = Membership
        fields = [
            "id",
            "person",
            "person_name",
            "organization",
            "party_group",
            "status",
            "status_display",
            "joined_on",
            "confirmed_on",
            "in_service",
            "employer",
            "is_flowing",
            "flow_direction",
            "flow_place",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class MembershipWriteSerializer(serializers.Serializer[Membership]):
    person = scoped(Person.objects.none())
    organization = scoped(Organization.objects.none())
    party_group = scoped(Organization.objects.none())
    status = serializers.ChoiceField(label=_("党员状态"), choices=MemberStatus.choices)
    joined_on = serializers.DateField(label=_("入党日期"))
    confirmed_on = serializers.DateField(label=_("转正日期"), required=False, allow_null=True)
    in_service = serializers.BooleanField(label=_("在职党员"), required=False, default=False)
    employer = scoped(Unit.objects.none())
    is_flowing = serializers.BooleanField(label=_("流动党员"), required=False, default=False)
    flow_direction = serializers.ChoiceField(
        label=_("流动方向"), choices=FlowDirection.choices, required=False, allow_blank=True
    )
    flow_place = serializers.CharField(
        label=_("流入/流出地"), max_length=100, required=False, allow_blank=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("party_group", "employer", "confirmed_on"):
            self.fields[name].required = False
            self.fields[name].allow_null = True


def narrow_choices(serializer: serializers.Serializer[Any], user: Any, *, instance: Any = None) -> None:
    """Limit each reference field to what the account may use. A row may keep the reference it
    already has (a unit contact may edit a unit without moving it)."""
    fields = serializer.fields

    def allow(name: str, queryset: QuerySet[Any], current: Any = None) -> None:
        if name not in fields:
            return
        if current is not None:
            queryset = queryset.model._default_manager.filter(Q(pk__in=queryset.values("pk")) | Q(pk=current))
        fields[name].queryset = queryset  # type: ignore[attr-defined]

    def current(attr: str) -> Any:
        return getattr(instance, attr, None) if instance is not None else None

    if isinstance(serializer, TerritoryCreateSerializer):
        allow("parent", creatable(user, Territory))
    elif isinstance(serializer, OrganizationCreateSerializer):
        allow("parent", creatable(user, Organization))
        # An organisation is placed where the caller may see places (the pages' rule for units).
        allow("territory", visible(user, Territory))
    elif isinstance(serializer, UnitWriteSerializer):
        allow("territory", creatable(user, Territory), current("territory_id"))
    elif isinstance(serializer, PersonWriteSerializer):
        allow("residence", creatable(user, Territory), current("residence_id"))
    elif isinstance(serializer, MembershipWriteSerializer):
        allow("person", visible(user, Person, Action.CHANGE))
        action = Action.CHANGE if instance is not None else Action.CREATE
        allow("organization", with_visible_rosters(user, action), current("organization_id"))
        allow(
            "party_group",
            visible(user, Organization).filter(kind=OrgKind.PARTY_GROUP),
            current("party_group_id"),
        )
        allow("employer", visible(user, Unit), current("employer_id"))

"""One Person per natural person, real-name, with personal data encrypted at rest; and the party
membership that ties a person to a branch (隶属) while residence ties them to a place (属地)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tongxin.core.crypto import EncryptedTextField

from .choices import EDUCATION_CHOICES, ETHNIC_GROUPS


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Person(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    # The pinyin of the name (tongxin.core.search_keys.name_sort_key): lists sort by it, as
    # Chinese registers do, not by code point. Kept by person_clean.
    name_sort = models.CharField(max_length=400, default="", editable=False)
    # Sensitive values: ciphertext in the column, a keyed HMAC beside it for exact look-up.
    id_number = EncryptedTextField(_("身份证号"))
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    mobile = EncryptedTextField(_("手机号"), blank=True, default="")
    mobile_index = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    address = EncryptedTextField(_("居住地址"), blank=True, default="")
    # Derived from the ID number once, stored so that age and gender can be counted in SQL.
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=10, choices=ETHNIC_GROUPS, default="汉族")
    education = models.CharField(_("学历"), max_length=20, choices=EDUCATION_CHOICES, blank=True)
    residence = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("居住社区/网格"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [models.Index(fields=["name"]), models.Index(fields=["name_sort"])]

    def __str__(self) -> str:
        return self.name


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


class FlowDirection(models.TextChoices):
    OUT = "out", _("流出")
    IN = "in", _("流入")


class Membership(models.Model):
    person = models.OneToOneField(
        Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="membership"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所在党组织"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    party_group = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党小组"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_memberships",
    )
    status = models.CharField(_("党员状态"), max_length=15, choices=MemberStatus.choices)
    joined_on = models.DateField(_("入党日期"))
    confirmed_on = models.DateField(_("转正日期"), null=True, blank=True)
    in_service = models.BooleanField(_("在职党员"), default=False)
    employer = models.ForeignKey(
        "units.Unit",
        verbose_name=_("工作单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employed_members",
    )
    is_flowing = models.BooleanField(_("流动党员"), default=False)
    flow_direction = models.CharField(_("流动方向"), max_length=3, choices=FlowDirection.choices, blank=True)
    flow_place = models.CharField(_("流入/流出地"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("党员信息")
        verbose_name_plural = _("党员信息")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MemberStatus.values), name="membership_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_on__isnull=True)
                | models.Q(confirmed_on__gte=models.F("joined_on")),
                name="membership_confirmed_after_joined",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="probationary") | models.Q(confirmed_on__isnull=True),
                name="membership_probationary_not_confirmed",
            ),
            models.CheckConstraint(
                condition=models.Q(in_service=False) | models.Q(employer__isnull=False),
                name="membership_in_service_has_employer",
            ),
            models.CheckConstraint(
                condition=models.Q(is_flowing=False) | ~models.Q(flow_direction=""),
                name="membership_flowing_has_direction",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organization}"

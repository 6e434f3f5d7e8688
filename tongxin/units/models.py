"""驻区单位: legal entities located in the territory, each with its own party organisation(s)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("党政机关")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    PRIVATE_ENTERPRISE = "private_enterprise", _("非公有制企业")
    SOCIAL_ORGANIZATION = "social_organization", _("社会组织")
    SCHOOL = "school", _("学校")
    RESEARCH_INSTITUTE = "research_institute", _("科研院所")
    HOSPITAL = "hospital", _("医院")
    OTHER = "other", _("其他")


class Unit(models.Model):
    name = models.CharField(_("单位名称"), max_length=150)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    kind = models.CharField(_("单位类型"), max_length=30, choices=UnitKind.choices)
    territory = models.ForeignKey(
        "territory.Territory", verbose_name=_("所在属地"), on_delete=models.PROTECT, related_name="units"
    )
    address = models.CharField(_("单位地址"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("驻区单位")
        verbose_name_plural = _("驻区单位")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=UnitKind.values), name="unit_kind_valid")
        ]

    def __str__(self) -> str:
        return self.name

"""Volunteers registered by real name, and the service teams (志愿服务队) they join.

A volunteer is a registry Person (resident or party member) who agreed to be registered; what she
can do, when and where lives in her matching.HelperProfile, shared with the needs' matching."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    SUSPENDED = "suspended", _("已暂停")


class Volunteer(models.Model):
    person = models.OneToOneField(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="volunteer"
    )
    code = models.CharField(_("志愿者编号"), max_length=32, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )
    # When she last agreed to be registered (kept when she withdraws: the record of what she agreed to).
    consent_at = models.DateTimeField(_("同意时间"))
    withdrawn_at = models.DateTimeField(_("撤回同意时间"), null=True, blank=True)
    registered_at = models.DateTimeField(_("注册时间"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VolunteerStatus.values), name="volunteer_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=VolunteerStatus.ACTIVE, withdrawn_at__isnull=True)
                | Q(status=VolunteerStatus.SUSPENDED),
                name="volunteer_active_has_consent",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.code


class VolunteerEventKind(models.TextChoices):
    REGISTER = "register", _("注册")
    UPDATE = "update", _("更新登记")
    WITHDRAW = "withdraw", _("撤回同意")
    RESUME = "resume", _("重新同意")


class VolunteerEvent(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事项"), max_length=10, choices=VolunteerEventKind.choices)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("志愿者变更记录")
        verbose_name_plural = _("志愿者变更记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.volunteer_id}:{self.kind}"


class CodeSequence(models.Model):
    """The last number handed out per code prefix (district and year), locked while counting."""

    prefix = models.CharField(max_length=20, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}:{self.last}"


class Team(models.Model):
    """志愿服务队, owned by exactly one of an organisation, a community (territory) or a unit."""

    name = models.CharField(_("服务队名称"), max_length=100)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属党组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_teams",
    )
    territory = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("所属社区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_teams",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_teams",
    )
    leader = models.ForeignKey(
        Volunteer,
        verbose_name=_("队长"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams_led",
    )
    description = models.CharField(_("简介"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("成立时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("志愿服务队")
        verbose_name_plural = _("志愿服务队")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, territory__isnull=True, unit__isnull=True)
                    | Q(organization__isnull=True, territory__isnull=False, unit__isnull=True)
                    | Q(organization__isnull=True, territory__isnull=True, unit__isnull=False)
                ),
                name="team_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner(self) -> models.Model:
        return self.organization or self.territory or self.unit  # type: ignore[return-value]


class TeamMember(models.Model):
    team = models.ForeignKey(Team, verbose_name=_("服务队"), on_delete=models.PROTECT, related_name="members")
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    joined_on = models.DateField(_("入队日期"))
    left_on = models.DateField(_("离队日期"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("服务队队员")
        verbose_name_plural = _("服务队队员")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "volunteer"], condition=Q(left_on__isnull=True), name="team_member_once"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="team_member_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}:{self.volunteer_id}"

"""Accounts and role grants. A grant is (account, role, node of either tree) and covers the node's
subtree; what each role may do is decided in policies.py, nowhere else."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("区级管理员")
    STREET_STAFF = "street_staff", _("街道工作人员")
    COMMUNITY_STAFF = "community_staff", _("社区工作人员")
    UNIT_CONTACT = "unit_contact", _("单位联系人")
    PARTY_MEMBER = "party_member", _("党员")
    RESIDENT = "resident", _("居民")
    GRID_WORKER = "grid_worker", _("网格员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# 三员分立: no one holds two of these (enforced by a partial unique index below).
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles that must pass a TOTP second factor before seeing anything.
NON_STAFF_ROLES = frozenset({Role.PARTY_MEMBER, Role.RESIDENT})
STAFF_ROLES = frozenset(set(Role) - NON_STAFF_ROLES)


class User(AbstractUser):
    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("实名人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
    )

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ActiveGrantQuerySet(models.QuerySet["RoleGrant"]):
    def active(self) -> "ActiveGrantQuerySet":
        return self.filter(revoked_at__isnull=True)


class RoleGrant(models.Model):
    user = models.ForeignKey(User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    territory = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("属地节点"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织节点"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("授权时间"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ActiveGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="grant_role_valid"),
            models.CheckConstraint(
                condition=(
                    models.Q(territory__isnull=False, organization__isnull=True)
                    | models.Q(territory__isnull=True, organization__isnull=False)
                ),
                name="grant_exactly_one_node",
            ),
            # 三员分立 in the database: at most one active administrator grant per account, so the
            # system, security and audit administrator roles can never meet in one person.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(role__in=sorted(ADMIN_ROLES), revoked_at__isnull=True),
                name="grant_one_admin_role_per_user",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "territory"],
                condition=models.Q(revoked_at__isnull=True, territory__isnull=False),
                name="grant_no_duplicate_territory",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organization"],
                condition=models.Q(revoked_at__isnull=True, organization__isnull=False),
                name="grant_no_duplicate_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.node}"

    @property
    def node(self) -> object:
        return self.territory or self.organization


class PhoneLoginCode(models.Model):
    """One request for an SMS login code. A row is written for every accepted request, also for a
    number that may not log in (no code is sent then and `code_hash` is empty), so the rate limits
    and the answers are the same whether or not a number is registered. The code itself is never
    stored: only an HMAC under a key kept outside the database."""

    mobile_index = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64, blank=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("短信登录验证码")
        verbose_name_plural = _("短信登录验证码")
        indexes = [models.Index(fields=["client_ip", "created_at"])]

    def __str__(self) -> str:
        return f"{self.mobile_index[:8]}… @ {self.created_at:%Y-%m-%d %H:%M}"

"""The audit log: append-only and hash-chained, so that an edited or deleted row is detectable.

Each event stores the hash of its predecessor and its own hash over its content. `seq` is a gapless
counter kept in the single AuditChainHead row; appending locks that row, so concurrent writers
queue and the chain never forks. The tables also refuse UPDATE and DELETE by database trigger."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    SECOND_FACTOR = "second_factor", _("二次验证")
    GRANT = "grant", _("授权")
    REVOKE = "revoke", _("撤销授权")
    REVEAL = "reveal", _("查看敏感信息")
    EXPORT = "export", _("导出")
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    MOVE = "move", _("移动")
    KEY_ROTATION = "key_rotation", _("密钥轮换")
    IMPORT = "import", _("导入")
    SMS_CODE = "sms_code", _("发送验证码")


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("成功")
    DENIED = "denied", _("拒绝")
    FAILURE = "failure", _("失败")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # the log outlives accounts; it must never block or cascade
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices, db_index=True)
    result = models.CharField(_("结果"), max_length=10, choices=AuditResult.choices)
    object_type = models.CharField(_("对象类型"), max_length=50, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["actor_label", "at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"


class AuditChainHead(models.Model):
    """One row: the last sequence number and hash. Locked while appending."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="audit_head_singleton")]

    def __str__(self) -> str:
        return f"#{self.last_seq}"

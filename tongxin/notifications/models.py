"""In-app notifications (the inbox on the phone site and the staff pages) and the WeChat openids
through which template messages reach an account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), blank=True)
    # A path on this site (the need's page), never an outside address.
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            # The unread badge on every page: a partial index over the few unread rows.
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"


class WeChatBinding(models.Model):
    """An account's openid on the 服务号, recorded when the resident follows it and binds the
    account (the binding flow is another app's; this only keeps the result)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="wechat_binding",
    )
    openid = models.CharField(_("微信OpenID"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("绑定时间"))

    class Meta:
        verbose_name = _("微信绑定")
        verbose_name_plural = _("微信绑定")

    def __str__(self) -> str:
        return f"{self.user_id} ↔ WeChat"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "tongxin.care"
    label = "care"
    verbose_name = _("关爱对象")

    def ready(self) -> None:
        from tongxin.notifications.sms import sms_templates_register

        from .services import SMS_TEMPLATES

        sms_templates_register(SMS_TEMPLATES)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "tongxin.activities"
    label = "activities"
    verbose_name = _("志愿活动")

    def ready(self) -> None:
        from .notify import register_templates

        register_templates()

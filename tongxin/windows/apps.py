from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindowsConfig(AppConfig):
    name = "tongxin.windows"
    label = "windows"
    verbose_name = _("服务窗口")

    def ready(self) -> None:
        # The appointment SMS templates join the SMS table in every process, a task worker too.
        from . import notify  # noqa: F401

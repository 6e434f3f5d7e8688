from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "tongxin.matching"
    label = "matching"
    verbose_name = _("帮办匹配")

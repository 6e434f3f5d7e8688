from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "tongxin.rewards"
    label = "rewards"
    verbose_name = _("积分兑换与时间银行")

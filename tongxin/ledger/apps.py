from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "tongxin.ledger"
    label = "ledger"
    verbose_name = _("积分与时长账本")

"""The refusals of the ledger services, in the words the user will read."""

from django.utils.translation import gettext as _

from tongxin.core.errors import ApplicationError

from ..amounts import amount_text
from ..models import Currency


class LedgerError(ApplicationError):
    """A ledger rule refused the request; nothing was written."""


class UnbalancedPosting(LedgerError):
    def __init__(self, *, total: int) -> None:
        super().__init__(_("记账不平衡:各分录合计应为 0,实际为 %(total)d。") % {"total": total})


class InsufficientBalance(LedgerError):
    def __init__(self, *, currency: str, balance: int, needed: int) -> None:
        super().__init__(
            _("%(currency)s余额不足:当前余额 %(balance)s,本次需要 %(needed)s。")
            % {
                "currency": Currency(currency).label,
                "balance": amount_text(currency, balance),
                "needed": amount_text(currency, needed),
            }
        )
        self.balance = balance
        self.needed = needed


class AlreadyReversed(LedgerError):
    def __init__(self) -> None:
        super().__init__(_("该笔记账已冲正,不能重复冲正。"))

"""One double-entry ledger for service hours, points and time credits.

Every movement is a Posting of two or more Entries on Accounts of one currency that sum to zero
(TimeOverflow's rule: a transfer is two movements). Postings, entries and points awards are
append-only in the database itself (triggers.py); a mistake is undone by a reversing posting.
Account.balance is the running balance, kept by the services under a row lock, and always equal
to the sum of the account's entries (verify_ledger checks it)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    # HOURS and CREDITS are counted in minutes (60 = 1 小时 = 1 时间币), POINTS in whole points.
    HOURS = "hours", _("服务时长")
    POINTS = "points", _("积分")
    CREDITS = "credits", _("时间币")


class AccountKind(models.TextChoices):
    PERSON = "person", _("个人账户")
    SYSTEM = "system", _("系统账户")


class PostingKind(models.TextChoices):
    HOURS = "hours", _("服务时长")
    POINTS = "points", _("积分奖励")
    CREDITS = "credits", _("时间币")
    REDEMPTION = "redemption", _("积分兑换")
    TRANSFER = "transfer", _("转赠")
    DONATION = "donation", _("捐赠")
    BOOKING = "booking", _("时间币预约服务")
    REFUND = "refund", _("退还")
    ADJUSTMENT = "adjustment", _("人工调整")
    REVERSAL = "reversal", _("冲正")


class Account(models.Model):
    currency = models.CharField(_("币种"), max_length=10, choices=Currency.choices)
    kind = models.CharField(_("账户类型"), max_length=10, choices=AccountKind.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
    )
    # System accounts (sources and sinks: a rule, the hours issued, a redemption counter) by code.
    code = models.CharField(_("账户代码"), max_length=80, blank=True, default="")
    name = models.CharField(_("名称"), max_length=100, blank=True, default="")
    allow_negative = models.BooleanField(_("允许负余额"), default=False)
    balance = models.BigIntegerField(_("余额"), default=0)
    created_at = models.DateTimeField(_("开户时间"))

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = _("账户")
        constraints = [
            models.CheckConstraint(condition=Q(currency__in=Currency.values), name="ledger_account_currency"),
            models.CheckConstraint(
                condition=(Q(kind=AccountKind.PERSON, person__isnull=False, code=""))
                | Q(kind=AccountKind.SYSTEM, person__isnull=True) & ~Q(code=""),
                name="ledger_account_owner",
            ),
            models.CheckConstraint(
                condition=Q(allow_negative=True) | Q(balance__gte=0), name="ledger_account_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind=AccountKind.SYSTEM) | Q(allow_negative=False),
                name="ledger_person_never_negative",
            ),
            models.UniqueConstraint(
                fields=["person", "currency"],
                condition=Q(kind=AccountKind.PERSON),
                name="ledger_one_account_per_person_currency",
            ),
            models.UniqueConstraint(
                fields=["code", "currency"],
                condition=Q(kind=AccountKind.SYSTEM),
                name="ledger_system_account_code_unique",
            ),
        ]

    def __str__(self) -> str:
        owner = self.code if self.kind == AccountKind.SYSTEM else f"person:{self.person_id}"
        return f"{owner}/{self.currency}"


class Posting(models.Model):
    kind = models.CharField(_("类型"), max_length=20)
    currency = models.CharField(_("币种"), max_length=10, choices=Currency.choices)
    # What caused it, as "<type>:<id>" (e.g. "record:12"); reversals find their postings by it.
    source = models.CharField(_("来源"), max_length=80, db_index=True)
    memo = models.CharField(_("摘要"), max_length=200, blank=True, default="")
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲正的记账"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记账人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记账时间"), db_index=True)

    class Meta:
        verbose_name = _("记账")
        verbose_name_plural = _("记账")
        constraints = [
            models.CheckConstraint(condition=Q(currency__in=Currency.values), name="ledger_posting_currency"),
            models.CheckConstraint(condition=~Q(kind=""), name="ledger_posting_kind_set"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(kind=PostingKind.REVERSAL),
                name="ledger_reversal_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"记账 #{self.pk}"


class Entry(models.Model):
    posting = models.ForeignKey(
        Posting, verbose_name=_("记账"), on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("账户"), on_delete=models.PROTECT, related_name="entries"
    )
    amount = models.BigIntegerField(_("金额"))
    balance_after = models.BigIntegerField(_("记账后余额"))
    # The posting's time, repeated so that monthly totals group one table.
    created_at = models.DateTimeField(_("记账时间"))

    class Meta:
        verbose_name = _("分录")
        verbose_name_plural = _("分录")
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_amount_not_zero")]
        indexes = [
            models.Index(fields=["account", "id"], name="ledger_entry_account_id"),
            models.Index(fields=["account", "created_at"], name="ledger_entry_account_at"),
        ]

    def __str__(self) -> str:
        return f"分录 #{self.pk}"


class CapReason(models.TextChoices):
    NONE = "", _("未封顶")
    DAY = "day", _("已达每日上限")
    MONTH = "month", _("已达每月上限")
    YEAR = "year", _("已达每年上限")
    BUDGET = "budget", _("年度积分预算已用完")
    INACTIVE = "inactive", _("积分规则已停用")


class PointsRule(models.Model):
    code = models.CharField(_("规则代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("计量单位"), max_length=20)
    points_per_unit = models.PositiveIntegerField(_("每单位积分"))
    cap_per_day = models.PositiveIntegerField(_("每日上限"), null=True, blank=True)
    cap_per_month = models.PositiveIntegerField(_("每月上限"), null=True, blank=True)
    cap_per_year = models.PositiveIntegerField(_("每年上限"), null=True, blank=True)
    yearly_budget = models.PositiveBigIntegerField(_("年度预算"), null=True, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    # The district that configures the rule; null: a rule for the whole platform.
    territory = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("配置区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the current settings took effect: verify_ledger checks awards against caps from here.
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        constraints = [
            models.CheckConstraint(condition=Q(points_per_unit__gte=1), name="ledger_rule_points_positive"),
            models.CheckConstraint(
                condition=Q(cap_per_day__isnull=True) | Q(cap_per_day__gte=1), name="ledger_rule_day_cap"
            ),
            models.CheckConstraint(
                condition=Q(cap_per_month__isnull=True) | Q(cap_per_month__gte=1),
                name="ledger_rule_month_cap",
            ),
            models.CheckConstraint(
                condition=Q(cap_per_year__isnull=True) | Q(cap_per_year__gte=1), name="ledger_rule_year_cap"
            ),
            models.CheckConstraint(
                condition=Q(yearly_budget__isnull=True) | Q(yearly_budget__gte=1), name="ledger_rule_budget"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PointsAward(models.Model):
    """One request for points under a rule, granted in full, in part or not at all (with why).
    Written even when nothing is granted: a capped award is recorded, never silently dropped."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="points_awards"
    )
    rule = models.ForeignKey(
        PointsRule, verbose_name=_("积分规则"), on_delete=models.PROTECT, related_name="awards"
    )
    quantity = models.DecimalField(_("数量"), max_digits=12, decimal_places=2)
    requested = models.PositiveIntegerField(_("应得积分"))
    granted = models.PositiveIntegerField(_("实得积分"))
    capped_reason = models.CharField(
        _("封顶原因"), max_length=10, choices=CapReason.choices, blank=True, default=""
    )
    posting = models.OneToOneField(
        Posting, verbose_name=_("记账"), on_delete=models.PROTECT, null=True, blank=True, related_name="award"
    )
    source = models.CharField(_("来源"), max_length=80, db_index=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("积分奖励")
        verbose_name_plural = _("积分奖励")
        constraints = [
            models.CheckConstraint(
                condition=Q(granted__lte=models.F("requested")), name="ledger_award_within_request"
            ),
            models.CheckConstraint(
                condition=Q(granted=0, posting__isnull=True) | Q(granted__gt=0, posting__isnull=False),
                name="ledger_award_posting_iff_granted",
            ),
            models.CheckConstraint(
                condition=Q(capped_reason="") & Q(granted=models.F("requested"))
                | ~Q(capped_reason="") & Q(granted__lt=models.F("requested"))
                | Q(requested=0, granted=0),
                name="ledger_award_capped_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["rule", "person", "created_at"], name="ledger_award_rule_person_at"),
            models.Index(fields=["rule", "created_at"], name="ledger_award_rule_at"),
        ]

    def __str__(self) -> str:
        return f"积分奖励 #{self.pk}"

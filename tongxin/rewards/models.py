"""积分兑换 and 时间银行: what units and communities offer for points, who redeemed what (shown at
the counter by a code), and time-credit bookings of a service for an elderly person.

The money itself lives in the ledger: these rows say *why* a posting happened (the ledger's
source is "redemption:<pk>", "timebank:transfer:<pk>", "timebank:booking:<pk>")."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongxin.core.crypto import EncryptedTextField
from tongxin.matching.skills import SKILLS


class CatalogueItem(models.Model):
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("提供单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reward_items",
    )
    community = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("提供社区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reward_items",
    )
    name = models.CharField(_("名称"), max_length=60)
    description = models.TextField(_("说明"), blank=True)
    price = models.PositiveIntegerField(_("所需积分"))
    # Null: a service with no stock to run out of.
    stock = models.PositiveIntegerField(_("库存"), null=True, blank=True)
    per_person_limit = models.PositiveIntegerField(_("每人限兑"), null=True, blank=True)
    active = models.BooleanField(_("上架"), default=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("兑换物品")
        verbose_name_plural = _("兑换物品")
        ordering = ["price", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, community__isnull=True)
                | Q(unit__isnull=True, community__isnull=False),
                name="reward_item_one_offerer",
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="reward_item_price_positive"),
            models.CheckConstraint(
                condition=Q(per_person_limit__isnull=True) | Q(per_person_limit__gt=0),
                name="reward_item_limit_positive",
            ),
        ]
        indexes = [models.Index(fields=["active", "valid_until"])]

    def __str__(self) -> str:
        return self.name

    @property
    def offerer(self) -> object:
        return self.unit if self.unit_id is not None else self.community

    @property
    def sink_code(self) -> str:
        """The system account the points go to: one per offering unit or community."""
        if self.unit_id is not None:
            return f"redemption:unit:{self.unit_id}"
        return f"redemption:community:{self.community_id}"


class RedemptionStatus(models.TextChoices):
    ISSUED = "issued", _("待领取")
    HANDED_OVER = "handed_over", _("已领取")
    CANCELLED = "cancelled", _("已取消")


class Redemption(models.Model):
    item = models.ForeignKey(
        CatalogueItem, verbose_name=_("兑换物品"), on_delete=models.PROTECT, related_name="redemptions"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("兑换人"), on_delete=models.PROTECT, related_name="redemptions"
    )
    points = models.PositiveIntegerField(_("积分"))
    # What the person shows at the counter (as text and as a QR code).
    code = models.CharField(_("兑换码"), max_length=12, unique=True)
    status = models.CharField(
        _("状态"), max_length=15, choices=RedemptionStatus.choices, default=RedemptionStatus.ISSUED
    )
    created_at = models.DateTimeField(_("兑换时间"))
    handed_over_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("兑换记录")
        verbose_name_plural = _("兑换记录")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RedemptionStatus.values), name="redemption_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["person", "item"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.code

    @property
    def ledger_source(self) -> str:
        return f"redemption:{self.pk}"


class RedemptionEventKind(models.TextChoices):
    REDEEM = "redeem", _("兑换")
    HAND_OVER = "hand_over", _("领取")
    CANCEL = "cancel", _("取消")


class RedemptionEvent(models.Model):
    redemption = models.ForeignKey(Redemption, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=15, choices=RedemptionEventKind.choices)
    from_status = models.CharField(max_length=15, blank=True, choices=RedemptionStatus.choices)
    to_status = models.CharField(max_length=15, choices=RedemptionStatus.choices)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("兑换事件")
        verbose_name_plural = _("兑换事件")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.redemption_id} {self.kind}"


class TimeBankRelative(models.Model):
    """A relative a person has declared (by name and mobile of a registered person), to whom she
    may give credits and for whom she may book a service."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("本人"), on_delete=models.PROTECT, related_name="timebank_relatives"
    )
    relative = models.ForeignKey(
        "people.Person", verbose_name=_("亲属"), on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("时间银行亲属")
        verbose_name_plural = _("时间银行亲属")
        constraints = [
            models.UniqueConstraint(fields=["person", "relative"], name="timebank_relative_once"),
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")), name="timebank_relative_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.relative_id}"


class TransferKind(models.TextChoices):
    TRANSFER = "transfer", _("转给亲属")
    DONATE = "donate", _("捐给社区")


class TimeBankTransfer(models.Model):
    kind = models.CharField(_("类型"), max_length=10, choices=TransferKind.choices)
    from_person = models.ForeignKey(
        "people.Person", verbose_name=_("转出人"), on_delete=models.PROTECT, related_name="+"
    )
    to_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("接收人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pool = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("社区互助池"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes = models.PositiveIntegerField(_("时长(分钟)"))
    created_at = models.DateTimeField(_("时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("时间币转赠")
        verbose_name_plural = _("时间币转赠")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="timebank_transfer_positive"),
            models.CheckConstraint(
                condition=Q(kind="transfer", to_person__isnull=False, pool__isnull=True)
                | Q(kind="donate", to_person__isnull=True, pool__isnull=False),
                name="timebank_transfer_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.minutes}"

    @property
    def ledger_source(self) -> str:
        return f"timebank:transfer:{self.pk}"


class BookingStatus(models.TextChoices):
    OPEN = "open", _("待接单")
    TAKEN = "taken", _("已接单")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class TimeBankBooking(models.Model):
    beneficiary = models.ForeignKey(
        "people.Person",
        verbose_name=_("服务对象"),
        on_delete=models.PROTECT,
        related_name="timebank_bookings",
    )
    community = models.ForeignKey(
        "territory.Territory", verbose_name=_("所在社区"), on_delete=models.PROTECT, related_name="+"
    )
    # Whose credits pay: the elderly person, a relative on her behalf, or (null) the community pool.
    payer = models.ForeignKey(
        "people.Person",
        verbose_name=_("付币人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    skill = models.CharField(_("服务内容"), max_length=20, choices=SKILLS)
    minutes = models.PositiveIntegerField(_("时长(分钟)"))
    wanted_at = models.DateTimeField(_("希望时间"))
    # A few words ("3号楼2单元"), shown only to the volunteer who takes the booking and staff.
    address = EncryptedTextField(_("服务地点"), blank=True, default="")
    note = models.CharField(_("备注"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.OPEN
    )
    volunteer = models.ForeignKey(
        "people.Person",
        verbose_name=_("志愿者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="timebank_taken",
    )
    created_at = models.DateTimeField(_("预约时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("时间银行预约")
        verbose_name_plural = _("时间银行预约")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="timebank_booking_positive"),
            models.CheckConstraint(
                condition=Q(status__in=BookingStatus.values), name="timebank_booking_status"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "cancelled"]) | Q(volunteer__isnull=False),
                name="timebank_booking_taken_has_volunteer",
            ),
        ]
        indexes = [models.Index(fields=["status", "community"])]

    def __str__(self) -> str:
        return f"预约 #{self.pk}"

    @property
    def ledger_source(self) -> str:
        return f"timebank:booking:{self.pk}"


class BookingEvent(models.Model):
    booking = models.ForeignKey(TimeBankBooking, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=10)
    from_status = models.CharField(max_length=10, blank=True, choices=BookingStatus.choices)
    to_status = models.CharField(max_length=10, choices=BookingStatus.choices)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("预约事件")
        verbose_name_plural = _("预约事件")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind}"

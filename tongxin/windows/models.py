"""Service windows that never close (错时服务, "不打烊"): a community's service points, their
opening hours (evenings and weekends included), closures, and appointments residents book.

Two kinds of hours: regular opening (walk in) and 预约服务 (staff come in by arrangement, only for
those who booked). Both can be booked; only regular opening makes a point "open now"."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PointKind(models.TextChoices):
    CENTER = "center", _("党群服务中心")
    STATION = "station", _("党群服务站")
    CONVENIENCE = "convenience", _("便民服务站")


class ServicePoint(models.Model):
    community = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("所在社区/街道"),
        on_delete=models.PROTECT,
        related_name="service_points",
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=PointKind.choices, default=PointKind.CENTER)
    # The point's own address and office phone: public facts, not personal data.
    address = models.CharField(_("地址"), max_length=200)
    phone = models.CharField(_("服务电话"), max_length=30, blank=True)
    matters = models.JSONField(_("可办事项"), default=list, blank=True)
    active = models.BooleanField(_("开放预约"), default=True)
    closed_on_holidays = models.BooleanField(_("法定节假日休息"), default=True)
    # Appointment policy: each slot's length, how many people at once, how far ahead, how early.
    slot_minutes = models.PositiveSmallIntegerField(_("每个时段(分钟)"), default=30)
    slot_capacity = models.PositiveSmallIntegerField(_("每个时段可约人数"), default=2)
    days_ahead = models.PositiveSmallIntegerField(_("可提前预约天数"), default=14)
    notice_minutes = models.PositiveIntegerField(_("至少提前(分钟)"), default=120)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("服务点")
        verbose_name_plural = _("服务点")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PointKind.values), name="window_point_kind_valid"),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=10, slot_minutes__lte=240), name="window_point_slot_length"
            ),
            models.CheckConstraint(
                condition=Q(slot_capacity__gte=1, slot_capacity__lte=50), name="window_point_slot_capacity"
            ),
            models.CheckConstraint(
                condition=Q(days_ahead__gte=1, days_ahead__lte=90), name="window_point_days_ahead"
            ),
        ]
        indexes = [models.Index(fields=["community", "active"])]

    def __str__(self) -> str:
        return self.name


class HoursKind(models.TextChoices):
    OPEN = "open", _("开放")
    BOOKING = "booking", _("预约服务")


WEEKDAY_NAMES = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))


class OpeningHours(models.Model):
    """One range of one weekday. Several per day; a range never crosses midnight (a late evening
    ends by 24:00 at the latest and continues, if ever, as the next day's range)."""

    point = models.ForeignKey(
        ServicePoint, verbose_name=_("服务点"), on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(
        _("星期"), choices=[(i, name) for i, name in enumerate(WEEKDAY_NAMES)]
    )
    opens = models.TimeField(_("开始"))
    closes = models.TimeField(_("结束"))
    kind = models.CharField(_("类型"), max_length=8, choices=HoursKind.choices, default=HoursKind.OPEN)

    class Meta:
        verbose_name = _("开放时间")
        verbose_name_plural = _("开放时间")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="window_hours_weekday_valid"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="window_hours_close_after_open"),
            models.CheckConstraint(condition=Q(kind__in=HoursKind.values), name="window_hours_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{WEEKDAY_NAMES[self.weekday]} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """Days a point is shut whatever its hours say (renovation, an election, a typhoon)."""

    point = models.ForeignKey(
        ServicePoint, verbose_name=_("服务点"), on_delete=models.CASCADE, related_name="closures"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    reason = models.CharField(_("原因"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("闭馆日")
        verbose_name_plural = _("闭馆日")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="window_closure_ends_after")
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on} {self.reason}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")
    DONE = "done", _("已办结")
    NO_SHOW = "no_show", _("未到场")


class AppointmentChannel(models.TextChoices):
    MOBILE = "mobile", _("手机预约")
    STAFF = "staff", _("工作人员代约")


class Appointment(models.Model):
    point = models.ForeignKey(
        ServicePoint, verbose_name=_("服务点"), on_delete=models.PROTECT, related_name="appointments"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("预约人"),
        on_delete=models.PROTECT,
        related_name="window_appointments",
    )
    matter = models.CharField(_("办理事项"), max_length=50)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=AppointmentChannel.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    reminder_sent_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("预约时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="window_appt_ends_after"),
            models.CheckConstraint(
                condition=Q(status__in=AppointmentStatus.values), name="window_appt_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=AppointmentChannel.values), name="window_appt_channel_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["point", "starts_at"]),
            models.Index(fields=["person", "starts_at"]),
            models.Index(fields=["status", "reminder_sent_at", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"预约 #{self.pk}"


class EventKind(models.TextChoices):
    BOOK = "book", _("预约")
    CANCEL = "cancel", _("取消")
    DONE = "done", _("办结")
    NO_SHOW = "no_show", _("未到场")
    REMIND = "remind", _("提醒")


class AppointmentEvent(models.Model):
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=8, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(_("时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("预约事件")
        verbose_name_plural = _("预约事件")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="window_event_kind_valid")
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d %H:%M}"

"""The working-day calendar's exceptions: days off on weekdays (放假) and weekend days worked (调休上班).

Every other day follows the week: Monday to Friday are working days. A year that has rows here is
answered from these rows alone, so administrators can correct the coming year before the package
that supplies the defaults knows it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class DaySource(models.TextChoices):
    PACKAGE = "package", _("节假日数据包")
    MANUAL = "manual", _("手工设置")


class CalendarDay(models.Model):
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("节日名称"), max_length=50)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=DaySource.choices)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in DayKind]), name="workdays_day_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=[s.value for s in DaySource]),
                name="workdays_day_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}"

"""Service records under the 志愿服务记录与证明出具办法: "谁组织谁记录、谁记录谁证明".

A record is never edited: a correction appends a reversal (negative minutes, pointing at the
record it cancels) and a replacement (pointing at the record it replaces). The sum of a person's
minutes over all rows is her total; a record is current while no reversal points at it. The
table refuses UPDATE at the database level (triggers.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    ORIGINAL = "original", _("原始记录")
    REVERSAL = "reversal", _("冲销")
    REPLACEMENT = "replacement", _("更正后记录")


class ServiceRecord(models.Model):
    person = models.ForeignKey(
        "people.Person", verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="service_records"
    )
    # The organiser, exactly one of four: 谁组织谁记录.
    team = models.ForeignKey(
        "volunteers.Team",
        verbose_name=_("服务队"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_records",
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_records",
    )
    territory = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_records",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_records",
    )
    title = models.CharField(_("服务内容"), max_length=100)
    place = models.CharField(_("服务地点"), max_length=100, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"))
    minutes = models.IntegerField(_("服务时长(分钟)"))
    beneficiary = models.ForeignKey(
        "people.Person",
        verbose_name=_("服务对象"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services_received",
    )
    # Where the record came from, e.g. "activity:12:slot:3", "offline", "timebank:7".
    source = models.CharField(_("来源"), max_length=60)
    kind = models.CharField(_("类型"), max_length=12, choices=RecordKind.choices, default=RecordKind.ORIGINAL)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("更正的记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    award_points = models.BooleanField(_("计积分"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"))
    reason = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("志愿服务记录")
        verbose_name_plural = _("志愿服务记录")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        team__isnull=False,
                        organization__isnull=True,
                        territory__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        team__isnull=True,
                        organization__isnull=False,
                        territory__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        team__isnull=True,
                        organization__isnull=True,
                        territory__isnull=False,
                        unit__isnull=True,
                    )
                    | Q(
                        team__isnull=True,
                        organization__isnull=True,
                        territory__isnull=True,
                        unit__isnull=False,
                    )
                ),
                name="record_one_organiser",
            ),
            models.CheckConstraint(condition=Q(kind__in=RecordKind.values), name="record_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=RecordKind.ORIGINAL, minutes__gt=0, replaces__isnull=True)
                | Q(kind=RecordKind.REPLACEMENT, minutes__gt=0, replaces__isnull=False)
                | Q(kind=RecordKind.REVERSAL, minutes__lt=0, replaces__isnull=False),
                name="record_kind_minutes_sign",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__gt=models.F("started_at")), name="record_span_positive"
            ),
            # A record is reversed once, and replaced once.
            models.UniqueConstraint(fields=["replaces", "kind"], name="record_corrected_once"),
        ]
        indexes = [
            models.Index(fields=["person", "started_at"]),
            models.Index(fields=["started_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} #{self.pk}"

    @property
    def organiser(self) -> models.Model:
        return self.team or self.organization or self.territory or self.unit  # type: ignore[return-value]

    @property
    def ledger_source(self) -> str:
        return f"record:{self.pk}"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已更正")
    REFUSED = "refused", _("未予更正")


class CorrectionRequest(models.Model):
    """A volunteer asks the organiser to correct one of her own records."""

    record = models.ForeignKey(
        ServiceRecord, verbose_name=_("记录"), on_delete=models.PROTECT, related_name="correction_requests"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("更正理由"), max_length=300)
    proposed_minutes = models.PositiveIntegerField(_("申请更正为(分钟)"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    created_at = models.DateTimeField(_("申请时间"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), on_delete=models.PROTECT, null=True, blank=True
    )
    decision_reason = models.CharField(_("处理意见"), max_length=300, blank=True)
    result = models.ForeignKey(
        ServiceRecord,
        verbose_name=_("更正后记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("记录更正申请")
        verbose_name_plural = _("记录更正申请")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CorrectionStatus.values), name="correction_status_valid"
            ),
            models.CheckConstraint(condition=Q(proposed_minutes__gt=0), name="correction_minutes_positive"),
            models.CheckConstraint(
                condition=Q(status=CorrectionStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=CorrectionStatus.PENDING) & Q(decided_at__isnull=False)),
                name="correction_decided_when_closed",
            ),
            # One open request per record at a time.
            models.UniqueConstraint(
                fields=["record"], condition=Q(status=CorrectionStatus.PENDING), name="correction_one_pending"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"更正申请 #{self.pk}"


class Certificate(models.Model):
    """A 志愿服务记录证明 as issued: what it said, so the public page can check it later."""

    code = models.CharField(_("验证码"), max_length=16, unique=True)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="certificates"
    )
    volunteer_code = models.CharField(_("志愿者编号"), max_length=32, blank=True)
    issuer = models.CharField(_("出具单位"), max_length=100)
    total_minutes = models.PositiveIntegerField(_("累计时长(分钟)"))
    record_count = models.PositiveIntegerField(_("记录条数"))
    # The current records it listed (ids) and a digest of (id, minutes) pairs.
    record_ids = models.JSONField(_("记录"), default=list)
    records_hash = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("出具时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("志愿服务记录证明")
        verbose_name_plural = _("志愿服务记录证明")
        indexes = [models.Index(fields=["person", "issued_at"])]

    def __str__(self) -> str:
        return self.code

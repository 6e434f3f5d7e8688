"""The care registry (关爱对象): vulnerable residents the community visits on a cadence, with the
basis on which they are recorded (their consent, a guardian's, or a legal basis), the members
assigned to visit them, and the visits.

Sensitive by default (DESIGN.md §7): who sees a subject is decided in policies.py; notes are
encrypted at rest; the subject's next due date is kept on the row so that "overdue" is an indexed
comparison, not an aggregate over the visits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongxin.core.crypto import EncryptedTextField


class Kind(models.IntegerChoices):
    """One bit each: a person may be several at once (an elderly disabled person living alone)."""

    ELDERLY_ALONE = 1, _("独居老人")
    DISABLED = 2, _("残疾人")
    LEFT_BEHIND_CHILD = 4, _("留守儿童")
    HARDSHIP = 8, _("困难家庭")


ALL_KINDS_MASK = sum(Kind.values)
# How often each kind is visited unless staff set otherwise (days); several kinds: the shortest.
DEFAULT_CADENCE = {
    Kind.ELDERLY_ALONE: 7,
    Kind.DISABLED: 14,
    Kind.LEFT_BEHIND_CHILD: 14,
    Kind.HARDSHIP: 30,
}
CADENCE_MIN, CADENCE_MAX = 1, 90


def kinds_of(bits: int) -> list[Kind]:
    return [k for k in Kind if bits & k.value]


class Basis(models.TextChoices):
    CONSENT = "consent", _("本人或监护人同意")
    LEGAL = "legal", _("法定依据")


class ConsentBy(models.TextChoices):
    SELF = "self", _("本人")
    GUARDIAN = "guardian", _("监护人")


class CloseReason(models.TextChoices):
    MOVED = "moved", _("迁出本社区")
    DECEASED = "deceased", _("已去世")
    NO_LONGER = "no_longer", _("情况好转,不再需要")
    WITHDRAWN = "withdrawn", _("撤回同意")
    OTHER = "other", _("其他")


class CareSubject(models.Model):
    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="care_subjects"
    )
    kind_bits = models.PositiveSmallIntegerField(_("类别"))
    community = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("所在社区"),
        on_delete=models.PROTECT,
        related_name="care_subjects",
    )
    # Where a visitor finds them: building and door, encrypted like an address.
    place = EncryptedTextField(_("楼栋门牌"), blank=True, default="")
    basis = models.CharField(_("登记依据"), max_length=10, choices=Basis.choices)
    consent_by = models.CharField(_("同意人"), max_length=10, choices=ConsentBy.choices, blank=True)
    guardian_name = EncryptedTextField(_("监护人姓名"), blank=True, default="")
    consent_on = models.DateField(_("同意日期"), null=True, blank=True)
    legal_basis = models.CharField(_("法定依据"), max_length=100, blank=True)
    legal_reference = models.CharField(_("认定文号"), max_length=100, blank=True)
    cadence_days = models.PositiveSmallIntegerField(_("走访周期(天)"))
    notes = EncryptedTextField(_("备注"), blank=True, default="")
    active = models.BooleanField(_("在册"), default=True)
    closed_at = models.DateTimeField(_("销册时间"), null=True, blank=True)
    close_reason = models.CharField(_("销册原因"), max_length=10, choices=CloseReason.choices, blank=True)
    close_note = models.CharField(_("销册说明"), max_length=200, blank=True)
    last_visited_at = models.DateTimeField(_("最近走访"), null=True, blank=True)
    # (last visit or registration, local date) + cadence: overdue when before today.
    due_on = models.DateField(_("下次走访"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("关爱对象")
        verbose_name_plural = _("关爱对象")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(active=True), name="care_one_active_per_person"
            ),
            models.CheckConstraint(
                condition=Q(kind_bits__gt=0, kind_bits__lte=ALL_KINDS_MASK), name="care_kind_bits_known"
            ),
            models.CheckConstraint(
                condition=Q(cadence_days__gte=CADENCE_MIN, cadence_days__lte=CADENCE_MAX),
                name="care_cadence_range",
            ),
            models.CheckConstraint(
                condition=(Q(basis="consent") & ~Q(consent_by="") & Q(consent_on__isnull=False))
                | (Q(basis="legal") & ~Q(legal_basis="")),
                name="care_basis_recorded",
            ),
            models.CheckConstraint(
                condition=Q(active=True, closed_at__isnull=True, close_reason="")
                | (Q(active=False, closed_at__isnull=False) & ~Q(close_reason="")),
                name="care_closed_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["community", "active", "due_on"])]

    def __str__(self) -> str:
        return f"关爱对象 #{self.pk}"

    @property
    def kinds(self) -> list[Kind]:
        return kinds_of(self.kind_bits)

    @property
    def kind_labels(self) -> list[str]:
        return [str(k.label) for k in self.kinds]


class CareAssignment(models.Model):
    subject = models.ForeignKey(
        CareSubject, verbose_name=_("关爱对象"), on_delete=models.CASCADE, related_name="assignments"
    )
    visitor = models.ForeignKey(
        "people.Person", verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="care_assignments"
    )
    since = models.DateField(_("起始日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("指派时间"))

    class Meta:
        verbose_name = _("走访指派")
        verbose_name_plural = _("走访指派")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "visitor"],
                condition=Q(until__isnull=True),
                name="care_one_open_assignment",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="care_assignment_order",
            ),
        ]
        indexes = [models.Index(fields=["visitor", "until"])]

    def __str__(self) -> str:
        return f"{self.visitor_id} → {self.subject_id}"


class Way(models.TextChoices):
    HOME = "home", _("上门")
    PHONE = "phone", _("电话")
    VIDEO = "video", _("视频")


class Condition(models.TextChoices):
    GOOD = "good", _("良好")
    ATTENTION = "attention", _("需关注")
    URGENT = "urgent", _("紧急")


class CareVisit(models.Model):
    subject = models.ForeignKey(
        CareSubject, verbose_name=_("关爱对象"), on_delete=models.CASCADE, related_name="visits"
    )
    visitor = models.ForeignKey(
        "people.Person", verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="care_visits"
    )
    visited_at = models.DateTimeField(_("走访时间"))
    way = models.CharField(_("方式"), max_length=10, choices=Way.choices)
    condition = models.CharField(_("情况"), max_length=10, choices=Condition.choices)
    notes = EncryptedTextField(_("走访记录"), blank=True, default="")
    follow_up = models.BooleanField(_("需要跟进"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_at", "-pk"]
        indexes = [
            models.Index(fields=["subject", "-visited_at"]),
            models.Index(fields=["visitor", "-visited_at"]),
        ]

    def __str__(self) -> str:
        return f"走访 #{self.pk}"


class EventKind(models.TextChoices):
    REGISTER = "register", _("登记")
    UPDATE = "update", _("修改")
    CLOSE = "close", _("销册")
    ASSIGN = "assign", _("指派走访人")
    UNASSIGN = "unassign", _("结束指派")


class CareEvent(models.Model):
    subject = models.ForeignKey(
        CareSubject, verbose_name=_("关爱对象"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=10, choices=EventKind.choices)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("操作人"), max_length=150, blank=True)
    # Field names and ids only: the values are personal data and stay in their encrypted columns.
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("关爱对象变更")
        verbose_name_plural = _("关爱对象变更")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.kind}"


class CareReminder(models.Model):
    """One row per visitor and day the overdue reminder went out: the daily run is idempotent."""

    visitor = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    subjects = models.PositiveIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("走访提醒")
        verbose_name_plural = _("走访提醒")
        constraints = [models.UniqueConstraint(fields=["visitor", "day"], name="care_one_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.visitor_id} {self.day}"

"""A resident's need (诉求) and its timeline: one row per need whatever door it came through, and
one event row per step so the resident and the staff can see who did what, when."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongxin.core.crypto import EncryptedTextField

# The essay's six words for what weighs on people; a need may carry several.
TAGS = ("急", "难", "愁", "怨", "盼", "忧")


class NeedCategory(models.Model):
    """The 14 categories of DESIGN.md §11: codes are fixed (rules and reports key on them),
    names may be edited by administrators."""

    code = models.CharField(_("编码"), max_length=20, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    MOBILE = "mobile", _("居民手机")
    STAFF = "staff", _("工作人员代录")
    GRID = "grid", _("网格员上报")
    API = "api", _("接口")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    RETURNED = "returned", _("已退回")
    DISPATCHED = "dispatched", _("已派单")
    CLAIMED = "claimed", _("已认领")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结")
    VISITED = "visited", _("已回访")
    ARCHIVED = "archived", _("已归档")
    WITHDRAWN = "withdrawn", _("已撤回")
    MERGED = "merged", _("已合并")


ASSIGNEE_FIELDS = ("assigned_territory", "assigned_org", "assigned_unit", "assigned_person")


def _at_most_one_of(fields: tuple[str, ...]) -> Q:
    """All null, or exactly one set: every way of leaving all but one null."""
    q = Q(**{f"{f}__isnull": True for f in fields})
    for keep in fields:
        q |= Q(**{f"{f}__isnull": True for f in fields if f != keep})
    return q


class Need(models.Model):
    # Who asked: a registered person, or (staff-entered walk-ins and callers) a name and phone.
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("诉求人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
    )
    caller_name = EncryptedTextField(_("来电/来访人姓名"), blank=True, default="")
    caller_phone = EncryptedTextField(_("联系电话"), blank=True, default="")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_needs",
    )
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices)
    text = models.TextField(_("诉求内容"))
    category = models.ForeignKey(
        NeedCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="needs"
    )
    urgent = models.BooleanField(_("紧急"), default=False)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    community = models.ForeignKey(
        "territory.Territory", verbose_name=_("所在社区"), on_delete=models.PROTECT, related_name="needs"
    )
    place = models.CharField(_("楼栋/地点"), max_length=100, blank=True)
    private = models.BooleanField(_("不公开"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    # The assignee: at most one of the four (a dispatched community, branch, unit, or person;
    # a claimer is the assigned person).
    assigned_territory = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("承办社区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_needs",
    )
    assigned_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("承办党组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_needs",
    )
    assigned_unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_needs",
    )
    assigned_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("承办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_needs",
    )
    # Deadlines come from the working-day calendar (tongxin.workdays.policy): the acceptance
    # clock starts at submission, the handling clock at acceptance. urge_at/escalate_at belong to
    # whichever clock is running, stored so the scheduled task finds its work with an index;
    # urged_at/escalated_at record that it was done, which keeps the task idempotent.
    accept_due_at = models.DateTimeField(_("受理时限"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("办结时限"), null=True, blank=True)
    urge_at = models.DateTimeField(_("催办时间"), null=True, blank=True)
    escalate_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    urged_at = models.DateTimeField(_("已催办于"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("已上报于"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("上报级数"), default=0)
    escalated_to = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("督办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalated_needs",
    )
    bounce_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    resolution = models.TextField(_("办理结果"), blank=True)
    rating = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    comment = models.TextField(_("评价"), blank=True)
    # What the classifier proposed at intake, kept beside what was chosen: a difference is a
    # correction to learn from (NeedCorrection keeps later ones by staff).
    suggested_category = models.CharField(_("建议类别"), max_length=20, blank=True)
    suggested_urgent = models.BooleanField(_("建议紧急"), null=True, blank=True)
    suggestion_confidence = models.FloatField(_("建议置信度"), null=True, blank=True)
    # A public story about this need needs the resident's recorded consent (DESIGN.md §7).
    story_consent_at = models.DateTimeField(_("同意公开事迹时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    visited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="need_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="need_channel_valid"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="need_rating_1_5"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.MERGED, merged_into__isnull=False)
                | (~Q(status=Status.MERGED) & Q(merged_into__isnull=True)),
                name="need_merged_into_iff_merged",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="need_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(caller_phone="") | ~Q(caller_name=""),
                name="need_has_someone_to_answer",
            ),
            models.CheckConstraint(
                condition=_at_most_one_of(ASSIGNEE_FIELDS),
                name="need_at_most_one_assignee",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status"]),
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["status", "urge_at"]),
            models.Index(fields=["status", "escalate_at"]),
        ]

    def __str__(self) -> str:
        # Never the text: it lands in audit rows and logs, and may be about someone's health.
        return f"诉求 #{self.pk}"

    @property
    def contact_phone(self) -> str:
        """The number given with the need (a resident may ask to be called on another phone, a
        caller leaves one) comes before the number on the person's record."""
        return self.caller_phone or (self.person.mobile if self.person_id and self.person else "")


class EventKind(models.TextChoices):
    SUBMIT = "submit", _("提交")
    ACCEPT = "accept", _("受理")
    RETURN = "return", _("退回")
    DISPATCH = "dispatch", _("派单")
    BOUNCE = "bounce", _("退单")
    CLAIM = "claim", _("认领")
    START = "start", _("开始办理")
    RESOLVE = "resolve", _("办结")
    VISIT = "visit", _("回访")
    ARCHIVE = "archive", _("归档")
    WITHDRAW = "withdraw", _("撤回")
    MERGE = "merge", _("合并")
    REOPEN = "reopen", _("重新办理")
    URGE = "urge", _("催办")
    ESCALATE = "escalate", _("超期上报")
    RECLASSIFY = "reclassify", _("更正类别")
    CONSENT = "consent", _("同意公开")


class NeedEvent(models.Model):
    need = models.ForeignKey(Need, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人标识"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"))
    kind = models.CharField(_("事件"), max_length=12, choices=EventKind.choices)
    from_status = models.CharField(_("原状态"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=Status.choices)
    note = models.TextField(_("说明"), blank=True)
    # The resident's timeline shows public notes only; internal remarks stay with the staff.
    public = models.BooleanField(_("居民可见"), default=True)
    # Which assignee a dispatch went to or a bounce came from ("org:12"): bounces are once per level.
    assignee_key = models.CharField(max_length=30, blank=True)

    class Meta:
        verbose_name = _("诉求处理记录")
        verbose_name_plural = _("诉求处理记录")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="need_event_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class PhotoStage(models.TextChoices):
    SUBMIT = "submit", _("反映时")
    RESOLVE = "resolve", _("办结时")


class NeedPhoto(models.Model):
    """A photo of the problem (from the resident) or of the result (from the handler).

    Stored re-encoded as JPEG (which drops EXIF, GPS included) and encrypted in the row: photos
    show people's homes, and only those who may see the need may see them."""

    need = models.ForeignKey(Need, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("环节"), max_length=10, choices=PhotoStage.choices)
    data = models.BinaryField(_("图片(加密)"))
    width = models.PositiveIntegerField(_("宽"))
    height = models.PositiveIntegerField(_("高"))
    size = models.PositiveIntegerField(_("字节数"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("诉求照片")
        verbose_name_plural = _("诉求照片")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=PhotoStage.values), name="need_photo_stage_valid"),
        ]

    def __str__(self) -> str:
        return f"诉求 #{self.need_id} 照片 {self.pk}"


class NeedCorrection(models.Model):
    """A staff correction of the category or urgency: training data for the classifier."""

    need = models.ForeignKey(
        Need, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="corrections"
    )
    from_category = models.CharField(_("原类别"), max_length=20)
    to_category = models.CharField(_("新类别"), max_length=20)
    from_urgent = models.BooleanField(_("原紧急"))
    to_urgent = models.BooleanField(_("新紧急"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更正人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("更正时间"))

    class Meta:
        verbose_name = _("类别更正")
        verbose_name_plural = _("类别更正")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.need_id} {self.from_category}->{self.to_category}"

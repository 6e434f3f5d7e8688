"""志愿活动: an organiser publishes an activity with time slots; people sign up per slot (a waiting
list beyond the capacity), check in and out at the venue, and their hours become service records.

An activity's organiser is exactly one of a party organisation, a community (or any territory
node), a unit or a volunteer team, like a service record's ("谁组织谁记录")."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongxin.matching.skills import ALL_SKILLS_MASK, SKILL_CODES, codes_of


class Category(models.TextChoices):
    ELDERLY = "elderly", _("助老")
    DISABILITY = "disability", _("助残")
    CHILDREN = "children", _("关爱儿童")
    ENVIRONMENT = "environment", _("环境保护")
    CIVILITY = "civility", _("文明实践")
    GOVERNANCE = "governance", _("社区治理")
    CULTURE = "culture", _("文体活动")
    EMERGENCY = "emergency", _("应急救援")
    HEALTH = "health", _("健康义诊")
    OTHER = "other", _("其他")


# A subscription stores its categories as bits, in this order (new categories are appended).
CATEGORY_CODES: tuple[str, ...] = tuple(Category.values)
CATEGORY_BIT = {code: 1 << i for i, code in enumerate(CATEGORY_CODES)}
ALL_CATEGORIES_MASK = (1 << len(CATEGORY_CODES)) - 1


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")
    FINISHED = "finished", _("已结束")


class Activity(models.Model):
    # The organiser: exactly one of these four (activity_organiser gives it back).
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("主办党组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    territory = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("主办社区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_activities",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    team = models.ForeignKey(
        "volunteers.Team",
        verbose_name=_("主办志愿服务队"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    title = models.CharField(_("活动名称"), max_length=60)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    description = models.TextField(_("活动内容"), max_length=2000, blank=True, default="")
    # Where it happens: the community (for subscriptions and the phone list), the venue and address.
    community = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("所在社区"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    venue = models.CharField(_("活动地点"), max_length=60)
    address = models.CharField(_("详细地址"), max_length=120, blank=True, default="")
    skill_bits = models.PositiveIntegerField(_("所需专长"), default=0)
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最高年龄"), null=True, blank=True)
    awards_hours = models.BooleanField(_("记录服务时长"), default=True)
    awards_points = models.BooleanField(_("给予积分"), default=True)
    # Sign-ups may be cancelled until this many hours before the slot starts.
    cancel_hours = models.PositiveSmallIntegerField(_("取消报名截止(开始前小时数)"), default=2)
    # Check-in opens this many minutes before the slot starts and closes when it ends.
    checkin_minutes = models.PositiveSmallIntegerField(_("提前签到(分钟)"), default=30)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("志愿活动")
        verbose_name_plural = _("志愿活动")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        organization__isnull=False,
                        territory__isnull=True,
                        unit__isnull=True,
                        team__isnull=True,
                    )
                    | Q(
                        organization__isnull=True,
                        territory__isnull=False,
                        unit__isnull=True,
                        team__isnull=True,
                    )
                    | Q(
                        organization__isnull=True,
                        territory__isnull=True,
                        unit__isnull=False,
                        team__isnull=True,
                    )
                    | Q(
                        organization__isnull=True,
                        territory__isnull=True,
                        unit__isnull=True,
                        team__isnull=False,
                    )
                ),
                name="activity_one_organiser",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="activity_status_valid"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="activity_category_valid"),
            models.CheckConstraint(
                condition=Q(skill_bits__lte=ALL_SKILLS_MASK), name="activity_skill_bits_known"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="activity_ages_ordered",
            ),
        ]
        indexes = [models.Index(fields=["status", "community"]), models.Index(fields=["category"])]

    def __str__(self) -> str:
        return self.title

    @property
    def organiser(self) -> models.Model:
        return self.organization or self.territory or self.unit or self.team  # type: ignore[return-value]

    @property
    def skills(self) -> list[str]:
        return codes_of(self.skill_bits, SKILL_CODES)


class EventKind(models.TextChoices):
    CREATE = "create", _("创建")
    EDIT = "edit", _("修改")
    PUBLISH = "publish", _("发布")
    CANCEL = "cancel", _("取消")
    FINISH = "finish", _("结束")


class ActivityEvent(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=12, choices=EventKind.choices)
    from_status = models.CharField(max_length=12, blank=True, default="")
    to_status = models.CharField(max_length=12, blank=True, default="")
    note = models.CharField(_("说明"), max_length=200, blank=True, default="")
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, default="")
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.kind}"


class Slot(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    # The secret behind the slot's QR codes: rotating it voids every code printed or shown so far.
    qr_key = models.CharField(max_length=32, editable=False)
    # Set when the organiser confirms the roster: hours are recorded, the roster is closed.
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("活动时段")
        verbose_name_plural = _("活动时段")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="slot_capacity_positive"),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.activity_id}@{self.starts_at:%Y-%m-%d %H:%M}"


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    CANCELLED = "cancelled", _("已取消")
    NO_SHOW = "no_show", _("缺席")


ACTIVE_SIGNUP = (SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED)


class CheckMethod(models.TextChoices):
    QR = "qr", _("扫码")
    ROSTER = "roster", _("组织者代签")
    PAPER = "paper", _("纸质签到表")


class SignUp(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="signups")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="activity_signups")
    status = models.CharField(_("状态"), max_length=12, choices=SignUpStatus.choices)
    created_at = models.DateTimeField(_("报名时间"))
    # The waiting list's order: when the person joined it (moved up in this order).
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    check_method = models.CharField(_("签到方式"), max_length=8, choices=CheckMethod.choices, blank=True)
    # Minutes of service credited (after any correction) and the record that carries them.
    minutes = models.PositiveIntegerField(_("服务时长(分钟)"), null=True, blank=True)
    record = models.ForeignKey(
        "records.ServiceRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "person"],
                condition=Q(status__in=["confirmed", "waitlisted", "no_show"]),
                name="signup_one_active_per_slot",
            ),
            models.CheckConstraint(condition=Q(status__in=SignUpStatus.values), name="signup_status_valid"),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                name="signup_out_after_in",
            ),
        ]
        indexes = [models.Index(fields=["slot", "status"]), models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"signup:{self.pk}"


class SignUpEventKind(models.TextChoices):
    SIGN_UP = "sign_up", _("报名")
    WAITLIST = "waitlist", _("进入候补")
    PROMOTE = "promote", _("候补转正")
    CANCEL = "cancel", _("取消报名")
    CHECK_IN = "check_in", _("签到")
    CHECK_OUT = "check_out", _("签退")
    NO_SHOW = "no_show", _("标记缺席")
    PAPER = "paper", _("补录纸质签到")
    RECORD = "record", _("记录时长")
    ADJUST = "adjust", _("调整时长")


class SignUpEvent(models.Model):
    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=SignUpEventKind.choices)
    note = models.CharField(max_length=200, blank=True, default="")
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.signup_id} {self.kind}"


class Subscription(models.Model):
    """What a member or volunteer wants to hear of: categories (bits, CATEGORY_CODES) in areas."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="activity_subscription"
    )
    category_bits = models.PositiveIntegerField(_("关注类别"), default=0)
    communities = models.ManyToManyField(
        "territory.Territory", verbose_name=_("关注社区"), related_name="activity_subscriptions", blank=True
    )
    by_sms = models.BooleanField(_("短信提醒"), default=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("活动订阅")
        verbose_name_plural = _("活动订阅")
        constraints = [
            models.CheckConstraint(
                condition=Q(category_bits__lte=ALL_CATEGORIES_MASK), name="subscription_category_bits_known"
            )
        ]

    def __str__(self) -> str:
        return f"subscription:{self.pk}"

    @property
    def categories(self) -> list[str]:
        return codes_of(self.category_bits, CATEGORY_CODES)

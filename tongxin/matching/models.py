"""A helper's profile: what they can do (skills), when (weekday × period slots), and where
(communities served), with their consent to be suggested.

Members record one today; volunteers (issue 5, the volunteering app) will reuse this model as it
is, keyed on their Person, so that one matching serves both."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .skills import ALL_SKILLS_MASK, ALL_SLOTS_MASK, SKILL_CODES, SLOT_CODES, codes_of


class HelperProfile(models.Model):
    person = models.OneToOneField(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="helper_profile"
    )
    # Bits, not a join table: matching reads 100,000 of these at once as two integer columns
    # (skills.py fixes which bit is which).
    skill_bits = models.PositiveIntegerField(_("专长"), default=0)
    slot_bits = models.PositiveIntegerField(_("空闲时段"), default=0)
    communities = models.ManyToManyField(
        "territory.Territory", verbose_name=_("服务社区"), related_name="helper_profiles", blank=True
    )
    active = models.BooleanField(_("接受派单"), default=True)
    # When the person agreed to be suggested to staff for needs (null: not yet, never suggested).
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("帮办人档案")
        verbose_name_plural = _("帮办人档案")
        constraints = [
            models.CheckConstraint(
                condition=Q(skill_bits__lte=ALL_SKILLS_MASK), name="helper_skill_bits_known"
            ),
            models.CheckConstraint(condition=Q(slot_bits__lte=ALL_SLOTS_MASK), name="helper_slot_bits_known"),
        ]
        indexes = [models.Index(fields=["active"])]

    def __str__(self) -> str:
        return f"帮办人 #{self.pk}"

    @property
    def skills(self) -> list[str]:
        return codes_of(self.skill_bits, SKILL_CODES)

    @property
    def slots(self) -> list[str]:
        return codes_of(self.slot_bits, SLOT_CODES)

"""隶属: the party organisation tree 党委 → 党总支 → 党支部 → 党小组, who answers to whom.

A resident unit's party organisation often answers to a superior outside the district; such
superiors are kept as external stub nodes (is_external) so the chain stays whole."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    WORKING_COMMITTEE = "working_committee", _("党工委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    JOINT_BRANCH = "joint_branch", _("联合党支部")
    TEMPORARY_BRANCH = "temporary_branch", _("临时党支部")
    PARTY_GROUP = "party_group", _("党小组")


BRANCH_KINDS = {OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH}
# Organisations that can have members recorded directly (中国共产党章程 第三十条: 党员三人以上
# 成立支部; 党总支 and 党委 also keep members of their own offices).
MEMBER_HOLDING_KINDS = BRANCH_KINDS | {OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE}

ALLOWED_CHILD_KINDS: dict[str | None, set[str]] = {
    None: set(OrgKind.values),  # roots: the district committee, or external stubs
    OrgKind.COMMITTEE: {
        OrgKind.COMMITTEE,
        OrgKind.WORKING_COMMITTEE,
        OrgKind.GENERAL_BRANCH,
        *BRANCH_KINDS,
    },
    OrgKind.WORKING_COMMITTEE: {OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, *BRANCH_KINDS},
    OrgKind.GENERAL_BRANCH: set(BRANCH_KINDS),
    OrgKind.BRANCH: {OrgKind.PARTY_GROUP},
    OrgKind.JOINT_BRANCH: {OrgKind.PARTY_GROUP},
    OrgKind.TEMPORARY_BRANCH: {OrgKind.PARTY_GROUP},
    OrgKind.PARTY_GROUP: set(),
}


class Organization(MP_Node):
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("组织编码"), max_length=30, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=OrgKind.choices)
    # Pinyin initials and full pinyin of the name (tongxin.core.search_keys), kept by the tree
    # services, so the tree search by "dhjd" or "dinghai" is one SQL query over this column.
    search_key = models.CharField(max_length=400, blank=True, default="", editable=False)
    is_external = models.BooleanField(
        _("区外上级"), default=False, help_text=_("区外的上级党组织,仅作为隶属关系的占位节点。")
    )
    territory = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("所在属地"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    units = models.ManyToManyField(
        "units.Unit", verbose_name=_("所属单位"), blank=True, related_name="organizations"
    )
    committee_elected_on = models.DateField(
        _("支委会选举日期"), null=True, blank=True, help_text=_("未设支委会的留空。")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=OrgKind.values), name="org_kind_valid"),
            # Every organisation inside the district sits somewhere in the territory tree.
            models.CheckConstraint(
                condition=models.Q(is_external=True) | models.Q(territory__isnull=False),
                name="org_internal_has_territory",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

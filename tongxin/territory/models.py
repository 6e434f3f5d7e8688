"""属地: the territory tree 区 → 街道/镇 → 社区/村 → 网格, where people live and things happen."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class TerritoryLevel(models.TextChoices):
    DISTRICT = "district", _("区")
    STREET = "street", _("街道")
    TOWN = "town", _("镇")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")
    GRID = "grid", _("网格")


# Which level may sit directly under which: the hierarchy the essay's 街镇—居村—网格 describes.
ALLOWED_CHILD_LEVELS: dict[str | None, set[str]] = {
    None: {TerritoryLevel.DISTRICT},
    TerritoryLevel.DISTRICT: {TerritoryLevel.STREET, TerritoryLevel.TOWN},
    TerritoryLevel.STREET: {TerritoryLevel.COMMUNITY, TerritoryLevel.VILLAGE},
    TerritoryLevel.TOWN: {TerritoryLevel.COMMUNITY, TerritoryLevel.VILLAGE},
    TerritoryLevel.COMMUNITY: {TerritoryLevel.GRID},
    TerritoryLevel.VILLAGE: {TerritoryLevel.GRID},
    TerritoryLevel.GRID: set(),
}

# Official-style codes: 6-digit 行政区划代码 for the district, then 3 digits per level
# (统计用区划代码 style 310110001001 for a community), and 3 more for a grid.
CODE_LENGTH = {
    TerritoryLevel.DISTRICT: 6,
    TerritoryLevel.STREET: 9,
    TerritoryLevel.TOWN: 9,
    TerritoryLevel.COMMUNITY: 12,
    TerritoryLevel.VILLAGE: 12,
    TerritoryLevel.GRID: 15,
}


class Territory(MP_Node):
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("区划代码"), max_length=20, unique=True)
    level = models.CharField(_("层级"), max_length=10, choices=TerritoryLevel.choices)
    # Pinyin initials and full pinyin of the name (tongxin.core.search_keys), kept by the tree
    # services, so the tree search by "dhjd" or "dinghai" is one SQL query over this column.
    search_key = models.CharField(max_length=400, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("属地")
        verbose_name_plural = _("属地")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=TerritoryLevel.values), name="territory_level_valid"
            )
        ]
        indexes = [models.Index(fields=["level", "path"])]

    def __str__(self) -> str:
        return self.name

"""The categories are one list across the platform: the seeded rows, the deadline policy and the
classifier's labels all key on the same 14 codes of DESIGN.md §11."""

import pytest

from tongxin.needs.models import NeedCategory
from tongxin.workdays.policy import CATEGORY_CODES

pytestmark = pytest.mark.django_db

DESIGN_CODES = {
    "elderly", "disability", "children", "hardship", "psych", "legal", "property",
    "facility", "safety", "employment", "health", "culture", "policy", "other",
}  # fmt: skip


def test_the_seeded_categories_are_the_fourteen_of_the_design_with_deadlines() -> None:
    seeded = set(NeedCategory.objects.values_list("code", flat=True))
    assert seeded == DESIGN_CODES
    assert set(CATEGORY_CODES) == DESIGN_CODES
    assert NeedCategory.objects.get(code="facility").name == "公共设施维修"

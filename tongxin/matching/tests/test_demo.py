"""The demo seeding writes valid, suggestible profiles through the service."""

import pytest

from conftest import NOW
from tongxin.matching.demo import seed_helper_profiles
from tongxin.matching.models import HelperProfile
from tongxin.matching.skills import SKILL_CODES

pytestmark = pytest.mark.django_db


def test_members_get_profiles_and_a_second_run_adds_none(nw) -> None:  # type: ignore[no-untyped-def]
    written = seed_helper_profiles(now=NOW, share=1.0)
    assert written == HelperProfile.objects.count() >= 3
    for p in HelperProfile.objects.all():
        assert p.skills
        assert set(p.skills) <= set(SKILL_CODES)
        assert p.slots
        assert p.consent_at == NOW
        assert p.communities.exists()
    assert seed_helper_profiles(now=NOW, share=1.0) == 0

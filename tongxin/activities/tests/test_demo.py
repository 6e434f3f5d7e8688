"""The demo activities: made through the services, with the demo member's part in them."""

import pytest

from conftest import NOW, add_member, add_person
from tongxin.accounts.models import User
from tongxin.activities.demo import seed_activities
from tongxin.activities.models import Activity, SignUp, SignUpStatus, Status, Subscription
from tongxin.records.models import ServiceRecord

pytestmark = pytest.mark.django_db


def test_seed_activities_gives_the_demo_member_past_and_upcoming_activities(aw) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=aw.n.alice.pk).update(username="demo_member")
    for name in ("周强", "吴芳", "郑丽"):
        add_member(add_person(name, aw.w.c11), aw.w.b11)
    counts = seed_activities(now=NOW, seed=1, scale=0.5)
    assert counts["activities"] == Activity.objects.count() > 0
    assert Activity.objects.filter(status=Status.FINISHED).exists()
    assert Activity.objects.filter(status=Status.PUBLISHED, slots__starts_at__gt=NOW).exists()
    past = SignUp.objects.filter(person=aw.w.alice, slot__ends_at__lt=NOW)
    assert past.count() == 2
    assert (
        counts["activity service records"]
        == ServiceRecord.objects.filter(source__startswith="signup:").count()
    )
    assert (
        ServiceRecord.objects.filter(person=aw.w.alice).exists()
        or past.filter(status=SignUpStatus.NO_SHOW).exists()
    )
    assert (
        SignUp.objects.filter(
            person=aw.w.alice, slot__starts_at__gt=NOW, status=SignUpStatus.CONFIRMED
        ).count()
        == 1
    )
    # Something upcoming she has not signed up to, open to everyone.
    open_to_her = Activity.objects.filter(
        status=Status.PUBLISHED, slots__starts_at__gt=NOW, skill_bits=0, min_age__isnull=True
    ).exclude(slots__signups__person=aw.w.alice)
    assert open_to_her.exists()
    assert Subscription.objects.get(person=aw.w.alice).categories == ["elderly", "environment", "civility"]
    # The small slot filled up and has a waiting list.
    assert SignUp.objects.filter(status=SignUpStatus.WAITLISTED, slot__capacity=3).count() == 2

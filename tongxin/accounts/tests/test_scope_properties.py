"""Property: for random trees and random grants, every policy queryset holds exactly the rows the
rules allow, for every action. The oracle walks parent links; the policies use path ranges."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from tongxin.accounts.policies import Action, visible
from tongxin.orgs.models import Organization
from tongxin.people.models import Membership, Person
from tongxin.territory.models import Territory
from tongxin.units.models import Unit

from .scope_worlds import build, expected_visible, world_spec

MODELS = {
    "territory": Territory,
    "organization": Organization,
    "unit": Unit,
    "person": Person,
    "membership": Membership,
}


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=world_spec)
def test_policies_show_exactly_the_rows_in_scope(spec) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        world = build(spec)
        for action in Action:
            for name, model in MODELS.items():
                got = set(visible(world.user, model, action).values_list("pk", flat=True))
                assert got == expected_visible(world, name, action), (name, action)
        transaction.set_rollback(True)

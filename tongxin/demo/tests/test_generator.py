"""The generator alone (no database): sizes per tier, valid identifiers, repeatability."""

from collections import Counter
from datetime import date

import pytest

from tongxin.core.validators import normalize_credit_code, parse_id_number
from tongxin.demo.population import iter_population
from tongxin.demo.tiers import TIERS
from tongxin.demo.world import generate_world
from tongxin.units.models import UnitKind

TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def small():  # type: ignore[no-untyped-def]
    return generate_world(tier=TIERS["small"], seed=2026, today=TODAY)


@pytest.fixture(scope="module")
def district():  # type: ignore[no-untyped-def]
    return generate_world(tier=TIERS["district"], seed=2026, today=TODAY)


def test_small_tier_has_the_sizes_of_design_section_9(small):  # type: ignore[no-untyped-def]
    nodes = len(small.territories) + len(small.organizations)
    assert 120 <= nodes <= 200
    assert 1700 <= small.planned_members() <= 2600
    assert 18_000 <= small.planned_residents() <= 23_000


def test_district_tier_has_the_sizes_of_design_section_9(district):  # type: ignore[no-untyped-def]
    nodes = len(district.territories) + len(district.organizations)
    assert 6000 <= nodes <= 8500
    assert 95_000 <= district.planned_members() <= 130_000
    assert 1_100_000 <= district.planned_residents() <= 1_400_000


def test_units_of_every_kind_most_with_their_own_party_organisation(district):  # type: ignore[no-untyped-def]
    assert {u.kind for u in district.units} == set(UnitKind.values)
    own = Counter(c for o in district.organizations if len(o.unit_codes) == 1 for c in o.unit_codes)
    assert 0.55 <= len(own) / len(district.units) <= 0.75
    assert any(o.is_external for o in district.organizations)
    joint = [o for o in district.organizations if o.kind == "joint_branch"]
    assert joint
    assert all(2 <= len(o.unit_codes) <= 6 for o in joint)
    assert len({u.credit_code for u in district.units}) == len(district.units)
    assert all(normalize_credit_code(u.credit_code) == u.credit_code for u in district.units[:300])


def test_names_are_chinese_and_codes_unique(district):  # type: ignore[no-untyped-def]
    codes = [t.code for t in district.territories]
    assert len(set(codes)) == len(codes)
    streets = [t.name for t in district.territories if t.level == "street"]
    assert all(name.endswith("路街道") for name in streets)
    assert len(set(streets)) == len(streets)
    assert len({o.code for o in district.organizations}) == len(district.organizations)


def test_same_seed_same_people_other_seed_other_people(small):  # type: ignore[no-untyped-def]
    first = next(iter_population(small))
    again = next(iter_population(generate_world(tier=TIERS["small"], seed=2026, today=TODAY)))
    other = next(iter_population(generate_world(tier=TIERS["small"], seed=2027, today=TODAY)))
    assert first == again
    assert first[0] != other[0]


def test_generated_id_numbers_are_valid_and_unique(small):  # type: ignore[no-untyped-def]
    persons = [p for chunk, _members in iter_population(small) for p in chunk]
    numbers = [p.id_number for p in persons]
    assert len(set(numbers)) == len(numbers)
    for number in numbers[::50]:
        assert parse_id_number(number).number == number
    local = sum(n.startswith("310199") for n in numbers) / len(numbers)
    assert 0.6 < local < 0.85

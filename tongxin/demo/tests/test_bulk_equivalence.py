"""The bulk path writes what the services would: same tree positions, same decrypted values and
blind indexes, same derived gender and birth date; and the same seed gives the same rows."""

import pytest

from tongxin.audit.verification import verify_chain
from tongxin.demo.seeding import BULK

from .snapshots import NO_PROBLEMS, seeded_snapshot, snapshot_of, tiny_options

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["territories", "units", "organizations", "persons", "memberships"])
def test_bulk_rows_equal_service_rows(through_services, through_bulk, kind):  # type: ignore[no-untyped-def]
    services, bulk = through_services[kind], through_bulk[kind]
    assert services, f"the tiny world has no {kind}"
    assert bulk.keys() == services.keys()
    different = [key for key in services if services[key] != bulk[key]]
    assert not different, f"{kind} differ, e.g. {services[different[0]]} != {bulk[different[0]]}"


def test_both_trees_pass_treebeard_checks(through_services, through_bulk):  # type: ignore[no-untyped-def]
    assert through_services["tree_problems"] == NO_PROBLEMS
    assert through_bulk["tree_problems"] == NO_PROBLEMS


def test_bulk_stores_ciphertext_not_clear_text(through_bulk):  # type: ignore[no-untyped-def]
    clear_ids = {values[1] for values in through_bulk["persons"].values()}
    for id_number, address in through_bulk["stored_ciphertexts"]:
        assert id_number.startswith("gAAAA")  # a Fernet token
        assert id_number not in clear_ids
        assert address == "" or address.startswith("gAAAA")


def test_the_tree_has_nodes_at_every_depth(through_bulk):  # type: ignore[no-untyped-def]
    depths = {values[3] for values in through_bulk["territories"].values()}
    assert depths == {1, 2, 3, 4}
    groups = [v for v in through_bulk["organizations"].values() if v[1] == "party_group"]
    assert groups, "the tiny world should exercise party groups"


def test_same_seed_same_rows_other_seed_other_rows(through_bulk):  # type: ignore[no-untyped-def]
    again = seeded_snapshot(tree_path=BULK, people_path=BULK)
    for kind in ("territories", "units", "organizations", "persons", "memberships"):
        assert again[kind] == through_bulk[kind]
    other = seeded_snapshot(tree_path=BULK, people_path=BULK, seed=8)
    assert other["persons"].keys() != through_bulk["persons"].keys()


def test_bulk_writes_one_audit_event_per_kind_and_the_chain_verifies():  # type: ignore[no-untyped-def]
    from tongxin.audit.models import AuditEvent
    from tongxin.demo.seeding import seed_demo

    def write_and_check() -> None:
        seed_demo(tiny_options(tree_path=BULK, people_path=BULK))
        events = list(AuditEvent.objects.filter(actor_label="seed_demo").order_by("seq"))
        kinds = [e.object_type for e in events]
        assert kinds == [
            "territory.territory",
            "units.unit",
            "orgs.organization",
            "people.person",
            "people.membership",
        ]
        assert all(e.detail["bulk"] and e.detail["count"] > 0 for e in events)
        checked, broken = verify_chain()
        assert broken is None
        assert checked == len(events)

    snapshot_of(write_and_check)

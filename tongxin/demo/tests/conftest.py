"""Snapshots of the tiny world written both ways. They are plain data (the writes are rolled back),
so they are built once per test process however pytest-xdist interleaves the modules."""

import pytest

from tongxin.demo.seeding import BULK, SERVICES

from .snapshots import seeded_snapshot


@pytest.fixture(scope="session")
def through_services(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        return seeded_snapshot(tree_path=SERVICES, people_path=SERVICES)


@pytest.fixture(scope="session")
def through_bulk(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        return seeded_snapshot(tree_path=BULK, people_path=BULK)

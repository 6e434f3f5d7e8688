"""Fixtures for the needs pages of the workbench: the needs world of tongxin/needs/tests (staff,
residents, members) with verified clients, and a few needs in different states."""

import importlib
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import NOW
from tongxin.needs.tests.conftest import actor, submit

from .conftest import verified_client

__all__ = ["actor", "needs_pages", "seed_categories", "submit"]


def seed_categories() -> None:
    """A transactional test empties every table: the 14 categories come back as the migration
    seeds them."""
    from django.apps import apps

    importlib.import_module("tongxin.needs.migrations.0002_seed_categories").seed(apps, None)


@pytest.fixture
def needs_pages(nw) -> Any:  # type: ignore[no-untyped-def]
    """nw plus verified clients: a community secretary (c11), the street (street1), another
    street's community (c21) and a grid worker (c11)."""
    p = SimpleNamespace(nw=nw, w=nw.w, now=NOW)
    p.c11 = verified_client(nw.staff11)
    p.street = verified_client(nw.street1)
    p.c21 = verified_client(nw.staff21)
    p.grid = verified_client(nw.grid)
    return p

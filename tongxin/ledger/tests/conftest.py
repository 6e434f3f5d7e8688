"""Ledger test helpers: an actor and a few persons from the shared world."""

import pytest

from conftest import SYSTEM, add_person


@pytest.fixture
def people(world):  # type: ignore[no-untyped-def]
    world.erin = add_person("赵丽", world.c12)
    return world


__all__ = ["SYSTEM"]

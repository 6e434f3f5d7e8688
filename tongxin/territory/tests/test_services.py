import pytest
from django.core.exceptions import ValidationError

from conftest import SYSTEM
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.core.errors import ApplicationError
from tongxin.territory.models import Territory
from tongxin.territory.services import territory_create, territory_delete, territory_move

pytestmark = pytest.mark.django_db


def test_codes_follow_the_official_pattern(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        territory_create(
            name="新社区", code="31011000100", level="community", parent=world.street1, by=SYSTEM
        )
    assert "12位数字" in exc.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as exc:
        territory_create(
            name="新社区", code="310110002009", level="community", parent=world.street1, by=SYSTEM
        )
    assert "310110001" in exc.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as exc:
        territory_create(name="重复", code="310110001001", level="community", parent=world.street1, by=SYSTEM)
    assert "已被使用" in exc.value.message_dict["code"][0]


def test_levels_nest_in_order(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        territory_create(name="错层网格", code="310110001999", level="grid", parent=world.street1, by=SYSTEM)
    assert "不能直接设在" in exc.value.message_dict["parent"][0]


def test_moving_a_node_under_its_own_descendant_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="下级节点"):
        territory_move(territory=world.street1, new_parent=world.c11, by=SYSTEM)
    world.street1.refresh_from_db()
    assert Territory.objects.get_parent(world.street1) == world.district


def test_a_community_moves_with_its_subtree(world) -> None:  # type: ignore[no-untyped-def]
    territory_move(territory=world.c11, new_parent=world.street2, by=SYSTEM)
    world.g111.refresh_from_db()
    assert world.g111.path.startswith(Territory.objects.get(pk=world.street2.pk).path)
    assert Territory.objects.find_problems() == ([], [], [], [], [])
    assert AuditEvent.objects.filter(action=AuditAction.MOVE, object_id=str(world.c11.pk)).exists()


def test_deleting_a_node_with_children_or_people_is_refused_with_the_reason(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError, match="下级节点"):
        territory_delete(territory=world.street1, by=SYSTEM)
    with pytest.raises(ApplicationError, match="居民"):
        territory_delete(territory=world.g111, by=SYSTEM)
    assert Territory.objects.filter(pk=world.g111.pk).exists()


def test_deleting_an_empty_leaf_keeps_the_tree_consistent(world) -> None:  # type: ignore[no-untyped-def]
    territory_delete(territory=world.c12, by=SYSTEM)
    assert not Territory.objects.filter(pk=world.c12.pk).exists()
    assert Territory.objects.get(pk=world.street1.pk).numchild == 1
    assert Territory.objects.find_problems() == ([], [], [], [], [])

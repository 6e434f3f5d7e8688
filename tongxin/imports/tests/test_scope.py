"""An account imports only into the rosters it may change and the places it may see; whatever is
outside reads exactly like a code that does not exist."""

import pytest

from conftest import make_account
from tongxin.accounts.models import Role
from tongxin.people.models import Membership, Person

from .conftest import problems_of, run, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(world):  # type: ignore[no-untyped-def]
    return make_account("sec.c11", (Role.COMMUNITY_STAFF, world.c11))


def test_a_community_secretary_cannot_import_into_another_communitys_branch(world, row, secretary) -> None:
    persons = Person.objects.count()
    result = run(
        xlsx(
            [row(所在党组织编码=world.b21.code), row(所在党组织编码="D999"), row(居住社区编码=world.c21.code)]
        ),
        user=secretary,
    )
    assert problems_of(result) == [
        (2, "所在党组织编码", "党组织编码“D020101”不存在或无权操作。"),
        (3, "所在党组织编码", "党组织编码“D999”不存在或无权操作。"),
        (4, "居住社区编码", "社区编码“310110002001”不存在或无权操作。"),
    ]
    assert Person.objects.count() == persons


def test_a_community_secretary_imports_into_her_own_branch(world, row, secretary) -> None:
    result = run(xlsx([row(), row(居住社区编码=world.g111.code)]), user=secretary)
    assert result.ok
    assert result.counts["create"] == 2
    assert Membership.objects.filter(organization=world.b11).count() == 3


def test_people_registered_outside_her_scope_are_not_changed(world, row, secretary) -> None:
    bob, carol = world.bob, world.carol  # bob: 长阳社区's member; carol: the unit branch's member
    result = run(
        xlsx([row(姓名="李建国", 身份证号=bob.id_number), row(姓名="张敏", 身份证号=carol.id_number)]),
        user=secretary,
    )
    assert problems_of(result) == [
        (2, "身份证号", "该身份证号已登记,但不在您可维护的范围内;请联系其所在社区或党组织办理。"),
        (3, "所在党组织编码", "此人的组织关系在“其他党组织”,请先办理组织关系转接。"),
    ]
    assert Membership.objects.get(person=carol).organization == world.unit_branch


def test_a_grid_worker_may_not_import_at_all(world) -> None:
    from tongxin.imports.scope import ImportScope

    worker = make_account("grid", (Role.GRID_WORKER, world.c11))
    assert not ImportScope(user=worker).may_import()
    assert ImportScope(user=make_account("sec2", (Role.COMMUNITY_STAFF, world.c11))).may_import()

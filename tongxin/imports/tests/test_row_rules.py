"""The rules a row meets beyond its cells: what an import may do to someone already a member, every
problem of a row in one pass, and the age rule of the people service."""

from datetime import date

import pytest

from conftest import make_account, new_id_number
from tongxin.accounts.models import Role
from tongxin.imports.columns import TEMPLATE_NAMES
from tongxin.people.models import Membership, MemberStatus

from .conftest import problems_of, run, xlsx

pytestmark = pytest.mark.django_db


def test_a_member_of_another_branch_is_refused_as_the_member_form_refuses_her(world, row) -> None:
    alice = world.alice  # member of b11 since 2005-07-01
    cells = row(姓名="王秀英", 身份证号=alice.id_number, 所在党组织编码=world.b21.code, 入党日期="2010-07-01")
    result = run(xlsx([cells]))
    assert problems_of(result) == [
        (2, "入党日期", "入党日期与登记不一致(登记为 2005-07-01),如需更正请在党员信息页修改。"),
        (2, "所在党组织编码", "此人的组织关系在“杨树浦社区第一党支部”,请先办理组织关系转接。"),
    ]
    assert not result.written
    membership = Membership.objects.get(person=alice)
    assert (membership.organization, membership.joined_on) == (world.b11, date(2005, 7, 1))


def test_the_other_branch_is_named_only_when_the_importer_may_see_its_roster(world, row) -> None:
    secretary = make_account("sec.c11", (Role.COMMUNITY_STAFF, world.c11))
    carol = world.carol  # lives in c11; member of the unit's branch, whose roster c11 does not see
    result = run(xlsx([row(姓名="张敏", 身份证号=carol.id_number)]), user=secretary)
    assert problems_of(result) == [
        (2, "所在党组织编码", "此人的组织关系在“其他党组织”,请先办理组织关系转接。"),
    ]
    assert Membership.objects.get(person=carol).organization == world.unit_branch
    # Naming no branch at all, the row would change a roster she may not change.
    result = run(xlsx([row(姓名="张敏", 身份证号=carol.id_number, 所在党组织编码="")]), user=secretary)
    assert problems_of(result) == [
        (2, "身份证号", "该党员的组织关系在您无权操作的党组织,请通过组织关系转接办理。"),
    ]


def test_an_existing_member_may_be_confirmed_and_become_flowing_but_her_joining_date_stays(
    world, row
) -> None:
    bob = world.bob
    membership = Membership.objects.get(person=bob)
    membership.status, membership.confirmed_on = MemberStatus.PROBATIONARY, None
    membership.save()
    header = [*TEMPLATE_NAMES, "流动方向", "流入/流出地"]
    cells = row(
        姓名="李建国",
        身份证号=bob.id_number,
        所在党组织编码="",
        居住社区编码="",
        党员状态="正式党员",
        转正日期="2006-07-01",
        是否流动党员="是",
    )
    result = run(xlsx([[*cells, "流出", "广东省深圳市"]], header=header))
    assert result.ok, result.problems
    assert result.counts["update"] == 1
    membership.refresh_from_db()
    assert (membership.status, membership.confirmed_on, membership.flow_direction) == (
        MemberStatus.FULL,
        date(2006, 7, 1),
        "out",
    )
    assert membership.joined_on == date(2005, 7, 1)


def test_every_problem_of_a_row_is_reported_in_one_pass(world, row) -> None:
    cells = row(所在党组织编码="D999", 是否在职党员="Y", 工作单位="", 是否流动党员="√")
    assert problems_of(run(xlsx([cells]))) == [
        (2, "所在党组织编码", "党组织编码“D999”不存在或无权操作。"),
        (2, "工作单位", "在职党员须填写工作单位。"),
        (2, "是否流动党员", "流动党员须选择流动方向(流出或流入)。"),
    ]


def test_the_date_rules_are_checked_when_status_and_organisation_are_missing(world, row) -> None:
    cells = row(所在党组织编码="", 党员状态="", 入党日期="2010-07-01", 转正日期="2009-07-01")
    assert problems_of(run(xlsx([cells]))) == [
        (2, "转正日期", "转正日期不能早于入党日期。"),
        (2, "党员状态", "请填写党员状态(预备党员或正式党员)。"),
        (2, "所在党组织编码", "请填写所在党组织编码。"),
    ]


def test_joining_before_the_18th_birthday_is_reported_at_the_joining_date(world, row) -> None:
    young = row(身份证号=new_id_number(date(2000, 5, 4)), 入党日期="2018-05-03", 转正日期="2019-05-03")
    dave = row(姓名="陈伟", 身份证号=world.dave.id_number, 入党日期="1997-12-31", 转正日期="1998-12-31")
    assert problems_of(run(xlsx([young, dave]))) == [
        (2, "入党日期", "入党时须年满十八岁:此人于 2018-05-04 年满十八岁,入党日期不能早于这一天。"),
        (3, "入党日期", "入党时须年满十八岁:此人于 1998-01-01 年满十八岁,入党日期不能早于这一天。"),
    ]
    assert run(
        xlsx([row(身份证号=new_id_number(date(2000, 5, 4)), 入党日期="2018-05-04", 转正日期="2019-05-04")])
    ).ok


def test_a_full_member_is_not_made_probationary_again_by_a_file(world, row) -> None:
    cells = row(姓名="王秀英", 身份证号=world.alice.id_number, 党员状态="预备党员", 转正日期="")
    assert problems_of(run(xlsx([cells]))) == [
        (2, "党员状态", "此人已登记为正式党员,导入不能改为预备党员;如登记有误,请在党员信息页修改。"),
    ]
    assert Membership.objects.get(person=world.alice).status == MemberStatus.FULL

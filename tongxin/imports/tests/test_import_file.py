"""Whole files as secretaries' Excel saves them: every case the issue lists, each with a real .xlsx."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from conftest import SYSTEM, TODAY, new_credit_code, new_id_number
from tongxin.audit.models import AuditEvent
from tongxin.imports.columns import TEMPLATE_NAMES
from tongxin.people.models import Membership, MemberStatus, Person
from tongxin.people.selectors import person_find_by_id_number
from tongxin.people.services import MembershipData, membership_clean
from tongxin.units.services import unit_create

from .conftest import problems_of, run, with_cached_value, xlsx

pytestmark = pytest.mark.django_db


def person_by(id_number: str) -> Person:
    found = person_find_by_id_number(persons=Person.objects.all(), id_number=id_number)
    assert found is not None
    return found


def col(name: str) -> int:
    return TEMPLATE_NAMES.index(name)


def test_a_clean_file_registers_each_person_with_the_membership(world, row) -> None:
    first, second = (
        row(姓名="赵桂兰"),
        row(姓名="钱进", 党员状态="预备党员", 转正日期="", 入党日期="2026-03-01"),
    )
    result = run(xlsx([first, second]))
    assert result.ok
    assert result.written
    assert result.counts == {"create": 2, "update": 0, "unchanged": 0}
    zhao = person_by(first[col("身份证号")])
    assert (zhao.name, zhao.mobile, zhao.residence, zhao.birth_date) == (
        "赵桂兰",
        "13912345678",
        world.c11,
        date(1975, 3, 8),
    )
    assert (zhao.membership.organization, zhao.membership.status) == (world.b11, MemberStatus.FULL)
    assert zhao.membership.confirmed_on == date(2006, 7, 1)
    qian = person_by(second[col("身份证号")]).membership
    assert (qian.status, qian.confirmed_on, qian.joined_on) == (
        MemberStatus.PROBATIONARY,
        None,
        date(2026, 3, 1),
    )


def test_title_rows_merged_cells_extra_columns_in_any_order_and_trailing_empty_rows(world, row) -> None:
    book = Workbook()
    ws = book.active
    ws.append(["杨树浦社区党员花名册"])
    ws.merge_cells("A1:P1")
    ws.append(["填报单位:杨树浦社区党委", None, None, "填报日期:2026年11月"])
    order = ["序号", *reversed(TEMPLATE_NAMES), "备注"]
    ws.append(order)
    good = dict(zip(TEMPLATE_NAMES, row(), strict=True))
    bad = dict(zip(TEMPLATE_NAMES, row(入党日期="某年"), strict=True))
    for i, values in enumerate([good, bad], start=1):
        ws.append([i if name == "序号" else values.get(name, "说明") for name in order])
    for _ in range(30):
        ws.append([None] * len(order))
    ws.cell(row=60, column=2).number_format = "@"  # a formatted but empty tail, as Excel leaves one
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(buffer.getvalue())
    assert result.total == 2
    assert problems_of(result) == [(5, "入党日期", "日期无法识别,请写成 2019-07-01 这样的格式。")]


def test_a_two_level_header_under_merged_group_titles(world, row) -> None:
    book = Workbook()
    ws = book.active
    top = [*TEMPLATE_NAMES[:5], "党籍信息", None, None, *TEMPLATE_NAMES[8:]]
    below = [None] * 5 + ["入党日期", "转正日期", "党员状态"] + [None] * 6
    ws.append(top)
    ws.append(below)
    ws.merge_cells("F1:H1")
    for i in range(1, 6):
        ws.merge_cells(start_row=1, start_column=i, end_row=2, end_column=i)
    ws.append(row(入党日期="2011-07-01", 转正日期="2012-07-01"))
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(buffer.getvalue())
    assert result.ok
    assert result.counts["create"] == 1
    assert Membership.objects.filter(joined_on=date(2011, 7, 1), confirmed_on=date(2012, 7, 1)).count() == 1


def test_formulas_give_their_calculated_value_and_an_uncalculated_one_is_reported(world, row) -> None:
    calculated = row(姓名='="赵"&"桂兰"')
    uncalculated = row(手机号="=B3")
    data = with_cached_value(xlsx([calculated, uncalculated]), "A2", "赵桂兰")
    result = run(data, dry_run=True)
    assert problems_of(result) == [
        (3, "手机号", "公式没有计算结果:请在Excel中打开文件、重新计算并保存,或把公式改成数值。")
    ]
    result = run(with_cached_value(xlsx([calculated]), "A2", "赵桂兰"))
    assert result.ok
    assert person_by(calculated[col("身份证号")]).name == "赵桂兰"


def test_id_numbers_stored_as_numbers_or_in_scientific_notation_are_refused(world, row) -> None:
    as_number = row(身份证号=310110198001010014)
    scientific = row(身份证号="3.10110198001010E+17")
    result = run(xlsx([as_number, scientific]))
    assert [(p.row, p.column) for p in result.problems] == [(2, "身份证号"), (3, "身份证号")]
    assert all("后几位已丢失" in p.message and "文本" in p.message for p in result.problems)
    assert Person.objects.count() == 4


def test_full_width_spaces_invisible_characters_and_lower_case_x(world, row) -> None:
    number = new_id_number(date(1980, 2, 3))
    while not number.endswith("X"):
        number = new_id_number(date(1980, 2, 3))
    typed = "\u200b " + number[:17].translate(str.maketrans("0123456789", "0123456789")) + "x\u3000"
    result = run(
        xlsx(
            [
                row(
                    身份证号=typed,
                    姓名=" 赵桂兰\u200b",
                    手机号="１３９ 1234 5678",
                    所在党组织编码=" d010101 ".upper(),
                )
            ]
        )
    )
    assert result.ok, problems_of(result)
    person = person_by(number)
    assert (person.id_number, person.name, person.mobile) == (number, "赵桂兰", "13912345678")


def test_every_date_spelling_and_an_excel_serial(world, row) -> None:
    spellings = ["2019-07-01", "2019/7/1", "2019.7.1", "2019年7月1日", "20190701", date(2019, 7, 1), 43647]
    rows = [row(入党日期=s, 转正日期="2020-07-01") for s in spellings]
    result = run(xlsx(rows))
    assert result.ok, problems_of(result)
    assert set(Membership.objects.filter(organization=world.b11).values_list("joined_on", flat=True)) >= {
        date(2019, 7, 1)
    }
    assert Membership.objects.filter(joined_on=date(2019, 7, 1)).count() == len(spellings)


def test_unknown_organisation_and_community_codes(world, row) -> None:
    result = run(xlsx([row(所在党组织编码="D999"), row(居住社区编码="310110009009")]))
    assert problems_of(result) == [
        (2, "所在党组织编码", "党组织编码“D999”不存在或无权操作。"),
        (3, "居住社区编码", "社区编码“310110009009”不存在或无权操作。"),
    ]


def test_the_same_id_number_twice_in_one_file_reports_both_rows(world, row) -> None:
    number = new_id_number()
    result = run(xlsx([row(身份证号=number), row(), row(身份证号=number.lower())]))
    assert problems_of(result) == [
        (2, "身份证号", "身份证号与第 4 行重复。"),
        (4, "身份证号", "身份证号与第 2 行重复。"),
    ]


def test_the_membership_rules_say_what_the_forms_say(world, row) -> None:
    result = run(xlsx([row(入党日期="2019-07-01", 转正日期="2018-07-01"), row(党员状态="预备党员")]))
    form_messages = {}
    for status, confirmed in [
        (MemberStatus.FULL, date(2018, 7, 1)),
        (MemberStatus.PROBATIONARY, date(2006, 7, 1)),
    ]:
        with pytest.raises(Exception) as exc:  # noqa: PT011 - the service's own ValidationError
            membership_clean(
                MembershipData(
                    organization=world.b11, status=status, joined_on=date(2019, 7, 1), confirmed_on=confirmed
                ),
                today=TODAY,
            )
        form_messages[status] = exc.value.message_dict["confirmed_on"][0]  # type: ignore[attr-defined]
    assert problems_of(result) == [
        (2, "转正日期", form_messages[MemberStatus.FULL]),
        (3, "转正日期", form_messages[MemberStatus.PROBATIONARY]),
    ]
    assert form_messages[MemberStatus.FULL] == "转正日期不能早于入党日期。"


def test_a_party_group_or_a_street_cannot_hold_members(world, row) -> None:
    result = run(xlsx([row(所在党组织编码=world.wc1.code, 居住社区编码=world.street1.code)]))
    assert [(p.column, p.message[:8]) for p in result.problems] == [
        ("所在党组织编码", "党员只能编入区内"),
        ("居住社区编码", "居住社区编码应为"),
    ]


def test_an_existing_person_is_updated_never_duplicated_and_blank_cells_erase_nothing(world, row) -> None:
    alice = world.alice  # 王秀英, full member of b11, mobile 13812345678, lives in c11
    cells = row(
        姓名="王秀英",
        身份证号=alice.id_number,
        手机号="",
        学历="研究生(硕士)",
        居住社区编码="",
        所在党组织编码="",
        入党日期="",
        转正日期="",
        党员状态="",
        是否在职党员="",
        是否流动党员="",
    )
    before = AuditEvent.objects.count()
    result = run(xlsx([cells]))
    assert result.ok
    assert result.counts == {"create": 0, "update": 1, "unchanged": 0}
    alice.refresh_from_db()
    assert Person.objects.filter(name="王秀英").count() == 1
    assert (alice.education, alice.mobile, alice.residence) == ("研究生(硕士)", "13812345678", world.c11)
    assert alice.membership.organization == world.b11
    assert alice.membership.status == MemberStatus.FULL
    event = AuditEvent.objects.filter(object_type="people.person").first()
    assert event is not None
    assert event.detail["updated"] == {str(alice.pk): {"fields": ["education"]}}
    assert alice.id_number not in str(event.detail)
    assert "13812345678" not in str(event.detail)
    assert AuditEvent.objects.count() == before + 2  # the persons' batch and the import summary


def test_an_existing_person_under_another_name_is_reported(world, row) -> None:
    result = run(xlsx([row(姓名="王秀兰", 身份证号=world.alice.id_number)]))
    assert problems_of(result) == [
        (2, "姓名", "姓名与系统中该身份证号登记的姓名不一致;如需更名,请在人员页面修改。")
    ]


def test_a_resident_without_membership_becomes_a_member(world, row) -> None:
    dave = world.dave
    result = run(xlsx([row(姓名="陈伟", 身份证号=dave.id_number, 居住社区编码="")]))
    assert result.counts == {"create": 0, "update": 1, "unchanged": 0}
    assert Membership.objects.get(person=dave).organization == world.b11
    assert Person.objects.get(pk=dave.pk).residence == world.g111  # blank kept the grid


def test_employer_by_credit_code_by_name_and_mismatches(world, row) -> None:
    unit = world.unit  # 示范电力公司
    other = unit_create(
        name="复兴岛物流有限公司",
        credit_code=new_credit_code(),
        kind="private_enterprise",
        territory=world.c12,
        by=SYSTEM,
    )
    rows = [
        row(工作单位统一社会信用代码=unit.credit_code, 工作单位="", 是否在职党员="是"),
        row(工作单位="复兴岛物流有限公司", 是否在职党员=""),
        row(工作单位="示范电力公司", 工作单位统一社会信用代码=other.credit_code),
        row(工作单位="不存在的公司"),
        row(工作单位统一社会信用代码=new_credit_code()),
        row(是否在职党员="是"),
    ]
    result = run(xlsx(rows), dry_run=True)
    assert [(p.row, p.column) for p in result.problems] == [
        (4, "工作单位"),
        (5, "工作单位"),
        (6, "工作单位统一社会信用代码"),
        (7, "工作单位"),
    ]
    assert "复兴岛物流有限公司" in result.problems[0].message
    assert result.problems[-1].message == "在职党员须填写工作单位。"
    result = run(xlsx(rows[:2]))
    assert result.ok
    employers = Membership.objects.filter(in_service=True).values_list("employer__name", flat=True)
    assert sorted(employers) == ["复兴岛物流有限公司", "示范电力公司"]


def test_a_flowing_member_needs_a_direction_column(world, row) -> None:
    result = run(xlsx([row(是否流动党员="是")]))
    assert problems_of(result) == [(2, "是否流动党员", "流动党员须选择流动方向(流出或流入)。")]
    header = [*TEMPLATE_NAMES, "流动方向", "流入/流出地"]
    result = run(xlsx([[*row(是否流动党员="√"), "流出", "广东省深圳市"]], header=header))
    assert result.ok
    assert (
        Membership.objects.filter(is_flowing=True, flow_direction="out", flow_place="广东省深圳市").count()
        == 1
    )


def test_one_bad_row_writes_nothing_at_all(world, row) -> None:
    persons, members, events = Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count()
    rows = [row() for _ in range(20)] + [row(民族="火星族")]
    result = run(xlsx(rows))
    assert problems_of(result) == [(22, "民族", "民族“火星族”不在国家标准民族名称中。")]
    assert not result.written
    assert (Person.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == (
        persons,
        members,
        events,
    )


def test_importing_the_same_file_again_changes_nothing(world, row) -> None:
    data = xlsx(
        [row(), row(), row(身份证号=world.alice.id_number, 姓名="王秀英", 所在党组织编码=world.b11.code)]
    )
    first = run(data)
    assert first.counts == {"create": 2, "update": 1, "unchanged": 0}
    persons, events = list(Person.objects.order_by("pk").values()), AuditEvent.objects.count()
    again = run(data)
    assert again.ok
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3}
    assert list(Person.objects.order_by("pk").values()) == persons
    assert AuditEvent.objects.count() == events


def test_every_written_person_is_audited_in_batches_without_personal_data(world, row, monkeypatch) -> None:
    from tongxin.imports import writer

    monkeypatch.setattr(writer, "AUDIT_BATCH", 2)
    rows = [row() for _ in range(3)] + [
        row(姓名="王秀英", 身份证号=world.alice.id_number, 学历="高中", 手机号="")
    ]
    result = run(xlsx(rows))
    events = list(AuditEvent.objects.filter(detail__import__isnull=False).order_by("seq"))
    assert [e.object_type for e in events] == ["people.person", "people.person", "imports.memberimport"]
    created = events[0].detail["created"] + events[1].detail["created"]
    new_ids = Person.objects.exclude(pk__in=[world.alice.pk, world.bob.pk, world.carol.pk, world.dave.pk])
    assert sorted(created) == sorted(new_ids.values_list("pk", flat=True))
    assert events[1].detail["updated"] == {str(world.alice.pk): {"fields": ["education"]}}
    assert events[2].detail == {"import": "党员.xlsx", "create": 3, "update": 1, "unchanged": 0}
    text = " ".join(str(e.detail) + e.object_repr for e in events)
    assert all(r[col("身份证号")] not in text for r in rows)
    assert "13912345678" not in text
    assert result.ok


def test_a_file_that_is_not_xlsx_or_has_no_header(world, row) -> None:
    assert "只能导入Excel .xlsx" in run(b"name,id\n").message
    assert ".xls" in run(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100).message
    assert "无法打开" in run(b"PK\x03\x04broken").message
    no_header = xlsx([["王秀英", "310110198001010014"]], header=["名字", "证件"])
    assert run(no_header).message.startswith("找不到表头:第一行应包含 姓名、身份证号")
    assert run(xlsx([])).message == "表头下面没有数据行。"


@pytest.mark.parametrize("status", ["预备", "正式党员", "full"])
def test_status_labels(world, row, status) -> None:
    confirmed = "" if status == "预备" else "2006-07-01"
    assert run(xlsx([row(党员状态=status, 转正日期=confirmed)]), dry_run=True).ok


def test_an_existing_member_of_another_branch_is_not_moved_even_by_the_system(world, row) -> None:
    carol = world.carol  # member of the unit's own branch
    result = run(xlsx([row(姓名="张敏", 身份证号=carol.id_number)]))
    assert problems_of(result) == [
        (2, "所在党组织编码", "此人的组织关系在“示范电力公司党支部”,请先办理组织关系转接。")
    ]
    assert Membership.objects.get(person=carol).organization == world.unit_branch


def test_files_too_large_or_too_long_are_refused(world, row, monkeypatch) -> None:
    from tongxin.imports import reader

    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    assert run(xlsx([row() for _ in range(4)])).message == "文件超过 3 行,请分成几个文件导入。"
    monkeypatch.setattr(reader, "MAX_BYTES", 1000)
    assert run(xlsx([row()])).message == "文件超过 0 MB,请分成几个文件导入。"
    assert Person.objects.count() == 4

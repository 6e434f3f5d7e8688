"""Registering a person: rules come from person_clean, errors land at the field, nothing is saved
on error and everything typed stays in the form."""

import pytest

from conftest import new_id_number
from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.people.models import Person

pytestmark = pytest.mark.django_db


def form_data(world, **changes):  # type: ignore[no-untyped-def]
    data = {
        "name": "赵桂兰",
        "id_number": new_id_number(),
        "mobile": "139 1234 5678",
        "address": "杨树浦路100弄5号",
        "ethnicity": "汉族",
        "education": "高中",
        "residence": str(world.c11.pk),
    }
    data.update(changes)
    return data


def field_block(html: str, name: str) -> str:
    """The markup of one field: from its block to the next field's block (or the buttons)."""
    start = html.index(f'id="id_{name}_block"')
    ends = [i for i in (html.find('_block"', start + 20), html.find('type="submit"', start)) if i > 0]
    return html[start : min(ends)]


def test_bad_id_number_shows_chinese_message_at_the_field_and_saves_nothing(world, street1) -> None:  # type: ignore[no-untyped-def]
    bad = "310110198001010015"  # last character is not the check character
    before = Person.objects.count()
    response = street1.post("/persons/new/", form_data(world, id_number=bad))
    html = response.content.decode()
    assert response.status_code == 200
    assert "身份证号校验位不正确,请核对后重新输入。" in field_block(html, "id_number")
    assert "没有保存" in html
    assert Person.objects.count() == before
    # Every typed value is still there.
    for value in ("赵桂兰", bad, "139 1234 5678", "杨树浦路100弄5号"):
        assert f'value="{value}"' in html
    assert f'<option value="{world.c11.pk}" selected>' in html
    assert '<option value="高中" selected>' in html


def test_several_errors_are_shown_together(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.post("/persons/new/", form_data(world, name="", mobile="12345")).content.decode()
    assert "请填写姓名。" in field_block(html, "name")
    assert "手机号应为11位中国大陆手机号码" in field_block(html, "mobile")


def test_duplicate_id_number_is_refused(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.post("/persons/new/", form_data(world, id_number=world.alice.id_number)).content.decode()
    assert "该身份证号已登记" in field_block(html, "id_number")


def test_residence_outside_the_callers_scope_is_refused(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.post("/persons/new/", form_data(world, residence=str(world.c21.pk))).content.decode()
    assert "请在列表中选择您有权登记的社区或网格。" in field_block(html, "residence")
    assert f'<option value="{world.c21.pk}"' not in html  # the other street is not even offered
    assert not Person.objects.filter(name="赵桂兰").exists()


def test_valid_person_is_saved_audited_and_shown_masked(world, street1) -> None:  # type: ignore[no-untyped-def]
    data = form_data(world)
    response = street1.post("/persons/new/", data)
    person = Person.objects.get(name="赵桂兰")
    assert response.status_code == 302
    assert response["Location"] == f"/persons/{person.pk}/"
    assert person.mobile == "13912345678"
    assert person.residence == world.c11
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(person.pk)).exists()
    html = street1.get(response["Location"]).content.decode()
    assert "已登记“赵桂兰”" in html
    assert data["id_number"] not in html


def test_territory_link_preselects_the_residence(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get("/persons/new/", {"territory": world.c12.pk}).content.decode()
    assert f'<option value="{world.c12.pk}" selected>' in html
    assert "定海路街道 › 复兴岛社区" in html


def test_inline_check_answers_with_the_one_field(world, street1) -> None:  # type: ignore[no-untyped-def]
    data = form_data(world, id_number="12345", name="")
    html = street1.post("/persons/validate/", {**data, "_field": "id_number"}).content.decode()
    assert "身份证号应为18位" in html
    assert "请填写姓名" not in html  # not the fields the user has not reached yet
    assert 'value="12345"' in html
    assert not Person.objects.filter(id_number_index="").exists()


def test_accounts_that_may_not_create_do_not_get_the_form(world, login) -> None:  # type: ignore[no-untyped-def]
    grid = login("grid", (Role.GRID_WORKER, world.g111))
    assert grid.get("/persons/new/").status_code == 404
    assert grid.post("/persons/new/", form_data(world, residence=str(world.g111.pk))).status_code == 404
    assert grid.post("/persons/validate/", {"_field": "id_number", "id_number": "1"}).status_code == 404
    assert "/persons/new/" not in grid.get("/persons/").content.decode()

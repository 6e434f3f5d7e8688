"""A wrongly recorded mobile number or address can be removed on the edit page ("清除" beside the
masked value), the change audited like any other; the ID number cannot be removed."""

import pytest

from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.people.models import Person
from tongxin.people.services import mobile_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(world, login):  # type: ignore[no-untyped-def]
    # 王秀英 has a mobile number recorded and no address.
    return login("secretary", (Role.COMMUNITY_STAFF, world.c11))


def edit_data(world, **overrides: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "name": "王秀英",
        "id_number": "",
        "mobile": "",
        "address": "",
        "ethnicity": "汉族",
        "education": "",
        "residence": world.c11.pk,
    }
    return {**data, **overrides}


def test_a_wrong_mobile_number_is_removed_with_the_clear_box(world, secretary) -> None:  # type: ignore[no-untyped-def]
    url = f"/persons/{world.alice.pk}/edit/"
    page = secretary.get(url).content.decode()
    assert "清除手机号" in page
    assert "138****5678" in page
    assert "清除居住地址" not in page  # no address recorded: nothing to remove
    assert "清除身份证号" not in page
    response = secretary.post(url, edit_data(world, clear_mobile="on"))
    assert response.status_code == 302
    alice = Person.objects.get(pk=world.alice.pk)
    assert alice.mobile == ""
    assert alice.mobile_index == mobile_index("")
    assert alice.id_number == world.alice.id_number  # left empty: kept
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(alice.pk)).latest("seq")
    assert "mobile" in event.detail["fields"]
    assert "清除手机号" not in secretary.get(url).content.decode()


def test_an_address_is_removed_and_other_values_stay(world, secretary) -> None:  # type: ignore[no-untyped-def]
    url = f"/persons/{world.alice.pk}/edit/"
    assert secretary.post(url, edit_data(world, address="杨树浦路100号")).status_code == 302
    assert "清除居住地址" in secretary.get(url).content.decode()
    assert secretary.post(url, edit_data(world, clear_address="on")).status_code == 302
    alice = Person.objects.get(pk=world.alice.pk)
    assert (alice.address, alice.mobile) == ("", "13812345678")


def test_clearing_and_typing_a_new_value_at_once_is_refused_at_the_field(world, secretary) -> None:  # type: ignore[no-untyped-def]
    url = f"/persons/{world.alice.pk}/edit/"
    response = secretary.post(url, edit_data(world, mobile="13900001111", clear_mobile="on"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_mobile_error"' in html
    assert "请清空本栏,或取消勾选" in html
    assert 'value="13900001111"' in html  # what was typed is kept
    assert Person.objects.get(pk=world.alice.pk).mobile == "13812345678"

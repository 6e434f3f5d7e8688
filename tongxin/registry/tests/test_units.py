import pytest

from conftest import new_credit_code
from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.units.models import Unit

pytestmark = pytest.mark.django_db


def test_unit_list_shows_coverage_flag_and_searches_by_code(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get("/units/").content.decode()
    assert "示范电力公司" in html
    assert "已建立" in html
    html = street1.get("/units/", {"q": world.unit.credit_code.lower()}).content.decode()
    assert "示范电力公司" in html
    assert "找到 1 个单位" in html


def test_bad_credit_code_stays_in_the_form_and_nothing_is_saved(world, street1) -> None:  # type: ignore[no-untyped-def]
    data = {"name": "复兴岛物流有限公司", "credit_code": "91310110MA1FL0001Y", "kind": "private_enterprise",
            "territory": str(world.c12.pk), "address": "复兴岛路1号"}  # fmt: skip
    html = street1.post("/units/new/", data).content.decode()
    assert "统一社会信用代码校验位不正确" in html
    assert 'value="91310110MA1FL0001Y"' in html
    assert 'value="复兴岛物流有限公司"' in html
    assert not Unit.objects.filter(name="复兴岛物流有限公司").exists()


def test_missing_kind_and_territory_are_both_reported(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.post("/units/new/", {"name": "某公司", "credit_code": new_credit_code()}).content.decode()
    assert "请选择单位类型。" in html
    assert "请选择单位所在的社区或街道。" in html


def test_valid_unit_is_saved_and_audited(world, street1) -> None:  # type: ignore[no-untyped-def]
    data = {"name": "复兴岛物流有限公司", "credit_code": new_credit_code(), "kind": "private_enterprise",
            "territory": str(world.c12.pk), "address": ""}  # fmt: skip
    response = street1.post("/units/new/", data)
    unit = Unit.objects.get(name="复兴岛物流有限公司")
    assert response["Location"] == f"/units/{unit.pk}/"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(unit.pk)).exists()
    html = street1.get(response["Location"]).content.decode()
    assert "该单位还没有建立党组织" in html


def test_unit_contact_may_not_register_units(world, login) -> None:  # type: ignore[no-untyped-def]
    contact = login("contact", (Role.UNIT_CONTACT, world.unit_branch))
    assert contact.get("/units/new/").status_code == 404

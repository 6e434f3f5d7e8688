"""The person pages as staff use them: masked by default, reveal audited, forbidden reveal denied."""

import pytest

from conftest import add_person
from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent, AuditResult
from tongxin.core.masking import mask_id_number, mask_mobile

pytestmark = pytest.mark.django_db


def reveal_events(**filters):  # type: ignore[no-untyped-def]
    return AuditEvent.objects.filter(action=AuditAction.REVEAL, **filters)


def test_list_shows_masked_id_and_mobile_never_clear(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get("/persons/").content.decode()
    assert "王秀英" in html
    assert mask_id_number(world.alice.id_number) in html
    assert mask_mobile("13812345678") == "138****5678"
    assert "138****5678" in html
    assert world.alice.id_number not in html
    assert "13812345678" not in html
    assert "共 3 人" in html
    assert "李建国" not in html  # lives in the other street


def test_detail_is_masked_and_offers_reveal_to_staff(world, street1) -> None:  # type: ignore[no-untyped-def]
    html = street1.get(f"/persons/{world.alice.pk}/").content.decode()
    assert mask_id_number(world.alice.id_number) in html
    assert world.alice.id_number not in html
    assert f"/persons/{world.alice.pk}/reveal/id_number/" in html
    assert "杨树浦社区第一党支部" in html  # membership block


def test_reveal_returns_clear_value_and_writes_audit_row(world, street1) -> None:  # type: ignore[no-untyped-def]
    response = street1.post(f"/persons/{world.alice.pk}/reveal/id_number/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert world.alice.id_number in response.content.decode()
    event = reveal_events(result=AuditResult.SUCCESS).get()
    assert event.actor_id == street1.user.pk
    assert event.object_id == str(world.alice.pk)
    assert event.detail == {"field": "id_number"}
    assert world.alice.id_number not in str(event.detail)  # the log names the field, not the value


def test_reveal_without_javascript_answers_with_the_whole_page(world, street1) -> None:  # type: ignore[no-untyped-def]
    response = street1.post(f"/persons/{world.alice.pk}/reveal/mobile/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "13812345678" in html
    assert mask_id_number(world.alice.id_number) in html  # the other fields stay masked
    assert reveal_events(result=AuditResult.SUCCESS, detail__field="mobile").count() == 1


def test_a_visible_person_without_reveal_right_gets_no_button_and_a_forced_reveal_is_denied(
    world, login
) -> None:  # type: ignore[no-untyped-def]
    # A grid worker sees the residents of the grid but may not reveal their ID numbers.
    member = login("grid", (Role.GRID_WORKER, world.g111))
    html = member.get(f"/persons/{world.dave.pk}/").content.decode()
    assert mask_id_number(world.dave.id_number) in html
    assert "/reveal/" not in html
    response = member.post(f"/persons/{world.dave.pk}/reveal/id_number/", HTTP_HX_REQUEST="true")
    assert response.status_code == 404
    assert world.dave.id_number not in response.content.decode()
    denied = reveal_events(result=AuditResult.DENIED).get()
    assert denied.actor_id == member.user.pk
    assert denied.object_id == str(world.dave.pk)
    assert denied.detail == {"field": "id_number"}
    assert not reveal_events(result=AuditResult.SUCCESS).exists()


def test_reveal_outside_scope_looks_like_a_missing_person(world, login) -> None:  # type: ignore[no-untyped-def]
    street2 = login("street2", (Role.STREET_STAFF, world.street2))
    forbidden = street2.post(f"/persons/{world.alice.pk}/reveal/id_number/")
    missing = street2.post("/persons/999999/reveal/id_number/")
    unknown_field = street2.post(f"/persons/{world.bob.pk}/reveal/name/")
    assert forbidden.status_code == missing.status_code == unknown_field.status_code == 404
    assert reveal_events(result=AuditResult.DENIED).count() == 3


def test_reveal_needs_post(world, street1) -> None:  # type: ignore[no-untyped-def]
    assert street1.get(f"/persons/{world.alice.pk}/reveal/id_number/").status_code == 405
    assert not reveal_events().exists()


def test_search_by_exact_id_number_and_by_part_of_a_name(world, street1) -> None:  # type: ignore[no-untyped-def]
    # ID numbers are searched by POST, so that they never appear in an address or a server log.
    assert 'method="post"' in street1.get("/persons/").content.decode()
    html = street1.post("/persons/", {"q": world.carol.id_number.lower()}).content.decode()
    assert "张敏" in html
    assert "王秀英" not in html
    by_name = street1.post("/persons/", {"q": "秀"})
    assert by_name.status_code == 302  # a name search becomes a linkable, pageable address
    html = street1.get(by_name["Location"]).content.decode()
    assert "王秀英" in html
    assert "张敏" not in html
    # An ID number outside the caller's scope is not found, as if it were not registered.
    html = street1.post("/persons/", {"q": world.bob.id_number}).content.decode()
    assert "李建国" not in html
    assert "没有找到符合条件的人员" in html


def test_list_is_paginated_by_25(world, street1) -> None:  # type: ignore[no-untyped-def]
    for i in range(25):
        add_person(f"测试居民{i:02d}", world.c12)
    first = street1.get("/persons/").content.decode()
    assert "共 28 人" in first
    assert "第 1 / 2 页" in first
    second = street1.get("/persons/", {"page": 2}).content.decode()
    assert second.count('<td><a href="/persons/') == 3  # 28 rows: 25 on page one, 3 on page two
    assert "第 2 / 2 页" in second


def test_without_reveal_right_the_birth_date_is_shown_as_an_age(world, login) -> None:  # type: ignore[no-untyped-def]
    """The birth date is eight of the digits the ID mask hides; with it, the mask could be undone."""
    grid = login("grid", (Role.GRID_WORKER, world.g111))
    born = world.dave.birth_date.strftime("%Y-%m-%d")
    for page in (grid.get("/persons/"), grid.get(f"/persons/{world.dave.pk}/")):
        html = page.content.decode()
        assert born not in html
        assert "岁" in html

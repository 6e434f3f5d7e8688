"""Persons through the API: masked by default, the birth date only where the caller may reveal,
a reveal that asks the policy again and is audited like the page's, and writes through the same
service as the page, with its Chinese field messages and nothing half-saved."""

from urllib.parse import urlencode

import pytest
from django.utils import timezone

from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent, AuditResult
from tongxin.core.masking import age_on, mask_address, mask_id_number, mask_mobile
from tongxin.people.models import Person

from .conftest import MISSING_PK

pytestmark = pytest.mark.django_db


def row(client, person):  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/persons/{person.pk}/")
    assert response.status_code == 200
    return response.json()


def test_person_values_are_masked_and_no_ciphertext_or_index_leaves(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    alice = Person.objects.get(pk=world.alice.pk)
    body = row(street1_api, alice)
    assert body["id_number"] == mask_id_number(alice.id_number)
    assert body["mobile"] == mask_mobile(alice.mobile) == "138****5678"
    assert body["address"] == mask_address(alice.address)
    raw = street1_api.get("/api/v1/persons/").content.decode()
    stored = Person.objects.filter(pk=alice.pk).values_list("id_number", "id_number_index", "mobile_index")
    for value in stored.get():
        assert value not in raw
    assert alice.id_number not in raw
    assert "id_number_index" not in raw


def test_birth_date_only_for_whoever_may_reveal_the_row(world, street1_api, api, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    alice = row(street1_api, world.alice)
    assert alice["may_reveal"] is True
    assert alice["birth_date"] == world.alice.birth_date.isoformat()
    grid = api("grid", (Role.GRID_WORKER, world.c11))  # may view, not reveal
    seen = row(grid, world.alice)
    assert seen["may_reveal"] is False
    assert seen["birth_date"] is None
    assert seen["age"] == age_on(world.alice.birth_date, timezone.localdate())


def test_reveal_returns_the_clear_value_and_audits_it(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    response = street1_api.post(f"/api/v1/persons/{world.alice.pk}/reveal/", {"field": "id_number"})
    assert response.status_code == 200
    assert response.json() == {"field": "id_number", "value": world.alice.id_number}
    event = AuditEvent.objects.filter(action=AuditAction.REVEAL).latest("seq")
    assert (event.result, event.object_id, event.detail) == (
        AuditResult.SUCCESS,
        str(world.alice.pk),
        {"field": "id_number"},
    )
    assert event.actor_id == street1_api.user.pk
    assert event.ip == "127.0.0.1"


def test_reveal_without_the_right_is_a_denied_audit_and_the_missing_404(world, api) -> None:  # type: ignore[no-untyped-def]
    grid = api("grid", (Role.GRID_WORKER, world.c11))
    refused = grid.post(f"/api/v1/persons/{world.alice.pk}/reveal/", {"field": "mobile"})
    missing = grid.post(f"/api/v1/persons/{MISSING_PK}/reveal/", {"field": "mobile"})
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert refused.json()["code"] == "not_found"
    denied = AuditEvent.objects.filter(action=AuditAction.REVEAL, result=AuditResult.DENIED)
    assert {e.object_id for e in denied} == {str(world.alice.pk), str(MISSING_PK)}
    assert world.alice.mobile not in refused.content.decode()


def test_reveal_of_an_unknown_field_is_a_validation_error(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    response = street1_api.post(f"/api/v1/persons/{world.alice.pk}/reveal/", {"field": "id_number_index"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"field"}


def test_create_with_a_wrong_id_number_gives_the_chinese_field_message_and_writes_nothing(
    world, street1_api
) -> None:  # type: ignore[no-untyped-def]
    before = (Person.objects.count(), AuditEvent.objects.count())
    response = street1_api.post(
        "/api/v1/persons/",
        {"name": "赵新", "id_number": "310110198001011235", "mobile": "12345", "residence": world.c11.pk},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["message"] == "提交的数据有误,请按各字段的说明修改。"
    assert set(body["fields"]) == {"id_number", "mobile"}
    assert "校验" in body["fields"]["id_number"][0] or "身份证" in body["fields"]["id_number"][0]
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_create_outside_the_callers_places_is_refused_at_the_field(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    from conftest import new_id_number

    before = Person.objects.count()
    for place in (world.c21.pk, MISSING_PK):
        response = street1_api.post(
            "/api/v1/persons/", {"name": "赵新", "id_number": new_id_number(), "residence": place}
        )
        assert response.status_code == 400
        assert response.json()["fields"] == {"residence": ["未找到该记录,或您无权使用。"]}
    assert Person.objects.count() == before


def test_create_and_update_go_through_the_service_with_the_caller_audited(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    from conftest import new_id_number

    number = new_id_number()
    response = street1_api.post(
        "/api/v1/persons/",
        {"name": " 赵新 ", "id_number": number, "mobile": "139 0000 1111", "residence": world.c12.pk},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "赵新"
    assert body["mobile"] == "139****1111"
    person = Person.objects.get(pk=body["id"])
    assert person.id_number == number
    created = AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_id=str(person.pk), object_type="people.person"
    ).get()
    assert (created.actor_id, created.ip) == (street1_api.user.pk, "10.1.2.3")

    patched = street1_api.patch(f"/api/v1/persons/{person.pk}/", {"education": "大学本科"})
    assert patched.status_code == 200, patched.json()
    person.refresh_from_db()
    assert (person.education, person.id_number, person.mobile) == ("大学本科", number, "13900001111")
    updated = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(person.pk), object_type="people.person"
    ).get()
    assert updated.detail == {"fields": ["education"]}


def test_a_duplicate_id_number_is_the_services_message(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    response = street1_api.post(
        "/api/v1/persons/", {"name": "重复", "id_number": world.bob.id_number, "residence": world.c11.pk}
    )
    assert response.status_code == 400
    assert response.json()["fields"]["id_number"] == ["该身份证号已登记,请勿重复录入;可搜索后修改原记录。"]


def search(client, body, **query):  # type: ignore[no-untyped-def]
    path = "/api/v1/persons/search/" + (f"?{urlencode(query)}" if query else "")
    return client.post(path, body, format="json")


def test_search_by_full_id_number_is_posted_and_uses_the_blind_index(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    found = search(street1_api, {"id_number": world.carol.id_number})
    assert found.status_code == 200
    body = found.json()
    assert body["count"] == 1
    assert [r["name"] for r in body["results"]] == ["张敏"]
    assert body["results"][0]["id_number"] == mask_id_number(world.carol.id_number)  # masked, as in the list
    # Bob lives in the other street: his number finds nothing, like a number never registered.
    assert search(street1_api, {"id_number": world.bob.id_number}).json()["count"] == 0
    # Typed as people type it: full-width digits, a lower-case x, spaces around.
    typed = " " + world.carol.id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９x")) + " "
    assert search(street1_api, {"id_number": typed}).json()["count"] == 1
    # The name narrows further.
    assert search(street1_api, {"id_number": world.carol.id_number, "name": "王"}).json()["count"] == 0


def test_a_name_search_by_post_is_paged_like_the_list(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    listed = street1_api.get("/api/v1/persons/", {"search": "王", "page_size": 1}).json()
    posted = search(street1_api, {"name": "王"}, page_size=1).json()
    assert posted == listed
    assert set(posted) == {"count", "next", "previous", "results"}
    assert posted["count"] == 1  # 王秀英; 李建国 lives in the other street


def test_a_wrong_search_body_is_a_field_error_that_changes_nothing(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.count()
    short = search(street1_api, {"id_number": "12345"})
    assert short.status_code == 400
    assert short.json()["code"] == "validation_error"
    assert short.json()["fields"] == {"id_number": ["身份证号应为18位:前17位是数字,最后一位是数字或X。"]}
    empty = search(street1_api, {})
    assert empty.status_code == 400
    assert empty.json()["fields"] == {"id_number": ["请填写身份证号。"]}
    assert AuditEvent.objects.count() == events


def test_an_id_number_in_the_get_search_is_refused_with_the_way_to_post_it(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    for value in (world.carol.id_number, world.carol.id_number[:17] + "x", " " + world.carol.id_number):
        refused = street1_api.get("/api/v1/persons/", {"search": value})
        assert refused.status_code == 400
        body = refused.json()
        assert body["code"] == "validation_error"
        assert list(body["fields"]) == ["search"]
        assert "POST /api/v1/persons/search/" in body["fields"]["search"][0]
        assert world.carol.id_number not in refused.content.decode()
    # A name (or a short run of digits) is still searched in the address.
    assert street1_api.get("/api/v1/persons/", {"search": "张敏"}).json()["count"] == 1
    assert street1_api.get("/api/v1/persons/", {"search": "1234567"}).status_code == 200


def test_search_by_post_finds_only_rows_in_scope_for_a_community_account(world, api) -> None:  # type: ignore[no-untyped-def]
    outsider = api("c12staff", (Role.COMMUNITY_STAFF, world.c12))
    assert search(outsider, {"id_number": world.carol.id_number}).json()["count"] == 0


def test_every_wrong_text_field_is_reported_in_one_answer(world, street1_api) -> None:  # type: ignore[no-untyped-def]
    response = street1_api.post(
        "/api/v1/persons/", {"name": " ", "id_number": "12345", "mobile": "999", "residence": world.c11.pk}
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"name", "id_number", "mobile"}
    assert fields["name"] == ["请填写姓名。"]

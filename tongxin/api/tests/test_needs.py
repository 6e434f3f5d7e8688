"""The needs loop over the API: intake (self, on behalf, the classifier choosing the category),
every lifecycle step with the caller as the audited actor, fields by role, and each refusal in the
API's error body with its stable code; bad input changes nothing."""

from typing import Any

import pytest

from tongxin.audit.models import AuditEvent
from tongxin.needs.models import Channel, EventKind, Need, NeedCorrection, NeedEvent, Status
from tongxin.needs.tests.conftest import nw  # noqa: F401 - fixtures

from .conftest import MISSING_PK
from .needs_helpers import LAMP, NEEDS, clients, step, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def c(nw):  # type: ignore[no-untyped-def]  # noqa: F811
    return clients(nw)


def create(client: Any, **body: Any) -> Any:
    return client.post(NEEDS, {"text": LAMP, **body}, format="json")


def submitted(c: Any, **body: Any) -> int:
    response = create(c.resident, category="property", **body)
    assert response.status_code == 201, response.json()
    return int(response.json()["id"])


def test_the_categories_are_the_fourteen_of_the_design(c) -> None:  # type: ignore[no-untyped-def]
    response = c.resident.get("/api/v1/need-categories/")
    assert response.status_code == 200
    rows = response.json()
    assert [r["code"] for r in rows][:3] == ["elderly", "disability", "children"]
    assert len(rows) == 14
    assert rows[0] == {"code": "elderly", "name": "养老助老", "order": rows[0]["order"]}


def test_a_resident_submits_with_the_text_only_and_the_classifier_chooses(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    response = c.resident.post(
        NEEDS, {"text": "小区东门的路灯坏了好几天,晚上很黑,老人出门不方便。"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    need = Need.objects.get(pk=body["id"])
    assert need.channel == Channel.API
    assert need.person == nw.fang
    assert need.community == nw.w.c11  # her residence is a grid of 杨树浦社区
    assert body["suggestion"]["category"] == need.category_id == body["category"]
    assert body["suggestion"]["category_name"] == body["category_name"]
    assert 0 < body["suggestion"]["confidence"] <= 1
    assert body["status"] == "submitted"
    assert [e["kind"] for e in body["timeline"]] == ["submit"]
    assert body["actions"] == ["withdraw", "story-consent"]
    assert AuditEvent.objects.filter(
        object_type="needs.need", object_id=str(need.pk), actor=nw.resident
    ).exists()


def test_a_chosen_category_and_urgency_are_kept(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    response = create(
        c.resident, category="facility", urgent=True, tags=["急", "盼"], place="3号楼", private=True
    )
    assert response.status_code == 201, response.json()
    need = Need.objects.get(pk=response.json()["id"])
    assert (need.category_id, need.urgent, need.tags, need.place, need.private) == (
        "facility",
        True,
        ["急", "盼"],
        "3号楼",
        True,
    )
    assert response.json()["sensitive"] is True


def test_staff_enter_a_callers_need_and_see_the_phone_in_clear(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    response = create(
        c.staff11,
        category="property",
        community=nw.w.c11.pk,
        caller_name="刘阿姨",
        caller_phone="13900001111",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["contact_name"] == "刘阿姨"
    assert body["contact_phone"] == "13900001111"
    need = Need.objects.get(pk=body["id"])
    assert need.person is None
    assert need.submitted_by == nw.staff11


def test_on_behalf_of_a_registered_person(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    response = create(c.staff11, category="elderly", community=nw.w.c11.pk, person=nw.fang.pk)
    assert response.status_code == 201, response.json()
    assert Need.objects.get(pk=response.json()["id"]).person == nw.fang
    # The resident follows it as her own.
    assert c.resident.get(url(response.json()["id"])).status_code == 200


def test_intake_outside_ones_scope_is_refused_at_the_field(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    before = Need.objects.count()
    elsewhere = create(c.staff11, category="property", community=nw.w.c21.pk, caller_phone="13900001111")
    assert elsewhere.status_code == 400
    assert elsewhere.json()["fields"] == {"community": ["未找到该社区,或您无权使用。"]}
    nobody = create(c.staff11, category="property", community=nw.w.c11.pk)
    assert nobody.status_code == 400
    assert list(nobody.json()["fields"]) == ["caller_phone"]
    assert Need.objects.count() == before


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"text": ""}, "text", "请填写内容。"),
        ({"text": "   "}, "text", "请填写内容。"),
        ({"text": "灯" * 1001}, "text", "内容过长,请控制在1000字以内。"),
        (
            {"text": LAMP, "category": "weather"},
            "category",
            "没有编码为“weather”的诉求类别,请从 /api/v1/need-categories/ 中选择。",
        ),
        ({"text": LAMP, "tags": ["急", "烦"]}, "tags", "标签只能是:急、难、愁、怨、盼、忧。"),
        ({"text": LAMP, "caller_phone": "12345"}, "caller_phone", None),
    ],
)
def test_bad_input_is_a_field_error_and_writes_nothing(c, body, field, message) -> None:  # type: ignore[no-untyped-def]
    before = (Need.objects.count(), NeedEvent.objects.count(), AuditEvent.objects.count())
    response = c.resident.post(NEEDS, body, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == [field]
    if message:
        assert error["fields"][field] == [message]
    assert (Need.objects.count(), NeedEvent.objects.count(), AuditEvent.objects.count()) == before


def test_the_whole_loop_over_the_api(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    pk = submitted(c)
    assert step(c.staff11, pk, "accept", {"note": "已受理"}).status_code == 200
    dispatched = step(c.staff11, pk, "dispatch", {"target": {"type": "organization", "id": nw.w.b11.pk}})
    assert dispatched.status_code == 200, dispatched.json()
    assert dispatched.json()["assignee"] == {"type": "organization", "id": nw.w.b11.pk, "name": nw.w.b11.name}
    # Before claiming, a member of the branch sees the phone masked.
    assert c.alice.get(url(pk)).json()["contact_phone"] == "136****2222"
    claimed = step(c.alice, pk, "claim")
    assert claimed.status_code == 200, claimed.json()
    assert claimed.json()["contact_phone"] == "13611112222"
    assert claimed.json()["assignee"]["name"] == nw.w.alice.name
    assert step(c.alice, pk, "start").status_code == 200
    resolved = step(c.alice, pk, "resolve", {"result": "已更换楼道灯泡两只。"})
    assert resolved.status_code == 200, resolved.json()
    visited = step(c.resident, pk, "visit", {"rating": 5, "comment": "很及时,谢谢!"})
    assert visited.status_code == 200, visited.json()
    archived = step(c.staff11, pk, "archive")
    assert archived.status_code == 200
    need = Need.objects.get(pk=pk)
    assert (need.status, need.rating, need.assigned_person) == (Status.ARCHIVED, 5, nw.w.alice)
    kinds = ["submit", "accept", "dispatch", "claim", "start", "resolve", "visit", "archive"]
    assert list(need.events.values_list("kind", flat=True)) == kinds
    assert list(need.events.values_list("actor__username", flat=True)) == [
        "fang",
        "staff11",
        "staff11",
        "alice",
        "alice",
        "alice",
        "fang",
        "staff11",
    ]
    # The resident's view: her own need, the public timeline, no actor names, no contact name.
    mine = c.resident.get(url(pk)).json()
    assert [e["kind"] for e in mine["timeline"]] == kinds
    assert {e["actor"] for e in mine["timeline"]} == {None}
    assert mine["contact_name"] is None
    assert mine["assignee"] == {"type": "person", "id": None, "name": "热心人"}
    staff_view = c.staff11.get(url(pk)).json()
    assert staff_view["timeline"][1]["actor"] == "staff11"
    assert staff_view["contact_name"] == "方兰"


def test_the_resident_sees_public_events_only(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    pk = submitted(c)
    step(c.staff11, pk, "accept")
    step(c.staff11, pk, "dispatch", {"target": {"type": "organization", "id": nw.w.b11.pk}})
    bounced = step(c.branch11, pk, "bounce", {"reason": "本支部没有电工,请改派物业。"})
    assert bounced.status_code == 200, bounced.json()
    assert bounced.json()["status"] == "accepted"
    staff_kinds = [e["kind"] for e in c.staff11.get(url(pk)).json()["timeline"]]
    resident_kinds = [e["kind"] for e in c.resident.get(url(pk)).json()["timeline"]]
    assert "bounce" in staff_kinds
    assert "bounce" not in resident_kinds
    # Bounced once at this level: a second bounce from the same branch is refused at the field.
    step(c.staff11, pk, "dispatch", {"target": {"type": "organization", "id": nw.w.b11.pk}})
    again = step(c.branch11, pk, "bounce", {"reason": "还是没有电工。"})
    assert again.status_code == 400
    assert again.json()["fields"] == {"reason": ["本级已退过一次单,不能再退,请办理或与派单人联系。"]}


def test_a_step_not_allowed_from_the_status_is_409_and_changes_nothing(c) -> None:  # type: ignore[no-untyped-def]
    pk = submitted(c)
    step(c.staff11, pk, "accept")
    before = (NeedEvent.objects.count(), AuditEvent.objects.count())
    again = step(c.staff11, pk, "accept")
    assert again.status_code == 409
    assert again.json() == {
        "code": "transition_not_allowed",
        "message": "该诉求当前状态为“已受理”,不能受理。",
        "fields": {},
    }
    assert step(c.resident, pk, "visit", {"rating": 5}).json()["code"] == "transition_not_allowed"
    assert (NeedEvent.objects.count(), AuditEvent.objects.count()) == before
    assert Need.objects.get(pk=pk).status == Status.ACCEPTED


def test_a_step_the_account_may_not_take_is_403(c) -> None:  # type: ignore[no-untyped-def]
    pk = submitted(c)
    refused = step(c.resident, pk, "accept")
    assert refused.status_code == 403
    assert refused.json() == {
        "code": "permission_denied",
        "message": "您无权对该诉求执行“受理”。",
        "fields": {},
    }
    assert Need.objects.get(pk=pk).status == Status.SUBMITTED


def test_another_streets_need_is_404_like_a_missing_one(c) -> None:  # type: ignore[no-untyped-def]
    pk = submitted(c)
    missing = c.staff21.get(url(MISSING_PK))
    assert missing.status_code == 404
    assert c.staff21.get(url(pk)).json() == missing.json()
    for name in ("accept", "return", "merge", "reclassify"):
        response = step(
            c.staff21, pk, name, {"reason": "x", "into": pk, "category": "other", "urgent": False}
        )
        assert response.status_code == 404, name
        assert response.json() == missing.json()
    assert pk not in [row["id"] for row in c.staff21.get(NEEDS).json()["results"]]
    assert Need.objects.get(pk=pk).status == Status.SUBMITTED


def test_a_resident_rating_anothers_need_is_404(c) -> None:  # type: ignore[no-untyped-def]
    pk = submitted(c)
    need = Need.objects.get(pk=pk)
    need.status = Status.RESOLVED  # straight to the state where a rating is allowed
    need.save(update_fields=["status"])
    stranger = step(c.other_resident, pk, "visit", {"rating": 1, "comment": "差"})
    assert stranger.status_code == 404
    assert stranger.json()["code"] == "not_found"
    need.refresh_from_db()
    assert (need.status, need.rating) == (Status.RESOLVED, None)


@pytest.mark.parametrize("rating", [0, 6, -1, "五星", None, 3.5])
def test_a_bad_rating_is_a_field_error(c, rating) -> None:  # type: ignore[no-untyped-def]
    pk = submitted(c)
    Need.objects.filter(pk=pk).update(status=Status.RESOLVED)
    response = step(c.resident, pk, "visit", {"rating": rating})
    assert response.status_code == 400, response.json()
    assert response.json()["fields"] == {"rating": ["请选择1到5星的评价。"]}
    assert Need.objects.get(pk=pk).status == Status.RESOLVED


def test_return_withdraw_and_reopen(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    returned = submitted(c)
    blank = step(c.staff11, returned, "return", {"reason": ""})
    assert blank.status_code == 400
    assert blank.json()["fields"] == {"reason": ["请填写内容。"]}
    ok = step(c.staff11, returned, "return", {"reason": "不属于社区职责,请拨打12345。"})
    assert ok.status_code == 200
    assert ok.json()["status"] == "returned"

    withdrawn = submitted(c)
    assert step(c.staff11, withdrawn, "withdraw").status_code == 403
    assert (
        step(c.resident, withdrawn, "withdraw", {"reason": "已经自己修好了"}).json()["status"] == "withdrawn"
    )

    reopened = submitted(c)
    Need.objects.filter(pk=reopened).update(status=Status.RESOLVED)
    assert step(c.resident, reopened, "visit", {"rating": 1}).status_code == 200
    again = step(c.resident, reopened, "reopen", {"reason": "灯还是不亮"})
    assert again.status_code == 200, again.json()
    assert again.json()["status"] == "accepted"


def test_merge_into_a_need_of_the_same_community(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    first, second = submitted(c), submitted(c)
    other_street = create(c.staff21, category="property", community=nw.w.c21.pk, caller_phone="13900001111")
    assert other_street.status_code == 201
    hidden = step(c.staff11, second, "merge", {"into": other_street.json()["id"]})
    assert hidden.status_code == 400
    assert hidden.json()["fields"] == {"into": ["只能合并到同一社区尚在办理中的诉求。"]}
    itself = step(c.staff11, second, "merge", {"into": second})
    assert itself.json()["fields"] == {"into": ["不能与自身合并。"]}
    merged = step(c.staff11, second, "merge", {"into": first})
    assert merged.status_code == 200, merged.json()
    assert (merged.json()["status"], merged.json()["merged_into"]) == ("merged", first)


def test_dispatch_targets_are_checked(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    pk = submitted(c)
    step(c.staff11, pk, "accept")
    bad_type = step(c.staff11, pk, "dispatch", {"target": {"type": "planet", "id": 1}})
    assert list(bad_type.json()["fields"]) == ["target.type"]
    out_of_scope = step(c.staff11, pk, "dispatch", {"target": {"type": "organization", "id": nw.w.b21.pk}})
    assert out_of_scope.status_code == 400
    assert out_of_scope.json()["fields"] == {"target": ["找不到该承办对象,或不在您的管辖范围内。"]}
    street = step(c.staff11, pk, "dispatch", {"target": {"type": "territory", "id": nw.w.street1.pk}})
    assert street.status_code == 400
    assert list(street.json()["fields"]) == ["target"]  # the service's field "to", named as in the body
    to_unit = step(c.staff11, pk, "dispatch", {"target": {"type": "unit", "id": nw.w.unit.pk}})
    assert to_unit.status_code == 200, to_unit.json()
    assert to_unit.json()["assignee"]["type"] == "unit"
    assert Need.objects.get(pk=pk).status == Status.DISPATCHED


def test_the_loser_of_a_claim_is_thanked_with_a_409(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    pk = submitted(c)
    step(c.staff11, pk, "accept")
    assert step(c.alice, pk, "claim").status_code == 200
    late = step(c.erin, pk, "claim")
    assert late.status_code == 409
    assert late.json() == {
        "code": "already_claimed",
        "message": "该诉求刚刚已被他人认领,感谢您的热心!",
        "fields": {},
    }
    assert Need.objects.get(pk=pk).assigned_person == nw.w.alice


def test_reclassify_and_story_consent(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    pk = submitted(c)
    unknown = step(c.staff11, pk, "reclassify", {"category": "weather", "urgent": False})
    assert list(unknown.json()["fields"]) == ["category"]
    assert step(c.resident, pk, "reclassify", {"category": "facility", "urgent": True}).status_code == 403
    fixed = step(c.staff11, pk, "reclassify", {"category": "facility", "urgent": True})
    assert fixed.status_code == 200, fixed.json()
    assert (fixed.json()["category"], fixed.json()["urgent"]) == ("facility", True)
    correction = NeedCorrection.objects.get(need_id=pk)
    assert (correction.from_category, correction.to_category, correction.by) == (
        "property",
        "facility",
        nw.staff11,
    )
    assert step(c.staff11, pk, "story-consent", {"consent": True}).status_code == 403
    consent = step(c.resident, pk, "story-consent", {"consent": True})
    assert consent.status_code == 200, consent.json()
    assert consent.json()["story_consent"] is True
    assert Need.objects.get(pk=pk).story_consent_at is not None
    assert NeedEvent.objects.filter(need_id=pk, kind=EventKind.CONSENT).count() == 1


def test_the_actions_list_what_the_caller_may_do_now(nw, c) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    pk = submitted(c)
    staff = c.staff11.get(url(pk)).json()["actions"]
    assert {"accept", "return", "merge", "reclassify"} <= set(staff)
    assert "claim" not in staff
    step(c.staff11, pk, "accept")
    assert "claim" in c.alice.get(url(pk)).json()["actions"]


def test_classify_for_intake_apps(c) -> None:  # type: ignore[no-untyped-def]
    response = c.grid.post(f"{NEEDS}classify/", {"text": "楼下有人晕倒了,叫不醒,快来人!"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == {"category", "category_name", "urgent", "confidence"}
    assert body["urgent"] is True
    empty = c.grid.post(f"{NEEDS}classify/", {"text": ""}, format="json")
    assert (empty.status_code, empty.json()["fields"]) == (400, {"text": ["请填写内容。"]})
    long = c.grid.post(f"{NEEDS}classify/", {"text": "灯" * 1001}, format="json")
    assert long.json()["fields"] == {"text": ["内容过长,请控制在1000字以内。"]}

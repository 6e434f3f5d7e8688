"""Volunteer pages: self-registration on the phone, the staff list (scope, filters, export),
detail, registration on someone's behalf, teams and members."""

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from tongxin.audit.models import AuditEvent
from tongxin.volunteers.models import Team, TeamMember, Volunteer, VolunteerStatus

from .conftest import SLOTS, verified_client

pytestmark = pytest.mark.django_db


def phone(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_resident_registers_on_her_phone_and_sees_it_again(nw) -> None:  # type: ignore[no-untyped-def]
    client = phone(nw.resident)
    page = client.get("/volunteers/m/register/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "杨树浦社区" in html
    assert "checked" in html  # her community preset
    refused = client.post(
        "/volunteers/m/register/", {"skills": ["companion"], "slots": SLOTS, "communities": [nw.w.c11.pk]}
    )
    assert refused.status_code == 400
    assert "勾选同意" in refused.content.decode()
    assert not Volunteer.objects.exists()
    ok = client.post(
        "/volunteers/m/register/",
        {"skills": ["companion", "meals"], "slots": SLOTS, "communities": [nw.w.c11.pk], "consent": "on"},
    )
    assert ok.status_code == 302
    v = Volunteer.objects.get(person=nw.fang)
    again = client.get("/volunteers/m/register/").content.decode()
    assert v.code in again
    assert 'value="meals" checked' in again or 'value="meals"' in again
    client.post("/volunteers/m/register/", {"withdraw": "1"})
    v.refresh_from_db()
    assert v.status == VolunteerStatus.SUSPENDED


def test_staff_list_scope_filters_and_export(vw) -> None:  # type: ignore[no-untyped-def]
    staff = verified_client(vw.n.staff11)
    html = staff.get("/volunteers/").content.decode()
    assert vw.fang.code in html
    assert vw.alice.code in html
    assert vw.bob.code not in html
    assert "136****2222" in html  # fang's phone, masked
    assert "13611112222" not in html
    only_repair = staff.get("/volunteers/", {"skill": "repair"}).content.decode()
    assert vw.alice.code in only_repair
    assert vw.fang.code not in only_repair
    assert vw.fang.code in staff.get("/volunteers/", {"q": "方"}).content.decode()
    response = staff.post("/volunteers/export/", {"team": vw.team.pk})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert "136****2222" in [r[4] for r in rows]
    assert AuditEvent.objects.filter(action="export", object_type="volunteers.volunteer").exists()
    # Detail: in scope only.
    assert staff.get(f"/volunteers/{vw.fang.pk}/").status_code == 200
    assert staff.get(f"/volunteers/{vw.bob.pk}/").status_code == 404
    assert staff.get("/volunteers/999999/").status_code == 404


def test_staff_register_someone_on_her_behalf(nw) -> None:  # type: ignore[no-untyped-def]
    staff = verified_client(nw.staff11)
    found = staff.get("/volunteers/persons/", {"pq": "方"}).content.decode()
    assert "方兰" in found
    assert "李建国" not in staff.get("/volunteers/persons/", {"pq": "李"}).content.decode()
    form = {"person": nw.fang.pk, "skills": ["digital"], "slots": SLOTS, "communities": [nw.w.c11.pk]}
    assert staff.post("/volunteers/register/", form).status_code == 400
    response = staff.post("/volunteers/register/", form | {"consent": "on"})
    assert response.status_code == 302
    assert Volunteer.objects.get(person=nw.fang).registered_by == nw.staff11
    # Out of scope: refused as not chosen.
    assert (
        staff.post("/volunteers/register/", form | {"person": nw.w.bob.pk, "consent": "on"}).status_code
        == 400
    )
    assert not Volunteer.objects.filter(person=nw.w.bob).exists()


def test_teams_pages(vw) -> None:  # type: ignore[no-untyped-def]
    staff = verified_client(vw.n.staff11)
    assert "杨树浦社区助老服务队" in staff.get("/volunteers/teams/").content.decode()
    bad = staff.post("/volunteers/teams/new/", {"name": "新队", "owner": f"territory:{vw.w.c21.pk}"})
    assert bad.status_code == 400
    ok = staff.post(
        "/volunteers/teams/new/",
        {"name": "杨树浦社区维修队", "owner": f"territory:{vw.w.c11.pk}", "leader": vw.alice.code},
    )
    assert ok.status_code == 302
    team = Team.objects.get(name="杨树浦社区维修队")
    assert team.leader == vw.alice
    staff.post(f"/volunteers/teams/{team.pk}/members/add/", {"code": vw.fang.code})
    assert TeamMember.objects.filter(team=team, volunteer=vw.fang, left_on__isnull=True).exists()
    page = staff.get(f"/volunteers/teams/{team.pk}/").content.decode()
    assert "方兰" in page
    staff.post(f"/volunteers/teams/{team.pk}/members/{vw.fang.pk}/remove/")
    assert not TeamMember.objects.filter(team=team, volunteer=vw.fang, left_on__isnull=True).exists()
    # Other community's staff: 404 for the team's edit page and its member forms.
    other = verified_client(vw.n.staff21)
    assert other.get(f"/volunteers/teams/{team.pk}/edit/").status_code == 404
    assert other.post(f"/volunteers/teams/{team.pk}/members/add/", {"code": vw.bob.code}).status_code == 404
    assert (
        staff.post(f"/volunteers/teams/{team.pk}/edit/", {"name": "维修队", "leader": ""}).status_code == 302
    )

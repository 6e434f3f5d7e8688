"""Records pages: the volunteer's records and correction request (someone else's: 404), the
certificate PDF read back, the public verification page, the staff list, export, queue, entry."""

import re
import shutil
import subprocess
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.cache import cache
from django.test import Client
from openpyxl import load_workbook

from conftest import NOW, SHOTS
from tongxin.audit.models import AuditEvent
from tongxin.records.certificate import certificate_pdf
from tongxin.records.models import Certificate, CorrectionRequest, CorrectionStatus, ServiceRecord
from tongxin.records.services import certificate_issue, format_code, record_correct

from .conftest import END, START, actor, record, verified_client

pytestmark = pytest.mark.django_db


def phone(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture(autouse=True)
def _fresh_rate_limit():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def test_my_records_show_reversals_and_totals(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, minutes=90)
    record_correct(record=r, minutes=120, reason="签退漏扫", by=actor(rw.n.staff11), now=NOW)
    page = phone(rw.n.resident).get("/records/m/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "冲销" in html
    assert "更正后记录" in html
    assert "签退漏扫" in html
    assert "2.0" in html  # the total, in hours
    # Someone else's records are not there.
    assert "助老陪护" not in phone(rw.n.bob).get("/records/m/").content.decode()


def test_asking_for_a_correction_on_the_phone(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, minutes=90)
    client = phone(rw.n.resident)
    assert client.get(f"/records/m/{r.pk}/correct/").status_code == 200
    bad = client.post(f"/records/m/{r.pk}/correct/", {"hours": 5, "minutes": 0, "reason": "我待到下午"})
    assert bad.status_code == 400
    assert "不能超过" in bad.content.decode()
    missing = client.post(f"/records/m/{r.pk}/correct/", {"hours": 2, "minutes": 0, "reason": ""})
    assert "请填写更正理由" in missing.content.decode()
    ok = client.post(f"/records/m/{r.pk}/correct/", {"hours": 2, "minutes": 0, "reason": "我11点才走"})
    assert ok.status_code == 302
    assert CorrectionRequest.objects.get().proposed_minutes == 120
    # Someone else's record: the same 404 as a missing one, nothing written.
    theirs = record(rw, person=rw.w.alice)
    assert client.get(f"/records/m/{theirs.pk}/correct/").status_code == 404
    assert (
        client.post(f"/records/m/{theirs.pk}/correct/", {"hours": 1, "minutes": 0, "reason": "x"}).status_code
        == 404
    )
    assert client.get("/records/m/999999/correct/").status_code == 404
    assert CorrectionRequest.objects.count() == 1


def test_the_certificate_pdf_reads_back(rw) -> None:  # type: ignore[no-untyped-def]
    record(rw, minutes=90)
    record(rw, minutes=60, organiser=rw.team, by=rw.n.alice, title="理发义剪")
    cert = certificate_issue(person=rw.n.fang, by=actor(rw.n.resident), now=NOW)
    pdf = certificate_pdf(cert, verify_url=f"https://tongxin.example/records/verify/{cert.code}/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "records-certificate.pdf").write_bytes(pdf)  # for a person to look at
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("poppler-utils is not installed")
    text = subprocess.run(  # noqa: S603 - poppler's pdftotext with a fixed argument list
        [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "志愿服务记录证明" in text
    assert "方兰" in text
    assert rw.fang.code in text
    assert format_code(cert.code) in text
    assert "理发义剪" in text
    assert "杨树浦社区助老服务队" in text
    assert "2.5" in text  # 150 minutes
    assert "310*******" in text  # the masked ID number
    assert "1980" not in text  # the birth date is masked out of the ID number


def test_downloading_my_certificate(rw) -> None:  # type: ignore[no-untyped-def]
    record(rw, minutes=90)
    client = phone(rw.n.resident)
    assert client.post("/records/m/certificates/").status_code == 302
    cert = Certificate.objects.get()
    page = client.get("/records/m/certificates/").content.decode()
    assert format_code(cert.code) in page
    pdf = client.get(f"/records/m/certificates/{cert.code}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    # Not hers: 404.
    assert phone(rw.n.bob).get(f"/records/m/certificates/{cert.code}/pdf/").status_code == 404


def test_the_public_page_verifies_a_code(rw) -> None:  # type: ignore[no-untyped-def]
    r = record(rw, minutes=90)
    cert = certificate_issue(person=rw.n.fang, by=actor(rw.n.resident), now=NOW)
    anyone = Client()
    typed = anyone.get("/records/verify/", {"code": format_code(cert.code).lower()})
    assert typed.status_code == 302
    page = anyone.get(typed["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "证明有效" in html
    assert "方*" in html
    assert "方兰" not in html
    assert "1.5" in html
    assert "开具后记录没有更正" in html
    unknown = anyone.get("/records/verify/AAAABBBBCCCC/")
    assert unknown.status_code == 404
    assert "没有找到" in unknown.content.decode()
    record_correct(record=r, minutes=60, reason="核对", by=actor(rw.n.staff11), now=NOW)
    assert "本证明开具后记录有更正" in anyone.get(f"/records/verify/{cert.code}/").content.decode()


def test_the_public_page_is_rate_limited(rw) -> None:  # type: ignore[no-untyped-def]
    anyone = Client()
    statuses = [anyone.get("/records/verify/AAAABBBBCCCC/").status_code for _i in range(32)]
    assert statuses[0] == 404
    assert statuses[-1] == 429


def test_staff_list_export_and_entry(rw) -> None:  # type: ignore[no-untyped-def]
    record(rw, minutes=90)
    record(rw, person=rw.w.bob, organiser=rw.w.c21, by=rw.n.staff21)
    staff = verified_client(rw.n.staff11)
    html = staff.get("/records/").content.decode()
    assert "方兰" in html
    assert "李建国" not in html
    response = staff.post("/records/export/", {"q": ""})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][2] == "方兰"
    assert AuditEvent.objects.filter(action="export", object_type="records.servicerecord").exists()
    # Offline entry for a person of the community.
    form = {
        "person": rw.w.alice.pk,
        "organiser": f"territory:{rw.w.c11.pk}",
        "title": "垃圾分类宣传",
        "place": "小区门口",
        "day": (NOW - timedelta(days=3)).date().isoformat(),
        "start": "09:00",
        "end": "11:00",
        "minutes": "150",
        "award_points": "on",
        "reason": "纸质签到表补录",
    }
    bad = staff.post("/records/new/", form)
    assert bad.status_code == 400
    assert "不能超过" in bad.content.decode()
    assert staff.post("/records/new/", form | {"minutes": "120"}).status_code == 302
    assert ServiceRecord.objects.filter(person=rw.w.alice, source="offline", minutes=120).exists()
    # Another community's organiser cannot be chosen.
    assert (
        staff.post(
            "/records/new/", form | {"minutes": "60", "organiser": f"territory:{rw.w.c21.pk}"}
        ).status_code
        == 400
    )


def test_the_correction_queue(rw) -> None:  # type: ignore[no-untyped-def]
    from tongxin.records.services import correction_request

    r = record(rw, minutes=90)
    req = correction_request(
        record=r,
        by_person=rw.n.fang,
        reason="我11点才走",
        proposed_minutes=120,
        by=actor(rw.n.resident),
        now=NOW,
    )
    staff = verified_client(rw.n.staff11)
    assert "我11点才走" in staff.get("/records/corrections/").content.decode()
    # Another community's staff neither sees nor decides it.
    other = verified_client(rw.n.staff21)
    assert "我11点才走" not in other.get("/records/corrections/").content.decode()
    assert other.post(f"/records/corrections/{req.pk}/decide/", {"decision": "accept"}).status_code == 404
    page = staff.post(
        f"/records/corrections/{req.pk}/decide/", {"decision": "refuse", "reason": ""}, follow=True
    )
    assert "请填写处理意见" in page.content.decode()
    staff.post(f"/records/corrections/{req.pk}/decide/", {"decision": "accept", "reason": ""})
    req.refresh_from_db()
    assert req.status == CorrectionStatus.ACCEPTED
    again = staff.post(
        f"/records/corrections/{req.pk}/decide/", {"decision": "refuse", "reason": "x"}, follow=True
    )
    assert "不能重复处理" in again.content.decode()
    assert START < END


def test_the_pages_in_english(rw) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    r = record(rw, minutes=90)
    cert = certificate_issue(person=rw.n.fang, by=actor(rw.n.resident), now=NOW)
    han = re.compile(r"[\u4e00-\u9fff]")
    client = phone(rw.n.resident)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    staff = verified_client(rw.n.staff11)
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pages = [
        (client, "/records/m/", "My service records"),
        (client, f"/records/m/{r.pk}/correct/", "Ask for a correction"),
        (client, "/records/m/certificates/", "My certificates"),
        (client, "/volunteers/m/register/", "Volunteer registration"),
        (client, f"/records/verify/{cert.code}/", "Valid certificate"),
        (staff, "/records/", "Service record"),
        (staff, "/records/corrections/", "Correction requests"),
        (staff, "/records/new/", "Enter offline service"),
        (staff, "/volunteers/", "Volunteers"),
        (staff, "/volunteers/teams/", "Volunteer teams"),
        (staff, f"/volunteers/{rw.fang.pk}/", "Recent service records"),
    ]
    for c, url, title in pages:
        response = c.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert title in html, url
        main = html.split('id="main"', 1)[-1] if 'id="main"' in html else html
        # Only data (names, places, titles typed in Chinese) may stay Chinese.
        leftovers = {w for w in re.findall(r"[\u4e00-\u9fff]+", main) if han.search(w)}
        allowed = {
            "方兰",
            "杨树浦社区",
            "杨树浦社区活动室",
            "助老陪护",
            "复兴岛社区",
            "第一网格",
            "示范区志愿服务记录平台",
            "杨树浦社区助老服务队",
            "王秀英",
            "李建国",
            "方",
            "长阳社区",
            "定海路街道",
            "平凉路街道",
            "示范区",
            "杨树浦社区党委",
            "杨树浦社区第一党支部",
            "示范电力公司",
            "示范电力公司党支部",
            "定海路街道党工委",
            "中文",
            "同心",
        }
        assert leftovers <= allowed, (url, leftovers - allowed)


def test_staff_issue_a_certificate_for_a_volunteer(rw) -> None:  # type: ignore[no-untyped-def]
    record(rw, minutes=90)
    staff = verified_client(rw.n.staff11)
    assert "开具服务证明" in staff.get(f"/volunteers/{rw.fang.pk}/").content.decode()
    response = staff.post(f"/records/certificates/{rw.n.fang.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert Certificate.objects.get().issued_by == rw.n.staff11
    # Out of scope: 404, nothing issued.
    assert verified_client(rw.n.staff21).post(f"/records/certificates/{rw.n.fang.pk}/").status_code == 404
    # No records: the message, no certificate.
    page = staff.post(f"/records/certificates/{rw.w.alice.pk}/", {"next": "/records/"}, follow=True)
    assert "暂不能开具证明" in page.content.decode()
    assert Certificate.objects.count() == 1


def test_a_team_leader_answers_on_her_phone(rw) -> None:  # type: ignore[no-untyped-def]
    from tongxin.records.services import correction_request

    r = record(rw, minutes=90, organiser=rw.team, by=rw.n.alice)
    req = correction_request(
        record=r,
        by_person=rw.n.fang,
        reason="我11点才走",
        proposed_minutes=120,
        by=actor(rw.n.resident),
        now=NOW,
    )
    leader = phone(rw.n.alice)
    assert "队员的更正申请" in leader.get("/records/m/").content.decode()
    assert "我11点才走" in leader.get("/records/m/team-corrections/").content.decode()
    # Not the leader: nothing listed, and deciding is a 404.
    assert "我11点才走" not in phone(rw.n.bob).get("/records/m/team-corrections/").content.decode()
    assert (
        phone(rw.n.bob)
        .post("/records/m/team-corrections/", {"request": req.pk, "decision": "accept"})
        .status_code
        == 404
    )
    refused = leader.post(
        "/records/m/team-corrections/", {"request": req.pk, "decision": "refuse"}, follow=True
    )
    assert "请填写处理意见" in refused.content.decode()
    leader.post("/records/m/team-corrections/", {"request": req.pk, "decision": "accept"})
    req.refresh_from_db()
    assert req.status == CorrectionStatus.ACCEPTED
    assert req.decided_by == rw.n.alice

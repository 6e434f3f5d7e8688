"""The upload page, the job page and the downloads, through the client and the real middleware."""

import io

import pytest
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from conftest import make_account
from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.imports import services, validation
from tongxin.imports.columns import TEMPLATE_NAMES
from tongxin.imports.models import ImportJob, JobStatus
from tongxin.people.models import Person
from tongxin.registry.tests.conftest import verified_client

from .conftest import xlsx

pytestmark = pytest.mark.django_db

UPLOAD = "/imports/members/"


@pytest.fixture
def secretary(world):  # type: ignore[no-untyped-def]
    client = verified_client(make_account("sec.c11", (Role.COMMUNITY_STAFF, world.c11)))
    return client


def upload(client, data: bytes, name: str = "党员.xlsx", *, dry_run: bool = False, capture=None):  # type: ignore[no-untyped-def]
    file = io.BytesIO(data)
    file.name = name
    payload = {"file": file, **({"dry_run": "on"} if dry_run else {})}
    with capture(execute=True):
        return client.post(UPLOAD, payload)


def test_upload_a_file_with_errors_read_the_report_fix_it_and_import(
    world, row, secretary, django_capture_on_commit_callbacks
) -> None:
    page = secretary.get(UPLOAD)
    assert page.status_code == 200
    assert "您还没有导入过文件" in page.content.decode()

    bad = [row(), row(入党日期="2019-02-30"), row(所在党组织编码=world.b21.code)]
    response = upload(secretary, xlsx(bad), capture=django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/jobs/{job.pk}/"
    html = secretary.get(response["Location"]).content.decode()
    assert "文件中有错误,没有导入任何数据" in html
    assert "共 3 行,其中 2 行有 2 处问题" in html
    assert "第 3 行" in html
    assert "日期不存在,请核对年、月、日。" in html
    assert "党组织编码“D020101”不存在或无权操作。" in html
    assert Person.objects.count() == 4

    report = secretary.get(f"/imports/jobs/{job.pk}/report/")
    assert report["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert rows[0][-1] == "错误说明"
    assert rows[2][-1] == "入党日期:日期不存在,请核对年、月、日。"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(job.pk)).count() == 1

    fixed = [bad[0], row(入党日期="2019-02-28", 转正日期="2020-02-28"), row()]
    response = upload(secretary, xlsx(fixed), capture=django_capture_on_commit_callbacks)
    html = secretary.get(response["Location"]).content.decode()
    assert "导入完成" in html
    assert "共 3 行:新增 3,更新 0,未变 0。" in html
    assert Person.objects.count() == 7
    done = ImportJob.objects.get(pk=response["Location"].split("/")[-2])
    assert done.status == JobStatus.DONE
    assert done.file_token in (b"", memoryview(b""))

    listing = secretary.get(UPLOAD).content.decode()
    assert listing.count("党员.xlsx") == 2
    assert "已完成" in listing
    assert "有错误,未导入" in listing
    uploads = AuditEvent.objects.filter(object_type="imports.importjob", action=AuditAction.CREATE)
    assert uploads.count() == 2


def test_check_only_writes_nothing(world, row, secretary, django_capture_on_commit_callbacks) -> None:
    response = upload(secretary, xlsx([row()]), dry_run=True, capture=django_capture_on_commit_callbacks)
    html = secretary.get(response["Location"]).content.decode()
    assert "检查通过,未写入" in html
    assert "新增 1" in html
    assert Person.objects.count() == 4


def test_files_that_are_not_xlsx_are_refused_on_the_form(
    world, secretary, django_capture_on_commit_callbacks
) -> None:
    response = upload(secretary, b"a,b\n", "名单.csv", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "只能导入Excel .xlsx 文件" in response.content.decode()
    no_header = xlsx([["x"]], header=["序号", "名字"])
    response = upload(secretary, no_header, capture=django_capture_on_commit_callbacks)
    html = secretary.get(response["Location"]).content.decode()
    assert "找不到表头:第一行应包含 姓名、身份证号" in html
    assert not ImportJob.objects.filter(filename="名单.csv").exists()


def test_a_user_sees_only_their_own_jobs(world, row, secretary, django_capture_on_commit_callbacks) -> None:
    response = upload(secretary, xlsx([row(民族="火星族")]), capture=django_capture_on_commit_callbacks)
    job_url = response["Location"]
    other = verified_client(make_account("sec.c21", (Role.COMMUNITY_STAFF, world.c21)))
    assert other.get(job_url).status_code == 404
    assert other.get(job_url + "report/").status_code == 404
    assert "党员.xlsx" not in other.get(UPLOAD).content.decode()


def test_who_may_use_the_pages(world, client) -> None:
    assert client.get(UPLOAD).status_code == 302  # to the login page
    grid = verified_client(make_account("grid", (Role.GRID_WORKER, world.c11)))
    assert grid.get(UPLOAD).status_code == 404
    assert grid.get("/imports/members/template/").status_code == 404


@pytest.mark.parametrize("role", [Role.PARTY_MEMBER, Role.RESIDENT])
def test_a_resident_or_member_is_sent_to_the_phone_site(world, row, secretary, role) -> None:  # type: ignore[no-untyped-def]
    job = ImportJob.objects.create(user_id=secretary.session["_auth_user_id"], filename="a.xlsx")
    node = world.b11 if role == Role.PARTY_MEMBER else world.c11
    member = Client()
    member.force_login(make_account("alice", (role, node), person=world.alice))
    job_url = f"/imports/jobs/{job.pk}/"
    for page in (UPLOAD, "/imports/members/template/", job_url, job_url + "report/"):
        response = member.get(page)
        assert (response.status_code, response["Location"]) == (302, "/m/"), page
    file = io.BytesIO(xlsx([row()]))
    file.name = "党员.xlsx"
    assert member.post(UPLOAD, {"file": file})["Location"] == "/m/"
    assert ImportJob.objects.count() == 1  # nothing uploaded
    assert member.get("/m/", follow=True).status_code == 200


def test_a_member_who_is_also_a_secretary_keeps_the_upload_page(world) -> None:  # type: ignore[no-untyped-def]
    both = make_account("alice", (Role.PARTY_MEMBER, world.b11), (Role.COMMUNITY_STAFF, world.c11))
    assert verified_client(both).get(UPLOAD).status_code == 200


def test_the_template(world, secretary, row) -> None:
    response = secretary.get("/imports/members/template/")
    book = load_workbook(io.BytesIO(response.content))
    data = book["党员信息"]
    names = [*TEMPLATE_NAMES, "流动方向", "流入/流出地"]  # the 14 of the issue, then the flow columns
    assert [c.value for c in data[1]] == names
    assert data.max_row == 1 or all(c.value is None for c in data[2])  # no example row to import by mistake
    for name in ("身份证号", "手机号", "所在党组织编码", "居住社区编码", "工作单位统一社会信用代码"):
        assert data.cell(row=2, column=TEMPLATE_NAMES.index(name) + 1).number_format == "@"
    formulas = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in data.data_validations.dataValidation}
    assert formulas["H2"] == '"预备党员,正式党员"'
    assert formulas["M2"] == '"是,否"'
    assert formulas["N2"] == '"是,否"'
    assert formulas["O2"] == '"流出,流入"'
    notes = list(book["填写说明"].iter_rows(values_only=True))
    assert [r[0] for r in notes if r and r[0] in names] == names
    assert any("入党日期与登记不一致" in str(r[0]) or "不会改变所在党组织" in str(r[0]) for r in notes)
    # The downloaded template, filled in, records a flowing member.
    for i, value in enumerate([*row(是否流动党员="是"), "流入", "江苏省南通市"], start=1):
        data.cell(row=2, column=i, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    from .conftest import run

    assert run(buffer.getvalue()).ok
    assert Person.objects.filter(membership__flow_direction="in", membership__is_flowing=True).count() == 1


def test_the_job_page_polls_while_running_and_stops_when_done(world, secretary) -> None:
    user = secretary.session.get("_auth_user_id")
    job = ImportJob.objects.create(
        user_id=user, filename="大文件.xlsx", status=JobStatus.CHECKING, total_rows=10000, checked_rows=4200
    )
    html = secretary.get(f"/imports/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert "已校验 4200 / 10000 行" in html
    assert 'aria-valuenow="42"' in html
    assert "<html" not in html
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, created_count=10000)
    html = secretary.get(f"/imports/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in html
    assert "新增 10000" in html


def test_a_long_problem_list_is_paginated(world, row, secretary, django_capture_on_commit_callbacks) -> None:
    response = upload(
        secretary, xlsx([row(民族="火星族") for _ in range(60)]), capture=django_capture_on_commit_callbacks
    )
    first = secretary.get(response["Location"]).content.decode()
    assert "第 51 行" in first
    assert "第 52 行" not in first
    second = secretary.get(response["Location"] + "?page=2").content.decode()
    assert "第 61 行" in second
    assert "第 2 / 2 页" in second


@pytest.mark.django_db(transaction=True)
def test_progress_is_committed_while_the_rows_are_checked(world, row, monkeypatch) -> None:
    """The job page reads progress from another connection: each update must be committed when
    made, not held in a transaction until the import ends."""
    monkeypatch.setattr(validation, "PROGRESS_EVERY", 5)
    seen: list[tuple[int, bool]] = []
    real = services.check_rows

    def watching(rows, *, scope, today, progress):  # type: ignore[no-untyped-def]
        def spy(done: int, total: int) -> None:
            progress(done, total)
            seen.append((ImportJob.objects.get().checked_rows, connection.in_atomic_block))

        return real(rows, scope=scope, today=today, progress=spy)

    monkeypatch.setattr(services, "check_rows", watching)
    user = make_account("sec.c11", (Role.COMMUNITY_STAFF, world.c11))
    job = services.import_job_create(
        filename="a.xlsx", data=xlsx([row() for _ in range(12)]), dry_run=False, by=services.Actor(user=user)
    )
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.DONE  # ran on commit (immediate backend)
    assert seen == [(5, False), (10, False), (12, False)]


def test_a_job_delivered_twice_imports_once(world, row, django_capture_on_commit_callbacks) -> None:
    user = make_account("sec.c11", (Role.COMMUNITY_STAFF, world.c11))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(
            filename="a.xlsx", data=xlsx([row()]), dry_run=False, by=services.Actor(user=user)
        )
    job.refresh_from_db()
    assert (job.status, job.created_count) == (JobStatus.DONE, 1)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.CHECKING, created_count=0)
    services.import_job_run(job_id=job.pk)  # the same task again, while the first one still runs
    job.refresh_from_db()
    assert (job.status, job.created_count) == (JobStatus.CHECKING, 0)


def test_the_result_page_lists_the_updated_rows_page_by_page(
    world, row, secretary, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from tongxin.imports import views

    monkeypatch.setattr(views, "UPDATES_PER_PAGE", 1)
    rows = [
        row(),
        row(姓名="王秀英", 身份证号=world.alice.id_number, 学历="高中", 手机号="13600001111"),
        row(姓名="陈伟", 身份证号=world.dave.id_number, 居住社区编码=""),
    ]
    response = upload(secretary, xlsx(rows), capture=django_capture_on_commit_callbacks)
    html = secretary.get(response["Location"]).content.decode()
    assert "新增 1,更新 2" in html
    assert "<td>第 3 行</td><td>王秀英</td>" in html
    assert "手机号、学历</td>" in html
    assert "13600001111" not in html
    assert "陈伟" not in html  # on the second page
    assert "?updates=2" in html
    html = secretary.get(response["Location"] + "?updates=2").content.decode()
    assert "<td>第 4 行</td><td>陈伟</td>" in html
    assert "登记为党员" in html


def test_an_upload_made_in_english_is_checked_and_reported_in_english(
    world, row, secretary, django_capture_on_commit_callbacks
) -> None:
    from django.conf import settings
    from django.utils import translation

    secretary.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    file = io.BytesIO(xlsx([row(), row(入党日期="2019-02-30"), row(是否在职党员="是")]))
    file.name = "党员.xlsx"
    # The middleware leaves English active in this thread; the override puts Chinese back after.
    with translation.override(settings.LANGUAGE_CODE):
        with django_capture_on_commit_callbacks() as queued:
            response = secretary.post(UPLOAD, {"file": file})
        translation.activate(settings.LANGUAGE_CODE)  # the worker runs in the site's language
        for callback in queued:
            callback()
        html = secretary.get(response["Location"]).content.decode()
    assert "Import result" in html
    assert "The file has errors; nothing was imported" in html
    assert "No such date; check the year, month and day." in html
    assert "An in-service member needs an employer." in html
    assert "日期不存在" not in html

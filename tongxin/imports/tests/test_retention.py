"""A file with errors is kept a week for its error report, then dropped at the next upload (or by
the operator's command); the job and its problem list stay, and the page says why the report is
gone."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from conftest import make_account
from tongxin.accounts.models import Role
from tongxin.audit.models import AuditAction, AuditEvent
from tongxin.imports.models import ImportJob, JobStatus
from tongxin.registry.tests.conftest import verified_client

from .conftest import xlsx
from .test_pages import upload

pytestmark = pytest.mark.django_db

GONE = "上传的文件已过保存期限并已删除,错误报告不能再下载;下表的问题列表仍然保留。"
DOWNLOAD = "下载错误报告"


@pytest.fixture
def secretary(world):  # type: ignore[no-untyped-def]
    return verified_client(make_account("sec.c11", (Role.COMMUNITY_STAFF, world.c11)))


@pytest.fixture
def rejected_jobs(row, secretary, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Two jobs whose files had errors, uploaded 8 and 6 days ago."""
    ages = (8, 6)
    for _ in ages:
        upload(secretary, xlsx([row(民族="火星族")]), capture=django_capture_on_commit_callbacks)
    jobs = list(ImportJob.objects.order_by("pk"))
    for job, days in zip(jobs, ages, strict=True):
        ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days))
        assert job.status == JobStatus.REJECTED
        assert job.report_available
    return jobs


def purges() -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action=AuditAction.DELETE, object_type="imports.importjob").order_by("seq")
    )


def test_the_next_upload_drops_a_week_old_file_and_its_page_says_so(
    world, row, secretary, rejected_jobs, django_capture_on_commit_callbacks
) -> None:
    old, recent = rejected_jobs
    upload(secretary, xlsx([row()]), capture=django_capture_on_commit_callbacks)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert bytes(old.file_token) == b""
    assert bytes(recent.file_token) != b""
    # The job and its problems stay.
    assert old.status == JobStatus.REJECTED
    assert len(old.problems) == 1

    page = secretary.get(f"/imports/jobs/{old.pk}/").content.decode()
    assert GONE in page
    assert DOWNLOAD not in page
    assert "民族“火星族”" in page  # the problem list is still shown
    assert secretary.get(f"/imports/jobs/{old.pk}/report/").status_code == 404

    page = secretary.get(f"/imports/jobs/{recent.pk}/").content.decode()
    assert DOWNLOAD in page
    assert GONE not in page
    assert secretary.get(f"/imports/jobs/{recent.pk}/report/").status_code == 200

    [event] = purges()
    assert event.detail == {"purged_files": 1, "keep_days": 7}
    assert event.actor_id is None
    upload(secretary, xlsx([row()]), capture=django_capture_on_commit_callbacks)
    assert len(purges()) == 1  # nothing more to drop, nothing more logged


def test_the_page_says_so_in_english(row, secretary, rejected_jobs) -> None:  # type: ignore[no-untyped-def]
    old, _recent = rejected_jobs
    call_command("purge_import_files", stdout=io.StringIO())
    secretary.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The locale middleware leaves English active in this thread; the override restores Chinese.
    with translation.override(settings.LANGUAGE_CODE):
        page = secretary.get(f"/imports/jobs/{old.pk}/").content.decode()
    assert "the error report can no longer be downloaded; the list of problems below is kept." in page


def test_the_operators_command(rejected_jobs) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("purge_import_files", stdout=out)
    assert out.getvalue().strip() == "已删除 1 个导入文件(上传超过 7 天)。"
    assert [bytes(j.file_token) == b"" for j in ImportJob.objects.order_by("pk")] == [True, False]

    call_command("purge_import_files", "--days", "5", stdout=out)
    assert "已删除 1 个导入文件(上传超过 5 天)。" in out.getvalue()
    assert not any(job.report_available for job in ImportJob.objects.all())
    assert [e.detail["keep_days"] for e in purges()] == [7, 5]

    with pytest.raises(CommandError, match="不能为负数"):
        call_command("purge_import_files", "--days", "-1")


def test_a_job_still_waiting_for_the_worker_keeps_its_file(world, row, secretary) -> None:  # type: ignore[no-untyped-def]
    # Uploaded without the commit hook running: the job stays queued, as with a stopped worker.
    file = io.BytesIO(xlsx([row()]))
    file.name = "党员.xlsx"
    secretary.post("/imports/members/", {"file": file})
    ImportJob.objects.update(created_at=timezone.now() - timedelta(days=30))
    call_command("purge_import_files", "--days", "0", stdout=io.StringIO())
    job = ImportJob.objects.get()
    assert job.status == JobStatus.QUEUED
    assert bytes(job.file_token) != b""

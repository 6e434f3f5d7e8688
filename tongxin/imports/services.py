"""Member import: check a whole file, then write it all or nothing.

`members_import` is the one path for the command and the upload page; an ImportJob wraps it for
the page, so the work runs in the task worker and the job row carries progress and the outcome."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor
from tongxin.core.crypto import field_cipher

from .models import ImportJob, JobStatus
from .plans import Problem
from .reader import FileRejected, check_upload, read_sheet
from .retention import import_files_purge
from .scope import ImportScope
from .validation import Progress, check_rows
from .writer import write_plans

log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    total: int = 0
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"create": 0, "update": 0, "unchanged": 0})
    updates: list[dict[str, Any]] = field(default_factory=list)  # Checked.updates()
    written: bool = False
    sheet_title: str = ""
    message: str = ""  # a refusal of the whole file

    @property
    def ok(self) -> bool:
        return not self.problems and not self.message


def members_import(
    *,
    data: bytes,
    filename: str,
    scope: ImportScope,
    by: Actor,
    today: date,
    dry_run: bool = False,
    reference: str = "",
    progress: Progress | None = None,
    on_write: Callable[[], None] | None = None,
) -> ImportResult:
    """Check every row; write nothing if any is wrong (or on a dry run), else write all of them
    in one transaction. A refused file comes back with `message` set."""
    result = ImportResult()
    try:
        check_upload(data, filename)
        sheet = read_sheet(data)
    except FileRejected as exc:
        result.message = exc.message
        return result
    result.sheet_title, result.total = sheet.title, len(sheet.rows)
    if progress is not None:
        progress(0, result.total)
    if not sheet.rows:
        result.message = _("表头下面没有数据行。")
        return result
    checked = check_rows(sheet.rows, scope=scope, today=today, progress=progress)
    result.problems, result.counts, result.updates = checked.problems, checked.counts(), checked.updates()
    if checked.problems or dry_run:
        return result
    if on_write is not None:
        on_write()
    try:
        result.counts = write_plans(checked.plans, by=by, now=timezone.now(), reference=reference or filename)
    except IntegrityError:
        # Someone registered one of these ID numbers between the check and the write.
        result.message = _("导入时有人同时登记了文件中的人员,没有写入任何数据;请重新导入。")
        return result
    result.written = True
    return result


# --- jobs for the upload page ---------------------------------------------------------------------


def import_job_create(
    *, filename: str, data: bytes, dry_run: bool, by: Actor, language: str = ""
) -> ImportJob:
    """Store the upload (encrypted) and queue its import, to be checked in `language` (the
    uploader's; default the site's). An obviously wrong file (not .xlsx, too large) is refused
    here with FileRejected, so the page can say so at once."""
    check_upload(data, filename)
    # Each upload is the moment to drop last week's files, so no scheduler is needed for it.
    import_files_purge(now=timezone.now(), by=Actor.system("import_file_retention"))
    with transaction.atomic():
        job = ImportJob.objects.create(
            user=by.user,
            ip=by.ip,
            filename=filename[:200],
            file_token=field_cipher().encrypt(data),
            dry_run=dry_run,
            language=language[:10],
        )
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=job,
            detail={"upload": "member_import", "bytes": len(data), "dry_run": dry_run},
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_import_job  # the task module imports this one

    run_import_job.enqueue(job_id)


def import_job_file(job: ImportJob) -> bytes:
    return field_cipher().decrypt(bytes(job.file_token))


def import_job_run(*, job_id: int) -> None:
    jobs = ImportJob.objects.filter(pk=job_id)
    # Claimed by a conditional update, so that a task delivered twice (a retry, two workers) runs
    # the import once. Progress is written in autocommit, outside any transaction, so the job page
    # sees it at once.
    if not jobs.filter(status=JobStatus.QUEUED).update(status=JobStatus.CHECKING):
        return
    job = jobs.select_related("user").get()

    def progress(done: int, total: int) -> None:
        jobs.update(checked_rows=done, total_rows=total)

    def writing() -> None:
        jobs.update(status=JobStatus.WRITING)

    user = job.user
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            result = members_import(
                data=import_job_file(job),
                filename=job.filename,
                scope=ImportScope(user=user),
                by=Actor(user=user, ip=job.ip, label=user.get_username()),
                today=timezone.localdate(),
                dry_run=job.dry_run,
                reference=f"job-{job.pk}",
                progress=progress,
                on_write=writing,
            )
        except Exception:
            log.exception("import job %s failed", job_id)
            result = ImportResult(
                message=_("导入过程中出现意外错误,没有写入任何数据。请稍后重试或联系管理员。")
            )
    _finish(job, result)


def _finish(job: ImportJob, result: ImportResult) -> None:
    if result.message:
        status = JobStatus.FAILED
    elif result.problems:
        status = JobStatus.REJECTED
    else:
        status = JobStatus.DONE
    values: dict[str, Any] = {
        "status": status,
        "total_rows": result.total,
        "checked_rows": result.total if not result.message else 0,
        "created_count": result.counts["create"],
        "updated_count": result.counts["update"],
        "unchanged_count": result.counts["unchanged"],
        "problems": [p.as_json() for p in result.problems],
        "updates": result.updates if not result.problems else [],
        "message": result.message,
        "sheet_title": result.sheet_title,
        "finished_at": timezone.now(),
    }
    if status != JobStatus.REJECTED:
        values["file_token"] = b""  # only the error report needs the file again
    ImportJob.objects.filter(pk=job.pk).update(**values)

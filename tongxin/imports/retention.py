"""How long an uploaded file is kept. A file with errors stays with its job for the error report,
which repeats every row, ID numbers and phones included; after a week the secretary has long
fixed the file, so the copy goes. The job row and its problem list stay: they hold no ID numbers
and tell what happened."""

from datetime import datetime, timedelta

from django.db import transaction

from tongxin.audit.models import AuditAction
from tongxin.audit.services import audit_record
from tongxin.core.actor import Actor

from .models import FINISHED, ImportJob

KEEP_FILES = timedelta(days=7)


def import_files_purge(*, now: datetime, by: Actor, keep: timedelta = KEEP_FILES) -> int:
    """Drop the stored file of every finished job uploaded before `now - keep`; return how many.
    A job still queued or running keeps its file: its worker needs it."""
    stale = ImportJob.objects.filter(created_at__lt=now - keep, status__in=FINISHED).exclude(file_token=b"")
    with transaction.atomic():
        purged = stale.update(file_token=b"")
        if purged:
            audit_record(
                actor=by,
                action=AuditAction.DELETE,
                object_type=ImportJob._meta.label_lower,
                object_repr="导入文件到期删除",
                detail={"purged_files": purged, "keep_days": keep.days},
                now=now,
            )
    return purged

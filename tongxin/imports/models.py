"""An uploaded import file and what became of it, so the upload page can answer at once and the
work runs in the task worker while the job page shows its progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    CHECKING = "checking", _("校验中")
    WRITING = "writing", _("写入中")
    DONE = "done", _("已完成")
    REJECTED = "rejected", _("有错误,未导入")
    FAILED = "failed", _("无法读取")


FINISHED = frozenset({JobStatus.DONE, JobStatus.REJECTED, JobStatus.FAILED})


class ImportJob(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.CASCADE, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    filename = models.CharField(_("文件名"), max_length=200)
    # The file holds ID numbers and phones in clear, so it is kept Fernet-encrypted like every
    # other personal field, and dropped once the job no longer needs it for the error report.
    file_token = models.BinaryField(default=b"", editable=False)
    dry_run = models.BooleanField(_("只检查,不导入"), default=False)
    # The uploader's language: the worker checks the file in it, so the problems (stored as text)
    # read in the language of the person who will read them.
    language = models.CharField(max_length=10, blank=True, default="")
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    checked_rows = models.PositiveIntegerField(_("已校验行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变"), default=0)
    problems = models.JSONField(_("问题"), default=list, blank=True)
    # The updated rows: number, name and the names of the changed columns (never their values).
    updates = models.JSONField(_("更新的行"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)
    sheet_title = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=JobStatus.values), name="import_job_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"导入 #{self.pk} {self.filename}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def report_available(self) -> bool:
        """The error report is rebuilt from the stored file, which a rejected job keeps only
        for a while (retention.KEEP_FILES)."""
        return self.status == JobStatus.REJECTED and len(self.file_token) > 0

    @property
    def percent(self) -> int:
        if self.status in FINISHED:
            return 100
        return int(self.checked_rows * 100 / self.total_rows) if self.total_rows else 0

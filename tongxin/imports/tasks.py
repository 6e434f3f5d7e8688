"""Background work for the upload page: the import runs in the task worker (`manage.py db_worker`),
not in the request, so a 100,000-row file neither times out nor holds a web worker."""

from django_tasks import task

from .services import import_job_run


@task()
def run_import_job(job_id: int) -> None:
    import_job_run(job_id=job_id)

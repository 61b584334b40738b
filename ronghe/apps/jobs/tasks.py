"""The tasks the queue carries: they only name a job (and a part) and call the service."""

from django_tasks import task

from ronghe.apps.jobs import services


@task()
def run_job(job_id: int) -> None:
    services.execute(job_id)


@task()
def run_job_part(job_id: int, part: int) -> None:
    services.execute_part(job_id, part)

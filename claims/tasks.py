"""The tasks the worker runs (`manage.py db_worker`): one, which runs a Job to its end (claims/services/jobs.py)."""

from django_tasks import task


@task()
def run_job(job_id: int) -> dict:
    from .services.jobs import job_run

    return job_run(job_id=job_id)

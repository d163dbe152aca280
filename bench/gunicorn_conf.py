"""gunicorn settings of the benchmark's load phase (`gunicorn --config python:bench.gunicorn_conf`)."""

accesslog = None
loglevel = "warning"
timeout = 60


def post_worker_init(worker):
    # Tasks are queued in the worker's memory and never run, as a production web process hands them to the
    # Redis broker: sending notifications is the Celery worker's cost, not the request's.
    from helpdesk.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://localhost/"

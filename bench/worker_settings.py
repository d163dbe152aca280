"""Settings of the billing benchmark's Celery worker and of the process that starts its run
(bench/billing.py): the portal's own, with a queue of the run's own as the default queue. The tasks the run
sends, and those its tasks send on (through the outbox), go to that queue only: no other worker on the same
Redis takes them and runs them against another database."""

import os

from helpdesk.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ["BENCH_QUEUE"]

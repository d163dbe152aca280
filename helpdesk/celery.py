import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

from helpdesk import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

app = Celery("helpdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# The request id goes with each task the request starts (helpdesk/logs.py): in the message's headers, and
# from there into the context of the task's run in the worker, so that its log lines carry it.


@before_task_publish.connect
def request_id_send(headers=None, **kwargs):
    """The sender's request id into the task's headers, unless the outbox already set the one of its row."""
    request_id = logs.current_request_id()
    if headers is not None and request_id and not headers.get("request_id"):
        headers["request_id"] = request_id


# task id -> the context tokens to reset when the task ends.
_task_tokens: dict[str, tuple] = {}


@task_prerun.connect
def request_id_receive(task_id=None, task=None, **kwargs):
    request_id = getattr(task.request, "request_id", None)
    tokens = (logs.task_var.set((task_id, task.name)),)
    if request_id and logs.REQUEST_ID_PATTERN.fullmatch(str(request_id)):
        # An eager task (no broker) keeps the id of the request it runs in.
        tokens += (logs.request_id_var.set(request_id),)
    _task_tokens[task_id] = tokens


@task_postrun.connect
def request_id_forget(task_id=None, **kwargs):
    tokens = _task_tokens.pop(task_id, ())
    for token in reversed(tokens):
        token.var.reset(token)

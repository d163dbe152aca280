"""Staleness: a check with no result within 3 of its intervals (LatestResult.stale_after) is shown UNKNOWN
and marked stale, and its component's and installation's state follow. A new result undoes it
(services.results_ingest sets the reported state and is_stale = false again)."""

import time

from django.db import transaction

from . import services
from .incidents import components_evaluate
from .models import Installation, LatestResult, Status

BATCH_SIZE = 500
# The sweep runs every minute; what it cannot do within this budget waits for the next run.
BUDGET_SECONDS = 40


def checks_mark_stale(*, now, batch_size: int = BATCH_SIZE, budget_seconds: float = BUDGET_SECONDS) -> int:
    """Turn the overdue checks UNKNOWN, a bounded batch per transaction; returns how many."""
    marked = 0
    deadline = time.monotonic() + budget_seconds
    while time.monotonic() < deadline:
        done = _batch_mark_stale(now=now, batch_size=batch_size)
        marked += done
        if done < batch_size:
            break
    return marked


@transaction.atomic
def _batch_mark_stale(*, now, batch_size: int) -> int:
    # SKIP LOCKED: a check whose row an ingest holds is getting a new result; a second sweep takes others.
    rows = list(
        LatestResult.objects.filter(is_stale=False, stale_after__lt=now)
        .order_by("stale_after")
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("check_item_id", "check_item__component_id")[:batch_size]
    )
    if not rows:
        return 0
    LatestResult.objects.filter(pk__in=[check_id for check_id, _component in rows]).update(
        status=Status.UNKNOWN, is_stale=True
    )
    component_ids = {component_id for _check, component_id in rows}
    to_evaluate = services.components_status_update(dict.fromkeys(component_ids, now))
    for installation in Installation.objects.filter(components__in=component_ids).distinct().order_by("pk"):
        services.installation_status_update(installation)
    components_evaluate(to_evaluate, now=now)
    return len(rows)

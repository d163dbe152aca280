"""Rate limits: how often one person (or one address) may do something costly or abusable in a while.

Counted by django-ratelimit in the cache (Redis in production, shared by every process; helpdesk/settings.py).
Its windows are fixed: "10/m" lets 10 through in each minute-long window of the key, so at a window's end
up to twice that can pass within a short time; the point is a bound, not a metronome. A request over the
limit gets the portal's 429 page with Retry-After; a limit that must not tell anything (the password reset,
which answers the same whether an account exists) only skips its work.
"""

from functools import wraps

from django.shortcuts import render
from django_ratelimit.core import get_usage

# name -> rate: the limits in one place.
RATES = {
    # Searches (the case list with words or filters, the knowledge base): far above anyone reading results,
    # far below a script paging through everything.
    "case-search": "30/m",
    "knowledge-search": "30/m",
    # An export reads up to cases.export.EXPORT_LIMIT cases; the analysis aggregates all visible ones.
    "case-export": "10/m",
    "case-analysis": "20/m",
    # The history of consultant services of one organization, up to billing.export.EXPORT_LIMIT entries.
    "billing-export": "10/m",
    # At most one reset e-mail per address per 5 minutes (one window), whoever asks.
    "password-reset-email": "1/5m",
    # Failed sign-ins from one address over any accounts (the office behind one address shares it); the
    # failures for one account from one address are django-axes' (AXES_FAILURE_LIMIT).
    "sign-in-failures": "20/15m",
    # Wrong second-factor codes of one signed-in account (after its password): 5 in 15 minutes, then it
    # waits; django-otp also slows down each device after a failure.
    "second-factor-failures": "5/15m",
    # Audit rows for one person's (or address's) refused requests (helpdesk.services.access_denied_record):
    # enough to show someone trying other organizations' objects, too few to flood the audit trail.
    "access-denied-audit": "20/m",
    # Batches of one monitoring installation (any of its tokens; monitoring.api): an agent sends one a
    # minute, a runaway loop hundreds; a backlog of 100,000 results in batches of 1,000 still passes.
    "monitoring-ingest": "120/m",
}


def fixed(value: str):
    """A key that is not in the request (an e-mail address typed in a form)."""
    return lambda _group, _request: value


def usage(request, name: str, *, key="user", increment: bool = True) -> dict | None:
    """Count (or, without increment, look at) the requests of `name` for this key ("user", "ip", `fixed`):
    django-ratelimit's usage (`count`, `limit`, `should_limit`, `time_left`), or None while the cache cannot
    count (then nothing is limited). `request` may be None with a fixed key (a service)."""
    return get_usage(request, group=name, key=key, rate=RATES[name], increment=increment)


def over_limit(request, name: str, *, key="user") -> int | None:
    """Count this request; the seconds to wait when it is over the limit, else None."""
    counted = usage(request, name, key=key)
    if counted is None or not counted["should_limit"]:
        return None
    return max(counted["time_left"], 1)


def too_many_requests(request, retry_after: int, template: str = "429.html", context=None):
    """The portal's 429 page, which says how long to wait (and the Retry-After header to machines)."""
    response = render(request, template, {"retry_after": retry_after, **(context or {})}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def throttle(name: str, *, when=None):
    """Limit a view per signed-in user to RATES[name]; `when(request)` says which requests count (a list
    page without a search does not)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if when is None or when(request):
                retry_after = over_limit(request, name)
                if retry_after:
                    return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

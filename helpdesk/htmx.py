from django.utils.http import url_has_allowed_host_and_scheme


def is_htmx(request) -> bool:
    """A request htmx made to swap part of a page: not a boosted full-page navigation, nor the reload of a
    page missing from htmx's history cache (htmx 2 sends HX-Request with it too, and wants the whole page)."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def safe_next(request, fallback: str) -> str:
    """The `next` URL of a form if it stays on this site, else the fallback (no open redirects)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback

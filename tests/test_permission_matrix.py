"""Every named URL, for every persona: the outcome of tests/permission_matrix.py (and the apps' tables)."""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permission_matrix import (
    LOGIN,
    PERSONA_FIXTURES,
    PERSONAS,
    REDIRECT,
    MatrixContext,
    collected_rows,
    collected_tables,
)

SKIPPED_NAMESPACES = {"admin"}  # Django's own admin site guards itself (is_staff)

ROWS = collected_rows()
PUBLIC_URL_NAMES = set().union(*(getattr(table, "PUBLIC_URL_NAMES", set()) for table in collected_tables()))


def _url_patterns(resolver=None, namespace=""):
    """(name, view) of every URL pattern, names qualified with their namespaces."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_patterns(pattern, prefix)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>"
            yield name, pattern.callback


def test_every_url_has_a_row_and_every_row_a_url():
    url_names = {name for name, _view in _url_patterns()}
    get_rows = {row.url_name for row in ROWS if row.method == "get"}
    assert sorted(url_names - get_rows) == [], "URL names without a GET row in a permission matrix"
    assert sorted({row.url_name for row in ROWS} - url_names) == [], "rows for URL names that do not exist"


def test_rows_are_unique():
    keys = [(row.url_name, row.method) for row in ROWS]
    assert sorted(key for key in set(keys) if keys.count(key) > 1) == []


def test_public_views_are_exactly_the_login_not_required_ones():
    public = {name for name, view in _url_patterns() if getattr(view, "login_required", True) is False}
    assert public == PUBLIC_URL_NAMES


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.url_name}:{row.method}")
def test_permission_matrix(row, persona, request, organization, client_for):
    user = request.getfixturevalue(PERSONA_FIXTURES[persona]) if persona in PERSONA_FIXTURES else None
    ctx = MatrixContext(organization=organization, request=request)
    url = reverse(row.url_name, kwargs=row.kwargs(ctx))
    client = client_for(user)
    response = getattr(client, row.method)(url, row.data(ctx))

    expected = row.expected(persona)
    login_url = reverse(settings.LOGIN_URL)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login_url}?next=")
    elif expected == REDIRECT:
        assert response.status_code == 302
        assert not response["Location"].startswith(login_url)
    else:
        assert response.status_code == expected

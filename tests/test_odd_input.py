"""Odd input is refused with 404 or 400, never a 500 (helpdesk.middleware.RejectNulMiddleware): PostgreSQL's
text types cannot hold a NUL character, so one that reached a query failed the request."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.factories import case_create


@pytest.fixture
def client(client_for, standard_user):
    # Errors become responses, as a real server sends them, instead of exceptions raised in the test.
    return client_for(standard_user, raise_request_exception=False)


@pytest.mark.parametrize(
    "path",
    [
        "/cases/%00/",
        "/cases/JS-2026-000001%00/",
        "/cases/%00/files/1/",
        "/knowledge/faq/%00/",
        "/static/%00.css",
    ],
)
def test_nul_in_the_path_is_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["q=%00", "status=%00", "page=%00", "sort=%00", "%00=1", "q=ra%00un"],
)
def test_nul_in_a_query_parameter_is_400(client, query):
    assert client.get(f"{reverse('cases:case-list')}?{query}").status_code == 400


def test_nul_in_a_parameter_of_a_public_page_is_400(client_for):
    response = client_for(raise_request_exception=False).get(f"{reverse('accounts:login')}?next=/%00")
    assert response.status_code == 400


def test_nul_in_a_form_field_is_400_and_saves_nothing(client, organization, standard_user):
    case = case_create(organization, standard_user)
    response = client.post(
        reverse("cases:case-reply", args=[case.reference]),
        urlencode({"body": "Hvala\x00"}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert case.events.count() == 1  # only "logged"


def test_nul_in_a_file_upload_form_field_is_400(client):
    response = client.post(reverse("cases:case-create"), {"title": "x\x00", "description": "y"})
    assert response.status_code == 400


@pytest.mark.parametrize("header", ["referer", "user-agent", "accept-language", "cookie"])
def test_nul_in_a_header_is_400(client, header):
    response = client.get(reverse("cases:case-list"), headers={header: "x\x00y"})
    assert response.status_code == 400


def test_ordinary_requests_pass(client, organization, standard_user):
    case = case_create(organization, standard_user)
    assert client.get(f"{reverse('cases:case-list')}?q=račun&status=new").status_code == 200
    assert client.get(case.get_absolute_url()).status_code == 200

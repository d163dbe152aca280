"""The portal's error pages (helpdesk/errors.py): 400, 403, 404, 500 and the CSRF failure page in the portal's
layout, in the visitor's language, with a way back; the 500 page without the database; a 404 that tells
nothing about another organization's objects. Django's test client runs with DEBUG off, as production does."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from helpdesk import errors
from tests.factories import case_create

LAYOUT = 'class="navbar-brand"'  # the portal's header (templates/base.html)

# (status, English heading, Croatian heading) of each page.
PAGES = {
    400: ("The portal could not read this request", "Portal ne može pročitati ovaj zahtjev"),
    403: ("You do not have access to this page", "Nemate pristup ovoj stranici"),
    404: ("Page not found", "Stranica nije pronađena"),
    500: ("Something went wrong on our side", "Nešto je pošlo po zlu kod nas"),
}
CSRF_HEADING = ("The form could not be sent", "Obrazac nije moguće poslati")


def broken_dashboard(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("helpdesk.views.panels_for", broken)


def error_response(status: int, client, monkeypatch):
    """The portal's answer with the given error status to the client's visitor."""
    if status == 400:
        return client.get(reverse("cases:case-list"), {"q": "a\x00b"})  # NUL: refused before any view
    if status == 403:
        return client.get(reverse("cases:queue"))  # the dispatchers' queue, not a customer's page
    if status == 404:
        return client.get("/no-such-page/")
    broken_dashboard(monkeypatch)
    return client.get(reverse("dashboard"))


def assert_page(response, status: int, heading: str, language: str):
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert LAYOUT in html
    assert heading in html
    assert "<h1" in html


@pytest.mark.parametrize("status", PAGES)
@pytest.mark.parametrize("language", ["en", "hr"])
def test_error_pages_for_a_signed_in_user_in_their_language(status, language, standard_user, monkeypatch):
    standard_user.language = language
    standard_user.save(update_fields=["language"])
    # The browser asks for the other language: a signed-in user's own language wins once it is known. A 400
    # for a NUL is answered before the session is read, so there it is the browser's.
    browser = language if status == 400 else ("hr" if language == "en" else "en")
    client = Client(headers={"accept-language": browser}, raise_request_exception=False)
    client.force_login(standard_user)

    response = error_response(status, client, monkeypatch)

    english, croatian = PAGES[status]
    assert_page(response, status, english if language == "en" else croatian, language)
    html = response.content.decode()
    assert f'href="{reverse("dashboard")}"' in html  # the way back
    assert ("Back to the dashboard" if language == "en" else "Natrag na nadzornu ploču") in html


@pytest.mark.parametrize("language", ["en", "hr"])
def test_a_404_for_an_anonymous_visitor_offers_the_sign_in(language, db):
    response = Client(headers={"accept-language": language}).get("/no-such-page/")

    english, croatian = PAGES[404]
    assert_page(response, 404, english if language == "en" else croatian, language)
    assert f'href="{reverse("accounts:login")}"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "hr"])
def test_the_csrf_failure_page(language, client_for, standard_user):
    standard_user.language = language
    standard_user.save(update_fields=["language"])
    client = client_for(standard_user, enforce_csrf_checks=True)
    profile = "http://testserver" + reverse("accounts:profile")

    response = client.post(reverse("cases:case-create"), {"title": "x"}, headers={"referer": profile})

    assert_page(response, 403, CSRF_HEADING[0] if language == "en" else CSRF_HEADING[1], language)
    html = response.content.decode()
    assert f'href="{profile}"' in html  # back to the page the form came from, to load it afresh
    assert f'href="{reverse("dashboard")}"' in html
    assert "CSRF verification" not in html and "Referer" not in html  # no jargon, no reason to a stranger


def test_the_csrf_failure_page_offers_no_link_to_another_site(client_for, standard_user):
    client = client_for(standard_user, enforce_csrf_checks=True)
    response = client.post(reverse("cases:case-create"), {}, headers={"referer": "https://evil.test/form"})
    assert response.status_code == 403
    assert "evil.test" not in response.content.decode()


def normalized(response) -> str:
    """The page without what differs between any two responses (the masked CSRF tokens) or merely repeats
    the address the visitor typed (the language switch's `next`)."""
    html = response.content.decode()
    html = re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', r"\1", html)
    return re.sub(r'name="next" value="[^"]*"', 'name="next" value=""', html)


def test_a_case_of_another_organization_is_the_same_404_as_a_case_that_does_not_exist(
    client_for, standard_user, other_organization, other_org_user
):
    theirs = case_create(other_organization, other_org_user)
    client = client_for(standard_user)

    hidden = client.get(reverse("cases:case-detail", args=[theirs.reference]))
    missing = client.get(reverse("cases:case-detail", args=["JS-1999-999999"]))

    assert hidden.status_code == missing.status_code == 404
    assert normalized(hidden) == normalized(missing)
    assert theirs.reference not in normalized(hidden)
    assert "matches the given query" not in hidden.content.decode()  # Http404's message is not shown
    assert PAGES[404][0] in hidden.content.decode()


@pytest.mark.parametrize("language", ["en", "hr"])
def test_the_500_page_is_rendered_without_the_database(language, db, django_assert_num_queries):
    request = RequestFactory().get("/cases/", headers={"accept-language": language})

    with django_assert_num_queries(0):
        response = errors.server_error(request)

    assert_page(response, 500, PAGES[500][0] if language == "en" else PAGES[500][1], language)
    assert "language-switch" not in response.content.decode()  # switching needs the database
    assert f'href="{reverse("accounts:login")}"' in response.content.decode()  # no session: sign in


def test_the_500_page_uses_the_language_the_middleware_chose(db, django_assert_num_queries):
    request = RequestFactory().get("/", headers={"accept-language": "en"})
    request.LANGUAGE_CODE = "hr"  # a signed-in user's own, set by accounts.middleware.UserLanguageMiddleware

    with django_assert_num_queries(0):
        response = errors.server_error(request)

    assert '<html lang="hr">' in response.content.decode()


def test_the_500_page_is_not_the_outage_page(client_for, consultant, monkeypatch):
    broken_dashboard(monkeypatch)
    response = client_for(consultant, raise_request_exception=False).get(reverse("dashboard"))
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "briefly unavailable" not in response.content.decode()

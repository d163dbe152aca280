"""Every paged list pages forward and back through the links a person clicks: "Next" shows rows page 1 did
not, keeping the list's filters, and "Previous" leads back to page 1.

Django 6.1's {% querystring %} already starts with "?": a pager that wrote its own before it made
`href="??page=2"`, which reloaded page 1. These tests follow the rendered links, so they catch that."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.urls import reverse

from cases.models import Case
from docs.tests.factories import DocumentFactory, FaqEntryFactory, NewsPostFactory
from helpdesk.models import AuditEvent, Notification
from tests.factories import OrganizationFactory, case_create

pytestmark = pytest.mark.django_db

# Every row a test makes carries this label, numbered so that rows sort in the order they were made.
ROW = re.compile(r"Paging row \d{3}")
# Rows the filter under test must keep off every page.
FILTERED_OUT = "Filtered out"


def row_label(number: int) -> str:
    return f"Paging row {number:03d}"


class _PagerLinks(HTMLParser):
    """The href of each pager link (`a.page-link`) by its text."""

    def __init__(self):
        super().__init__()
        self.links: dict[str, str] = {}
        self._href = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "page-link" in (attrs.get("class") or "").split():
            self._href, self._text = attrs.get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links["".join(self._text).strip()] = self._href
            self._href = None


def pager_link(content: str, text: str) -> str | None:
    parser = _PagerLinks()
    parser.feed(content)
    return parser.links.get(text)


def rows_on(content: str) -> list[str]:
    return list(dict.fromkeys(ROW.findall(content)))


def get_page(client, url: str, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_pages_forward_and_back(client, url: str, **kwargs) -> dict:
    """Opens the list at `url`, follows "Next" and then "Previous" as a browser resolves them against the
    address they are on; returns the query of page 2's address."""
    first = get_page(client, url, **kwargs)
    first_rows = rows_on(first)
    assert first_rows, "page 1 shows no rows"
    assert pager_link(first, "Previous") is None

    next_href = pager_link(first, "Next")
    assert next_href, "page 1 has no Next link"
    second_url = urljoin(url, next_href)
    second = get_page(client, second_url)
    second_rows = rows_on(second)
    assert second_rows, f"{second_url} shows no rows"
    assert not set(second_rows) & set(first_rows), f"{second_url} repeats rows of page 1"

    previous_href = pager_link(second, "Previous")
    assert previous_href, "page 2 has no Previous link"
    back = get_page(client, urljoin(second_url, previous_href))
    assert rows_on(back) == first_rows
    assert FILTERED_OUT not in first + second + back
    return parse_qs(urlsplit(second_url).query)


# --- Cases --------------------------------------------------------------------------------------------------


def cases_create(organization, reporter, count: int, **fields) -> None:
    for number in range(1, count + 1):
        case_create(organization, reporter, title=row_label(number), **fields)


def test_the_case_list_of_a_customer_pages_forward_and_back(client_for, organization, standard_user):
    cases_create(organization, standard_user, 30)

    assert_pages_forward_and_back(client_for(standard_user), reverse("cases:case-list"))


def test_the_case_list_of_staff_pages_forward_and_back(client_for, organization, standard_user, dispatcher):
    cases_create(organization, standard_user, 30)

    assert_pages_forward_and_back(client_for(dispatcher), reverse("cases:case-list"))


@pytest.fixture
def high_and_normal_cases(organization, standard_user):
    """30 high-priority cases to page through, and newer normal ones that a lost filter would show first."""
    cases_create(organization, standard_user, 30, priority=Case.Priority.HIGH)
    for number in range(1, 31):
        case_create(organization, standard_user, title=f"{FILTERED_OUT} {number}")


def test_the_case_list_keeps_its_filters_from_page_to_page(client_for, standard_user, high_and_normal_cases):
    url = reverse("cases:case-list") + "?priority=high"

    query = assert_pages_forward_and_back(client_for(standard_user), url)

    assert query == {"priority": ["high"], "page": ["2"]}


def test_the_pager_of_the_htmx_results_keeps_the_filters(client_for, standard_user, high_and_normal_cases):
    """The filter form swaps #results in with htmx and pushes its URL: the pager links of that fragment
    must carry the filters it was asked for."""
    url = reverse("cases:case-list") + "?priority=high&q=&sort="

    query = assert_pages_forward_and_back(client_for(standard_user), url, headers={"hx-request": "true"})

    assert query["priority"] == ["high"]


def test_the_list_shown_after_a_refused_saved_search_pages_to_the_list_with_its_filters(
    client_for, standard_user, high_and_normal_cases
):
    """A search saved without a name shows the list again from the POST address; its pager must lead to the
    list itself with the filters, not to the POST-only address."""
    response = client_for(standard_user).post(
        reverse("cases:saved-search-create"), {"name": "", "query": "priority=high"}
    )
    assert response.status_code == 400

    next_href = pager_link(response.content.decode(), "Next")

    address = urlsplit(next_href)
    assert address.path == reverse("cases:case-list")
    assert parse_qs(address.query) == {"priority": ["high"], "page": ["2"]}


# --- Audit log and organizations ----------------------------------------------------------------------------


def audit_events_create(organization, count: int, label=row_label) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action=AuditEvent.Action.ORGANIZATION_CHANGED,
            organization=organization,
            target_type="accounts.organization",
            target_id=str(organization.pk),
            target_repr=label(number),
        )
        for number in range(1, count + 1)
    )


def test_the_audit_log_of_a_vendor_admin_pages_forward_and_back(client_for, organization, vendor_admin):
    audit_events_create(organization, 60)

    assert_pages_forward_and_back(client_for(vendor_admin), reverse("accounts:audit-list"))


def test_the_audit_log_keeps_the_organization_filter_from_page_to_page(
    client_for, organization, other_organization, vendor_admin
):
    audit_events_create(organization, 60)
    audit_events_create(other_organization, 60, label=lambda number: f"{FILTERED_OUT} {number}")
    url = reverse("accounts:audit-list") + f"?organization={organization.pk}"

    query = assert_pages_forward_and_back(client_for(vendor_admin), url)

    assert query == {"organization": [str(organization.pk)], "page": ["2"]}


def test_the_audit_log_of_an_organization_admin_pages_forward_and_back(client_for, organization, admin_user):
    audit_events_create(organization, 60)

    assert_pages_forward_and_back(client_for(admin_user), reverse("accounts:audit-list"))


def test_the_organization_list_pages_forward_and_back(client_for, vendor_admin):
    for number in range(1, 61):
        OrganizationFactory(name=f"{row_label(number)} d.o.o.")

    assert_pages_forward_and_back(client_for(vendor_admin), reverse("accounts:organization-list"))


# --- Notifications and the knowledge base -------------------------------------------------------------------


def test_the_notification_list_pages_forward_and_back(client_for, standard_user):
    Notification.objects.bulk_create(
        Notification(recipient=standard_user, verb="case.reply", title=row_label(number))
        for number in range(1, 31)
    )

    assert_pages_forward_and_back(client_for(standard_user), reverse("notification-list"))


def test_the_faq_list_pages_forward_and_back(client_for, standard_user):
    for number in range(1, 26):
        FaqEntryFactory(title_en=row_label(number))

    assert_pages_forward_and_back(client_for(standard_user), reverse("docs:faq-list"))


def test_the_document_list_pages_forward_and_back(client_for, standard_user):
    for number in range(1, 61):
        DocumentFactory(title_en=row_label(number))

    assert_pages_forward_and_back(client_for(standard_user), reverse("docs:document-list"))


def test_the_news_list_pages_forward_and_back(client_for, standard_user):
    for number in range(1, 26):
        NewsPostFactory(title_en=row_label(number))

    assert_pages_forward_and_back(client_for(standard_user), reverse("docs:news-list"))


def test_a_list_that_fits_on_one_page_has_no_pager(client_for, organization, admin_user):
    audit_events_create(organization, 3)

    content = get_page(client_for(admin_user), reverse("accounts:audit-list"))

    assert pager_link(content, "Next") is None
    assert pager_link(content, "Previous") is None

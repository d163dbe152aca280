"""Every list, search and detail page of the knowledge base runs the same number of queries whether it shows
one row or many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from docs import services
from docs.models import Document
from docs.tests.factories import (
    DocumentFactory,
    DocumentVersionFactory,
    FaqEntryFactory,
    NewsPostFactory,
    module_get,
    product_get,
)
from licensing.models import Licence
from licensing.tests.factories import licence_make

MAX_QUERIES = 16


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def _knowledge(n: int, organization, voter):
    """FAQ, documents (of two products; every other one restricted to the modules the organization
    licenses) and news."""
    modules = [module_get(code) for code in ("finance", "sales", "warehouse")]
    products = [product_get(), product_get("Jupiter POS", "jupiter-pos")]
    if not Licence.objects.filter(organization=organization).exists():
        licence_make(organization, modules=modules)
    for i in range(n):
        entry = FaqEntryFactory(title_en=f"Invoice question {i}", module=modules[i % 3])
        services.faq_vote(entry=entry, user=voter, helpful=bool(i % 2))
        document = DocumentFactory(
            title_en=f"Invoice manual {i}",
            module=modules[i % 3],
            kind=Document.Kind.values[i % 4],
            product=products[i // 2 % 2],
            is_restricted=bool(i % 2),
        )
        DocumentVersionFactory(document=document, label="1.0", body="Invoices explained.")
        DocumentVersionFactory(document=document, label="2.0", body="Invoices explained again.")
        NewsPostFactory(title_en=f"Invoice news {i}", is_restricted=bool(i % 2), organizations=[organization])


PAGES = [
    ("docs:knowledge-search", {}),
    ("docs:knowledge-search", {"q": "invoice"}),
    ("docs:suggestion-list", {"title": "invoice manual", "visit": "1"}),
    ("docs:faq-list", {}),
    ("docs:document-list", {}),
    ("docs:document-list", {"kind": "process"}),
    ("docs:news-list", {}),
]


@pytest.mark.parametrize(("url_name", "params"), PAGES, ids=lambda value: str(value))
@pytest.mark.parametrize("persona", ["standard_user", "consultant"])
def test_lists_and_search_run_a_constant_number_of_queries(
    url_name, params, persona, request, client_for, organization, admin_user
):
    client = client_for(request.getfixturevalue(persona))
    url = reverse(url_name)
    _knowledge(1, organization, admin_user)
    one = _queries(client, url, params)

    _knowledge(25, organization, admin_user)
    many = _queries(client, url, params)

    assert one == many
    assert many <= MAX_QUERIES


def test_the_report_runs_a_constant_number_of_queries(client_for, consultant, organization, admin_user):
    client = client_for(consultant)
    _knowledge(1, organization, admin_user)
    one = _queries(client, reverse("docs:knowledge-report"))
    _knowledge(15, organization, admin_user)
    assert _queries(client, reverse("docs:knowledge-report")) == one <= MAX_QUERIES


def test_a_document_page_runs_a_constant_number_of_queries_whatever_its_history(client_for, standard_user):
    document = DocumentFactory()
    DocumentVersionFactory(document=document, label="1")
    client = client_for(standard_user)
    one = _queries(client, document.get_absolute_url())
    for label in range(2, 30):
        DocumentVersionFactory(document=document, label=str(label))
    assert _queries(client, document.get_absolute_url()) == one <= MAX_QUERIES


def test_the_dashboard_news_panel_runs_a_constant_number_of_queries(client_for, standard_user, organization):
    client = client_for(standard_user)
    NewsPostFactory()
    one = _queries(client, reverse("dashboard"))
    for _ in range(10):
        NewsPostFactory(is_restricted=True, organizations=[organization])
    assert _queries(client, reverse("dashboard")) == one

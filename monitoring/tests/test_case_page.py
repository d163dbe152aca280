"""The incident on the page of the case it opened: staff and the customer's people who see the case alike;
the link to the status page only for those who see the organization's monitoring."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case
from monitoring.models import Installation, Status
from monitoring.tests.incident_setup import ingest
from tests.factories import case_create


@pytest.fixture
def case(organization):
    installation = Installation.objects.create(organization=organization, name="Produkcija")
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.CRITICAL, 5)
    ingest(installation, Status.CRITICAL, 10)
    return Case.objects.get()


@pytest.mark.parametrize(
    ("persona", "link"), [("sys_admin_user", True), ("consultant", True), ("admin_user", True)]
)
def test_the_case_page_shows_the_incident(case, persona, link, request, client_for):
    response = client_for(request.getfixturevalue(persona)).get(case.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="monitoring-incident"' in page
    assert "Component Baza podataka of the installation Produkcija" in page
    assert '<dd class="col-sm-7" id="incident-critical-results">3</dd>' in page
    assert ">Critical</span>" in page
    installation_url = reverse("monitoring:installation", args=[case.incident.component.installation_id])
    assert (installation_url in page) is link


def test_a_standard_user_who_sees_the_case_gets_no_status_page_link(
    case, organization, standard_user, client_for
):
    assert organization.standard_users_see_own_cases_only is False
    response = client_for(standard_user).get(case.get_absolute_url())

    page = response.content.decode()
    assert 'id="monitoring-incident"' in page
    assert reverse("monitoring:installation", args=[case.incident.component.installation_id]) not in page


def test_another_organization_gets_404(case, other_org_user, client_for):
    assert client_for(other_org_user).get(case.get_absolute_url()).status_code == 404


def test_an_ordinary_case_page_costs_no_query_more(organization, standard_user, client_for, case):
    ordinary = case_create(organization, standard_user)
    client = client_for(standard_user)

    with CaptureQueriesContext(connection) as ordinary_queries:
        assert client.get(ordinary.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as incident_queries:
        assert client.get(case.get_absolute_url()).status_code == 200
    assert not any("monitoring_incident" in query["sql"] for query in ordinary_queries.captured_queries)
    assert len(incident_queries.captured_queries) <= len(ordinary_queries.captured_queries) + 2


def test_the_resolution_is_in_the_timeline_with_the_time_the_component_recovered(
    case, sys_admin_user, client_for
):
    ingest(case.incident.component.installation, Status.OK, 20)

    page = client_for(sys_admin_user).get(case.get_absolute_url()).content.decode()

    assert "Baza podataka of Produkcija is OK again since" in page
    assert "Incident resolved" in page
    assert ">OK</span>" in page

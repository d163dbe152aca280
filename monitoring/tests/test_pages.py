"""The monitoring pages: the customer's status page, the staff overview, an installation with its agent
tokens, a check's history, the installation form and the dashboard panel."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helpdesk.idempotency import TOKEN_FIELD
from monitoring import selectors, services
from monitoring.models import (
    AgentToken,
    Check,
    Component,
    HourlyRollup,
    Incident,
    Installation,
    Result,
    Status,
)
from monitoring.tests.factories import installation_make, monitored, result
from tests.factories import case_create


@pytest.fixture
def installation(organization):
    installation = installation_make(organization)
    services.results_ingest(
        installation=installation,
        results=[
            result("Baza podataka", "disk free", Status.OK, value=41.5, unit="%"),
            result("Backup", "age", Status.CRITICAL, value=50, unit="h", kind="backup"),
            result("Disk D:", "free space", Status.WARNING, value=45, unit="GB", kind="disk"),
        ],
    )
    Check.objects.filter(name="disk free").update(
        warning_threshold=20, critical_threshold=10, higher_is_worse=False
    )
    return installation


def test_sys_admin_sees_components_worst_first_with_values_and_thresholds(
    client_for, sys_admin_user, installation
):
    response = client_for(sys_admin_user).get(reverse("monitoring:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('data-component="Backup"') < html.index('data-component="Disk D:"')
    assert html.index('data-component="Disk D:"') < html.index('data-component="Baza podataka"')
    assert "41.5 %" in html
    assert "warning ≤ 20 %" in html and "critical ≤ 10 %" in html
    assert 'hx-trigger="every 30s"' in html
    assert "HX-Request" in response["Vary"]


def test_htmx_refresh_gets_only_the_status_fragment(client_for, sys_admin_user, installation):
    client = client_for(sys_admin_user)
    response = client.get(reverse("monitoring:overview"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="monitoring-status"')
    assert "<html" not in html and "Produkcija" in html


def test_a_silent_check_shows_unknown_with_the_time_of_its_last_result(
    client_for, sys_admin_user, organization
):
    monitored(organization, components=1, checks=1, ago=timedelta(hours=2))
    html = client_for(sys_admin_user).get(reverse("monitoring:overview")).content.decode()
    assert "No result since" in html
    assert re.search(r'<td><span class="badge text-bg-secondary status-badge">Unknown</span></td>', html)


def test_an_open_incident_links_to_its_case(client_for, sys_admin_user, installation):
    component = Component.objects.get(installation=installation, name="Backup")
    case = case_create(installation.organization, sys_admin_user, title="Backup is critical")
    now = timezone.now()
    Incident.objects.update_or_create(
        component=component,
        resolved_at=None,
        defaults={"case": case, "started_at": now, "last_critical_at": now, "opened_at": now},
    )
    html = client_for(sys_admin_user).get(reverse("monitoring:overview")).content.decode()
    assert f'href="{case.get_absolute_url()}"' in html
    assert f"Incident: case {case.reference}" in html


def test_standard_and_financial_admins_get_404(client_for, standard_user, fin_admin_user, installation):
    for user in (standard_user, fin_admin_user):
        assert client_for(user).get(reverse("monitoring:overview")).status_code == 404
        assert client_for(user).get(installation.get_absolute_url()).status_code == 404


def test_another_organizations_installation_is_404(client_for, other_org_user, installation):
    assert client_for(other_org_user).get(installation.get_absolute_url()).status_code == 404
    check = Check.objects.filter(component__installation=installation).first()
    assert (
        client_for(other_org_user).get(reverse("monitoring:check-history", args=[check.pk])).status_code
        == 404
    )


# --- Staff -------------------------------------------------------------------------------------------------


def test_staff_see_every_customers_red_components_first(
    client_for, consultant, installation, other_organization
):
    monitored(other_organization, name="Northwind ERP", components=1, checks=1, status=Status.CRITICAL)
    response = client_for(consultant).get(reverse("monitoring:overview"))
    page = response.context["page"]
    assert [c.status for c in page][:2] == [Status.CRITICAL, Status.CRITICAL]
    assert [c.status for c in page][-1] == Status.OK
    assert "Northwind Trading Ltd." in response.content.decode()


def test_staff_filter_by_organization_and_status(client_for, consultant, installation, other_organization):
    monitored(other_organization, name="Northwind ERP", components=1, checks=1, status=Status.CRITICAL)
    client = client_for(consultant)
    url = reverse("monitoring:overview")
    page = client.get(url, {"organization": installation.organization_id}).context["page"]
    assert {c.installation_id for c in page} == {installation.pk}
    page = client.get(url, {"status": Status.CRITICAL}).context["page"]
    assert {c.name for c in page} == {"Backup", "Component 0"}


def test_staff_filter_with_a_bad_value_says_so_and_lists_everything(client_for, consultant, installation):
    response = client_for(consultant).get(reverse("monitoring:overview"), {"status": "9"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(response.context["page"]) == 3


# --- Agent tokens ------------------------------------------------------------------------------------------


def test_token_is_shown_once_on_the_answer_and_only_its_digest_is_kept(
    client_for, sys_admin_user, installation
):
    client = client_for(sys_admin_user)
    page = client.get(installation.get_absolute_url())
    submission = page.context["token_form"][TOKEN_FIELD].value()
    url = reverse("monitoring:token-create", args=[installation.pk])
    response = client.post(url, {"name": "Backup server", TOKEN_FIELD: submission})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = response.context["raw"]
    assert raw.startswith(AgentToken.PREFIX) and raw in response.content.decode()
    token = AgentToken.objects.get(installation=installation)
    assert token.digest == AgentToken.digest_of(raw) and raw not in (token.hint, token.name)
    # Sent again (a double click, a reload): no second token, and the token is not shown again.
    again = client.post(url, {"name": "Backup server", TOKEN_FIELD: submission}, follow=True)
    assert AgentToken.objects.filter(installation=installation).count() == 1
    assert raw not in again.content.decode()
    assert "already created and shown once" in again.content.decode()
    listing = client.get(installation.get_absolute_url()).content.decode()
    assert "Backup server" in listing and raw not in listing


def test_a_token_without_a_name_is_refused_on_the_installation_page(client_for, sys_admin_user, installation):
    response = client_for(sys_admin_user).post(
        reverse("monitoring:token-create", args=[installation.pk]), {"name": "   "}
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not AgentToken.objects.exists()


def test_revoking_a_token_refuses_it_from_then_on(client_for, sys_admin_user, installation):
    token, raw = services.token_create(installation=installation, name="Agent", by=sys_admin_user)
    response = client_for(sys_admin_user).post(
        reverse("monitoring:token-revoke", args=[token.pk]), follow=True
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "is revoked" in response.content.decode()
    assert services.token_authenticate(raw) is None


def test_consultants_see_the_installation_but_not_its_tokens(client_for, consultant, installation):
    response = client_for(consultant).get(installation.get_absolute_url())
    assert response.status_code == 200
    assert 'id="tokens"' not in response.content.decode()


# --- Installation form -------------------------------------------------------------------------------------


def test_sys_admin_adds_an_installation_of_their_organization(client_for, sys_admin_user, organization):
    client = client_for(sys_admin_user)
    form = client.get(reverse("monitoring:installation-create")).context["form"]
    assert list(form.fields["organization"].queryset) == [organization]
    data = {"organization": organization.pk, "name": "Test", "environment": "test"}
    response = client.post(reverse("monitoring:installation-create"), data)
    installation = Installation.objects.get(organization=organization, name="Test")
    assert response["Location"] == installation.get_absolute_url()


def test_a_duplicate_installation_name_is_refused_and_the_form_kept(client_for, sys_admin_user, installation):
    data = {"organization": installation.organization_id, "name": installation.name, "environment": "test"}
    response = client_for(sys_admin_user).post(reverse("monitoring:installation-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert f'value="{installation.name}"' in response.content.decode()


# --- History -----------------------------------------------------------------------------------------------


def _history(check, days, every=timedelta(minutes=5), value=50.0, status=Status.OK):
    now = timezone.now()
    count = int(timedelta(days=days) / every)
    Result.objects.bulk_create(
        Result(check_item=check, status=status, value=value + i % 7, measured_at=now - i * every - every)
        for i in range(count)
    )


def test_history_aggregates_24_hours_into_at_most_150_buckets(client_for, sys_admin_user, installation):
    check = Check.objects.get(name="disk free")
    _history(check, days=2)
    response = client_for(sys_admin_user).get(reverse("monitoring:check-history", args=[check.pk]))
    buckets = response.context["buckets"]
    assert 140 <= len(buckets) <= 145
    assert sum(bucket.count for bucket in buckets) in range(286, 291)
    html = response.content.decode()
    assert "<svg" in html and "chart-threshold-warning" in html and 'id="history-table"' in html


def test_history_of_30_days_uses_rollups_where_the_raw_results_are_gone(
    client_for, sys_admin_user, installation
):
    check = Check.objects.get(name="disk free")
    _history(check, days=10, every=timedelta(minutes=30))
    hour = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=20)
    HourlyRollup.objects.create(
        check_item=check, hour=hour, count=12, minimum=5, maximum=9, average=7, worst_status=Status.CRITICAL
    )
    response = client_for(sys_admin_user).get(
        reverse("monitoring:check-history", args=[check.pk]), {"range": "30d"}
    )
    buckets = response.context["buckets"]
    assert len(buckets) <= 181
    rolled = [bucket for bucket in buckets if bucket.worst == Status.CRITICAL]
    assert [(b.count, b.minimum, b.average, b.maximum) for b in rolled] == [(12, 5, 7, 9)]


def test_history_of_a_check_without_values_says_so(client_for, sys_admin_user, installation):
    check = Check.objects.get(name="age")
    Result.objects.filter(check_item=check).delete()
    response = client_for(sys_admin_user).get(
        reverse("monitoring:check-history", args=[check.pk]), {"range": "7d"}
    )
    assert response.context["chart"] is None
    assert "No values were measured in this period." in response.content.decode()


def test_unknown_range_falls_back_to_24_hours(client_for, sys_admin_user, installation):
    check = Check.objects.get(name="disk free")
    response = client_for(sys_admin_user).get(
        reverse("monitoring:check-history", args=[check.pk]), {"range": "1y"}
    )
    assert response.context["range"] == selectors.RANGES["24h"]


# --- Dashboard and navigation ------------------------------------------------------------------------------


def test_dashboard_counts_critical_components_for_sys_admin_and_staff(
    client_for, sys_admin_user, consultant, standard_user, installation
):
    assert "Monitoring: 1 component critical" in client_for(sys_admin_user).get("/").content.decode()
    assert "Monitoring: 1 component critical" in client_for(consultant).get("/").content.decode()
    html = client_for(standard_user).get("/").content.decode()
    assert "monitoring-panel" not in html and reverse("monitoring:overview") not in html

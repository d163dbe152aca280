"""The ingestion API: POST /api/monitoring/results/ with an agent token."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpdesk import throttle
from monitoring import services
from monitoring.models import (
    Check,
    Component,
    Installation,
    InstallationVersion,
    LatestResult,
    LicenceUsage,
    Result,
    Status,
)
from monitoring.tests.factories import installation_make
from tests.factories import module_get

URL = "/api/monitoring/results/"


@pytest.fixture
def installation(organization):
    return installation_make(organization)


@pytest.fixture
def raw_token(installation):
    _token, raw = services.token_create(installation=installation, name="agent", by=None)
    return raw


def post(raw, body, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Token {raw}"} if raw else {}
    headers.setdefault("HTTP_ACCEPT_LANGUAGE", "en")  # the messages asserted below are the English ones
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return Client().post(URL, data, content_type="application/json", **headers, **extra)


def item(check="disk free", *, minutes=0, **fields):
    at = timezone.now().replace(microsecond=0) - timedelta(minutes=minutes)
    return {
        "component": "Baza podataka",
        "check": check,
        "status": "OK",
        "value": 41.5,
        "unit": "%",
        "measured_at": at.isoformat(),
        **fields,
    }


def test_the_url_is_named():
    assert reverse("api:monitoring-results") == URL


def test_a_batch_is_stored_and_counted(raw_token, installation):
    response = post(raw_token, {"results": [item(), item("answer time", status="warning", value=120)]})
    assert response.status_code == 201
    assert response.json() == {"accepted": 2, "duplicates": 0}
    assert Result.objects.filter(check_item__component__installation=installation).count() == 2
    installation.refresh_from_db()
    assert installation.status == Status.WARNING


def test_unknown_components_and_checks_are_created_with_the_items_kind_and_interval(raw_token, installation):
    post(raw_token, {"results": [item("backup age", component="Backup", kind="backup", interval=3600)]})
    component = Component.objects.get(installation=installation, name="Backup")
    assert component.kind == Component.Kind.BACKUP
    assert Check.objects.get(component=component).interval == 3600


def test_a_resent_batch_is_counted_as_duplicates(raw_token):
    body = {"results": [item(minutes=minute) for minute in range(3)]}
    assert post(raw_token, body).json() == {"accepted": 3, "duplicates": 0}
    assert post(raw_token, body).json() == {"accepted": 0, "duplicates": 3}
    assert Result.objects.count() == 3


def test_latest_result_only_moves_forward(raw_token):
    post(raw_token, {"results": [item(status="CRITICAL", minutes=1)]})
    post(raw_token, {"results": [item(status="OK", minutes=10)]})  # an old one, late
    latest = LatestResult.objects.get()
    assert latest.status == Status.CRITICAL
    assert Result.objects.count() == 2


def test_an_invalid_item_refuses_the_whole_batch_with_errors_by_index(raw_token):
    naive = timezone.now().replace(tzinfo=None).isoformat()
    body = {
        "results": [
            item(),
            item(status="fine"),
            item(measured_at=naive),
            item(value=float("nan")) | {"value": "12"},
            item(component="x" * 101, unit="u" * 21, message="m" * 501),
            item(measured_at=(timezone.now() + timedelta(days=2)).isoformat()),
            "not an object",
        ]
    }
    response = post(raw_token, body)
    assert response.status_code == 400
    errors = response.json()["errors"]["results"]
    assert set(errors) == {"1", "2", "3", "4", "5", "6"}
    assert set(errors["1"]) == {"status"}
    assert set(errors["2"]) == {"measured_at"}
    assert set(errors["3"]) == {"value"}
    assert set(errors["4"]) == {"component", "unit", "message"}
    assert "future" in errors["5"]["measured_at"][0]
    assert not Result.objects.exists()
    assert not Component.objects.exists()


def test_an_unknown_module_refuses_the_batch(raw_token):
    module_get("finance")
    body = {"results": [item()], "licence_usage": [{"module": "nope", "named_users": 3}]}
    response = post(raw_token, body)
    assert response.status_code == 400
    assert response.json() == {
        "errors": {"licence_usage": {"0": {"module": ["There is no product module with this code."]}}}
    }
    assert not Result.objects.exists()


def test_a_bad_version_or_a_negative_count_is_reported_by_index(raw_token):
    body = {
        "results": [item()],
        "versions": [{"product": "jupiter-erp", "version": "2026.10"}, {"product": "jupiter-erp"}],
        "licence_usage": [{"module": "finance", "named_users": -1}],
    }
    errors = post(raw_token, body).json()["errors"]
    assert set(errors) == {"versions", "licence_usage"}
    assert set(errors["versions"]) == {"1"}
    assert set(errors["licence_usage"]["0"]) == {"named_users"}


def test_versions_and_licence_usage_are_stored(raw_token, installation):
    module = module_get("finance")
    body = {
        "results": [item()],
        "versions": [{"product": module.product.code, "version": "2026.10"}],
        "licence_usage": [{"module": "finance", "named_users": 42}],
    }
    assert post(raw_token, body).status_code == 201
    assert InstallationVersion.objects.get(installation=installation).version == "2026.10"
    assert LicenceUsage.objects.get(installation=installation).named_users == 42


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"results": []},
        {"results": "x"},
        [item()],
        "{not json",
        '{"results": [{"value": NaN}]}',
    ],
    ids=["no results", "empty", "not a list", "a list", "not json", "nan"],
)
def test_malformed_payloads_get_400(raw_token, body):
    response = post(raw_token, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "header",
    [None, "Token", "Token jmt_wrong", "Bearer x", "Token a b"],
    ids=["missing", "no token", "wrong", "other scheme", "two words"],
)
def test_no_valid_token_gets_401(raw_token, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = Client().post(URL, json.dumps({"results": [item()]}), content_type="application/json", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not Result.objects.exists()


def test_a_token_in_the_query_string_or_a_session_is_not_accepted(raw_token, admin_user, client_for):
    client = client_for(admin_user)
    response = client.post(
        f"{URL}?token={raw_token}", json.dumps({"results": [item()]}), content_type="application/json"
    )
    assert response.status_code == 401


def test_a_revoked_token_is_refused_at_once(installation):
    token, raw = services.token_create(installation=installation, name="agent", by=None)
    assert post(raw, {"results": [item(minutes=1)]}).status_code == 201
    services.token_revoke(token=token, by=None)
    assert post(raw, {"results": [item()]}).status_code == 401


def test_a_token_writes_only_to_its_own_installation(raw_token, installation, other_organization):
    other = installation_make(other_organization, name="Other")
    _token, other_raw = services.token_create(installation=other, name="agent", by=None)
    post(other_raw, {"results": [item()]})
    assert Component.objects.get().installation == other
    assert not Component.objects.filter(installation=installation).exists()


def test_more_than_1000_results_get_413(raw_token):
    response = post(raw_token, {"results": [item(minutes=minute) for minute in range(1001)]})
    assert response.status_code == 413
    assert not Result.objects.exists()


def test_a_body_over_the_limit_gets_413_before_it_is_read(raw_token):
    response = post(raw_token, '{"results": []}', CONTENT_LENGTH=str(3 * 1024 * 1024))
    assert response.status_code == 413


def test_an_installation_sending_too_often_gets_429_with_retry_after(raw_token, monkeypatch):
    monkeypatch.setitem(throttle.RATES, "monitoring-ingest", "2/m")
    assert post(raw_token, {"results": [item(minutes=1)]}).status_code == 201
    assert post(raw_token, {"results": [item(minutes=2)]}).status_code == 201
    response = post(raw_token, {"results": [item()]})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


def test_the_throttle_counts_per_installation(raw_token, other_organization, monkeypatch):
    monkeypatch.setitem(throttle.RATES, "monitoring-ingest", "1/m")
    other = installation_make(other_organization, name="Other")
    _token, other_raw = services.token_create(installation=other, name="agent", by=None)
    assert post(raw_token, {"results": [item()]}).status_code == 201
    assert post(other_raw, {"results": [item()]}).status_code == 201
    assert post(raw_token, {"results": [item(minutes=1)]}).status_code == 429


def test_get_is_not_allowed_with_a_token(raw_token):
    response = Client().get(URL, HTTP_AUTHORIZATION=f"Token {raw_token}")
    assert response.status_code == 405


def test_query_count_is_the_same_for_10_and_500_results(raw_token, django_assert_max_num_queries):
    def batch(count, hour):
        start = timezone.now().replace(microsecond=0) - timedelta(hours=hour)
        return {
            "results": [
                item(f"check {index % 20}", component=f"C{index % 4}")
                | {"measured_at": (start + timedelta(seconds=index)).isoformat()}
                for index in range(count)
            ]
        }

    post(raw_token, batch(500, 3))  # creates the components and checks
    with django_assert_max_num_queries(12) as small:
        assert post(raw_token, batch(10, 2)).status_code == 201
    with django_assert_max_num_queries(12) as large:
        assert post(raw_token, batch(500, 1)).status_code == 201
    assert len(small.captured_queries) == len(large.captured_queries)


def test_create_monitoring_token_prints_the_token_last(installation):
    out = StringIO()
    call_command(
        "create_monitoring_token", str(installation.pk), "--name", "srv-01", stdout=out, stderr=StringIO()
    )
    raw = out.getvalue().strip().splitlines()[-1]
    assert services.token_authenticate(raw).installation == installation
    assert installation.tokens.get().name == "srv-01"


def test_create_monitoring_token_for_a_missing_installation_fails(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_monitoring_token", "999999", stdout=StringIO(), stderr=StringIO())


def test_test_installation_version_does_not_touch_installed_version(organization):
    installation = Installation.objects.create(
        organization=organization, name="Test", environment=Installation.Environment.TEST
    )
    _token, raw = services.token_create(installation=installation, name="agent", by=None)
    module = module_get("finance")
    body = {"results": [item()], "versions": [{"product": module.product.code, "version": "2027.1"}]}
    assert post(raw, body).status_code == 201
    assert not organization.installed_versions.exists()

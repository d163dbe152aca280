"""The audit trail: refused requests are recorded (bounded, so nobody can flood it), and the database itself
refuses to change or delete a recorded event."""

import time
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.db import ProgrammingError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from helpdesk.models import AuditEvent
from helpdesk.permissions import NotVisible
from helpdesk.services import access_denied_record, audit_record, audit_trail_unlocked
from tests.factories import case_create

DENIED = AuditEvent.Action.ACCESS_DENIED


def denials():
    return list(AuditEvent.objects.filter(action=DENIED).order_by("pk"))


def test_a_403_is_audited_with_the_permission_asked_for(standard_user, organization, client_for):
    url = reverse("accounts:audit-list")
    assert client_for(standard_user).get(url).status_code == 403

    [event] = denials()
    assert event.actor == standard_user
    assert event.organization is None
    assert event.member_of == [organization.pk]  # shows in the log of the user's own organization
    assert event.target_repr == url
    assert event.ip_address == "127.0.0.1"
    assert event.details == {
        "status": 403,
        "method": "GET",
        "path": url,
        "permission": "helpdesk.view_auditevent",
    }


def test_another_organizations_case_is_a_404_audited_without_saying_whose(
    standard_user, other_org_user, other_organization, client_for
):
    case = case_create(standard_user.memberships.get().organization, standard_user, title="Secret payroll")
    url = reverse("cases:case-detail", args=[case.reference])
    assert client_for(other_org_user).get(url).status_code == 404

    [event] = denials()
    assert event.actor == other_org_user
    assert event.member_of == [other_organization.pk]
    assert event.details == {
        "status": 404,
        "method": "GET",
        "path": url,
        "object_type": "cases.case",
        "lookup": {"reference": case.reference},
    }
    assert "Secret" not in str(event.details) and "Secret" not in event.target_repr


def test_a_missing_object_is_a_404_but_no_denial(other_org_user, client_for):
    response = client_for(other_org_user).get(reverse("cases:case-detail", args=["2099-999999"]))
    assert response.status_code == 404
    assert denials() == []


def test_an_allowed_request_writes_nothing(standard_user, client_for):
    case = case_create(standard_user.memberships.get().organization, standard_user)
    assert (
        client_for(standard_user).get(reverse("cases:case-detail", args=[case.reference])).status_code == 200
    )
    assert denials() == []


def test_a_repeated_denial_is_recorded_once_a_minute(standard_user, client_for):
    client = client_for(standard_user)
    for _ in range(5):
        assert client.get(reverse("accounts:audit-list")).status_code == 403
    assert len(denials()) == 1


def test_denials_of_many_paths_are_capped_per_person(standard_user, other_org_user, client_for, monkeypatch):
    """Someone walking through other organizations' case numbers is seen, but cannot fill the table."""
    organization = standard_user.memberships.get().organization
    cases = [case_create(organization, standard_user) for _ in range(25)]
    client = client_for(other_org_user)
    # All requests within one window of the limit, however slow the machine.
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))
    for case in cases:
        assert client.get(reverse("cases:case-detail", args=[case.reference])).status_code == 404
    assert len(denials()) == 20  # throttle.RATES["access-denied-audit"]


def test_a_denial_past_the_limit_costs_no_query(standard_user, django_assert_num_queries):
    request = RequestFactory().get("/cases/")
    request.user = standard_user
    from django.core.exceptions import PermissionDenied

    assert access_denied_record(request=request, exception=PermissionDenied("cases.view_org_cases"))
    with django_assert_num_queries(0):
        assert (
            access_denied_record(request=request, exception=PermissionDenied("cases.view_org_cases")) is None
        )


def test_other_exceptions_are_no_denials(standard_user):
    request = RequestFactory().get("/cases/")
    request.user = standard_user
    assert access_denied_record(request=request, exception=ValueError("no")) is None
    assert access_denied_record(request=request, exception=NotVisible(AuditEvent, pk=0)) is None
    assert denials() == []


# --- Append-only in the database ----------------------------------------------------------------------------


@pytest.fixture
def event(standard_user):
    return audit_record(action=AuditEvent.Action.SIGN_IN, actor=standard_user, ip_address="10.0.0.1")


def refused(sql_or_call):
    """Whether the database refuses the change; the test's transaction goes on."""
    try:
        with transaction.atomic():
            sql_or_call()
    except ProgrammingError as error:
        assert "append-only" in str(error)
        return True
    return False


def test_the_database_refuses_to_update_an_audit_event(event):
    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(ip_address="10.6.6.6"))
    event.target_repr = "rewritten"
    assert refused(event.save)

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE helpdesk_auditevent SET created_at = now() - interval '1 year'")

    assert refused(raw_update)
    event.refresh_from_db()
    assert event.ip_address == "10.0.0.1" and event.target_repr == ""


def test_the_database_refuses_to_delete_an_audit_event(event):
    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    assert refused(event.delete)

    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM helpdesk_auditevent")

    assert refused(raw_delete)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_invented_data_may_be_backdated_inside_its_transaction_only(event):
    with audit_trail_unlocked():
        AuditEvent.objects.filter(pk=event.pk).update(target_repr="demo")
    event.refresh_from_db()
    assert event.target_repr == "demo"
    # The trigger is on again for the rest of the transaction.
    assert refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(target_repr="again"))

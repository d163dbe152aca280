"""The audit log page: it names the role granted or removed, and filters by person, action and dates."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Membership
from accounts.roles import Role
from helpdesk.models import AuditEvent
from tests.factories import member_create


def events_of(response) -> list[AuditEvent]:
    return list(response.context["page"])


def role_changes(organization, admin_user, standard_user):
    membership = Membership.objects.get(user=standard_user, organization=organization)
    services.role_grant(membership=membership, role=Role.FIN_ADMIN, by=admin_user)
    services.role_remove(membership=membership, role=Role.FIN_ADMIN, by=admin_user)


def test_the_log_names_the_role_granted_and_removed(client_for, organization, admin_user, standard_user):
    role_changes(organization, admin_user, standard_user)

    content = client_for(admin_user).get(reverse("accounts:audit-list")).content.decode()

    assert "Role granted: <strong>Financial administrator</strong>" in content
    assert "Role removed: <strong>Financial administrator</strong>" in content


def test_the_log_filters_by_person_who_acted_or_was_acted_on(
    client_for, organization, admin_user, standard_user
):
    role_changes(organization, admin_user, standard_user)
    someone = member_create(organization, [Role.SYS_ADMIN], full_name="Petra Perić")
    client = client_for(admin_user)

    by_target = events_of(client.get(reverse("accounts:audit-list"), {"person": "sara"}))
    by_actor = events_of(client.get(reverse("accounts:audit-list"), {"person": "admin@jadran.test"}))

    assert {event.target_repr for event in by_target} == {"Sara Standard"}
    assert {AuditEvent.Action.ROLE_GRANTED, AuditEvent.Action.ROLE_REMOVED} <= {e.action for e in by_target}
    assert by_actor and all(event.actor == admin_user for event in by_actor)
    assert someone.full_name not in {event.target_repr for event in by_actor}


def test_the_log_filters_by_action_and_dates(client_for, organization, admin_user, standard_user):
    role_changes(organization, admin_user, standard_user)
    client = client_for(admin_user)
    today = timezone.localdate()

    def actions(**params):
        return {event.action for event in events_of(client.get(reverse("accounts:audit-list"), params))}

    assert actions(action="role_removed") == {AuditEvent.Action.ROLE_REMOVED}
    assert AuditEvent.Action.ROLE_GRANTED in actions(date_from=today.isoformat(), date_to=today.isoformat())
    assert actions(date_from=(today + timedelta(days=1)).isoformat()) == set()
    assert actions(date_to=(today - timedelta(days=1)).isoformat()) == set()


def test_a_reversed_date_range_is_refused_and_keeps_the_input(client_for, admin_user):
    response = client_for(admin_user).get(
        reverse("accounts:audit-list"), {"person": "ante", "date_from": "2026-03-02", "date_to": "2026-03-01"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "The end date is before the start date." in content
    assert 'value="ante"' in content and 'value="2026-03-02"' in content
    assert events_of(response) == []


def test_an_organization_admin_gets_no_organization_menu_and_a_vendor_admin_does(
    client_for, admin_user, vendor_admin
):
    admin_page = client_for(admin_user).get(reverse("accounts:audit-list")).content.decode()
    vendor_page = client_for(vendor_admin).get(reverse("accounts:audit-list")).content.decode()

    assert 'name="organization"' not in admin_page and 'name="action"' in admin_page
    assert 'name="organization"' in vendor_page and 'name="person"' in vendor_page


def test_the_filtered_log_query_count_does_not_grow_with_events(
    client_for, organization, admin_user, standard_user, django_assert_max_num_queries
):
    client = client_for(admin_user)
    params = {"person": "sara", "action": "role_granted", "date_from": "2020-01-01"}
    role_changes(organization, admin_user, standard_user)

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:audit-list"), params)
    membership = Membership.objects.get(user=standard_user, organization=organization)
    for _round in range(20):
        services.role_grant(membership=membership, role=Role.SYS_ADMIN, by=admin_user)
        services.role_remove(membership=membership, role=Role.SYS_ADMIN, by=admin_user)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("accounts:audit-list"), params)
    assert len(events_of(response)) == 21

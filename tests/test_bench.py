"""The benchmark's generator (bench/), run at a tiny size in the test database: the data it makes is
what the portal's services would have made."""

import pytest
from django.db import connection
from django.db.models import Count, Max, Q

from accounts.models import Membership, OrganizationUserPermission, User
from accounts.roles import Role, permissions_for_roles
from bench.generate import generate, measurements_undo
from bench.measure import percentile
from cases import services
from cases.models import Case, CaseEvent, CaseNumber, CaseWatcher, Category
from helpdesk.fulltext import fulltext_query


@pytest.fixture
def facts(db):
    return generate(
        cases=60, events_per_case=4, organizations=4, customers=12, vacuum=False, out=lambda message: None
    )


def test_generator_makes_the_cases_and_events_asked_for(facts):
    assert Case.objects.count() == 60
    detail = Case.objects.get(reference=facts.detail_reference)
    assert detail.events.count() == 50
    assert CaseEvent.objects.count() == facts.events == 59 * 4 + 50
    assert Case.objects.annotate(n=Count("events")).exclude(pk=detail.pk).filter(~Q(n=4)).count() == 0


def test_references_are_unique_and_counted_per_year(facts):
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references)
    for number in CaseNumber.objects.all():
        in_year = sorted(r for r in references if r.startswith(f"JS-{number.year}-"))
        assert in_year[-1] == f"JS-{number.year}-{number.last_number:06d}"
        assert len(in_year) == number.last_number


def test_cases_follow_the_workflow_rules(facts):
    assert not Case.objects.filter(status=Case.Status.NEW, assignee__isnull=False).exists()
    assert not Case.objects.exclude(status=Case.Status.NEW).filter(assignee__isnull=True).exists()
    last_events = Case.objects.annotate(last=Max("events__created_at"))
    assert all(case.last == case.last_activity_at for case in last_events)
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.NOTE, is_internal=False).exists()
    assert CaseWatcher.objects.filter(kind=CaseWatcher.Kind.WATCHER).count() == 60


def test_search_vectors_are_filled_and_searchable(facts):
    assert not Case.objects.filter(search_vector__isnull=True).exists()
    assert Case.objects.filter(search_vector=fulltext_query("rac")).exists()


def test_indexes_and_foreign_keys_are_made_again(facts):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'cases_case'")
        indexes = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT count(*) FROM pg_constraint "
            "WHERE conrelid = 'cases_caseevent'::regclass AND contype = 'f'"
        )
        event_foreign_keys = cursor.fetchone()[0]
    assert {"case_search_idx", "case_org_activity_idx"} <= indexes
    assert event_foreign_keys == 2


def test_members_hold_exactly_their_roles_permissions(facts):
    persona = Membership.objects.get(user__email=facts.customer)
    assert persona.roles == [Role.STANDARD]
    for membership in Membership.objects.all():
        held = {
            f"{app_label}.{codename}"
            for app_label, codename in OrganizationUserPermission.objects.filter(
                user=membership.user_id, content_object=membership.organization_id
            ).values_list("permission__content_type__app_label", "permission__codename")
        }
        assert held == permissions_for_roles(membership.roles)


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.5) == 50
    assert percentile([7.0], 0.95) == 7.0


def test_cases_created_while_measuring_are_undone(facts):
    numbers = dict(CaseNumber.objects.values_list("year", "last_number"))
    services.case_create(
        organization=Membership.objects.get(user__email=facts.customer).organization,
        reporter=User.objects.get(email=facts.customer),
        category=Category.objects.get(code="problem"),
        title="Created by the benchmark",
        description="A case of the create page's measurement.",
    )
    assert Case.objects.count() == 61
    measurements_undo(last_case_id=facts.last_case_id, numbers=facts.numbers)
    assert Case.objects.count() == 60
    assert dict(CaseNumber.objects.values_list("year", "last_number")) == numbers

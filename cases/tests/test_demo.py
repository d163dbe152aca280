"""The demo part of cases (run by seed_demo): a year of demo cases, made once, through the services, and
each demo user sees the part of it that is theirs."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone

from accounts.models import Organization, User
from cases import demo as cases_demo
from cases import demo_texts, notifications, selectors
from cases.models import Case, CaseEvent, CaseNumber, ConsultantStatus
from helpdesk import demo as demo_registry
from helpdesk.models import Notification

CASES = 12


def seed_demo() -> str:
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """A smaller demo than `make run`'s, made once for the module (with its commit callbacks, the
    notifications, run) and rolled back after it; each test runs in a savepoint inside."""
    media = tmp_path_factory.mktemp("media")
    with pytest.MonkeyPatch.context() as patch, override_settings(MEDIA_ROOT=media):
        patch.setattr(cases_demo, "DEMO_CASES", CASES)
        # Billing's part opens a case of its own (a disputed statement's), monitoring's one for an incident:
        # these tests count the cases part's.
        parts = [part for part in demo_registry.PARTS if part.name not in ("billing", "monitoring")]
        patch.setattr(demo_registry, "PARTS", parts)
        with django_db_blocker.unblock(), transaction.atomic():
            started = timezone.now()
            with TestCase.captureOnCommitCallbacks(execute=True):
                seed_demo()
            yield started
            transaction.set_rollback(True)


def demo_org(slug_name: str) -> Organization:
    return Organization.objects.get(name__startswith=slug_name)


def test_seed_demo_twice_creates_the_demo_cases_once(demo, db):
    references = set(Case.objects.values_list("reference", flat=True))
    output = seed_demo()

    assert set(Case.objects.values_list("reference", flat=True)) == references
    assert len(references) == CASES
    assert f"cases: {CASES} cases, {CaseEvent.objects.count():,} events, " in output
    assert Case.objects.filter(status=Case.Status.CLOSED).exists()
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.NOTE, is_internal=True).exists()
    # New cases of the demo find a consultant.
    available = ConsultantStatus.objects.filter(is_available=True).values_list("user__email", flat=True)
    assert sorted(available) == ["konzultant1@jupiter-software.hr", "konzultant2@jupiter-software.hr"]


def test_demo_cases_have_past_dates_in_their_workflow_order(demo, db):
    now = timezone.now()

    for case in Case.objects.all():
        local_year = timezone.localtime(case.created_at).year
        assert case.reference.startswith(f"JS-{local_year}-")
        assert now - timedelta(days=366) < case.created_at <= case.last_activity_at < now
        if case.first_response_at:
            assert case.created_at <= case.first_response_at <= case.last_activity_at
        assert (case.resolved_at is not None) == (case.status in (Case.Status.RESOLVED, Case.Status.CLOSED))
        assert (case.closed_at is not None) == (case.status == Case.Status.CLOSED)
        if case.closed_at:
            assert case.resolved_at <= case.closed_at <= case.last_activity_at
        event_times = list(case.events.values_list("created_at", flat=True))
        assert min(event_times) == case.created_at and max(event_times) == case.last_activity_at
    # Each year's numbers run from 1 without gaps.
    for year, last_number in CaseNumber.objects.values_list("year", "last_number"):
        assert Case.objects.filter(reference__startswith=f"JS-{year}-").count() == last_number


def test_demo_users_see_their_organizations_cases(demo, db):
    jadran, slavonija, northwind = demo_org("Jadran"), demo_org("Slavonija"), demo_org("Northwind")

    def visible(email):
        return set(selectors.cases_visible_to(User.objects.get(email=email)).values_list("pk", flat=True))

    def cases_of(*organizations):
        return set(Case.objects.filter(organization__in=organizations).values_list("pk", flat=True))

    assert all(cases_of(organization) for organization in (jadran, slavonija, northwind))
    assert visible("korisnik@jadran.demo") == cases_of(jadran)
    assert visible("korisnik@northwind.demo") == cases_of(northwind)
    assert visible("dvije.tvrtke@demo.hr") == cases_of(jadran, slavonija)
    assert visible("konzultant3@jupiter-software.hr") == cases_of(jadran, slavonija, northwind)


def test_northwind_cases_are_written_in_english(demo, db):

    def pattern(template: str) -> re.Pattern:
        return re.compile(re.sub(r"\\\{\w+\\\}", ".+", re.escape(template)))

    english = [pattern(scenario.title.en) for scenario in demo_texts.SCENARIOS]
    croatian = [pattern(scenario.title.hr) for scenario in demo_texts.SCENARIOS]
    for case in Case.objects.select_related("organization"):
        titles = english if case.organization.language == "en" else croatian
        assert any(title.fullmatch(case.title) for title in titles), case.title


def test_backdated_history_is_not_announced(demo, db):
    """Only the last two days of the demo history make notifications; a year of old news would flood
    every demo user's bell and console."""
    cutoff = timezone.now() - notifications.ANNOUNCE_WITHIN
    old_events = CaseEvent.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)
    old_keys = [f"case-event:{pk}" for pk in old_events]

    assert old_keys
    assert not Notification.objects.filter(event_key__in=old_keys).exists()

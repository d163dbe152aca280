"""The demo part of billing (seed_demo): contracts for every demo organization, a year of consultant time on
the demo cases, the months' statements generated with real lines and PDFs and approved, Jadran's last month
awaiting approval, one disputed statement with its revision; loading twice adds nothing."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import Organization
from accounts.services import staff_groups_sync
from billing import demo as billing_demo
from billing.models import Statement, SupportContract, TimeEntry
from billing.money import month_start
from billing.oib import is_valid_oib
from cases import demo as cases_demo
from cases.models import Case
from helpdesk.models import AuditEvent, Notification
from tests.factories import category_get, module_get

# A shorter history than `make run`'s (12 months of 300 cases), enough for the awaiting month and the
# disputed one: fewer PDFs to render.
MONTHS = 4
CASES = 120


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The accounts, cases and billing demo parts, made once for the module with their commit callbacks
    (the tasks they enqueue) run, and rolled back after it; each test runs in a savepoint inside."""
    media = tmp_path_factory.mktemp("media")
    with pytest.MonkeyPatch.context() as patch, override_settings(MEDIA_ROOT=media):
        patch.setattr(cases_demo, "DEMO_CASES", CASES)
        patch.setattr(billing_demo, "MONTHS", MONTHS)
        with django_db_blocker.unblock(), transaction.atomic():
            # The migrations' rows, gone if an earlier transactional test flushed the database.
            staff_groups_sync()
            for code in ("problem", "question", "suggestion", "change-request", "other"):
                category_get(code)
            for code in ("finance", "sales", "warehouse", "hr-payroll", "reporting", "purchasing"):
                module_get(code)
            with TestCase.captureOnCommitCallbacks(execute=True):
                accounts_demo.seed()
                cases_demo.seed()
                summary = billing_demo.seed()
            yield summary
            transaction.set_rollback(True)


def months_before(month, count: int) -> list:
    """The first days of the `count` months before `month`."""
    months = []
    for _number in range(count):
        month = month_start(month - timedelta(days=1))
        months.append(month)
    return months


def organizations() -> dict[str, Organization]:
    return {
        slug: Organization.objects.get(oib=oib) for _n, oib, _a, _l, slug, _s in accounts_demo.ORGANIZATIONS
    }


def test_seeding_twice_adds_nothing(demo, db):
    counts = (SupportContract.objects.count(), TimeEntry.objects.count(), Statement.objects.count())
    audit = AuditEvent.objects.count()

    summary = billing_demo.seed()

    assert (SupportContract.objects.count(), TimeEntry.objects.count(), Statement.objects.count()) == counts
    assert AuditEvent.objects.count() == audit
    assert "(0 new)" in summary and "0 new," in summary
    assert demo.startswith("4 contracts (4 new)")


def test_every_demo_organization_has_a_contract_and_jadran_a_history(demo, db):
    orgs = organizations()
    for organization in orgs.values():
        assert is_valid_oib(organization.oib)
        assert SupportContract.objects.filter(organization=organization).exists()
    first, second = SupportContract.objects.filter(organization=orgs["jadran"]).order_by("valid_from")
    assert first.valid_until == second.valid_from - timedelta(days=1)
    assert second.valid_until is None and second.included_hours > first.included_hours


def test_a_year_of_time_in_the_organizations_language(demo, db):
    today = timezone.localdate()
    entries = TimeEntry.objects.all()
    assert entries.filter(case__isnull=False).count() > 20
    assert entries.filter(case__isnull=True).exists()  # trainings, on-site days
    assert entries.filter(is_billable=False).exists()
    assert not entries.filter(date__gt=today).exists()
    assert not entries.filter(created_at__gt=timezone.now()).exists()
    for entry in entries.exclude(case=None).select_related("case"):
        assert entry.organization_id == entry.case.organization_id
        assert entry.date >= timezone.localtime(entry.case.created_at).date()
    orgs = organizations()
    northwind = entries.filter(organization=orgs["northwind"])
    assert northwind.exists() and not northwind.filter(description__regex="[čćžšđČĆŽŠĐ]").exists()
    assert entries.filter(organization=orgs["jadran"], description__regex="[čćžšđ]").exists()


def test_past_months_approved_and_jadrans_last_month_awaiting(demo, db):
    orgs = organizations()
    this_month = month_start(timezone.localdate())
    last_month = months_before(this_month, 1)[0]
    live = Statement.objects.live()
    assert live.count() == 3 * MONTHS
    assert not Statement.objects.filter(pdf_sha256="").exists()
    awaiting = live.get(state=Statement.State.AWAITING)
    assert (awaiting.organization, awaiting.period) == (orgs["jadran"], last_month)
    jadran_approvers = Notification.objects.filter(verb="statement.ready", url=awaiting.get_absolute_url())
    assert jadran_approvers.filter(recipient__email="financije@jadran.demo").exists()
    for statement in live.exclude(pk=awaiting.pk):
        assert statement.state == Statement.State.APPROVED
        assert statement.approved_by.email.startswith("financije@")
        assert statement.approved_pdf_sha256 == statement.pdf_sha256
        assert statement.generated_at < statement.approved_at <= timezone.now()
        assert statement.lines.filter(kind="monthly_fee").exists()
    assert set(live.values_list("period", flat=True)) == set(months_before(this_month, MONTHS))


def test_one_disputed_statement_with_its_approved_revision(demo, db):
    disputed = Statement.objects.get(state=Statement.State.SUPERSEDED)
    assert disputed.organization == organizations()["slavonija"]
    assert disputed.dispute_comment and disputed.disputed_by.email == "financije@slavonija.demo"
    case = disputed.dispute_case
    assert case.category.code == "billing" and case.status == Case.Status.CLOSED
    revision = Statement.objects.get(organization=disputed.organization, period=disputed.period, revision=2)
    assert revision.state == Statement.State.APPROVED and revision.total <= disputed.total
    # The time the customer disputed is no longer billed, and stays with the disputed revision's case.
    not_billed = TimeEntry.objects.filter(is_billable=False, organization=disputed.organization)
    assert not_billed.filter(internal_note__contains="ne naplaćuje").exists()
    assert disputed.disputed_at < revision.generated_at < revision.approved_at

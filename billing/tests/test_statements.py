"""Monthly statements: generation (lines, links, totals, once per month), the monthly fan-out, the approvers'
notification, approval (final, recorded, exactly once), dispute (a billing case) and new revisions."""

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from billing import selectors, services, tasks
from billing.models import GenerationRun, OtherCharge, Statement, SupportContract, TimeEntry
from billing.money import previous_month
from billing.tests.factories import contract_make, entry_make, last_month, statement_make
from cases.models import Case
from helpdesk.models import AuditEvent, Notification
from tests.concurrency import run_in_threads
from tests.factories import case_create

PERIOD = date(2026, 3, 1)


@pytest.fixture
def month_of_work(organization, consultant, standard_user):
    """March 2026: a contract of 500 EUR with 10 included hours at 60 EUR above them; 12 billable hours on
    two cases and general work, one non-billable hour, and an item."""
    contract_make(organization, monthly_fee="500.00", included_hours="10", hourly_rate="60.00")
    first = case_create(organization, standard_user, title="Payroll export")
    second = case_create(organization, standard_user, title="Stock report")
    rows = [
        entry_make(organization, consultant, day=date(2026, 3, 2), minutes=240, case=first),
        entry_make(organization, consultant, day=date(2026, 3, 9), minutes=240, case=second),
        entry_make(
            organization, consultant, day=date(2026, 3, 16), minutes=240, description="On-site training"
        ),
        entry_make(organization, consultant, day=date(2026, 3, 20), minutes=60, billable=False),
    ]
    OtherCharge.objects.create(
        organization=organization, date=date(2026, 3, 16), description="Travel Split–Zagreb", unit_price=120
    )
    return {"cases": (first, second), "entries": rows}


def test_a_month_is_billed_with_fee_included_and_extra_hours_and_other_items(organization, month_of_work):
    statement = services.statement_generate(organization=organization, period=date(2026, 3, 17))

    assert (statement.period, statement.revision, statement.state) == (PERIOD, 1, "awaiting")
    lines = selectors.statement_lines(statement)
    assert [(line.kind, line.quantity, line.unit_price, line.amount) for line in lines] == [
        ("monthly_fee", Decimal("1.00"), Decimal("500.00"), Decimal("500.00")),
        ("included_hours", Decimal("10.00"), Decimal("0.00"), Decimal("0.00")),
        ("extra_hours", Decimal("2.00"), Decimal("60.00"), Decimal("120.00")),
        ("other", Decimal("1.00"), Decimal("120.00"), Decimal("120.00")),
    ]
    assert (statement.subtotal, statement.vat_amount, statement.total) == (
        Decimal("740.00"),
        Decimal("185.00"),
        Decimal("925.00"),
    )
    first, second = month_of_work["cases"]
    billable = month_of_work["entries"][:3]
    assert [entry.pk for entry in lines[1].linked_entries] == [entry.pk for entry in billable]
    assert [entry.pk for entry in lines[2].linked_entries] == [billable[2].pk]
    assert {case.pk for case in lines[1].linked_cases} == {first.pk, second.pk}
    assert lines[2].linked_cases == []  # the hours above were general work
    assert set(TimeEntry.objects.filter(statement=statement)) == set(billable)
    assert TimeEntry.objects.get(is_billable=False).statement is None
    assert AuditEvent.objects.filter(action=AuditEvent.Action.STATEMENT_GENERATED).count() == 1


def test_the_lines_are_written_in_the_organizations_language(organization, month_of_work):
    organization.language = "hr"
    organization.save()
    statement = services.statement_generate(organization=organization, period=PERIOD)
    assert statement.language == "hr"
    assert "ožujak 2026" in statement.lines.get(kind="monthly_fee").description


def test_a_second_run_returns_the_same_statement(organization, month_of_work):
    first = services.statement_generate(organization=organization, period=PERIOD)
    second = services.statement_generate(organization=organization, period=PERIOD)
    assert first == second
    assert Statement.objects.count() == 1
    assert first.lines.count() == 4


def test_the_database_refuses_a_second_live_statement_of_a_month(organization, month_of_work):
    from django.db import IntegrityError, transaction

    statement = services.statement_generate(organization=organization, period=PERIOD)
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.create(organization=organization, period=PERIOD, revision=statement.revision + 1)


def test_no_contract_no_statement(organization):
    assert services.statement_generate(organization=organization, period=PERIOD) is None
    contract_make(organization, valid_from=date(2026, 4, 1))
    assert services.statement_generate(organization=organization, period=PERIOD) is None
    assert not Statement.objects.exists()


def test_time_logged_late_for_an_earlier_month_goes_on_the_next_statement(organization, consultant):
    contract_make(organization, included_hours="0")
    services.statement_generate(organization=organization, period=date(2026, 2, 1))
    late = entry_make(organization, consultant, day=date(2026, 2, 27), minutes=60)
    march = services.statement_generate(organization=organization, period=PERIOD)
    assert march.lines.get(kind="extra_hours").time_entries.get() == late


def test_the_monthly_task_fans_out_one_statement_per_organization_with_a_contract(
    organization, other_organization, fin_admin_user, admin_user, django_capture_on_commit_callbacks
):
    contract_make(organization)
    contract_make(other_organization, valid_until=date(2020, 12, 31))  # ended long ago
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.statements_monthly() == 1
    statement = Statement.objects.get()
    assert (statement.organization, statement.period) == (organization, previous_month(timezone.localdate()))
    assert statement.has_pdf
    # FIN_ADMIN and ADMIN are told, in-app and by e-mail, once.
    notified = set(Notification.objects.values_list("recipient", flat=True))
    assert notified == {fin_admin_user.pk, admin_user.pk}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [fin_admin_user.email, admin_user.email]
    )

    with django_capture_on_commit_callbacks(execute=True):
        tasks.statements_monthly()  # a second beat
    assert Statement.objects.count() == 1
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_the_monthly_schedule_is_the_first_at_two_in_zagreb(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["billing-statements-monthly"]
    assert entry["task"] == "billing.tasks.statements_monthly"
    schedule = entry["schedule"]
    assert (schedule.day_of_month, schedule.hour, schedule.minute) == ({1}, {2}, {0})
    assert settings.CELERY_TIMEZONE == "Europe/Zagreb"


# --- Approval -----------------------------------------------------------------------------------------------


def test_approval_is_recorded_with_who_when_where_and_the_pdfs_hash(organization, fin_admin_user, client_for):
    statement = statement_make(organization)
    url = reverse("billing:statement-approve", args=[statement.pk])

    response = client_for(fin_admin_user).post(url, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.state == "approved"
    assert statement.approved_by == fin_admin_user
    assert statement.approved_ip == "203.0.113.7"
    assert statement.approved_pdf_sha256 == statement.pdf_sha256 != ""
    assert abs(statement.approved_at - timezone.now()).total_seconds() < 60
    assert AuditEvent.objects.filter(action=AuditEvent.Action.STATEMENT_APPROVED).count() == 1


def test_a_second_approval_gets_409_and_changes_nothing(organization, fin_admin_user, admin_user, client_for):
    statement = statement_make(organization)
    url = reverse("billing:statement-approve", args=[statement.pk])
    client_for(fin_admin_user).post(url)

    response = client_for(admin_user).post(url)

    assert response.status_code == 409
    assert "already been approved" in response.content.decode()
    statement.refresh_from_db()
    assert statement.approved_by == fin_admin_user


def test_the_same_approve_form_sent_twice_approves_once_and_redirects_both(
    organization, fin_admin_user, client_for
):
    statement = statement_make(organization)
    url = reverse("billing:statement-approve", args=[statement.pk])
    client = client_for(fin_admin_user)
    first = client.post(url, {"submission_token": "one-click"})
    second = client.post(url, {"submission_token": "one-click"})
    assert (first.status_code, second.status_code) == (302, 302)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.STATEMENT_APPROVED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_approvals_one_succeeds_and_the_other_gets_409(
    organization, fin_admin_user, admin_user, client_for
):
    statement = statement_make(organization)
    url = reverse("billing:statement-approve", args=[statement.pk])
    users = [fin_admin_user, admin_user]
    statuses = []

    def approve(index):
        statuses.append(client_for(users[index]).post(url).status_code)

    run_in_threads(2, approve)

    assert sorted(statuses) == [302, 409]
    statement.refresh_from_db()
    assert statement.state == "approved"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.STATEMENT_APPROVED).count() == 1


def test_a_statement_without_its_pdf_cannot_be_approved(organization, fin_admin_user):
    contract_make(organization)
    statement = services.statement_generate(organization=organization, period=last_month())
    with pytest.raises(ValidationError):
        services.statement_approve(statement_id=statement.pk, by=fin_admin_user)
    assert Statement.objects.get().state == "awaiting"


def test_approving_locks_the_months_time(organization, fin_admin_user, consultant):
    entry = entry_make(organization, consultant, day=last_month())
    statement = statement_make(organization)
    assert not selectors.month_locked(organization, entry.date)
    services.statement_approve(statement_id=statement.pk, by=fin_admin_user)
    assert selectors.month_locked(organization, entry.date)
    assert selectors.locked_months(organization, [entry.date, timezone.localdate()]) == {statement.period}


# --- Dispute and revisions ----------------------------------------------------------------------------------


def test_a_dispute_opens_a_billing_case_for_the_vendor(organization, fin_admin_user, client_for):
    statement = statement_make(organization)
    url = reverse("billing:statement-dispute", args=[statement.pk])

    response = client_for(fin_admin_user).post(url, {"comment": "The on-site day of 3 March was cancelled."})

    assert response.status_code == 302
    statement.refresh_from_db()
    case = Case.objects.get()
    assert statement.state == "disputed"
    assert statement.dispute_case == case
    assert (statement.disputed_by, statement.dispute_comment) == (
        fin_admin_user,
        "The on-site day of 3 March was cancelled.",
    )
    assert (case.organization, case.reporter, case.category.code) == (organization, fin_admin_user, "billing")
    assert statement.number in case.title
    assert "cancelled" in case.description
    # A disputed statement can no longer be approved.
    approve = client_for(fin_admin_user).post(reverse("billing:statement-approve", args=[statement.pk]))
    assert approve.status_code == 409


def test_a_dispute_needs_a_comment(organization, fin_admin_user, client_for):
    statement = statement_make(organization)
    response = client_for(fin_admin_user).post(
        reverse("billing:statement-dispute", args=[statement.pk]), {"comment": "  "}
    )
    assert response.status_code == 200
    assert Statement.objects.get().state == "awaiting"
    assert not Case.objects.exists()


def test_staff_answer_a_dispute_with_a_new_revision(
    organization, fin_admin_user, vendor_admin, consultant, client_for, django_capture_on_commit_callbacks
):
    entry = entry_make(organization, consultant, minutes=60)
    first = statement_make(organization)
    services.statement_dispute(statement_id=first.pk, by=fin_admin_user, comment="One hour too many.")
    TimeEntry.objects.filter(pk=entry.pk).update(is_billable=False)  # the consultant's correction

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(vendor_admin).post(reverse("billing:statement-revise", args=[first.pk]))

    run = GenerationRun.objects.get()
    assert response["Location"] == reverse("billing:generation-status", args=[run.pk])
    first.refresh_from_db()
    second = Statement.objects.get(revision=2)
    assert first.state == "superseded"
    assert (second.state, second.period, second.generated_by) == ("awaiting", first.period, vendor_admin)
    assert second.has_pdf
    assert not second.lines.filter(kind="included_hours").exists()
    assert (run.__class__.objects.get().state, run.__class__.objects.get().statement) == ("done", second)
    # The disputed revision stays readable.
    page = client_for(fin_admin_user).get(reverse("billing:statement-detail", args=[first.pk]))
    assert page.status_code == 200
    assert "replaced by a newer one" in page.content.decode()


def test_an_approved_month_cannot_be_generated_again(organization, fin_admin_user, vendor_admin):
    statement = statement_make(organization)
    services.statement_approve(statement_id=statement.pk, by=fin_admin_user)
    with pytest.raises(ValidationError) as error:
        services.generation_request(organization=organization, period=statement.period, by=vendor_admin)
    assert error.value.code == "approved"


def test_the_generation_status_page_polls_until_done(organization, vendor_admin, client_for):
    contract_make(organization)
    run = GenerationRun.objects.create(
        organization=organization, period=last_month(), requested_by=vendor_admin
    )
    url = reverse("billing:generation-status", args=[run.pk])
    client = client_for(vendor_admin)

    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Waiting for a worker" in page
    GenerationRun.objects.filter(pk=run.pk).update(state="running", step="pdf")
    part = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Rendering the PDF" in part and "<html" not in part
    GenerationRun.objects.filter(pk=run.pk).update(state="done")
    assert "hx-trigger" not in client.get(url, headers={"HX-Request": "true"}).content.decode()


# --- Contracts ----------------------------------------------------------------------------------------------


def test_new_contract_terms_end_the_current_contract_the_day_before(organization, vendor_admin):
    old = contract_make(organization, valid_from=date(2025, 1, 1))
    new = services.contract_save(
        organization=organization,
        valid_from=date(2026, 4, 1),
        monthly_fee=Decimal("650"),
        included_hours=Decimal("12"),
        hourly_rate=Decimal("65"),
        by=vendor_admin,
    )
    old.refresh_from_db()
    assert old.valid_until == date(2026, 3, 31)
    assert selectors.contract_for_period(organization, PERIOD) == old
    assert selectors.contract_for_period(organization, date(2026, 4, 1)) == new
    assert list(selectors.contracts_of(organization)) == [new, old]


def test_a_contract_needs_a_valid_oib(organization, vendor_admin):
    organization.oib = "12345678900"  # wrong check digit
    organization.save()
    with pytest.raises(ValidationError) as error:
        services.contract_save(
            organization=organization,
            valid_from=PERIOD,
            monthly_fee=Decimal("1"),
            included_hours=Decimal("1"),
            hourly_rate=Decimal("1"),
            by=vendor_admin,
        )
    assert error.value.code == "oib"
    assert not SupportContract.objects.exists()


def test_a_render_that_dies_after_writing_its_file_leaves_one_pdf_after_the_next(
    organization, monkeypatch, settings
):
    contract_make(organization)
    statement = services.statement_generate(organization=organization, period=PERIOD)
    renders = iter([b"%PDF-1 first try", b"%PDF-1 second try"])
    monkeypatch.setattr("billing.pdf.statement_pdf", lambda statement: next(renders))
    real_save = Statement.save

    def dies(self, *args, **kwargs):
        raise RuntimeError("worker killed before its commit")

    monkeypatch.setattr(Statement, "save", dies)
    with pytest.raises(RuntimeError):
        services.statement_pdf_render(statement_id=statement.pk)
    monkeypatch.setattr(Statement, "save", real_save)

    statement = services.statement_pdf_render(statement_id=statement.pk)
    services.statement_pdf_render(statement_id=statement.pk)  # a third run finds the PDF

    files = list((settings.MEDIA_ROOT / "billing" / "statements").rglob("*"))
    assert [path.name for path in files if path.is_file()] == [f"{statement.number}.pdf"]
    assert statement.pdf.read() == b"%PDF-1 second try"
    assert statement.pdf_sha256 == hashlib.sha256(b"%PDF-1 second try").hexdigest()

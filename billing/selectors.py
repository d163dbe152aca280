"""What a user may see of billing, and the read-only questions other apps and pages ask.

Customers see their organization's billing with `billing.view_billing` (FIN_ADMIN, ADMIN); staff hold it
globally and see every organization's. Anyone else gets 404 on every billing page, as for a page that is
not there for them (a STANDARD user is not told that statements exist)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import Organization
from helpdesk.permissions import NotVisible, Scope, has_org_perm, organization_scope

from .models import Statement, StatementLine, SupportContract, TimeEntry
from .money import month_end, month_start

VIEW_PERM = "billing.view_billing"
APPROVE_PERM = "billing.approve_statement"
MANAGE_PERM = "billing.manage_billing"
LOG_TIME_PERM = "billing.log_time"


def _org_id(organization: Organization | int) -> int:
    return organization if isinstance(organization, int) else organization.pk


def billing_scope_or_404(user) -> Scope:
    """The organizations whose billing the user sees; 404 when none."""
    scope = organization_scope(user, VIEW_PERM)
    if not scope:
        raise Http404
    return scope


# --- Contracts ----------------------------------------------------------------------------------------------


def contract_on(organization: Organization | int, day: date) -> SupportContract | None:
    """The contract in force on the day."""
    return (
        SupportContract.objects.active_on(day)
        .filter(organization_id=_org_id(organization))
        .order_by("-valid_from")
        .first()
    )


def contract_current(organization: Organization | int, today: date | None = None) -> SupportContract | None:
    from django.utils import timezone

    return contract_on(organization, today or timezone.localdate())


def contract_for_period(organization: Organization | int, period: date) -> SupportContract | None:
    """The contract a month is billed by: the one in force at its end, else the last one that started in
    it or ran into it (a contract that ended mid-month still bills that month)."""
    first, last = month_start(period), month_end(period)
    return (
        SupportContract.objects.overlapping(first, last)
        .filter(organization_id=_org_id(organization))
        .order_by("-valid_from")
        .first()
    )


def contracts_of(organization: Organization | int) -> QuerySet[SupportContract]:
    """The organization's contracts, newest first (the history)."""
    return SupportContract.objects.filter(organization_id=_org_id(organization)).order_by("-valid_from")


def organizations_with_contract_in(period: date) -> QuerySet[Organization]:
    """Active organizations with a contract in force on at least one day of the month."""
    contracts = SupportContract.objects.overlapping(month_start(period), month_end(period))
    return Organization.objects.filter(is_active=True, pk__in=contracts.values("organization_id"))


# --- Statements ---------------------------------------------------------------------------------------------


def statements_visible_to(user) -> QuerySet[Statement]:
    """Statements of the organizations whose billing the user sees (staff: all), every revision."""
    return organization_scope(user, VIEW_PERM).filter(Statement.objects.all())


def get_statement_for(user, pk: int, perm: str | None = None) -> Statement:
    """A statement the user may see, else 404; 403 when `perm` is given and not held for its organization."""
    statement = statements_visible_to(user).select_related("organization", "contract").filter(pk=pk).first()
    if statement is None:
        raise NotVisible(Statement, pk=pk)
    if perm is not None and not has_org_perm(user, perm, statement.organization):
        raise PermissionDenied(perm)
    return statement


def statement_lines(statement: Statement) -> list[StatementLine]:
    """The lines with their cases and time entries (for the statement page and the PDF): three queries."""
    return list(
        statement.lines.prefetch_related(
            Prefetch("cases", to_attr="linked_cases"),
            Prefetch(
                "time_entries",
                TimeEntry.objects.select_related("case", "consultant").order_by("date", "pk"),
                to_attr="linked_entries",
            ),
        ).order_by("position")
    )


def statement_revisions(statement: Statement) -> QuerySet[Statement]:
    """Every revision of the statement's organization and month, newest first."""
    return Statement.objects.filter(
        organization_id=statement.organization_id, period=statement.period
    ).order_by("-revision")


def statement_for_period(organization: Organization | int, period: date) -> Statement | None:
    """The live (not superseded) revision of the month, if any."""
    return (
        Statement.objects.live()
        .filter(organization_id=_org_id(organization), period=month_start(period))
        .first()
    )


def month_locked(organization: Organization | int, day: date) -> bool:
    """Whether the day's month is approved: its time may no longer be changed."""
    return Statement.objects.filter(
        organization_id=_org_id(organization), period=month_start(day), state=Statement.State.APPROVED
    ).exists()


def locked_months(organization: Organization | int, days) -> set[date]:
    """Which of the days' months (as first days) are approved, in one query."""
    periods = {month_start(day) for day in days}
    if not periods:
        return set()
    return set(
        Statement.objects.filter(
            organization_id=_org_id(organization), period__in=periods, state=Statement.State.APPROVED
        ).values_list("period", flat=True)
    )

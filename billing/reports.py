"""Reads of the billing pages (billing.views.pages): which organization a page shows, the overview's figures
(the contract, this month's hours against the included hours, the statements by state, the outstanding
balance) and the history of consultant services.

"Outstanding" has no payment behind it (the portal records no payments): it is the total of the live
statements still awaiting approval or disputed, what the customer has not yet accepted. The overview says
so in words.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import Organization, User
from helpdesk.permissions import Scope

from .models import Statement, SupportContract, TimeEntry
from .money import hours_of, month_end, month_start

# A FIN_ADMIN is told of this month's hours at these shares of the included hours (billing.alerts); the
# bar takes the same colours.
NEAR_SHARE = 80
RECENT_STATEMENTS = 6
OPEN_STATES = (Statement.State.AWAITING, Statement.State.DISPUTED)


# --- Which organization -------------------------------------------------------------------------------------


def organization_for(request, scope: Scope) -> Organization | None:
    """The organization a billing page shows: `?organization=` (404 outside the user's scope), else the one
    the user works in, else the first of the user's scope by name; None for staff until they pick one."""
    wanted = request.GET.get("organization")
    if wanted:
        if not wanted.isdigit() or int(wanted) not in scope:
            raise Http404
        return _active_organization(pk=int(wanted))
    membership = request.membership
    if membership and membership.organization.pk in scope and membership.organization.is_active:
        return membership.organization
    if scope.everywhere:
        return None
    return picker_organizations(scope).first() or _active_organization(pk=None)


def _active_organization(**lookup) -> Organization:
    organization = Organization.objects.filter(is_active=True, **lookup).first()
    if organization is None:
        raise Http404
    return organization


def picker_organizations(scope: Scope) -> QuerySet[Organization]:
    """The organizations of the picker (staff: all active ones)."""
    active = Organization.objects.filter(is_active=True).only("pk", "name").order_by("name", "pk")
    return scope.filter(active, field="pk")


# --- The overview -------------------------------------------------------------------------------------------


def contract_current(organization: Organization, today: date) -> SupportContract | None:
    return (
        SupportContract.objects.active_on(today)
        .filter(organization=organization)
        .order_by("-valid_from")
        .first()
    )


def contracts_of(organization: Organization) -> QuerySet[SupportContract]:
    """The organization's contracts, newest first (the history of its terms)."""
    return (
        SupportContract.objects.filter(organization=organization)
        .select_related("created_by")
        .order_by("-valid_from")
    )


@dataclass(frozen=True)
class HourBudget:
    """This month's billable consultant hours against the contract's included hours."""

    used: Decimal
    included: Decimal

    @property
    def percent(self) -> int:
        """The share used in whole percent, half-up (any hour of 0 included hours is 100 %)."""
        if not self.included:
            return 100 if self.used else 0
        return int((self.used * 100 / self.included).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def left(self) -> Decimal:
        return max(self.included - self.used, Decimal("0.00"))

    @property
    def extra(self) -> Decimal:
        return max(self.used - self.included, Decimal("0.00"))

    @property
    def tone(self) -> str:
        """ok, near (80 % reached), over (all included hours used)."""
        if self.used and self.percent >= 100:
            return "over"
        return "near" if self.percent >= NEAR_SHARE else "ok"

    @property
    def bar_width(self) -> int:
        """The used part of a bar 100 units wide (an SVG attribute, so no inline style)."""
        return min(self.percent, 100)


def hour_budget(organization: Organization, contract: SupportContract | None, today: date) -> HourBudget:
    minutes = (
        TimeEntry.objects.billable()
        .filter(organization=organization, date__gte=month_start(today), date__lte=month_end(today))
        .aggregate(minutes=Sum("minutes"))["minutes"]
    )
    included = contract.included_hours if contract else Decimal("0.00")
    return HourBudget(used=hours_of(minutes or 0), included=included)


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int
    total: Decimal


def statement_summary(organization: Organization) -> dict:
    """The live statements by state (count and total), the outstanding balance, the open statements and the
    most recent ones. Three queries."""
    statements = Statement.objects.filter(organization=organization)
    grouped = {
        row["state"]: row
        for row in statements.values("state").annotate(count=Count("*"), total=Sum("total")).order_by()
    }
    by_state = [
        StateCount(value, str(label), grouped[value]["count"], grouped[value]["total"])
        for value, label in Statement.State.choices
        if value in grouped
    ]
    outstanding = sum((row.total for row in by_state if row.state in OPEN_STATES), Decimal("0.00"))
    return {
        "by_state": by_state,
        "outstanding": outstanding,
        "open": list(statements.filter(state__in=OPEN_STATES).order_by("period", "revision")),
        "recent": list(statements.live().order_by("-period")[:RECENT_STATEMENTS]),
    }


def statement_list(organization: Organization, state: str = "") -> QuerySet[Statement]:
    statements = Statement.objects.filter(organization=organization).order_by("-period", "-revision")
    return statements.filter(state=state) if state else statements


# --- The history of consultant services ---------------------------------------------------------------------


def services_of(organization: Organization, *, staff: bool, filters: dict) -> QuerySet[TimeEntry]:
    """The organization's time entries matching the filters, newest first, with what a row shows. Customers
    see billable time only (with its description; the internal note is the vendor's)."""
    entries = TimeEntry.objects.filter(organization=organization)
    if not staff:
        entries = entries.billable()
    if filters.get("date_from"):
        entries = entries.filter(date__gte=filters["date_from"])
    if filters.get("date_to"):
        entries = entries.filter(date__lte=filters["date_to"])
    if filters.get("consultant"):
        entries = entries.filter(consultant=filters["consultant"])
    if filters.get("case"):
        entries = entries.filter(case__reference__iexact=filters["case"])
    module = filters.get("module")
    if module == GENERAL_WORK:
        entries = entries.filter(case__isnull=True)
    elif module:
        entries = entries.filter(case__module=module)
    if staff and filters.get("billable") in ("yes", "no"):
        entries = entries.filter(is_billable=filters["billable"] == "yes")
    return entries.select_related("consultant", "case__module", "case__category", "statement").order_by(
        "-date", "-created_at", "-pk"
    )


# The module filter's value for work not done on a case (a training, an on-site day).
GENERAL_WORK = "general"


def consultants_of(organization: Organization) -> QuerySet[User]:
    """Who logged time for the organization (the consultant filter's menu)."""
    logged = TimeEntry.objects.filter(organization=organization).values("consultant")
    return User.objects.filter(pk__in=logged).order_by("full_name", "email")


def services_totals(entries: QuerySet[TimeEntry]) -> dict:
    """The hours of the filtered entries: all and billable."""
    totals = entries.order_by().aggregate(
        all_minutes=Sum("minutes"),
        billable_minutes=Sum("minutes", filter=Q(is_billable=True)),
        count=Count("*"),
    )
    return {
        "count": totals["count"],
        "hours": hours_of(totals["all_minutes"] or 0),
        "billable_hours": hours_of(totals["billable_minutes"] or 0),
    }


def today() -> date:
    return timezone.localdate()

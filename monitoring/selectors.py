"""What a user may see of monitoring, and the reads of the status pages.

Customers see their organization's installations with `monitoring.view_monitoring` (SYS_ADMIN, ADMIN); staff
hold it globally and see every organization's, with `monitoring.view_all_monitoring` the cross-customer
overview. Anyone else gets 404 on every monitoring page, as for a page that is not there for them.

The pages read the current state kept by ingestion (Component.status, LatestResult), never the history; the
history page aggregates a bounded range of one check's results in SQL.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.http import Http404
from django.utils import timezone

from accounts.models import Organization
from helpdesk.permissions import NotVisible, Scope, has_org_perm, organization_scope

from .models import (
    AgentToken,
    Check,
    Component,
    HourlyRollup,
    Incident,
    Installation,
    LatestResult,
    Result,
    Status,
)

VIEW_PERM = "monitoring.view_monitoring"
VIEW_ALL_PERM = "monitoring.view_all_monitoring"
TOKENS_PERM = "monitoring.manage_agent_tokens"


def monitoring_scope_or_404(user) -> Scope:
    """The organizations whose monitoring the user sees; 404 when none (STANDARD, FIN_ADMIN)."""
    scope = organization_scope(user, VIEW_PERM)
    if not scope:
        raise Http404
    return scope


def installations_visible_to(user) -> QuerySet[Installation]:
    return organization_scope(user, VIEW_PERM).filter(Installation.objects.all())


def get_installation_for(user, pk: int, perm: str | None = None) -> Installation:
    """An installation the user may see, else 404; 403 when `perm` is given and not held in its
    organization."""
    installation = installations_visible_to(user).select_related("organization").filter(pk=pk).first()
    if installation is None:
        raise NotVisible(Installation, pk=pk)
    if perm is not None and not has_org_perm(user, perm, installation.organization):
        raise PermissionDenied(perm)
    return installation


def get_check_for(user, pk: int) -> Check:
    check = (
        Check.objects.filter(component__installation__in=installations_visible_to(user))
        .select_related("component__installation__organization", "latest")
        .filter(pk=pk)
        .first()
    )
    if check is None:
        raise NotVisible(Check, pk=pk)
    return check


def get_token_for(user, pk: int) -> AgentToken:
    """A token of an installation the user sees, else 404; 403 without the right to manage its tokens."""
    token = (
        AgentToken.objects.filter(installation__in=installations_visible_to(user))
        .select_related("installation__organization")
        .filter(pk=pk)
        .first()
    )
    if token is None:
        raise NotVisible(AgentToken, pk=pk)
    if not has_org_perm(user, TOKENS_PERM, token.installation.organization):
        raise PermissionDenied(TOKENS_PERM)
    return token


# --- The current state ------------------------------------------------------------------------------------


def _open_incidents() -> Prefetch:
    return Prefetch(
        "incidents",
        Incident.objects.filter(resolved_at__isnull=True).select_related("case"),
        to_attr="open_incidents",
    )


def components_with_checks() -> QuerySet[Component]:
    """Components worst first (then the longest in that state), each with its checks and their newest result
    and its open incident with the case."""
    return Component.objects.order_by("-status", "status_since", "name").prefetch_related(
        Prefetch("checks", Check.objects.select_related("latest").order_by("name")), _open_incidents()
    )


def installations_overview(scope: Scope, organization: Organization | None = None) -> QuerySet[Installation]:
    """The installations of the scope (or of one organization of it), worst first, with their components."""
    installations = scope.filter(Installation.objects.all())
    if organization is not None:
        installations = installations.filter(organization=organization)
    return (
        installations.select_related("organization")
        .order_by("-status", "organization__name", "environment", "name", "pk")
        .prefetch_related(Prefetch("components", components_with_checks()))
    )


def components_for_staff(*, organization: Organization | None = None, status: int | None = None):
    """Every customer's components, red first and then the longest in that state: the consultant on call's
    list. Each has its installation, organization, newest measurement and open incident."""
    components = Component.objects.select_related("installation__organization")
    if organization is not None:
        components = components.filter(installation__organization=organization)
    if status is not None:
        components = components.filter(status=status)
    # A correlated subquery, not Max() over a join: PostgreSQL evaluates it after the Sort+Limit, for the
    # page's rows only, instead of aggregating every component's checks before sorting.
    last_measured = (
        LatestResult.objects.filter(check_item__component=OuterRef("pk"))
        .order_by("-measured_at")
        .values("measured_at")[:1]
    )
    return (
        components.annotate(last_measured_at=Subquery(last_measured))
        .prefetch_related(_open_incidents())
        .order_by("-status", "status_since", "pk")
    )


def status_counts(organization: Organization | None = None) -> dict[int, int]:
    """How many components are in each state (every customer's, or one organization's)."""
    components = Component.objects.all()
    if organization is not None:
        components = components.filter(installation__organization=organization)
    counts = dict(components.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in reversed(Status.values)}


def critical_components(scope: Scope) -> QuerySet[Component]:
    """The scope's critical components, longest critical first (the dashboard panel)."""
    return (
        Component.objects.filter(scope.q("installation__organization"), status=Status.CRITICAL)
        .select_related("installation__organization")
        .order_by("status_since", "pk")
    )


def organizations_monitored() -> QuerySet[Organization]:
    return (
        Organization.objects.filter(is_active=True, installations__isnull=False).distinct().order_by("name")
    )


def installation_incidents(installation: Installation) -> QuerySet[Incident]:
    return Incident.objects.filter(component__installation=installation).select_related("component", "case")


def installation_tokens(installation: Installation) -> QuerySet[AgentToken]:
    """Active tokens first, newest first."""
    return installation.tokens.select_related("created_by", "revoked_by").order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at"
    )


# --- History of one check -----------------------------------------------------------------------------------


class DateBin(Func):
    """PostgreSQL's date_bin(stride, source, origin): the start of the bucket a time falls in."""

    function = "date_bin"
    output_field = DateTimeField()

    def __init__(self, stride: timedelta, expression, origin: datetime):
        super().__init__(
            Value(stride, output_field=DurationField()),
            expression,
            Value(origin, output_field=DateTimeField()),
        )


@dataclass(frozen=True)
class Range:
    key: str
    span: timedelta
    bucket: timedelta


# At most ~180 buckets each, so the chart and its table stay readable and the scan bounded.
RANGES = {
    "24h": Range("24h", timedelta(hours=24), timedelta(minutes=10)),
    "7d": Range("7d", timedelta(days=7), timedelta(hours=1)),
    "30d": Range("30d", timedelta(days=30), timedelta(hours=4)),
}
DEFAULT_RANGE = "24h"


@dataclass
class Bucket:
    start: datetime
    count: int
    minimum: float | None
    average: float | None
    maximum: float | None
    worst: int

    @property
    def worst_label(self) -> str:
        return Status(self.worst).label


def check_history(check: Check, range_: Range, now: datetime | None = None) -> list[Bucket]:
    """One check's results over the range, a bucket per stride, in two bounded queries over the unique
    (check, time) indexes: raw results where they are kept (30 days), hourly rollups where they are gone
    (a bucket with raw results uses those)."""
    start, end = range_bounds(range_, now)
    stride = range_.bucket
    raw = (
        Result.objects.filter(check_item=check, measured_at__gte=start, measured_at__lt=end)
        .annotate(bucket=DateBin(stride, F("measured_at"), start))
        .values("bucket")
        .annotate(n=Count("id"), low=Min("value"), mean=Avg("value"), high=Max("value"), worst=Max("status"))
        .order_by("bucket")
    )
    buckets = {row["bucket"]: _bucket(row) for row in raw}
    rolled = (
        HourlyRollup.objects.filter(check_item=check, hour__gte=start, hour__lt=end)
        .annotate(bucket=DateBin(stride, F("hour"), start))
        .values("bucket")
        .annotate(
            n=Sum("count"),
            low=Min("minimum"),
            weighted=Sum(F("average") * F("count")),
            weights=Sum("count", filter=Q(average__isnull=False)),
            high=Max("maximum"),
            worst=Max("worst_status"),
        )
        .order_by("bucket")
    )
    for row in rolled:
        if row["bucket"] not in buckets:
            row["mean"] = row["weighted"] / row["weights"] if row["weights"] else None
            buckets[row["bucket"]] = _bucket(row)
    return [buckets[key] for key in sorted(buckets)]


def _bucket(row: dict) -> Bucket:
    return Bucket(
        start=row["bucket"], count=row["n"], minimum=row["low"], average=row["mean"], maximum=row["high"],
        worst=row["worst"],
    )  # fmt: skip


def range_bounds(range_: Range, now: datetime | None = None) -> tuple[datetime, datetime]:
    """(start, end) of the range up to the end of the bucket `now` falls in; buckets are counted from
    midnight UTC, so they stay the same between two requests."""
    now = now or timezone.now()
    epoch = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    end = epoch + ((now - epoch) // range_.bucket + 1) * range_.bucket
    return end - range_.span, end

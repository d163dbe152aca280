"""Reads of the licence: what an organization may use (other apps ask here: cases, docs, releases) and
which licences a user may see."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Organization
from helpdesk.permissions import NotVisible, has_org_perm, organization_scope

from .models import EXPIRING_DAYS, Granule, Licence, LicenceChange

TERMS_PERM = "licensing.view_licence_terms"
GRANULES_PERM = "licensing.view_granules"
LIST_PERM = "licensing.view_licence_list"
MANAGE_PERM = "licensing.manage_licences"


def _org_id(organization: Organization | int) -> int:
    return organization if isinstance(organization, int) else organization.pk


def granule_active_q(today: date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": today})) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today})
    )


def in_force_q(today: date, prefix: str = "") -> Q:
    """Licence.in_force as a filter over a relation (`prefix` = "licence__")."""
    return Q(
        **{
            f"{prefix}is_current": True,
            f"{prefix}is_suspended": False,
            f"{prefix}valid_from__lte": today,
            f"{prefix}valid_until__gte": today,
        }
    )


# --- What an organization may use ---------------------------------------------------------------------------


def licence_current(organization: Organization | int) -> Licence | None:
    """The organization's current licence (whatever its state), with its products and granules."""
    return (
        Licence.objects.current()
        .filter(organization=_org_id(organization))
        .select_related("organization")
        .prefetch_related("products", Prefetch("granules", Granule.objects.select_related("module__product")))
        .first()
    )


@dataclass(frozen=True)
class ProductAccess:
    covered: bool  # the current licence names the product and is in force (not suspended, not expired)
    support_active: bool  # covered, and the support (maintenance) contract has not ended
    support_until: date | None  # the support contract's end, also when it has passed (to say so)


NO_ACCESS = ProductAccess(covered=False, support_active=False, support_until=None)


def product_access(organization: Organization | int, product) -> ProductAccess:
    """Whether the organization's licence covers the product today, and with support. One query."""
    today = timezone.localdate()
    product_id = product if isinstance(product, int) else product.pk
    licence = (
        Licence.objects.current()
        .filter(organization=_org_id(organization), products=product_id)
        .only("valid_from", "valid_until", "support_until", "is_suspended")
        .first()
    )
    if licence is None:
        return NO_ACCESS
    covered = licence.is_in_force_on(today)
    return ProductAccess(
        covered=covered,
        support_active=covered and licence.support_active_on(today),
        support_until=licence.support_until,
    )


def licensed_module_ids(organization: Organization | int) -> set[int]:
    """The modules of the organization's current licence in force, whose granules are active today."""
    today = timezone.localdate()
    return set(
        Granule.objects.filter(
            granule_active_q(today),
            licence__in=Licence.objects.in_force(today).filter(organization=_org_id(organization)),
        ).values_list("module_id", flat=True)
    )


def organizations_licensing_module(module) -> QuerySet[Organization]:
    """The organizations whose licence in force has an active granule of the module (a document restricted
    to the module's licensees is for them). A QuerySet, so it can be used as a subquery."""
    today = timezone.localdate()
    module_id = module if isinstance(module, int) else module.pk
    granules = Granule.objects.filter(
        granule_active_q(today),
        in_force_q(today, "licence__"),
        module_id=module_id,
        licence__organization=OuterRef("pk"),
    )
    return Organization.objects.filter(Exists(granules))


@dataclass(frozen=True)
class LicenceFacts:
    module_ids: frozenset[int]  # the modules licensed today (as licensed_module_ids)
    support_active: bool

    def covers(self, module_id: int | None) -> bool:
        return module_id is not None and module_id in self.module_ids


NO_FACTS = LicenceFacts(module_ids=frozenset(), support_active=False)


def licence_facts(organization_ids) -> dict[int, LicenceFacts]:
    """organization id -> its licensed modules and whether its support is active, for many organizations in
    one query (a badge per row of a list). Organizations without a current licence are missing: use
    `.get(pk, NO_FACTS)`."""
    today = timezone.localdate()
    rows = (
        Licence.objects.current()
        .filter(organization__in=set(organization_ids))
        .annotate(
            module_ids=ArrayAgg(
                "granules__module_id",
                filter=granule_active_q(today, "granules__"),
                distinct=True,
                default=[],
            )
        )
        .only("organization_id", "valid_from", "valid_until", "support_until", "is_suspended")
    )
    facts = {}
    for licence in rows:
        in_force = licence.is_in_force_on(today)
        facts[licence.organization_id] = LicenceFacts(
            module_ids=frozenset(m for m in licence.module_ids if m is not None) if in_force else frozenset(),
            support_active=licence.support_active_on(today),
        )
    return facts


# --- Which licences a user may see --------------------------------------------------------------------------


def licences_visible_to(user) -> QuerySet[Licence]:
    """Licences of the organizations where the user may read licence terms or granules (staff: all)."""
    terms, granules = organization_scope(user, TERMS_PERM), organization_scope(user, GRANULES_PERM)
    if terms.everywhere or granules.everywhere:
        return Licence.objects.all()
    ids = terms.ids | granules.ids
    return Licence.objects.filter(organization__in=sorted(ids))


def get_licence_for(user, pk: int, perm: str | None = None) -> Licence:
    """A licence the user may see, else 404 (another organization's, or a role that sees no licence); 403
    when `perm` is given and the user does not hold it for the licence's organization."""
    licence = (
        licences_visible_to(user)
        .select_related("organization")
        .prefetch_related("products", Prefetch("granules", Granule.objects.select_related("module__product")))
        .filter(pk=pk)
        .first()
    )
    if licence is None:
        raise NotVisible(Licence, pk=pk)
    if perm is not None and not has_org_perm(user, perm, licence.organization):
        raise PermissionDenied(perm)
    return licence


@dataclass(frozen=True)
class LicenceRights:
    """What of an organization's licence the user may read: its terms (state, dates, support, history) and
    its granules. False when neither: the licence pages are then 404."""

    terms: bool
    granules: bool

    def __bool__(self) -> bool:
        return self.terms or self.granules


def licence_rights(user, organization: Organization) -> LicenceRights:
    return LicenceRights(
        terms=has_org_perm(user, TERMS_PERM, organization),
        granules=has_org_perm(user, GRANULES_PERM, organization),
    )


def licence_history(licence: Licence) -> QuerySet[LicenceChange]:
    return licence.changes.for_list()


def organization_licences(organization: Organization) -> QuerySet[Licence]:
    """The organization's licences, current first, then the past ones newest first."""
    return (
        Licence.objects.filter(organization=organization)
        .prefetch_related("products")
        .order_by("-is_current", "-valid_until", "-pk")
    )


def licence_state_q(state: str, today: date) -> Q:
    """Licences in this state today, as a filter (the same rule as Licence.state_on, in SQL)."""
    soon = today + timedelta(days=EXPIRING_DAYS)
    running = Q(is_suspended=False, valid_from__lte=today)
    return {
        Licence.State.SUSPENDED: Q(is_suspended=True),
        Licence.State.EXPIRED: Q(is_suspended=False, valid_until__lt=today),
        Licence.State.PENDING: Q(is_suspended=False, valid_from__gt=today, valid_until__gte=today),
        Licence.State.EXPIRING: running & Q(valid_until__gte=today, valid_until__lte=soon),
        Licence.State.ACTIVE: running & Q(valid_until__gt=soon),
    }[state]


def organizations_with_licence(*, name: str = "", state: str = "") -> QuerySet[Organization]:
    """Staff's list: active organizations with their current licence (`current_licence`, a list of at most
    one), optionally those named so or whose licence is in this state ("none": without a current one)."""
    organizations = Organization.objects.filter(is_active=True).order_by("name", "pk")
    if name:
        organizations = organizations.filter(name__icontains=name)
    current = Licence.objects.current().filter(organization=OuterRef("pk"))
    if state == "none":
        organizations = organizations.filter(~Exists(current))
    elif state:
        in_state = licence_state_q(state, timezone.localdate())
        organizations = organizations.filter(Exists(current.filter(in_state)))
    return organizations.prefetch_related(
        Prefetch(
            "licences", Licence.objects.current().prefetch_related("products"), to_attr="current_licence"
        )
    )

"""The one permission API: may this user do P, and where (ARCHITECTURE.md, "Permissions").

A permission is held globally (vendor staff, through their group) or as a django-guardian object permission
on an Organization (a customer role, granted by accounts.services). Django's ModelBackend answers only
global permissions, guardian only object ones: these functions ask both, so no view has to. A user's
object permissions are read in one query and kept on the user object for the rest of the request.

- Views guard themselves with `@require_perm(...)`; objects are loaded through the app's
  `get_<noun>_for(user, pk, perm)` selector (404 when not visible, 403 when visible but not allowed). The
  selector raises `NotVisible` (through `get_visible_or_404`) and `PermissionDenied(perm)`, which
  helpdesk.middleware.AccessDeniedAuditMiddleware audits as denials.
- Lists filter through `organization_scope(user, perm)`, a `Scope`: every organization, these, or none.
- "Who in this organization may do P" (notifications, approvers) is `users_with_perm(perm, organization)`.
- "Vendor staff" is one permission, STAFF_PERM held globally: `is_staff(user)`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import Organization, OrganizationUserPermission, User

# Vendor staff hold this codename through every staff group, and customers never do.
STAFF_PERM = "accounts.view_vendor_workspace"


def _is_active(user) -> bool:
    return user.is_authenticated and user.is_active


def has_global_perm(user, perm: str) -> bool:
    return _is_active(user) and user.has_perm(perm)


def is_staff(user) -> bool:
    """Whether the user works for the vendor (dispatcher, consultant, vendor admin)."""
    return has_global_perm(user, STAFF_PERM)


def _object_perms(user) -> dict[int, frozenset[str]]:
    """organization id -> codenames the user holds there through an active membership (cached)."""
    if "_organization_perms" not in user.__dict__:
        rows = OrganizationUserPermission.objects.filter(
            user=user,
            content_object__is_active=True,
            content_object__memberships__user=user,
            content_object__memberships__is_active=True,
        ).values_list("content_object_id", "permission__content_type__app_label", "permission__codename")
        perms: dict[int, set[str]] = {}
        for organization_id, app_label, codename in rows:
            perms.setdefault(organization_id, set()).add(f"{app_label}.{codename}")
        user.__dict__["_organization_perms"] = {pk: frozenset(codes) for pk, codes in perms.items()}
    return user.__dict__["_organization_perms"]


@dataclass(frozen=True)
class Scope:
    """The organizations where a user holds a permission: all of them (held globally) or the listed ids.
    An empty scope is false, so `if not scope` reads "nowhere"."""

    everywhere: bool = False
    ids: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return self.everywhere or bool(self.ids)

    def __contains__(self, organization) -> bool:
        pk = organization.pk if isinstance(organization, Model) else organization
        return self.everywhere or pk in self.ids

    def q(self, field: str = "organization") -> Q:
        """A filter on `field` (a foreign key to Organization, or "pk" on Organization itself)."""
        if self.everywhere:
            return Q()
        return Q(**{f"{field}__in": sorted(self.ids)})

    def filter(self, queryset: QuerySet, field: str = "organization") -> QuerySet:
        return queryset if self.everywhere else queryset.filter(self.q(field))

    @property
    def key(self) -> str:
        """A short stable text for cache keys."""
        return "all" if self.everywhere else ",".join(map(str, sorted(self.ids)))


NOWHERE = Scope()
EVERYWHERE = Scope(everywhere=True)


def organization_scope(user, perm: str) -> Scope:
    """Where the user may do `perm`."""
    if not _is_active(user):
        return NOWHERE
    if user.has_perm(perm):
        return EVERYWHERE
    return Scope(ids=frozenset(pk for pk, perms in _object_perms(user).items() if perm in perms))


def organizations_with_perm(user, perm: str) -> QuerySet[Organization]:
    """The organizations for which the user holds the permission, filtered in SQL."""
    return organization_scope(user, perm).filter(Organization.objects.all(), field="pk")


def perms_in_organization(user, organization: Organization | None) -> frozenset[str]:
    """Every codename the user holds for the organization, global or object."""
    if not _is_active(user):
        return frozenset()
    global_perms = frozenset(user.get_all_permissions())
    if organization is None:
        return global_perms
    return global_perms | _object_perms(user).get(organization.pk, frozenset())


def has_org_perm(user, perm: str, organization: Organization) -> bool:
    """Whether the user may do `perm` in `organization`."""
    return perm in perms_in_organization(user, organization)


# --- Guarding views -----------------------------------------------------------------------------------------

# Where a view's permission must be held.
ANYWHERE = "anywhere"  # globally or in at least one organization; the view's selectors narrow the rows
GLOBALLY = "globally"  # globally: the vendor's own functions (queue, organizations, knowledge editing)
CURRENT_ORGANIZATION = "current organization"  # in the organization the user works in (request.membership)


def is_allowed(request, perm: str, where: str = ANYWHERE) -> bool:
    user = request.user
    if where == GLOBALLY:
        return has_global_perm(user, perm)
    if where == CURRENT_ORGANIZATION:
        membership = request.membership  # a lazy object: test its truth, it is never None itself
        return bool(membership) and has_org_perm(user, perm, membership.organization)
    return bool(organization_scope(user, perm))


def require_perm(perm: str, *, where: str = ANYWHERE):
    """View decorator: 403 unless the user holds `perm` where the view needs it. Objects of another
    organization are still refused by the view's get_<noun>_for selector, with 404."""
    if where not in (ANYWHERE, GLOBALLY, CURRENT_ORGANIZATION):
        raise ValueError(f"require_perm: unknown where={where!r}")

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not is_allowed(request, perm, where):
                raise PermissionDenied(perm)
            return view(request, *args, **kwargs)

        guarded.required_perm = (perm, where)
        return guarded

    return decorator


# --- Objects the user may not see ---------------------------------------------------------------------------


class NotVisible(Http404):
    """A 404 for an object asked for by `lookup` that the user may not see: the same page as a missing
    object, but an attempt on one that exists (another organization's) is audited as a denial."""

    def __init__(self, model: type[Model], **lookup):
        super().__init__()
        self.model = model
        self.lookup = lookup

    def exists(self) -> bool:
        """Whether the object exists at all: asked only when the denial is audited, never when allowed."""
        return self.model._base_manager.filter(**self.lookup).exists()


def get_visible_or_404(queryset: QuerySet, **lookup):
    """get_object_or_404 for a `<noun>s_visible_to(user)` QuerySet: raises NotVisible."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise NotVisible(queryset.model, **lookup) from None


# --- Who holds a permission ---------------------------------------------------------------------------------


def users_with_perm(perm: str, organization: Organization | int | Iterable | None = None) -> QuerySet[User]:
    """Active users who hold `perm` in `organization` (one, its id, several, or None for any organization)
    through an active membership of an active organization. Staff who hold it globally are not in it: this
    answers "who of the customer's people", e.g. whom to notify or who may approve."""
    app_label, codename = perm.split(".")
    grants = OrganizationUserPermission.objects.filter(
        user=OuterRef("pk"),
        permission__content_type__app_label=app_label,
        permission__codename=codename,
        content_object__is_active=True,
        content_object__memberships__user=OuterRef("pk"),
        content_object__memberships__is_active=True,
    )
    if organization is not None:
        if isinstance(organization, Organization | int):
            organization = [organization]
        grants = grants.filter(content_object__in=organization)
    return User.objects.filter(Exists(grants), is_active=True)


def audience_q(
    user,
    perm: str,
    model,
    *,
    restricted: str = "is_restricted",
    audience: str | Callable[[Scope], Q] = "organizations",
) -> Q:
    """The rule for content meant for some organizations only (a document for those that license its
    module, news for chosen customers), as a filter on `model`: a global holder of `perm` (staff) sees it
    all; a customer sees the unrestricted rows and the restricted rows admitted for an organization where
    they hold `perm`. The audience is an explicit list, the `audience` relation to Organization (news), or
    a function of the user's Scope that returns the admitted rows as a filter on `model` (documents: the
    modules the scope's organizations license, asked of licensing by docs, as this base app knows no
    licences)."""
    scope = organization_scope(user, perm)
    if scope.everywhere:
        return Q()
    if not scope:
        return Q(pk__in=[])
    if callable(audience):
        return Q(**{restricted: False}) | audience(scope)
    admitted = model.objects.filter(scope.q(audience)).values("pk")
    return Q(**{restricted: False}) | Q(pk__in=admitted)

"""The one permission helper: may this user do P for this organization (DESIGN.md §2).

A permission is held globally (vendor staff, through their group) or as a django-guardian object permission
on an Organization (a customer role, granted by accounts.services). Django's ModelBackend answers only
global permissions, guardian only object ones: these functions ask both, so no view has to. A user's
object permissions are read in one query and kept on the user object for the rest of the request.
"""

from django.db.models import Q, QuerySet

from accounts.models import Organization, OrganizationUserPermission


def _is_active(user) -> bool:
    return user.is_authenticated and user.is_active


def has_global_perm(user, perm: str) -> bool:
    return _is_active(user) and user.has_perm(perm)


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


def organization_ids_with_perm(user, perm: str) -> list[int] | None:
    """Ids of the organizations where the user may do `perm`; None means every organization (staff)."""
    if not _is_active(user):
        return []
    if user.has_perm(perm):
        return None
    return sorted(pk for pk, perms in _object_perms(user).items() if perm in perms)


def organizations_with_perm(user, perm: str) -> QuerySet[Organization]:
    """The organizations for which the user holds the permission, filtered in SQL."""
    ids = organization_ids_with_perm(user, perm)
    return Organization.objects.all() if ids is None else Organization.objects.filter(pk__in=ids)


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


def audience_q(
    user, perm: str, model, *, restricted: str = "is_restricted", audience: str = "organizations"
) -> Q:
    """The rule for content meant for some organizations only (a document for those that license its
    module, news for chosen customers), as a filter on `model`: a global holder of `perm` (staff) sees it
    all; a customer sees the unrestricted rows and the restricted rows whose audience names an organization
    where they hold `perm`. Today the audience is the explicit list in the `audience` relation; when
    licensing exists, the organizations that license the module will be looked up here instead."""
    ids = organization_ids_with_perm(user, perm)
    if ids is None:
        return Q()
    if not ids:
        return Q(pk__in=[])
    admitted = model.objects.filter(**{f"{audience}__in": ids}).values("pk")
    return Q(**{restricted: False}) | Q(pk__in=admitted)

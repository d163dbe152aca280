"""The one permission helper: may this user do P for this organization (DESIGN.md §2).

A permission is held globally (vendor staff, through their group) or as a django-guardian object permission
on an Organization (a customer role, granted by accounts.services). Django's ModelBackend answers only
global permissions, guardian only object ones: these functions ask both, so no view has to.
"""

from django.db.models import QuerySet

from accounts.models import Organization, OrganizationUserPermission


def has_global_perm(user, perm: str) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(perm)


def organizations_with_perm(user, perm: str) -> QuerySet[Organization]:
    """The active organizations for which the user holds the permission, filtered in SQL."""
    if not (user.is_authenticated and user.is_active):
        return Organization.objects.none()
    if user.has_perm(perm):
        return Organization.objects.all()
    app_label, codename = perm.split(".", 1)
    return Organization.objects.filter(
        is_active=True,
        memberships__user=user,
        memberships__is_active=True,
        user_permissions__user=user,
        user_permissions__permission__codename=codename,
        user_permissions__permission__content_type__app_label=app_label,
    ).distinct()


def has_org_perm(user, perm: str, organization: Organization) -> bool:
    """Whether the user may do `perm` in `organization`."""
    if not (user.is_authenticated and user.is_active):
        return False
    return perm in perms_in_organization(user, organization)


def perms_in_organization(user, organization: Organization | None) -> frozenset[str]:
    """Every codename the user holds for the organization, global or object; one query, cached on the user."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if organization is None:
        return frozenset(user.get_all_permissions())
    cache = user.__dict__.setdefault("_organization_perm_cache", {})
    if organization.pk not in cache:
        held = OrganizationUserPermission.objects.filter(
            user=user,
            content_object=organization,
            content_object__is_active=True,
            content_object__memberships__user=user,
            content_object__memberships__is_active=True,
        ).values_list("permission__content_type__app_label", "permission__codename")
        cache[organization.pk] = frozenset(user.get_all_permissions()) | {f"{a}.{c}" for a, c in held}
    return cache[organization.pk]

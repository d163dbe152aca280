"""Organizations, customers and vendor staff of the generated data, made the way the portal makes them:
memberships carry roles and the roles' django-guardian rows (accounts.roles), staff hold the real groups.

A few hundred people: the ORM's bulk_create is quick enough, and rows are computed from the same role lists
the membership service uses, so permissions are exactly what the service would grant.
"""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission

from accounts.models import Membership, Organization, OrganizationUserPermission, User
from accounts.roles import Role, StaffGroup, permissions_for_roles

from .words import company_name, person_name

BENCH_PASSWORD = "bench-password-2026"  # noqa: S105  (bench data only)
CONSULTANTS = 10
AVAILABLE_CONSULTANTS = 6
EMAIL_DOMAIN = "bench.jupiter.test"


@dataclass
class People:
    organizations: list[Organization]
    weights: list[float]  # share of the cases of each organization
    customers: dict[int, list[User]]  # organization id -> its members
    consultants: list[User]
    dispatcher: User
    vendor_admin: User
    customer: User = field(default=None)  # the STANDARD persona of the biggest organization


def _oib(number: int) -> str:
    """A valid OIB (ISO 7064, MOD 11,10) for a sequence number, apart from the demo and test OIBs."""
    digits = f"{8_000_000_000 + number:010d}"
    remainder = 10
    for digit in digits:
        remainder = (remainder + int(digit)) % 10 or 10
        remainder = remainder * 2 % 11
    return digits + str((11 - remainder) % 10)


def _organizations(count: int) -> list[Organization]:
    organizations = [
        Organization(
            name=company_name(index),
            oib=_oib(index),
            address=f"Ulica {index + 1}, 10000 Zagreb",
            language="en" if index % 5 == 4 else "hr",
            # A few organizations show standard users only their own cases; never the biggest one, whose
            # standard user is the persona that sees every case of the organization.
            standard_users_see_own_cases_only=index % 10 == 7,
        )
        for index in range(count)
    ]
    return Organization.objects.bulk_create(organizations)


def _roles_of(position: int) -> list[str]:
    """The first member administers the organization; a few hold the financial or system role."""
    roles = [Role.STANDARD]
    if position == 0:
        roles.append(Role.ADMIN)
    elif position % 7 == 3:
        roles.append(Role.FIN_ADMIN)
    elif position % 7 == 5:
        roles.append(Role.SYS_ADMIN)
    return sorted(roles, key=list(Role).index)


def _permission_ids() -> dict[str, int]:
    return {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }


def _members(organizations, weights, customers, rng, password) -> dict[int, list[User]]:
    users, placements = [], []
    for index, (organization, weight) in enumerate(zip(organizations, weights, strict=True)):
        for position in range(3 + round(customers * weight)):
            email = f"korisnik{position + 1}@org{index + 1}.{EMAIL_DOMAIN}"
            users.append(User(email=email, full_name=person_name(rng), password=password, language="hr"))
            placements.append((organization, position))
    User.objects.bulk_create(users)
    by_name = _permission_ids()
    memberships, grants = [], []
    customers: dict[int, list[User]] = {}
    for user, (organization, position) in zip(users, placements, strict=True):
        roles = _roles_of(position)
        memberships.append(Membership(user=user, organization=organization, roles=roles))
        grants.extend(
            OrganizationUserPermission(user=user, content_object=organization, permission_id=by_name[perm])
            for perm in permissions_for_roles(roles)
        )
        customers.setdefault(organization.pk, []).append(user)
    Membership.objects.bulk_create(memberships)
    OrganizationUserPermission.objects.bulk_create(grants)
    return customers


def _staff(rng, password) -> tuple[User, list[User], User]:
    from cases.models import ConsultantStatus

    def make(email, group, **fields):
        user = User.objects.create(
            email=f"{email}@{EMAIL_DOMAIN}", full_name=person_name(rng), password=password, **fields
        )
        user.groups.add(Group.objects.get(name=group))
        return user

    dispatcher = make("dispecer", StaffGroup.DISPATCHER)
    consultants = [make(f"konzultant{n}", StaffGroup.CONSULTANT) for n in range(1, CONSULTANTS + 1)]
    vendor_admin = make("admin", StaffGroup.VENDOR_ADMIN, is_staff=True)
    ConsultantStatus.objects.bulk_create(
        ConsultantStatus(user=user, is_available=n < AVAILABLE_CONSULTANTS)
        for n, user in enumerate(consultants)
    )
    return dispatcher, consultants, vendor_admin


def people_create(rng: random.Random, organizations: int, customers: int = 400) -> People:
    """Organizations with members in every role (3 each, and `customers` more spread by size), and vendor
    staff in their groups."""
    password = make_password(BENCH_PASSWORD)
    orgs = _organizations(organizations)
    # Case volume falls off with size (a power law): the biggest customer logs about a tenth of the cases.
    raw = [1 / (index + 1) ** 0.7 for index in range(organizations)]
    weights = [value / sum(raw) for value in raw]
    members = _members(orgs, weights, customers, rng, password)
    dispatcher, consultants, vendor_admin = _staff(rng, password)
    people = People(orgs, weights, members, consultants, dispatcher, vendor_admin)
    people.customer = members[orgs[0].pk][1]  # position 1: STANDARD only
    return people

"""Demo part of accounts (seed_demo): the vendor's staff and three customer organizations with one user per
role. The other apps' parts build on these constants."""

from base64 import b32encode

from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services, two_factor
from accounts.models import Membership, Organization, User
from accounts.roles import Role, StaffGroup

DEMO_PASSWORD = "jupiter-demo-2026"  # noqa: S105  (printed and in the README on purpose)
# The authenticator key of every demo user who must sign in with a second factor (staff, ADMINs, FIN_ADMINs):
# printed in base32 for an authenticator app, and `manage.py demo_code` shows its current code.
DEMO_TOTP_KEY = "6a7570697465722d64656d6f2d323032362d6f6b"  # noqa: S105  (public on purpose)

STAFF = [
    ("dispecer@jupiter-software.hr", "Dora Dispečer", StaffGroup.DISPATCHER),
    ("konzultant1@jupiter-software.hr", "Ivan Horvat", StaffGroup.CONSULTANT),
    ("konzultant2@jupiter-software.hr", "Ana Kovačević", StaffGroup.CONSULTANT),
    ("konzultant3@jupiter-software.hr", "Marko Babić", StaffGroup.CONSULTANT),
    ("admin@jupiter-software.hr", "Vesna Vendor", StaffGroup.VENDOR_ADMIN),
]

ORGANIZATIONS = [
    ("Jadran Prehrana d.o.o.", "12345678903", "Riva 12, 21000 Split", "hr", "jadran", "Jadran"),
    (
        "Slavonija Logistika d.d.",
        "23456789013",
        "Trg slobode 4, 31000 Osijek",
        "hr",
        "slavonija",
        "Slavonija",
    ),
    ("Northwind Trading Ltd.", "34567890125", "Ilica 200, 10000 Zagreb", "en", "northwind", "Northwind"),
]

ROLE_USERS = [
    ("korisnik", "Standard", [Role.STANDARD]),
    ("admin", "Admin", [Role.ADMIN]),
    ("financije", "Financije", [Role.FIN_ADMIN]),
    ("sistem", "Sistem", [Role.SYS_ADMIN]),
    ("fin-sys", "Fin Sys", [Role.FIN_ADMIN, Role.SYS_ADMIN]),
]

# OIBs of earlier demos, without a correct check digit (billing checks it): a demo database made then is
# corrected rather than given a second organization of the same name.
FORMER_OIBS = {"23456789018": "23456789013", "34567890127": "34567890125"}

# A user of the first two organizations: fin. admin in the first, standard in the second.
SHARED_USER = ("dvije.tvrtke@demo.hr", "Petra Dvije Tvrtke")


def seed() -> str:
    """Create (or complete) the demo staff, organizations and memberships."""
    for email, name, group in STAFF:
        user = _user(email, name)
        user.groups.add(Group.objects.get(name=group))
        if group == StaffGroup.VENDOR_ADMIN and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    for former, oib in FORMER_OIBS.items():
        Organization.objects.filter(oib=former).update(oib=oib)
    organizations = []
    for name, oib, address, language, slug, short in ORGANIZATIONS:
        organization, _created = Organization.objects.get_or_create(
            oib=oib, defaults={"name": name, "address": address, "language": language}
        )
        organizations.append(organization)
        for prefix, label, roles in ROLE_USERS:
            user = _user(f"{prefix}@{slug}.demo", f"{label} {short}", language=language)
            _member(organization, user, roles)
    shared = _user(*SHARED_USER)
    _member(organizations[0], shared, [Role.FIN_ADMIN])
    _member(organizations[1], shared, [Role.STANDARD])
    _authenticators(User.objects.filter(email__in=[email for email, _what in logins()]))
    users = User.objects.filter(email__in=[email for email, _what in logins()]).count()
    return f"{users} demo users, {len(organizations)} organizations"


def logins() -> list[tuple[str, str]]:
    """Every demo login with who it is, in the order they are shown."""
    rows = [(email, str(group.label)) for email, _name, group in STAFF]
    for name, _oib, _address, _language, slug, _short in ORGANIZATIONS:
        for prefix, _label, roles in ROLE_USERS:
            rows.append((f"{prefix}@{slug}.demo", f"{name}: {', '.join(str(Role(r).label) for r in roles)}"))
    rows.append((SHARED_USER[0], f"{ORGANIZATIONS[0][0]} + {ORGANIZATIONS[1][0]}"))
    return rows


def welcome() -> list[str]:
    """The demo logins as `runserver --demo` prints them."""
    rows = logins()
    width = max(len(email) for email, _what in rows)
    return [
        f"Every demo login uses the password {DEMO_PASSWORD}",
        *(f"  {email.ljust(width)}  {what}{' *' if email in _code_logins() else ''}" for email, what in rows),
        "* staff, administrators and financial administrators then give a sign-in code: add the key",
        f"  {demo_totp_secret()}  to an authenticator app, or run `python manage.py demo_code`.",
    ]


def _code_logins() -> set[str]:
    """The demo logins asked for a second factor (accounts.two_factor.is_required), without the database."""
    needs = {email for email, _name, _group in STAFF} | {SHARED_USER[0]}  # FIN_ADMIN in the first
    for _name, _oib, _address, _language, slug, _short in ORGANIZATIONS:
        needs |= {
            f"{prefix}@{slug}.demo"
            for prefix, _label, roles in ROLE_USERS
            if set(roles) & set(two_factor.REQUIRING_ROLES)
        }
    return needs


def demo_totp_secret() -> str:
    return b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()


def demo_totp_code() -> str:
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY)):06d}"


def _authenticators(users) -> None:
    """The demo key as the authenticator of each user who must have a second factor."""
    for user in users:
        if two_factor.is_required(user) and not two_factor.has_authenticator(user):
            TOTPDevice.objects.create(user=user, name="Demo", key=DEMO_TOTP_KEY, confirmed=True)


def _user(email, full_name, language="hr"):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=full_name, language=language
        )
    return user


def _member(organization, user, roles):
    membership = Membership.objects.filter(organization=organization, user=user, is_active=True).first()
    if membership is None or set(roles) - set(membership.roles):
        services.member_add(organization=organization, user=user, roles=roles, by=None)

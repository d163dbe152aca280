"""Demo data for `make run`: the vendor's staff and three customer organizations. Safe to run again."""

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import services
from accounts.models import Membership, Organization, User
from accounts.roles import Role, StaffGroup

DEMO_PASSWORD = "jupiter-demo-2026"  # noqa: S105  (printed and in the README on purpose)

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
        "23456789018",
        "Trg slobode 4, 31000 Osijek",
        "hr",
        "slavonija",
        "Slavonija",
    ),
    ("Northwind Trading Ltd.", "34567890127", "Ilica 200, 10000 Zagreb", "en", "northwind", "Northwind"),
]

ROLE_USERS = [
    ("korisnik", "Standard", [Role.STANDARD]),
    ("admin", "Admin", [Role.ADMIN]),
    ("financije", "Financije", [Role.FIN_ADMIN]),
    ("sistem", "Sistem", [Role.SYS_ADMIN]),
    ("fin-sys", "Fin Sys", [Role.FIN_ADMIN, Role.SYS_ADMIN]),
]


class Command(BaseCommand):
    help = "Create (or complete) the demo vendor staff and customer organizations."

    @transaction.atomic
    def handle(self, *args, **options):
        logins = []
        for email, name, group in STAFF:
            user = self._user(email, name)
            user.groups.add(Group.objects.get(name=group))
            if group == StaffGroup.VENDOR_ADMIN and not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            logins.append((email, group.label))
        organizations = []
        for name, oib, address, language, slug, short in ORGANIZATIONS:
            organization, _created = Organization.objects.get_or_create(
                oib=oib, defaults={"name": name, "address": address, "language": language}
            )
            organizations.append(organization)
            for prefix, label, roles in ROLE_USERS:
                email = f"{prefix}@{slug}.demo"
                user = self._user(email, f"{label} {short}", language=language)
                self._member(organization, user, roles)
                logins.append((email, f"{organization.name}: {', '.join(str(Role(r).label) for r in roles)}"))
        shared = self._user("dvije.tvrtke@demo.hr", "Petra Dvije Tvrtke")
        self._member(organizations[0], shared, [Role.FIN_ADMIN])
        self._member(organizations[1], shared, [Role.STANDARD])
        logins.append((shared.email, f"{organizations[0].name} + {organizations[1].name}"))

        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Every demo login uses the password {DEMO_PASSWORD}")
        )
        width = max(len(email) for email, _ in logins)
        for email, what in logins:
            self.stdout.write(f"  {email.ljust(width)}  {what}")
        call_command("seed_cases", stdout=self.stdout)
        call_command("seed_knowledge", stdout=self.stdout)

    def _user(self, email, full_name, language="hr"):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=full_name, language=language
            )
        return user

    def _member(self, organization, user, roles):
        membership = Membership.objects.filter(organization=organization, user=user, is_active=True).first()
        if membership is None or set(roles) - set(membership.roles):
            services.member_add(organization=organization, user=user, roles=roles, by=None)

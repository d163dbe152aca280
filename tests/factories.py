"""factory_boy factories: each builds the minimum valid object; what a test depends on, the test sets."""

import factory

from accounts import services
from accounts.models import Organization, User
from cases import services as case_services
from cases.models import Case, Category
from releases.models import Module, Product
from tests.two_factor import authenticator_if_required

PASSWORD = "correct-horse-battery-staple"


def module_get(code: str = "finance", name_hr: str = "", name_en: str = "") -> Module:
    """A module of the catalogue, made if missing (a transactional test flushes the migrations' rows)."""
    product, _created = Product.objects.get_or_create(code="jupiter-erp", defaults={"name": "Jupiter ERP"})
    module, _created = Module.objects.get_or_create(
        code=code,
        defaults={
            "product": product,
            "name_hr": name_hr or code.capitalize(),
            "name_en": name_en or code.capitalize(),
        },
    )
    return module


def oib_check_digit(first_ten: str) -> str:
    """The OIB control digit (ISO 7064, MOD 11,10) of the first ten digits."""
    remainder = 10
    for digit in first_ten:
        remainder = (remainder + int(digit)) % 10 or 10
        remainder = remainder * 2 % 11
    return str((11 - remainder) % 10)


def oib(number: int) -> str:
    """A valid, unique OIB for a sequence number (kept apart from the demo data's OIBs)."""
    first_ten = f"{7_000_000_000 + number:010d}"
    return first_ten + oib_check_digit(first_ten)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Sequence(lambda n: f"User {n}")
    # Tests read the source language, whatever the Croatian catalogue holds; Croatian is tested on purpose.
    language = "en"
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n} d.o.o.")
    oib = factory.Sequence(oib)
    language = "en"


def member_create(organization: Organization, roles=(), **user_fields) -> User:
    """A new user made an active member through the membership service, so their permissions are real."""
    user = UserFactory(**user_fields)
    services.member_add(organization=organization, user=user, roles=list(roles), by=None)
    authenticator_if_required(user)  # an ADMIN or FIN_ADMIN signs in with a second factor
    return user


def category_get(code: str = "problem") -> Category:
    """A case category; the data migration's rows are gone after a transactional test flushes the database."""
    category, _created = Category.objects.get_or_create(
        code=code, defaults={"name_hr": code.capitalize(), "name_en": code.capitalize()}
    )
    return category


def case_create(organization: Organization, reporter: User, **fields) -> Case:
    """A case logged through cases.services.case_create, so its reference, timeline, watcher and
    auto-assignment are the real ones."""
    fields.setdefault("category", category_get())
    fields.setdefault("title", "Invoice printing fails")
    fields.setdefault("description", "Printing an invoice shows an empty page.")
    return case_services.case_create(organization=organization, reporter=reporter, **fields)


def case_form_data(**extra) -> dict:
    """What a customer types into the new-case form (category from the catalogue), and `extra` fields."""
    return {
        "title": "Stock report is wrong",
        "category": category_get().pk,
        "priority": "high",
        "description": "The totals differ from the warehouse list.",
        **extra,
    }

"""What an organization may use, as other apps ask it (cases, docs, releases): the product covered, support
active, the modules licensed today, the organizations licensing a module, and many organizations' facts in
one query."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from licensing import selectors
from licensing.models import Granule
from licensing.tests.factories import licence_make
from releases.models import Product
from tests.factories import OrganizationFactory, module_get


def test_product_access_covers_the_licensed_product_with_support_until_its_end(organization):
    today = timezone.localdate()
    licence = licence_make(organization, support_until=today + timedelta(days=10))
    product = licence.products.get()
    other_product = Product.objects.create(code="pos", name="Jupiter POS")

    access = selectors.product_access(organization, product)
    assert (access.covered, access.support_active, access.support_until) == (
        True,
        True,
        today + timedelta(days=10),
    )
    assert selectors.product_access(organization, other_product) == selectors.NO_ACCESS
    assert selectors.product_access(OrganizationFactory(), product) == selectors.NO_ACCESS


def test_support_ended_leaves_the_product_covered_and_says_until_when(organization):
    yesterday = timezone.localdate() - timedelta(days=1)
    product = licence_make(organization, support_until=yesterday).products.get()
    access = selectors.product_access(organization, product.pk)
    assert access.covered and not access.support_active
    assert access.support_until == yesterday


def test_a_suspended_or_expired_or_past_licence_covers_nothing(organization, other_organization):
    today = timezone.localdate()
    suspended = licence_make(organization, is_suspended=True)
    assert selectors.product_access(organization, suspended.products.get()) == selectors.ProductAccess(
        covered=False, support_active=False, support_until=suspended.support_until
    )
    assert selectors.licensed_module_ids(organization) == set()

    expired = licence_make(
        other_organization, valid_from=today - timedelta(days=400), valid_until=today - timedelta(days=1)
    )
    assert not selectors.product_access(other_organization, expired.products.get()).covered
    assert selectors.licensed_module_ids(other_organization) == set()


def test_licensed_modules_are_the_granules_valid_today(organization):
    today = timezone.localdate()
    licence = licence_make(organization, modules=["finance", "sales", "warehouse"])
    Granule.objects.filter(licence=licence, module__code="sales").update(
        valid_until=today - timedelta(days=1)
    )
    Granule.objects.filter(licence=licence, module__code="warehouse").update(
        valid_from=today + timedelta(days=1)
    )
    licence_make(organization, modules=["production"], is_current=False)  # a past licence counts for nothing

    assert selectors.licensed_module_ids(organization) == {module_get("finance").pk}
    assert selectors.licensed_module_ids(organization.pk) == {module_get("finance").pk}


def test_the_organizations_licensing_a_module(organization, other_organization):
    licence_make(organization, modules=["finance", "sales"])
    licence_make(other_organization, modules=["finance"], is_suspended=True)
    third = OrganizationFactory()
    licence_make(third, modules=["finance"])

    finance, sales = module_get("finance"), module_get("sales")
    assert set(selectors.organizations_licensing_module(finance)) == {organization, third}
    assert list(selectors.organizations_licensing_module(sales.pk)) == [organization]


def test_licence_facts_of_many_organizations_in_one_query(organization, other_organization):
    today = timezone.localdate()
    licence_make(organization, modules=["finance", "sales"])
    licence_make(other_organization, modules=["finance"], support_until=today - timedelta(days=1))
    without = OrganizationFactory()
    finance, sales = module_get("finance"), module_get("sales")

    with CaptureQueriesContext(connection) as queries:
        facts = selectors.licence_facts([organization.pk, other_organization.pk, without.pk])
    assert len(queries) == 1
    assert facts[organization.pk] == selectors.LicenceFacts(frozenset({finance.pk, sales.pk}), True)
    assert facts[other_organization.pk] == selectors.LicenceFacts(frozenset({finance.pk}), False)
    assert facts.get(without.pk, selectors.NO_FACTS) == selectors.NO_FACTS
    assert facts[organization.pk].covers(sales.pk) and not facts[other_organization.pk].covers(sales.pk)
    assert not selectors.NO_FACTS.covers(None)


def test_licence_facts_of_a_suspended_licence_license_nothing(organization):
    licence_make(organization, modules=["finance"], is_suspended=True)
    assert selectors.licence_facts([organization.pk])[organization.pk] == selectors.NO_FACTS


def test_licence_current_is_the_current_one(organization):
    assert selectors.licence_current(organization) is None
    licence_make(organization, is_current=False)
    current = licence_make(organization)
    assert selectors.licence_current(organization) == current

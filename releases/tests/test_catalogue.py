"""The product catalogue: the modules that cases and documents name live here, under their product."""

import pytest
from django.db.models import ProtectedError

from releases.models import Module, Product
from tests.factories import case_create, member_create

pytestmark = pytest.mark.django_db

MIGRATED_MODULES = {
    "finance",
    "sales",
    "purchasing",
    "warehouse",
    "hr-payroll",
    "production",
    "fixed-assets",
    "reporting",
    "e-invoicing",
}


def test_the_modules_cases_had_are_the_catalogues_under_jupiter_erp():
    """The data migration moved every module of cases (with its id) under the product Jupiter ERP."""
    product = Product.objects.get(code="jupiter-erp")
    assert product.name == "Jupiter ERP"
    assert set(product.modules.values_list("code", flat=True)) == MIGRATED_MODULES


def test_a_new_module_takes_a_fresh_id():
    """The ids were copied, so the migration moved the id sequence past them."""
    product = Product.objects.get(code="jupiter-erp")
    module = Module.objects.create(product=product, code="payroll-plus", name_hr="Plaće+", name_en="Payroll+")
    assert module.pk > max(Module.objects.exclude(pk=module.pk).values_list("pk", flat=True))


def test_a_module_shows_its_name_in_the_readers_language(settings):
    from django.utils import translation

    module = Module.objects.get(code="finance")
    with translation.override("hr"):
        assert str(module) == "Financije i računovodstvo"
    with translation.override("en"):
        assert str(module) == "Finance and accounting"


def test_a_module_named_by_a_case_cannot_be_deleted(organization):
    module = Module.objects.get(code="warehouse")
    case_create(organization, member_create(organization), module=module)
    with pytest.raises(ProtectedError):
        module.delete()

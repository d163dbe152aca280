"""The product modules move from cases (ProductModule) to the catalogue here, under the product "Jupiter ERP":
every row keeps its id, so the modules named by cases, FAQ entries and documents stay the same rows when
their foreign keys are pointed here (cases 0007, docs 0003)."""

from django.db import migrations

PRODUCT = {"code": "jupiter-erp", "name": "Jupiter ERP"}
FIELDS = ("id", "code", "name_hr", "name_en", "is_active", "position")


def _sequence_reset(schema_editor, table):
    # Rows were inserted with their old ids: the next new row must not take one of them.
    schema_editor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
        f"FROM {table}"
    )


def modules_copy(apps, schema_editor):
    Product = apps.get_model("releases", "Product")
    Module = apps.get_model("releases", "Module")
    product, _created = Product.objects.get_or_create(code=PRODUCT["code"], defaults={"name": PRODUCT["name"]})
    old = apps.get_model("cases", "ProductModule").objects.values(*FIELDS)
    Module.objects.bulk_create([Module(product=product, **row) for row in old])
    _sequence_reset(schema_editor, Module._meta.db_table)


def modules_copy_back(apps, schema_editor):
    ProductModule = apps.get_model("cases", "ProductModule")
    ProductModule.objects.bulk_create(
        [ProductModule(**row) for row in apps.get_model("releases", "Module").objects.values(*FIELDS)]
    )
    _sequence_reset(schema_editor, ProductModule._meta.db_table)
    apps.get_model("releases", "Module").objects.all().delete()
    apps.get_model("releases", "Product").objects.filter(code=PRODUCT["code"]).delete()


class Migration(migrations.Migration):
    dependencies = [("releases", "0001_initial"), ("cases", "0006_case_open_indexes")]

    operations = [migrations.RunPython(modules_copy, modules_copy_back)]

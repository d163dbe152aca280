"""The data migration of documents' products: free texts become the catalogue's products, every row kept."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("docs", "0003_module_from_releases")]
AFTER = [("docs", "0005_document_product_foreign_key")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_free_text_products_become_products_of_the_catalogue():
    apps = _migrate(BEFORE)
    Product = apps.get_model("releases", "Product")
    erp = Product.objects.get_or_create(code="jupiter-erp", defaults={"name": "Jupiter ERP"})[0]
    Product.objects.create(code="jupiter-pos", name="Something else")  # its code is taken, not its name
    author = apps.get_model("accounts", "User").objects.create(email="author@example.com")
    texts = ["Jupiter ERP", " jupiter erp ", "Jupiter POS", "", "Jupiter POS"]
    Document = apps.get_model("docs", "Document")
    for number, text in enumerate(texts):
        Document.objects.create(title_en=f"Manual {number}", kind="manual", product=text, created_by=author)

    try:
        apps = _migrate(AFTER)
        Document = apps.get_model("docs", "Document")
        products = dict(Document.objects.values_list("title_en", "product__name"))
        pos = apps.get_model("releases", "Product").objects.get(name="Jupiter POS")

        assert products == {
            "Manual 0": "Jupiter ERP",
            "Manual 1": "Jupiter ERP",
            "Manual 2": "Jupiter POS",
            "Manual 3": "Jupiter ERP",  # a blank text was the field's default
            "Manual 4": "Jupiter POS",
        }
        assert set(Document.objects.filter(product_id=erp.pk).values_list("title_en", flat=True)) == {
            "Manual 0",
            "Manual 1",
            "Manual 3",
        }
        assert pos.code == "jupiter-pos-2"
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_product_migration_goes_back_to_the_texts():
    apps = _migrate(AFTER)
    Product = apps.get_model("releases", "Product")
    pos = Product.objects.create(code="pos", name="Jupiter POS")
    author = apps.get_model("accounts", "User").objects.create(email="author@example.com")
    apps.get_model("docs", "Document").objects.create(
        title_en="Till manual", kind="manual", product=pos, created_by=author
    )

    try:
        apps = _migrate(BEFORE)
        texts = list(apps.get_model("docs", "Document").objects.values_list("product", flat=True))
        assert texts == ["Jupiter POS"]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

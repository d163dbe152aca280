"""Documents named their product in free text; now they point to the catalogue's Product (releases). Each
distinct text finds the product of that name (letter case and surrounding spaces aside) or, when the
catalogue has none, a new product of that name is made: every document keeps its product. A blank text was
the field's default, "Jupiter ERP". Migration 0005 then drops the text and keeps the link."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify

DEFAULT_PRODUCT = "Jupiter ERP"


def _free_code(Product, name: str) -> str:
    base = slugify(name)[:40] or "product"
    code, number = base, 1
    while Product.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    return code


def documents_link_products(apps, schema_editor):
    Document = apps.get_model("docs", "Document")
    Product = apps.get_model("releases", "Product")
    # The oldest product of a name wins when the catalogue has two.
    products = {}
    for product in Product.objects.order_by("-pk"):
        products[product.name.strip().casefold()] = product
    for text in Document.objects.values_list("product", flat=True).distinct().order_by("product"):
        name = (text or "").strip() or DEFAULT_PRODUCT
        product = products.get(name.casefold())
        if product is None:
            product = Product.objects.create(code=_free_code(Product, name), name=name)
            products[name.casefold()] = product
        Document.objects.filter(product=text).update(product_link=product)


def documents_name_products(apps, schema_editor):
    Document = apps.get_model("docs", "Document")
    Product = apps.get_model("releases", "Product")
    for product in Product.objects.filter(pk__in=Document.objects.values("product_link")):
        Document.objects.filter(product_link=product).update(product=product.name[:100])


class Migration(migrations.Migration):
    dependencies = [("docs", "0003_module_from_releases"), ("releases", "0002_catalogue_from_cases")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="product_link",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="releases.product",
                verbose_name="product",
            ),
        ),
        # Apart from the schema changes of 0005: PostgreSQL refuses to alter a table with pending
        # (deferred) foreign key checks in the same transaction.
        migrations.RunPython(documents_link_products, documents_name_products),
    ]

"""The free-text product is gone; the link made by 0004 becomes the document's `product`."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("docs", "0004_document_product_link")]

    operations = [
        migrations.RemoveField(model_name="document", name="product"),
        migrations.RenameField(model_name="document", old_name="product_link", new_name="product"),
        migrations.AlterField(
            model_name="document",
            name="product",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="releases.product",
                verbose_name="product",
            ),
        ),
    ]

"""A restricted document's readers are the organizations whose licence covers its module (licensing): the
hand-kept list of organizations goes. News keeps its chosen organizations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("docs", "0005_document_product_foreign_key")]

    operations = [migrations.RemoveField(model_name="document", name="organizations")]

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_case_module_from_releases"), ("docs", "0003_module_from_releases")]

    operations = [migrations.DeleteModel(name="ProductModule")]

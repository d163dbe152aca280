from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_delete_productmodule"), ("helpdesk", "0005_staged_uploads_from_cases")]

    operations = [migrations.DeleteModel(name="StagedUpload")]

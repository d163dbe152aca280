import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_case_open_indexes"), ("releases", "0002_catalogue_from_cases")]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='module',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='releases.module', verbose_name='product module'),
        ),
    ]

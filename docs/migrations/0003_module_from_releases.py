import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("docs", "0002_knowledge_permissions"), ("releases", "0002_catalogue_from_cases")]

    operations = [
        migrations.AlterField(
            model_name='document',
            name='module',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='releases.module', verbose_name='product module'),
        ),
        migrations.AlterField(
            model_name='faqentry',
            name='module',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='releases.module', verbose_name='product module'),
        ),
    ]

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='Product',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
            ],
            options={
                'verbose_name': 'product',
                'verbose_name_plural': 'products',
                'ordering': ['position', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Module',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_hr', models.CharField(max_length=120, verbose_name='name (Croatian)')),
                ('name_en', models.CharField(max_length=120, verbose_name='name (English)')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('code', models.SlugField(unique=True, verbose_name='code')),
                ('product', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='modules', to='releases.product', verbose_name='product')),
            ],
            options={
                'verbose_name': 'product module',
                'verbose_name_plural': 'product modules',
                'ordering': ['position', 'name_en'],
                'abstract': False,
            },
        ),
    ]

from django.db import migrations

# The case category a disputed statement opens its case in (cases has none for billing).
CODE = "billing"


def seed(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    position = (Category.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    Category.objects.get_or_create(
        code=CODE, defaults={"name_hr": "Obračun i naplata", "name_en": "Billing", "position": position}
    )


def unseed(apps, schema_editor):
    apps.get_model("cases", "Category").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_billing_permissions"), ("cases", "0010_remove_attachment_event_kind")]

    operations = [migrations.RunPython(seed, unseed)]

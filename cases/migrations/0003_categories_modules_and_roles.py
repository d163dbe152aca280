from django.db import migrations

CATEGORIES = [
    ("problem", "Problem / greška", "Problem / bug"),
    ("question", "Pitanje", "Question"),
    ("suggestion", "Prijedlog nove funkcionalnosti", "Suggestion for new functionality"),
    ("change-request", "Zahtjev za promjenu", "Change request"),
    ("other", "Ostalo", "Other"),
]

MODULES = [
    ("finance", "Financije i računovodstvo", "Finance and accounting"),
    ("sales", "Prodaja", "Sales"),
    ("purchasing", "Nabava", "Purchasing"),
    ("warehouse", "Skladište", "Warehouse"),
    ("hr-payroll", "Kadrovska i plaće", "HR and payroll"),
    ("production", "Proizvodnja", "Production"),
    ("fixed-assets", "Osnovna sredstva", "Fixed assets"),
    ("reporting", "Izvještavanje", "Reporting"),
    ("e-invoicing", "e-Račun", "e-Invoicing"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("Category", CATEGORIES), ("ProductModule", MODULES)):
        model = apps.get_model("cases", model_name)
        for position, (code, name_hr, name_en) in enumerate(rows):
            model.objects.get_or_create(code=code, defaults={"name_hr": name_hr, "name_en": name_en, "position": position})
    from accounts.roles import role_permissions_sync, staff_groups_sync

    # Staff groups and existing members gain the cases permissions (accounts.roles is the one list).
    staff_groups_sync(apps)
    role_permissions_sync(apps)


def unseed(apps, schema_editor):
    apps.get_model("cases", "Category").objects.filter(code__in=[c[0] for c in CATEGORIES]).delete()
    apps.get_model("cases", "ProductModule").objects.filter(code__in=[m[0] for m in MODULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_search_configuration"), ("accounts", "0003_organization_case_visibility")]

    operations = [migrations.RunPython(seed, unseed)]

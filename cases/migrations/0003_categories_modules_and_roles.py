from django.db import migrations

from accounts.migrations._grants import roles_grant, staff_groups_grant

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


# The cases permissions of the staff groups and customer roles, as of this migration.
STAFF = {"cases.view_org_cases", "cases.view_all_org_cases", "cases.reply_case", "cases.view_internal",
         "cases.work_case", "cases.view_queue", "cases.analyse_cases"}
STAFF_GRANTS = {"Dispatcher": STAFF | {"cases.assign_case"}, "Consultant": STAFF, "Vendor admin": STAFF | {"cases.assign_case"}}
MEMBER = {"cases.view_org_cases", "cases.create_case", "cases.reply_case", "cases.analyse_cases"}
ROLE_GRANTS = {"STANDARD": MEMBER, "FIN_ADMIN": MEMBER, "SYS_ADMIN": MEMBER, "ADMIN": MEMBER | {"cases.view_all_org_cases"}}


def seed(apps, schema_editor):
    for model_name, rows in (("Category", CATEGORIES), ("ProductModule", MODULES)):
        model = apps.get_model("cases", model_name)
        for position, (code, name_hr, name_en) in enumerate(rows):
            model.objects.get_or_create(code=code, defaults={"name_hr": name_hr, "name_en": name_en, "position": position})
    staff_groups_grant(apps, STAFF_GRANTS)
    roles_grant(apps, ROLE_GRANTS)


def unseed(apps, schema_editor):
    apps.get_model("cases", "Category").objects.filter(code__in=[c[0] for c in CATEGORIES]).delete()
    apps.get_model("cases", "ProductModule").objects.filter(code__in=[m[0] for m in MODULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_search_configuration"), ("accounts", "0003_organization_case_visibility")]

    operations = [migrations.RunPython(seed, unseed)]

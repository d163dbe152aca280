"""Personal audit events (sign-ins, passwords) record the organizations whose logs show them. Events written
before are given the organizations their person had joined by then (the deactivation time of a membership
was not kept), which is what the logs showed until now."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models
from django.db.models import Q


def member_of_fill(apps, schema_editor):
    AuditEvent = apps.get_model("helpdesk", "AuditEvent")
    Membership = apps.get_model("accounts", "Membership")
    joined: dict[int, list] = {}
    for user_id, organization_id, created_at in Membership.objects.values_list("user_id", "organization_id", "created_at"):
        joined.setdefault(user_id, []).append((organization_id, created_at))
    personal = AuditEvent.objects.filter(organization__isnull=True).filter(
        Q(target_type="accounts.user") | Q(actor__isnull=False)
    )
    for event in personal.iterator():
        person = int(event.target_id) if event.target_type == "accounts.user" and event.target_id else event.actor_id
        organizations = sorted({pk for pk, since in joined.get(person, []) if since <= event.created_at})
        if organizations:
            AuditEvent.objects.filter(pk=event.pk).update(member_of=organizations)


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0006_outbox"), ("accounts", "0003_organization_case_visibility")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="member_of",
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, editable=False, size=None),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=django.contrib.postgres.indexes.GinIndex(fields=["member_of"], name="audit_member_of_idx"),
        ),
        migrations.RunPython(member_of_fill, migrations.RunPython.noop),
    ]

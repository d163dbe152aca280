from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('helpdesk', '0012_audit_access_denied_append_only'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxmessage',
            name='request_id',
            field=models.CharField(blank=True, max_length=128),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    """An upload refused because the virus scanner found malware is audited."""

    dependencies = [("helpdesk", "0007_audit_member_of")]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('sign_in', 'Signed in'), ('sign_in_failed', 'Failed sign-in'), ('sign_out', 'Signed out'), ('invitation_sent', 'Invitation sent'), ('invitation_accepted', 'Invitation accepted'), ('role_granted', 'Role granted'), ('role_removed', 'Role removed'), ('member_deactivated', 'Member deactivated'), ('member_added', 'Member added'), ('organization_created', 'Organization created'), ('organization_changed', 'Organization changed'), ('password_changed', 'Password changed'), ('password_reset', 'Password reset'), ('faq_saved', 'FAQ entry saved'), ('document_saved', 'Document saved'), ('document_version_added', 'Document version added'), ('news_saved', 'News post saved'), ('upload_infected', 'Infected upload refused')], max_length=40, verbose_name='what'),
        ),
    ]

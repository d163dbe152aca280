"""Access denials in the audit trail, and the trail append-only in the database itself: a trigger refuses
every UPDATE and DELETE of an audit row, whatever code or SQL asks (helpdesk.services.audit_trail_unlocked is
the owner's way round it, for invented demo and benchmark data only). TRUNCATE is not a row operation and
stays possible for the table's owner (the tests empty the database with it); README, "Audit trail"."""

from django.db import migrations, models

APPEND_ONLY = """
CREATE FUNCTION helpdesk_auditevent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % of helpdesk_auditevent refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER helpdesk_auditevent_append_only
    BEFORE UPDATE OR DELETE ON helpdesk_auditevent
    FOR EACH ROW EXECUTE FUNCTION helpdesk_auditevent_refuse_change();
"""

APPEND_ONLY_REVERSE = """
DROP TRIGGER helpdesk_auditevent_append_only ON helpdesk_auditevent;
DROP FUNCTION helpdesk_auditevent_refuse_change();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('helpdesk', '0011_billing_audit_actions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('sign_in', 'Signed in'), ('sign_in_failed', 'Failed sign-in'), ('sign_out', 'Signed out'), ('invitation_sent', 'Invitation sent'), ('invitation_accepted', 'Invitation accepted'), ('role_granted', 'Role granted'), ('role_removed', 'Role removed'), ('member_deactivated', 'Member deactivated'), ('member_added', 'Member added'), ('organization_created', 'Organization created'), ('organization_changed', 'Organization changed'), ('password_changed', 'Password changed'), ('password_reset', 'Password reset'), ('faq_saved', 'FAQ entry saved'), ('document_saved', 'Document saved'), ('document_version_added', 'Document version added'), ('news_saved', 'News post saved'), ('upload_infected', 'Infected upload refused'), ('release_saved', 'Release saved'), ('release_published', 'Release published'), ('release_file_added', 'Release file added'), ('package_downloaded', 'Upgrade package downloaded'), ('installed_version_set', 'Installed version recorded'), ('licence_changed', 'Licence changed'), ('contract_saved', 'Support contract saved'), ('statement_generated', 'Statement generated'), ('statement_approved', 'Statement approved'), ('statement_disputed', 'Statement disputed'), ('statement_superseded', 'Statement replaced by a new revision'), ('time_logged', 'Consultant time logged'), ('time_changed', 'Consultant time changed'), ('time_deleted', 'Consultant time deleted'), ('access_denied', 'Access denied')], max_length=40, verbose_name='what'),
        ),
        migrations.RunSQL(APPEND_ONLY, APPEND_ONLY_REVERSE),
    ]

"""Who hears about an incident, and what they are told: in-app and by e-mail, in their own language.

Called by monitoring.tasks.incident_notify once the case the incident opened has committed.
"""

import logging

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from helpdesk.notifications import notification_send
from helpdesk.permissions import users_with_perm

from .incidents import AUDIENCE_PERM
from .models import Incident

logger = logging.getLogger(__name__)

# Who hears about each kind of incident event: "monitoring" are the organization's people who see its
# monitoring (SYS_ADMIN and ADMIN hold monitoring.view_monitoring), while they are active members.
# They watch the case from its opening (monitoring.incidents), so its resolution when the component is OK
# again, and its reopening when the component fails again, reach them as the case's status changes
# (cases.notifications, with the time in the change's note): once each, not once more from here.
AUDIENCES: dict[str, frozenset[str]] = {
    "case_opened": frozenset({"monitoring"}),
}


def incident_case_opened_notify(*, incident_id: int, case_id: int) -> int:
    """Tell the organization's monitoring people that an incident opened a case; once per recipient and
    case. Returns how many were told now."""
    incident = (
        Incident.objects.select_related("component__installation__organization", "case")
        .filter(pk=incident_id, case_id=case_id)
        .first()
    )
    if incident is None:  # deleted, or linked to another case meanwhile: that one is announced itself
        return 0
    case, component = incident.case, incident.component
    organization = component.installation.organization
    key = f"monitoring-case-opened:{case.pk}"
    recipients = users_with_perm(AUDIENCE_PERM, organization).exclude(notifications__event_key=key)
    url = case.get_absolute_url()
    told = 0
    for recipient in recipients.order_by("pk"):
        with translation.override(recipient.language):
            since = formats.date_format(timezone.localtime(incident.started_at), "SHORT_DATETIME_FORMAT")
            names = {
                "component": component.name,
                "installation": component.installation.name,
                "reference": case.reference,
                "since": since,
            }
            title = _("%(component)s of %(installation)s is critical: case %(reference)s opened.") % names
        notification_send(
            recipient=recipient,
            key=key,
            verb="monitoring.incident_case_opened",
            title=title,
            url=url,
            email_template="monitoring_incident_case_opened",
            email_context={
                "case": case,
                "incident": incident,
                "component": component,
                "installation": component.installation,
                "since": since,
                "link": settings.PORTAL_BASE_URL + url,
            },
        )
        told += 1
    logger.info("Incident %s opened case %s: notified %s", incident.pk, case.pk, told)
    return told

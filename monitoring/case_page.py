"""The monitoring incident on the page of the case it opened (cases.page_parts): installation, component,
its current state, the critical results counted, since when, and the status page for those who see it."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from helpdesk.permissions import has_org_perm

from .incidents import AUDIENCE_PERM
from .models import Incident, Status

TONES = {
    Status.OK: "success",
    Status.UNKNOWN: "secondary",
    Status.WARNING: "warning",
    Status.CRITICAL: "danger",
}


@dataclass(frozen=True)
class IncidentItem:
    """The incident as a timeline entry, placed where the component turned critical."""

    incident: Incident
    tone: str
    show_status_page: bool
    timeline_template: str = "monitoring/_case_incident.html"

    @property
    def created_at(self) -> datetime:
        return self.incident.started_at


def case_page_part(case, user, *, internal: bool):
    from cases.page_parts import CasePagePart

    # Only the monitoring user reports incident cases: other case pages cost no query.
    if case.reporter.email != settings.MONITORING_REPORTER_EMAIL:
        return CasePagePart()
    incident = Incident.objects.select_related("component__installation").filter(case=case).first()
    if incident is None:
        return CasePagePart()
    item = IncidentItem(
        incident=incident,
        tone=TONES[incident.component.status],
        show_status_page=has_org_perm(user, AUDIENCE_PERM, case.organization),
    )
    return CasePagePart(timeline_items=[item])

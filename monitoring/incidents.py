"""Incidents: a component's critical spell, and the one case it opens in the organization.

The incident starts when the component turns CRITICAL. Once the component has stayed critical for the grace
time (MONITORING_INCIDENT_GRACE_SECONDS) it opens a case (category problem, the component's module, priority
high, written in the organization's language), auto-assigned like any case; the people who see the
organization's monitoring watch it and are told. More critical results only count. Back to OK resolves the
incident and the case, with the time in the status change's note. WARNING and UNKNOWN change nothing.

Flapping: a component critical again within MONITORING_FLAP_WINDOW_SECONDS of its last incident's resolution
reopens that incident, and once the new spell outlasts the grace, reopens its case: one case, not one per
flap. A spell shorter than the grace opens (or reopens) nothing.

Ingestion (services.results_ingest) and the beat tasks call components_evaluate; each evaluation locks the
components it looks at, so two at once take turns, and the partial unique constraint `incident_one_open`
makes a second open incident of a component impossible anyway.

The case's reporter is the portal's own "monitoring" user (monitoring_reporter): nobody of the customer
reported it, an organization may have no SYS_ADMIN, and a person named as reporter would hear of every
change as "their" case and would keep it when they leave. That user is inactive with an unusable password,
so it can never sign in, and as an inactive user it is told nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import formats, timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from cases import services as case_services
from cases.models import Case, Category
from helpdesk import outbox
from helpdesk.permissions import users_with_perm

from . import tasks
from .models import Component, Incident, LatestResult, Status

# The people of an organization who hear of its incidents and watch the cases they open: those who see its
# monitoring (SYS_ADMIN and ADMIN).
AUDIENCE_PERM = "monitoring.view_monitoring"
PROBLEM_CATEGORY = ("problem", "Problem / greška", "Problem / bug")
TITLE_MAX = Case._meta.get_field("title").max_length


def grace() -> timedelta:
    return timedelta(seconds=settings.MONITORING_INCIDENT_GRACE_SECONDS)


def flap_window() -> timedelta:
    return timedelta(seconds=settings.MONITORING_FLAP_WINDOW_SECONDS)


def components_evaluate(component_ids, *, now) -> None:
    """Start, count, open a case for, or resolve the incidents of these components after their state
    changed (or while it is critical). Evaluating again without new results changes nothing."""
    ids = sorted(set(component_ids))
    if not ids:
        return
    with transaction.atomic():
        components = list(
            Component.objects.filter(pk__in=ids)
            .select_related("installation__organization", "module")
            .order_by("pk")
            .select_for_update(of=("self",))
        )
        open_incidents = {
            incident.component_id: incident
            for incident in Incident.objects.filter(component_id__in=ids, resolved_at__isnull=True)
        }
        critical = {}
        for component in components:
            incident = open_incidents.get(component.pk)
            if component.status == Status.CRITICAL:
                critical[component.pk] = incident or _incident_start(component, now)
            elif component.status == Status.OK and incident is not None:
                _incident_resolve(incident, component, now)
        _critical_results_count(list(critical.values()))
        for component in components:
            incident = critical.get(component.pk)
            if incident and incident.opened_at is None and now - component.status_since >= grace():
                _case_open(incident, component, now)


def _incident_start(component: Component, now) -> Incident:
    """The component's last incident if it was resolved within the flap window (reopened), or a new one."""
    recent = (
        Incident.objects.filter(component=component, resolved_at__gte=now - flap_window())
        .order_by("-resolved_at")
        .first()
    )
    if recent is not None:
        recent.resolved_at = None
        recent.opened_at = None  # the case is reopened only once this spell outlasts the grace too
        recent.save(update_fields=["resolved_at", "opened_at"])
        return recent
    # Its critical results are counted from the start of the spell (_critical_results_count).
    return Incident.objects.create(
        component=component,
        started_at=component.status_since,
        last_critical_at=component.status_since - timedelta(microseconds=1),
        critical_results=0,
    )


def _critical_results_count(incidents: list[Incident]) -> None:
    """Add to each incident the critical results stored since its last counted one: one query for all, and
    nothing twice however often a component is evaluated."""
    if not incidents:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT mark.incident_id, count(*), max(result.measured_at)
            FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[])
                AS mark (incident_id, component_id, after)
            JOIN monitoring_check ch ON ch.component_id = mark.component_id
            JOIN monitoring_result result
                ON result.check_item_id = ch.id AND result.measured_at > mark.after AND result.status = %s
            GROUP BY mark.incident_id
            """,
            [
                [incident.pk for incident in incidents],
                [incident.component_id for incident in incidents],
                [incident.last_critical_at for incident in incidents],
                int(Status.CRITICAL),
            ],
        )
        counted = {incident_id: (count, last) for incident_id, count, last in cursor.fetchall()}
    for incident in incidents:
        count, last = counted.get(incident.pk, (0, None))
        if count or incident.critical_results == 0:
            # A new incident counts at least the result that made the component critical.
            incident.critical_results = max(incident.critical_results + count, 1)
            incident.last_critical_at = max(last or incident.started_at, incident.started_at)
            incident.save(update_fields=["critical_results", "last_critical_at"])


def _incident_resolve(incident: Incident, component: Component, now) -> None:
    """The component is OK again: the incident ends, and the case it opened for this spell is resolved."""
    incident.resolved_at = now
    incident.save(update_fields=["resolved_at"])
    if incident.case_id is None or incident.opened_at is None:
        return
    case = Case.objects.select_related("organization").get(pk=incident.case_id)
    if Case.Status.RESOLVED not in case_services.allowed_transitions(case, None):
        return  # staff resolved or closed it already
    with translation.override(case.organization.language):
        note = _("%(component)s of %(installation)s is OK again since %(since)s.") % {
            "component": component.name,
            "installation": component.installation.name,
            "since": _when(component.status_since),
        }
    case_services.case_change_status(case=case, to=Case.Status.RESOLVED, by=None, note=note)


def _case_open(incident: Incident, component: Component, now) -> None:
    """The spell outlasted the grace: open the incident's case, or reopen the one it had."""
    case = incident.case
    if case is not None and not case.is_open:
        case = _case_reopen(case, component)
    if case is None:
        case = _case_create(component)
        incident.case = case
        outbox.enqueue(tasks.incident_notify, incident.pk, case.pk)
    incident.opened_at = now
    incident.save(update_fields=["case", "opened_at"])


def _case_reopen(case: Case, component: Component) -> Case | None:
    """Reopen the incident's resolved case (back to the queue when nobody had it); None when it is too old
    to reopen (REOPEN_DAYS), so a new case is opened instead."""
    case = Case.objects.select_related("organization").get(pk=case.pk)
    to = Case.Status.NEW if case.assignee_id is None else Case.Status.IN_PROGRESS
    if to not in case_services.allowed_transitions(case, None):
        return None
    with translation.override(case.organization.language):
        note = _("%(component)s of %(installation)s is critical again since %(since)s.") % {
            "component": component.name,
            "installation": component.installation.name,
            "since": _when(component.status_since),
        }
    case = case_services.case_change_status(case=case, to=to, by=None, note=note)
    return case_services.case_auto_assign(case=case)


def _case_create(component: Component) -> Case:
    organization = component.installation.organization
    with translation.override(organization.language):
        title, description = _case_texts(component)
    case = case_services.case_create(
        organization=organization,
        reporter=monitoring_reporter(),
        category=problem_category(),
        title=title,
        description=description,
        priority=Case.Priority.HIGH,
        module=component.module,
    )
    # They see the case even where an organization shows its members only their own and watched cases,
    # and hear of its replies and of its resolution (cases.notifications).
    for user in users_with_perm(AUDIENCE_PERM, organization).order_by("pk"):
        case_services.case_watch(case=case, user=user, watch=True)
    return case


def _case_texts(component: Component) -> tuple[str, str]:
    """The case's title and Markdown description in the active language: installation, component, since
    when, and each critical check with its value and message."""
    names = {
        "component": component.name,
        "installation": component.installation.name,
        "since": _when(component.status_since),
    }
    title = Truncator(_("Critical: %(component)s on %(installation)s") % names).chars(TITLE_MAX)
    lines = [
        _(
            "Monitoring reports the component **%(component)s** of the installation **%(installation)s** "
            "critical since %(since)s."
        )
        % {
            **names,
            "component": _markdown_escape(names["component"]),
            "installation": _markdown_escape(names["installation"]),
        },
        "",
        _("Critical checks:"),
        "",
    ]
    latest = LatestResult.objects.filter(check_item__component=component, status=Status.CRITICAL)
    for result in latest.select_related("check_item").order_by("check_item__name"):
        line = f"- **{_markdown_escape(result.check_item.name)}**"
        if result.value is not None:
            line += f": {formats.localize(result.value)} {_markdown_escape(result.unit)}".rstrip()
        if result.message:
            line += f" ({_markdown_escape(result.message)})"
        lines.append(line + " · " + _when(result.measured_at))
    lines += ["", _("The case is resolved by itself once the component is OK again.")]
    return title, "\n".join(lines)


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


MARKDOWN_SPECIAL = str.maketrans({char: "\\" + char for char in "\\`*_{}[]<>()#+-.!|~"})


def _markdown_escape(text: str) -> str:
    """An agent's text shown as written, never as Markdown (a link, a heading), on one line."""
    return " ".join(text.split()).translate(MARKDOWN_SPECIAL)


def monitoring_reporter() -> User:
    """The portal's monitoring user, the reporter of the cases incidents open (made on first need)."""
    user, _created = User.objects.get_or_create(
        email=settings.MONITORING_REPORTER_EMAIL,
        defaults={
            "full_name": "Nadzor sustava / Monitoring",
            "is_active": False,
            "password": make_password(None),
        },
    )
    return user


def problem_category() -> Category:
    code, name_hr, name_en = PROBLEM_CATEGORY
    category, _created = Category.objects.get_or_create(
        code=code, defaults={"name_hr": name_hr, "name_en": name_en}
    )
    return category


def incidents_due(*, now, limit: int = 200) -> int:
    """Open the cases of the incidents whose grace passed without a result since (the beat's minute): the
    agent that reported the component critical may have gone silent. Returns how many components it looked
    at."""
    component_ids = list(
        Incident.objects.filter(
            resolved_at__isnull=True,
            opened_at__isnull=True,
            component__status=Status.CRITICAL,
            component__status_since__lte=now - grace(),
        )
        .order_by("started_at")
        .values_list("component_id", flat=True)[:limit]
    )
    components_evaluate(component_ids, now=now)
    return len(component_ids)

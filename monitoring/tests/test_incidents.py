"""Incidents: a component critical for the grace time opens one case (category problem, its module, priority
high, auto-assigned, watched and told to the organization's SYS_ADMINs and ADMINs); more critical results only
count; OK resolves incident and case; flapping reopens rather than opening another case."""

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.core import mail

from cases import services as case_services
from cases.models import Case, CaseEvent, CaseWatcher
from helpdesk.models import Notification
from monitoring import incidents, tasks
from monitoring.models import Component, Incident, Installation, Status
from monitoring.tests.incident_setup import MINUTE, T0, consultant_available, ingest
from tests.concurrency import run_in_threads
from tests.factories import module_get


@pytest.fixture
def installation(organization):
    return Installation.objects.create(organization=organization, name="Produkcija")


@pytest.fixture
def finance(installation):
    """The component's module, set before it turns critical."""
    component = ingest(installation, Status.OK, -10)
    module = module_get("finance")
    Component.objects.filter(pk=component.pk).update(module=module)
    return module


def status_events(case) -> list[tuple[str, str, str]]:
    return [
        (event.data["old"], event.data["new"], event.body)
        for event in case.events.filter(kind=CaseEvent.Kind.STATUS).order_by("pk")
    ]


def test_a_critical_spell_shorter_than_the_grace_opens_nothing(installation):
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.CRITICAL, 4)
    ingest(installation, Status.OK, 4.5)
    incidents.incidents_due(now=T0 + 10 * MINUTE)

    incident = Incident.objects.get()
    assert incident.resolved_at == T0 + 4.5 * MINUTE
    assert incident.case is None
    assert Case.objects.count() == 0


def test_critical_for_the_grace_opens_one_case_filed_and_assigned_like_any(
    installation, finance, organization, consultant, sys_admin_user, admin_user, standard_user
):
    consultant_available(consultant)
    ingest(installation, Status.CRITICAL, 0, message="Only 3 % left on /var/lib/postgresql")
    assert Case.objects.count() == 0  # not yet: the grace has not passed

    ingest(installation, Status.CRITICAL, 5, message="Only 3 % left on /var/lib/postgresql")

    case = Case.objects.get()
    assert case.organization == organization
    assert (case.category.code, case.module, case.priority) == ("problem", finance, Case.Priority.HIGH)
    assert (case.status, case.assignee) == (Case.Status.ASSIGNED, consultant)
    assert case.title == "Critical: Baza podataka on Produkcija"
    assert "**Baza podataka**" in case.description and "**Produkcija**" in case.description
    assert "**disk free**: 3.5 %" in case.description
    assert "Only 3 % left on /var/lib/postgresql" in case.description.replace("\\", "")
    reporter = case.reporter
    assert (reporter.is_active, is_password_usable(reporter.password)) == (False, False)
    watchers = set(CaseWatcher.objects.filter(case=case).values_list("user", flat=True))
    assert {sys_admin_user.pk, admin_user.pk, consultant.pk} <= watchers
    assert standard_user.pk not in watchers
    incident = Incident.objects.get()
    assert (incident.case, incident.opened_at, incident.started_at) == (case, T0 + 5 * MINUTE, T0)
    assert incident.critical_results == 2


def test_the_case_is_written_in_the_organization_s_language(installation, organization):
    organization.language = "hr"
    organization.save()
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.CRITICAL, 5)

    assert "**disk free**: 3,5 %" in Case.objects.get().description  # Croatian numbers, whoever ingested


def test_a_second_incident_case_has_the_same_reporter(installation, other_organization):
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.CRITICAL, 6)
    other = Installation.objects.create(organization=other_organization, name="Test")
    ingest(other, Status.CRITICAL, 0)
    ingest(other, Status.CRITICAL, 6)

    assert Case.objects.count() == 2
    assert len({case.reporter_id for case in Case.objects.all()}) == 1


def test_more_critical_results_only_count(installation):
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.CRITICAL, 5)
    case = Case.objects.get()
    events = case.events.count()

    ingest(installation, Status.CRITICAL, 10)
    ingest(installation, Status.CRITICAL, 15, check="backup age")
    # Evaluated again without a new result (the beat, a repeated call): nothing more is counted.
    incidents.components_evaluate(Component.objects.values_list("pk", flat=True), now=T0 + 20 * MINUTE)
    incidents.incidents_due(now=T0 + 20 * MINUTE)

    incident = Incident.objects.get()
    assert (incident.critical_results, incident.last_critical_at) == (4, T0 + 15 * MINUTE)
    assert Case.objects.get().pk == case.pk
    assert case.events.count() == events


def test_back_to_ok_resolves_incident_and_case_and_the_customer_can_reopen(
    installation, consultant, sys_admin_user
):
    consultant_available(consultant)
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.CRITICAL, 5)
    ingest(installation, Status.OK, 12)

    incident = Incident.objects.get()
    case = Case.objects.get()
    assert incident.resolved_at == T0 + 12 * MINUTE
    assert case.status == Case.Status.RESOLVED and case.resolved_at is not None
    [(old, new, note)] = status_events(case)
    assert (old, new) == (Case.Status.ASSIGNED, Case.Status.RESOLVED)
    assert note.startswith("Baza podataka of Produkcija is OK again since ")
    assert case.events.get(kind=CaseEvent.Kind.STATUS).author is None  # the portal itself

    case_services.case_change_status(case=case, to=Case.Status.IN_PROGRESS, by=sys_admin_user)
    assert Case.objects.get().status == Case.Status.IN_PROGRESS


def test_warning_and_unknown_neither_open_nor_resolve(installation):
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.WARNING, 3)
    ingest(installation, Status.WARNING, 8)
    assert Case.objects.count() == 0  # the critical spell ended before the grace

    ingest(installation, Status.CRITICAL, 10)
    ingest(installation, Status.CRITICAL, 15)
    ingest(installation, Status.UNKNOWN, 20)
    ingest(installation, Status.WARNING, 25)

    incident = Incident.objects.get()
    assert incident.resolved_at is None
    assert Case.objects.get().status == Case.Status.NEW  # nobody available: waiting in the queue


def test_a_case_staff_resolved_already_is_left_alone_when_the_component_recovers(installation, consultant):
    consultant_available(consultant)
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.CRITICAL, 5)
    case = Case.objects.get()
    case_services.case_change_status(case=case, to=Case.Status.RESOLVED, by=consultant, note="Disk extended.")

    ingest(installation, Status.OK, 10)

    assert Incident.objects.get().resolved_at is not None
    assert [new for _old, new, _note in status_events(case)] == [Case.Status.RESOLVED]


def test_flapping_reopens_the_same_incident_and_case(installation, consultant):
    consultant_available(consultant)
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.CRITICAL, 5)
    ingest(installation, Status.OK, 10)
    ingest(installation, Status.CRITICAL, 20)  # within the flap window: the incident goes on
    assert Case.objects.get().status == Case.Status.RESOLVED  # a spell shorter than the grace reopens nothing
    ingest(installation, Status.OK, 22)
    ingest(installation, Status.CRITICAL, 30)
    ingest(installation, Status.CRITICAL, 36)
    case = Case.objects.get()
    assert (case.status, case.assignee) == (Case.Status.IN_PROGRESS, consultant)
    ingest(installation, Status.OK, 40)

    assert Incident.objects.count() == 1
    assert Case.objects.count() == 1
    incident = Incident.objects.get()
    assert incident.critical_results == 5
    assert incident.resolved_at == T0 + 40 * MINUTE
    moves = status_events(Case.objects.get())
    assert [(old, new) for old, new, _note in moves] == [
        (Case.Status.ASSIGNED, Case.Status.RESOLVED),
        (Case.Status.RESOLVED, Case.Status.IN_PROGRESS),
        (Case.Status.IN_PROGRESS, Case.Status.RESOLVED),
    ]
    assert "is critical again since" in moves[1][2]


def test_critical_again_after_the_flap_window_opens_a_new_incident_and_case(installation):
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.CRITICAL, 5)
    ingest(installation, Status.OK, 10)
    ingest(installation, Status.CRITICAL, 80)
    ingest(installation, Status.CRITICAL, 86)

    assert Incident.objects.count() == 2
    assert Case.objects.count() == 2


def test_an_unassigned_case_goes_back_to_the_queue_when_reopened(installation):
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.CRITICAL, 5)
    assert Case.objects.get().status == Case.Status.NEW
    ingest(installation, Status.OK, 10)
    assert Case.objects.get().status == Case.Status.RESOLVED
    ingest(installation, Status.CRITICAL, 15)
    ingest(installation, Status.CRITICAL, 21)

    case = Case.objects.get()
    assert (case.status, case.assignee, case.resolved_at) == (Case.Status.NEW, None, None)


def test_the_beat_opens_the_case_when_no_result_comes_after_the_grace(installation):
    ingest(installation, Status.CRITICAL, 0)

    assert incidents.incidents_due(now=T0 + 4 * MINUTE) == 0
    assert Case.objects.count() == 0
    assert incidents.incidents_due(now=T0 + 6 * MINUTE) == 1
    assert incidents.incidents_due(now=T0 + 7 * MINUTE) == 0

    assert Incident.objects.get().case == Case.objects.get()


def test_sys_admins_and_admins_are_told_once_when_a_case_opens_and_when_it_resolves(
    installation,
    consultant,
    sys_admin_user,
    admin_user,
    standard_user,
    fin_admin_user,
    other_org_user,
    django_capture_on_commit_callbacks,
):
    consultant_available(consultant)
    with django_capture_on_commit_callbacks(execute=True):
        ingest(installation, Status.CRITICAL, 0)
        ingest(installation, Status.CRITICAL, 5)
        ingest(installation, Status.CRITICAL, 10)
        incidents.incidents_due(now=T0 + 11 * MINUTE)
    case = Case.objects.get()

    opened = Notification.objects.filter(verb="monitoring.incident_case_opened")
    assert sorted(opened.values_list("recipient__email", flat=True)) == [
        admin_user.email,
        sys_admin_user.email,
    ]
    assert opened.first().url == case.get_absolute_url()
    assert "Baza podataka of Produkcija is critical: case " in opened.first().title
    incident = Incident.objects.get()
    tasks.incident_notify(incident.pk, case.pk)  # a redelivered task tells nobody again
    assert opened.count() == 2
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert len(mail.outbox) == 3  # and the consultant's assignment
    assert subjects[sys_admin_user.email] == f"Critical: Baza podataka on Produkcija · case {case.reference}"
    assert standard_user.email not in subjects and fin_admin_user.email not in subjects

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ingest(installation, Status.OK, 15)
    resolved = Notification.objects.filter(verb="case.status")
    assert sorted(resolved.values_list("recipient__email", flat=True)) == sorted(
        [admin_user.email, sys_admin_user.email, consultant.email]
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [admin_user.email, sys_admin_user.email, consultant.email]
    )
    assert "is OK again since" in mail.outbox[0].body
    assert Notification.objects.filter(recipient=other_org_user).count() == 0


def test_a_sys_admin_sees_the_case_where_members_see_only_their_own(
    installation, organization, sys_admin_user
):
    organization.standard_users_see_own_cases_only = True
    organization.save()
    ingest(installation, Status.CRITICAL, 0)
    ingest(installation, Status.CRITICAL, 5)

    from cases.selectors import cases_visible_to

    assert list(cases_visible_to(sys_admin_user)) == [Case.objects.get()]


@pytest.mark.django_db(transaction=True)
def test_two_evaluations_at_once_open_one_case(organization):
    installation = Installation.objects.create(organization=organization, name="Produkcija")
    component = ingest(installation, Status.CRITICAL, 0)

    run_in_threads(4, lambda _index: incidents.components_evaluate([component.pk], now=T0 + 6 * MINUTE))

    assert Case.objects.count() == 1
    assert Incident.objects.get().case == Case.objects.get()


@pytest.mark.django_db(transaction=True)
def test_two_ingests_at_once_open_one_case(organization):
    installation = Installation.objects.create(organization=organization, name="Produkcija")
    ingest(installation, Status.CRITICAL, 0)

    def report(index):
        ingest(installation, Status.CRITICAL, 6, check=f"check {index}", now=T0 + 6 * MINUTE)

    run_in_threads(4, report)

    assert Case.objects.count() == 1
    assert Incident.objects.get().critical_results >= 2

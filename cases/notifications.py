"""Who hears about a case event, and what they are told: in-app and by e-mail, in their own language.

Called by the task cases.tasks.case_event_notify once the event's transaction has committed.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import StaffGroup
from helpdesk.notifications import notification_send
from helpdesk.permissions import STAFF_PERM, users_with_perm

from .models import Case, CaseEvent, CaseWatcher

logger = logging.getLogger(__name__)
Kind = CaseEvent.Kind

# Who hears about each kind of event. On top of this table, always:
#   - nobody hears about their own action (the event's author);
#   - nobody who muted the case hears anything about it, whatever their role on it;
#   - inactive users hear nothing, and customers only while they may still see the case;
#   - an internal event (a note and its files) reaches vendor staff only.
# "watchers" are all of the case's CaseWatcher rows: customers watching it and staff who joined it (the
# assignee joins on assignment). A join tells nobody: it changes nothing for anyone else, and the
# timeline records it.
AUDIENCES: dict[str, frozenset[str]] = {
    Kind.CREATED: frozenset({"dispatchers"}),
    Kind.ASSIGNMENT: frozenset({"new_assignee"}),
    Kind.REPLY: frozenset({"reporter", "watchers", "assignee"}),
    Kind.NOTE: frozenset({"watchers", "assignee"}),
    Kind.STATUS: frozenset({"reporter", "watchers"}),
    Kind.JOIN: frozenset(),
}


def _audience_ids(event: CaseEvent, watchers: list[tuple[int, bool]]) -> set[int]:
    """The user ids the AUDIENCES table names for this event, before the rules that exclude people."""
    audience = AUDIENCES.get(event.kind, frozenset())
    case = event.case
    ids: set[int] = set()
    if "dispatchers" in audience:
        dispatchers = User.objects.filter(is_active=True, groups__name=StaffGroup.DISPATCHER)
        ids.update(dispatchers.values_list("pk", flat=True))
    if "new_assignee" in audience and event.data.get("assignee"):
        ids.add(event.data["assignee"])
    if "reporter" in audience:
        ids.add(case.reporter_id)
    if "assignee" in audience and case.assignee_id:
        ids.add(case.assignee_id)
    if "watchers" in audience:
        ids.update(user_id for user_id, _muted in watchers)
    return ids


def _customers_who_see(case: Case, user_ids: set[int]) -> set[int]:
    """Of these customer users, those still active members allowed to see the organization's cases
    (a former member who still watches a case must not keep receiving its replies)."""
    if not user_ids:
        return set()
    allowed = users_with_perm("cases.view_org_cases", case.organization_id).filter(pk__in=user_ids)
    return set(allowed.values_list("pk", flat=True))


def event_recipients(event: CaseEvent) -> set[User]:
    """Everybody who should hear about the event, by the AUDIENCES table and the rules above it."""
    watchers = list(CaseWatcher.objects.filter(case=event.case_id).values_list("user_id", "is_muted"))
    muted = {user_id for user_id, is_muted in watchers if is_muted}
    ids = _audience_ids(event, watchers) - muted - {event.author_id}
    if not ids:
        return set()
    users = {user.pk: user for user in User.objects.filter(pk__in=ids, is_active=True)}
    # Vendor staff, as helpdesk.permissions.is_staff decides it, asked of all the users in one query.
    staff_users = ModelBackend().with_perm(STAFF_PERM).filter(pk__in=users)
    staff = set(staff_users.values_list("pk", flat=True))
    allowed = staff if event.is_internal else staff | _customers_who_see(event.case, set(users) - staff)
    return {user for pk, user in users.items() if pk in allowed}


def _texts(event: CaseEvent) -> tuple[str, str]:
    """(what happened, in a few words for the subject; the sentence shown in the bell) in the active
    language. None of them quotes an event's body."""
    case = event.case
    names = {
        "author": str(event.author) if event.author else _("HelpDesk"),
        "reference": case.reference,
        "title": case.title,
    }
    match event.kind:
        case Kind.CREATED:
            return _("New case"), _("%(author)s logged case %(reference)s “%(title)s”.") % names
        case Kind.ASSIGNMENT:
            return _("Assigned to you"), _("Case %(reference)s “%(title)s” is assigned to you.") % names
        case Kind.REPLY:
            return _("New reply"), _("%(author)s replied in case %(reference)s “%(title)s”.") % names
        case Kind.NOTE:
            return (
                _("New internal note"),
                _("%(author)s added an internal note to case %(reference)s “%(title)s”.") % names,
            )
        case Kind.STATUS:
            new = Case.Status(event.data["new"]).label
            return (
                _("Status: %(status)s") % {"status": new},
                _("%(author)s changed the status of case %(reference)s “%(title)s” to “%(status)s”.")
                % {**names, "status": new},
            )
        case _:
            return event.get_kind_display(), _("Case %(reference)s “%(title)s” changed.") % names


def _body(event: CaseEvent) -> str:
    """The text the e-mail quotes: what the author wrote (the case's description for a new case or an
    assignment). The recipients of an internal event are staff only, so a note reaches no customer."""
    if event.kind in (Kind.CREATED, Kind.ASSIGNMENT):
        return event.case.description
    return event.body


ANNOUNCE_WITHIN = timedelta(days=2)


def event_notify(*, event_id: int) -> None:
    """Notify everybody the event concerns, once each: in-app, and by e-mail in their language."""
    event = (
        CaseEvent.objects.select_related("case", "author")
        .prefetch_related("attachments")
        .filter(pk=event_id)
        .first()
    )
    if event is None:  # the case was deleted before the task ran
        return
    if event.created_at < timezone.now() - ANNOUNCE_WITHIN:
        # Notifications are news: history that is already old when its task runs (imported or backdated
        # cases, a task held up for days) is not announced.
        return
    recipients = event_recipients(event)
    url = event.case.get_absolute_url()
    context = {
        "case": event.case,
        "event": event,
        "body": _body(event),
        "attachments": [attachment.original_name for attachment in event.attachments.all()],
        "link": settings.PORTAL_BASE_URL + url,
    }
    for recipient in sorted(recipients, key=lambda user: user.pk):
        with translation.override(recipient.language):
            what, headline = _texts(event)
        notification_send(
            recipient=recipient,
            key=f"case-event:{event.pk}",
            verb=f"case.{event.kind}",
            title=headline,
            url=url,
            email_template="case_event",
            email_context={**context, "what": what, "headline": headline},
        )
    logger.info("Case event %s: notified users %s", event.pk, sorted(user.pk for user in recipients))

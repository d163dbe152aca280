"""Who hears about a release, and what they are told: in-app and by e-mail, in their own language.

Called by the tasks of releases.tasks once the publishing transaction has committed.
"""

import logging

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from helpdesk.notifications import notification_send
from helpdesk.permissions import users_with_perm

from . import selectors
from .models import Release

logger = logging.getLogger(__name__)

# Who hears about each kind of release event. On top of this table, always: inactive users hear nothing,
# and customers only while they are active members of an organization allowed to hear it.
#   - "package_holders": those who may download packages (SYS_ADMIN, and ADMIN, who holds every role's
#     rights) in the organizations whose licence covers the release's product;
#   - "suggestion_reporters": the reporters of the suggestions the release delivers, while they may still
#     see their case.
AUDIENCES: dict[str, frozenset[str]] = {
    "published": frozenset({"package_holders"}),
    "delivered": frozenset({"suggestion_reporters"}),
}


def _release(release_id: int) -> Release | None:
    return Release.objects.published().select_related("product").filter(pk=release_id).first()


def _tell_package_holders(release: Release) -> int:
    """Tell the package holders of every licensed organization that the release is out; once each."""
    organizations = selectors.organizations_licensed_for(release.product)
    key = f"release-published:{release.pk}"
    # Those told already (a task run again) are left out; notification_send would not tell them twice either.
    recipients = users_with_perm(selectors.DOWNLOAD, organizations).exclude(notifications__event_key=key)
    url = release.get_absolute_url()
    count = 0
    for recipient in recipients.order_by("pk"):
        with translation.override(recipient.language):
            title = _("%(release)s is published: see what changes and download the package.") % {
                "release": str(release)
            }
        notification_send(
            recipient=recipient,
            key=key,
            verb="release.published",
            title=title,
            url=url,
            email_template="release_published",
            email_context={"release": release, "link": settings.PORTAL_BASE_URL + url},
        )
        count += 1
    return count


def _tell_suggestion_reporters(release: Release) -> int:
    """Tell the reporter of each suggestion the published release delivers; once per case."""
    count = 0
    for case in release.delivered_cases.select_related("reporter", "organization").order_by("pk"):
        key = f"release-delivered:{release.pk}:{case.pk}"
        allowed = users_with_perm("cases.view_org_cases", case.organization_id).filter(pk=case.reporter_id)
        if not allowed.exclude(notifications__event_key=key).exists():
            continue  # no longer a member who sees the case, or told already
        recipient: User = case.reporter
        with translation.override(recipient.language):
            title = _("Your suggestion %(reference)s “%(title)s” is delivered in %(release)s.") % {
                "reference": case.reference,
                "title": case.title,
                "release": str(release),
            }
        notification_send(
            recipient=recipient,
            key=key,
            verb="release.delivered",
            title=title,
            url=case.get_absolute_url(),
            email_template="release_delivered",
            email_context={
                "release": release,
                "case": case,
                "link": settings.PORTAL_BASE_URL + case.get_absolute_url(),
            },
        )
        count += 1
    return count


TELL = {"package_holders": _tell_package_holders, "suggestion_reporters": _tell_suggestion_reporters}


def release_event_notify(*, release_id: int, event: str) -> int:
    """Tell the audiences of a published release's event (AUDIENCES); returns how many were told now."""
    release = _release(release_id)
    if release is None:  # not published (any more)
        return 0
    told = sum(TELL[audience](release) for audience in sorted(AUDIENCES[event]))
    logger.info("Release %s, %s: told %s people", release.pk, event, told)
    return told


def published_notify(*, release_id: int) -> int:
    return release_event_notify(release_id=release_id, event="published")


def deliveries_notify(*, release_id: int) -> int:
    return release_event_notify(release_id=release_id, event="delivered")

"""Every change to the knowledge base is an audit event (who, what, on which item)."""

from docs import services
from docs.models import FaqEntry
from helpdesk.models import AuditEvent


def test_saving_an_faq_entry_is_audited(consultant, db):
    entry = services.faq_save(
        by=consultant, status=FaqEntry.Status.DRAFT, title_en="How do I export?", body_en="Use **Export**."
    )
    services.faq_save(entry=entry, by=consultant, status=FaqEntry.Status.PUBLISHED)

    events = list(AuditEvent.objects.filter(action=AuditEvent.Action.FAQ_SAVED).order_by("pk"))
    assert [(event.actor, event.target_id, event.details["created"]) for event in events] == [
        (consultant, str(entry.pk), True),
        (consultant, str(entry.pk), False),
    ]
    assert events[1].details["status"] == FaqEntry.Status.PUBLISHED

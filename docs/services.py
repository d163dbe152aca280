"""Every change to the knowledge base: FAQ entries and votes, documents and their versions, news and its
e-mail, and the counters behind the knowledge report."""

import logging
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership
from cases import selectors as case_selectors
from cases.models import Case
from helpdesk import outbox
from helpdesk.emails import email_send
from helpdesk.files import file_facts, staged_claim, validate_upload
from helpdesk.limits import FAQ_ANSWER_MAX
from helpdesk.models import AuditEvent
from helpdesk.permissions import is_staff
from helpdesk.services import audit_record

from . import selectors, tasks
from .models import (
    Bilingual,
    Document,
    DocumentVersion,
    FaqEntry,
    FaqVote,
    NewsPost,
    NewsRead,
    SuggestionView,
)

logger = logging.getLogger(__name__)

# A document version may be a web page: it is only ever downloaded, never shown inline.
DOCUMENT_EXTENSIONS = frozenset({"html", "htm"})


def _publish(item: Bilingual, published_at_field: str | None = "published_at") -> None:
    now = timezone.now()
    item.updated_at = now
    if published_at_field and item.is_published and getattr(item, published_at_field) is None:
        setattr(item, published_at_field, now)


def _assign(item, fields: dict) -> None:
    for name, value in fields.items():
        setattr(item, name, value)


def _audit(action: str, item, by, *, created: bool) -> None:
    details = {"created": created}
    if hasattr(item, "status"):
        details["status"] = item.status
    audit_record(action=action, actor=by, target=item, details=details)


# --- FAQ ----------------------------------------------------------------------------------------------------


@transaction.atomic
def faq_save(*, entry: FaqEntry | None = None, by, **fields) -> FaqEntry:
    """Create or change an entry; each language has both question and answer or neither, and one at least."""
    created = entry is None
    entry = entry or FaqEntry(created_by=by)
    _assign(entry, fields)
    entry.validate_constraints()
    _publish(entry)
    entry.save()
    _audit(AuditEvent.Action.FAQ_SAVED, entry, by, created=created)
    return entry


@transaction.atomic
def faq_vote(*, entry: FaqEntry, user, helpful: bool) -> None:
    """Record the reader's answer to "Was this helpful?": one vote per reader and entry; the last counts."""
    if not entry.is_published:
        raise ValidationError(_("Only published entries can be rated."))
    FaqVote.objects.bulk_create(
        [FaqVote(entry=entry, user=user, is_helpful=helpful, voted_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["entry", "user"],
        update_fields=["is_helpful", "voted_at"],
    )


def faq_view_count(*, entry: FaqEntry, user) -> None:
    """Count a reading of the entry; staff reading it (writing, checking) do not count."""
    if entry.is_published and not is_staff(user):
        FaqEntry.objects.filter(pk=entry.pk).update(view_count=F("view_count") + 1)


VISIT = re.compile(r"^\d{1,20}$")


def suggestion_opened(
    *, user, visit: str, faq: FaqEntry | None = None, document: Document | None = None
) -> None:
    """Note that a suggestion shown beside the new-case form was opened (for the deflection report)."""
    if VISIT.match(visit or "") and not is_staff(user):
        SuggestionView.objects.create(user=user, visit=visit, faq=faq, document=document)


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
LEGAL_FORMS = re.compile(
    r"\s*,?\s*\b(d\.o\.o\.|j\.d\.o\.o\.|d\.d\.|ltd\.?|inc\.?|gmbh|obrt)\s*$", re.IGNORECASE
)
VOWELS = "aeiou"


def _name_pattern(part: str) -> str:
    """A first or last name with its Croatian case endings (Sara, Saro, Saru, Sarom)."""
    stem = part[:-1] if len(part) >= 4 and part[-1].lower() in VOWELS else part
    return re.escape(stem) + r"\w{0,3}"


def _identity_scrubber(case: Case):
    """A function that replaces the names and e-mail addresses of the organization's people and the
    organization's own name and OIB with neutral words, in the active language."""
    organization = case.organization
    customer, company = _("[customer]"), _("[organization]")
    people = Membership.objects.filter(organization=organization).values_list(
        "user__full_name", "user__email"
    )
    patterns = {}
    for full_name, email in people:
        patterns[re.escape(email)] = customer
        patterns[r"\s+".join(re.escape(part) for part in full_name.split())] = customer
        for part in full_name.split():
            if len(part) >= 3:
                patterns[_name_pattern(part)] = customer
    for name in {organization.name, LEGAL_FORMS.sub("", organization.name)}:
        if name.strip():
            patterns[r"\s+".join(re.escape(part) for part in name.split())] = company
    patterns[re.escape(organization.oib)] = company
    ordered = sorted(patterns, key=len, reverse=True)
    combined = re.compile("|".join(f"(?<!\\w)(?:{p})(?!\\w)" for p in ordered), re.IGNORECASE)

    def replace(match):
        text = match.group(0)
        return next(patterns[p] for p in ordered if re.fullmatch(p, text, re.IGNORECASE))

    return lambda text: EMAIL.sub(_("[e-mail]"), combined.sub(replace, text))


@transaction.atomic
def faq_from_case(*, case: Case, by) -> FaqEntry:
    """A draft FAQ entry from a resolved case, in the reporter's language: the case title as the question,
    support's public replies as the answer. Internal notes never reach it, nor the names and e-mail
    addresses of the customer's people or the organization's name and OIB."""
    if case.resolved_at is None or case.status not in (Case.Status.RESOLVED, Case.Status.CLOSED):
        raise ValidationError(_("Only a resolved case can become an FAQ entry."))
    answers = case_selectors.support_replies(case)
    if not answers:
        raise ValidationError(_("The case has no public reply from support to turn into an answer."))
    language = case.reporter.language if case.reporter.language in ("hr", "en") else "hr"
    with translation.override(language):
        scrub = _identity_scrubber(case)
        title = scrub(case.title)[:200]
        # Capped like an answer written in the form: many long replies must not make it too big to index.
        body = "\n\n".join(scrub(answer) for answer in answers)[:FAQ_ANSWER_MAX]
    return faq_save(
        by=by,
        status=FaqEntry.Status.DRAFT,
        module=case.module,
        source_case=case,
        **{f"title_{language}": title, f"body_{language}": body},
    )


# --- Documents ----------------------------------------------------------------------------------------------


@transaction.atomic
def document_save(*, document: Document | None = None, by, **fields) -> Document:
    """Create or change a document. A restricted one names the module its readers must license: the
    organizations whose licence includes it read it (docs.selectors.documents_visible_to)."""
    created = document is None
    document = document or Document(created_by=by)
    _assign(document, fields)
    errors = {}
    if document.is_restricted and document.module_id is None:
        errors["module"] = _("A restricted document needs the module whose licence it requires.")
    if document.product_id is None:
        errors["product"] = _("Choose the product the document is about.")
    elif document.module is not None and document.module.product_id != document.product_id:
        errors["module"] = _("The module belongs to another product: choose one of the document's product.")
    if errors:
        raise ValidationError(errors)
    document.validate_constraints()
    _publish(document)
    document.save()
    _audit(AuditEvent.Action.DOCUMENT_SAVED, document, by, created=created)
    return document


@transaction.atomic
def version_add(
    *, document: Document, by, label: str, notes: str = "", body: str = "", upload=None, staged=None
) -> DocumentVersion:
    """Add a version to a document: one uploaded file or one Markdown page, under a label new to it."""
    label, body = label.strip(), body.strip()
    if sum(bool(content) for content in (body, upload, staged)) != 1:
        raise ValidationError(_("A version is either a file or a Markdown page: give exactly one of them."))
    if DocumentVersion.objects.filter(document=document, label__iexact=label).exists():
        raise ValidationError(
            {"label": _("This document already has a version %(label)s.") % {"label": label}}
        )
    version = DocumentVersion(document=document, label=label, notes=notes.strip(), body=body, created_by=by)
    if upload is not None:
        validate_upload(upload, by=by, also_allowed=DOCUMENT_EXTENSIONS)
        facts = file_facts(upload)
        _assign(version, facts)
        version.file.save(facts["storage_key"], upload, save=False)
    elif staged is not None:
        _assign(version, staged_claim(staged, by=by))
    version.save()
    Document.objects.filter(pk=document.pk).update(updated_at=timezone.now())
    audit_record(
        action=AuditEvent.Action.DOCUMENT_VERSION_ADDED, actor=by, target=document, details={"version": label}
    )
    return version


# --- News ---------------------------------------------------------------------------------------------------


@transaction.atomic
def news_save(*, post: NewsPost | None = None, by, organizations=(), **fields) -> NewsPost:
    """Create or change a post. Published with "send by e-mail", it is mailed to its audience once, when
    its publish time comes (now: after this commit; later: by the periodic news_emails_due)."""
    created = post is None
    post = post or NewsPost(created_by=by)
    _assign(post, fields)
    if post.is_restricted and not organizations:
        raise ValidationError(
            {
                "organizations": _(
                    "Choose the organizations the post is for, or make it visible to every customer."
                )
            }
        )
    post.validate_constraints()
    _publish(post, published_at_field=None)
    post.save()
    post.organizations.set(organizations if post.is_restricted else [])
    _audit(AuditEvent.Action.NEWS_SAVED, post, by, created=created)
    if (
        post.send_email
        and post.is_published
        and post.email_sent_at is None
        and post.publish_at <= timezone.now()
    ):
        outbox.enqueue(tasks.news_email_send, post.pk)
    return post


def news_mark_read(*, post: NewsPost, user) -> None:
    """The reader has opened the post: it is no longer new for them."""
    NewsRead.objects.bulk_create([NewsRead(post=post, user=user)], ignore_conflicts=True)


def news_email_deliver(*, post_id: int) -> int:
    """E-mail a due post to its audience, each recipient in their own language; returns how many were sent.
    The post is claimed first with a conditional update, so a second run (a retry, a redelivered task, the
    periodic check) sends nothing. A recipient whose mail fails is logged and the others still get theirs."""
    now = timezone.now()
    claimed = NewsPost.objects.filter(
        pk=post_id,
        send_email=True,
        email_sent_at__isnull=True,
        status=NewsPost.Status.PUBLISHED,
        publish_at__lte=now,
    ).update(email_sent_at=now)
    if not claimed:
        return 0
    post = NewsPost.objects.get(pk=post_id)
    sent = 0
    for recipient in selectors.news_recipients(post).iterator():
        try:
            email_send(
                to=recipient.email,
                template="news_post",
                context={"post": post, "recipient": recipient},
                language=recipient.language,
            )
        except OSError:
            logger.exception("News post %s: the e-mail to user %s failed", post_id, recipient.pk)
        else:
            sent += 1
    return sent


def news_emails_enqueue_due(*, now=None) -> int:
    """Queue the e-mail of every published post whose time has come and whose e-mail has not gone out."""
    due = NewsPost.objects.filter(
        send_email=True,
        email_sent_at__isnull=True,
        status=NewsPost.Status.PUBLISHED,
        publish_at__lte=now or timezone.now(),
    ).values_list("pk", flat=True)
    ids = list(due)
    for post_id in ids:
        outbox.enqueue(tasks.news_email_send, post_id)
    return len(ids)

"""The docs app's rows of the permission matrix (read tests/permission_matrix.py first).

Every member and every staff member reads the knowledge base; consultants and vendor admins write it. The
document and its versions are restricted to a module that only the persona's organization (`ctx.organization`)
licenses, and the news post to that organization, so the user of another organization, outside their
audience, gets 404.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role, StaffGroup
from cases import services as case_services
from conftest import staff_create
from docs import services
from docs.tests.factories import DocumentFactory, DocumentVersionFactory, FaqEntryFactory, NewsPostFactory
from licensing.tests.factories import licence_make
from tests.factories import UserFactory, case_create, member_create, module_get
from tests.permission_matrix import LOGIN, REDIRECT, Row


def _author():
    return UserFactory(email="author@jupiter.test")


def an_entry(ctx):
    return {"pk": FaqEntryFactory(created_by=_author()).pk}


def _restricted_document(ctx):
    module = module_get("consolidation")
    licence_make(ctx.organization, modules=[module])
    return DocumentFactory(is_restricted=True, module=module, created_by=_author())


def a_restricted_document(ctx):
    return {"pk": _restricted_document(ctx).pk}


def a_restricted_page_version(ctx):
    version = DocumentVersionFactory(document=_restricted_document(ctx), created_by=_author())
    return {"document_pk": version.document_id, "pk": version.pk}


def a_restricted_file_version(ctx):
    ctx.fixture("settings").MEDIA_ROOT = ctx.fixture("tmp_path")
    upload = SimpleUploadedFile("manual.pdf", b"%PDF-1.4 manual", content_type="application/pdf")
    document = _restricted_document(ctx)
    version = services.version_add(document=document, by=_author(), label="1.0", upload=upload)
    return {"document_pk": version.document_id, "pk": version.pk}


def a_restricted_post(ctx):
    post = NewsPostFactory(is_restricted=True, organizations=[ctx.organization], created_by=_author())
    return {"pk": post.pk}


def a_resolved_case(ctx):
    """A case of `ctx.organization` that support answered publicly and resolved."""
    reporter = member_create(ctx.organization, [Role.STANDARD], email="reporter@jadran.test")
    support = staff_create(StaffGroup.CONSULTANT, email="support@jupiter.test")
    case = case_create(ctx.organization, reporter, title="Stock report is empty")
    case_services.case_reply(case=case, author=support, body="Refresh the stock cache, then run it again.")
    case.refresh_from_db()
    case.status, case.resolved_at = "resolved", case.last_activity_at
    case.save(update_fields=["status", "resolved_at"])
    return {"reference": case.reference}


SIGNED_IN_200 = (LOGIN,) + (200,) * 8
POST_ONLY = (LOGIN,) + (405,) * 8
WRITERS = (LOGIN, 403, 403, 403, 403, 403, 403, 200, 200)
WRITERS_POST = (LOGIN, 403, 403, 403, 403, 403, 403, REDIRECT, REDIRECT)
# Restricted to `ctx.organization`: its members and staff see it; the other organization's user gets 404.
AUDIENCE_200 = (LOGIN, 200, 200, 200, 200, 404, 200, 200, 200)

ROWS = [
    #                                   anon   std    admin  fin    sys    other  disp   cons   vadm
    Row("docs:knowledge-search", SIGNED_IN_200),
    Row("docs:suggestion-list", SIGNED_IN_200),
    Row("docs:knowledge-report", WRITERS),
    Row("docs:markdown-preview", POST_ONLY),
    Row("docs:markdown-preview", WRITERS, method="post", data=lambda ctx: {"body_en": "**Hello**"}),
    Row("docs:faq-list", SIGNED_IN_200),
    Row("docs:faq-create", WRITERS),
    Row("docs:faq-create", WRITERS, method="post"),  # empty form: errors, 200
    Row("docs:faq-from-case", POST_ONLY, kwargs=a_resolved_case),
    Row("docs:faq-from-case", WRITERS_POST, method="post", kwargs=a_resolved_case),
    Row("docs:faq-detail", SIGNED_IN_200, kwargs=an_entry),
    Row("docs:faq-update", WRITERS, kwargs=an_entry),
    Row("docs:faq-update", WRITERS, method="post", kwargs=an_entry),  # empty form: errors, 200
    Row("docs:faq-vote", POST_ONLY, kwargs=an_entry),
    Row("docs:faq-vote", (LOGIN,) + (REDIRECT,) * 8, method="post", kwargs=an_entry,
        data=lambda ctx: {"helpful": "yes"}),
    Row("docs:document-list", SIGNED_IN_200),
    Row("docs:document-create", WRITERS),
    Row("docs:document-create", WRITERS, method="post"),
    Row("docs:document-detail", AUDIENCE_200, kwargs=a_restricted_document),
    Row("docs:document-update", WRITERS, kwargs=a_restricted_document),
    Row("docs:document-update", WRITERS, method="post", kwargs=a_restricted_document),
    Row("docs:version-create", WRITERS, kwargs=a_restricted_document),
    Row("docs:version-create", WRITERS, method="post", kwargs=a_restricted_document),
    Row("docs:version-detail", AUDIENCE_200, kwargs=a_restricted_page_version),
    Row("docs:version-download", AUDIENCE_200, kwargs=a_restricted_file_version),
    Row("docs:news-list", SIGNED_IN_200),
    Row("docs:news-create", WRITERS),
    Row("docs:news-create", WRITERS, method="post"),
    Row("docs:news-detail", AUDIENCE_200, kwargs=a_restricted_post),
    Row("docs:news-update", WRITERS, kwargs=a_restricted_post),
    Row("docs:news-update", WRITERS, method="post", kwargs=a_restricted_post),
]  # fmt: skip

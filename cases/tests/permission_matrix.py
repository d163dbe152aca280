"""The cases app's rows of the permission matrix (read tests/permission_matrix.py first).

Each row builds its case through the services, in the persona's organization (`ctx.organization`), logged
by a separate member of it, so the other-organization user must get 404 wherever the case is looked up.
Nobody is available for auto-assignment, so the case waits in the queue, status "new".
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from cases.models import SavedSearch
from tests.factories import case_create, category_get, member_create
from tests.permission_matrix import LOGIN, REDIRECT, Row


def _reporter(ctx):
    return member_create(ctx.organization, [Role.STANDARD], email="reporter@jadran.test")


def a_case(ctx):
    case = case_create(ctx.organization, _reporter(ctx), title="Stock report is empty")
    return {"reference": case.reference}


def an_attachment(ctx):
    """A case with one public attachment, stored under a temporary MEDIA_ROOT."""
    ctx.fixture("settings").MEDIA_ROOT = ctx.fixture("tmp_path")
    upload = SimpleUploadedFile("stock.csv", b"item;qty\n1;0\n", content_type="text/csv")
    case = case_create(ctx.organization, _reporter(ctx), files=[upload])
    return {"reference": case.reference, "pk": case.attachments.get().pk}


def a_saved_search(ctx):
    """A saved search of the organization's STANDARD persona."""
    saved = SavedSearch.objects.create(user=ctx.fixture("standard_user"), name="Open", query="status=new")
    return {"pk": saved.pk}


def new_case_data(ctx):
    return {
        "title": "Payroll export stops",
        "category": category_get().pk,
        "priority": "normal",
        "description": "The export stops at 50 %.",
    }


def a_consultant(ctx):
    return {"consultant": ctx.fixture("consultant").pk}


SIGNED_IN_200 = (LOGIN,) + (200,) * 8
POST_ONLY = (LOGIN,) + (405,) * 8
STAFF_ONLY = (LOGIN, 403, 403, 403, 403, 403, 200, 200, 200)
STAFF_ONLY_POST = (LOGIN, 403, 403, 403, 403, 403, REDIRECT, REDIRECT, REDIRECT)
ASSIGNERS = (LOGIN, 403, 403, 403, 403, 403, 200, 403, 200)
# A case of `ctx.organization`: its members and staff may see it, the other organization gets 404.
CASE_200 = (LOGIN, 200, 200, 200, 200, 404, 200, 200, 200)
CASE_POST = (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 404, REDIRECT, REDIRECT, REDIRECT)

ROWS = [
    # cells: anon, standard, admin, fin_admin, sys_admin, other org, dispatcher, consultant, vendor admin
    Row("cases:case-list", SIGNED_IN_200),
    # Logging a case needs a membership: staff have none.
    Row("cases:case-create", (LOGIN, 200, 200, 200, 200, 200, 403, 403, 403)),
    Row("cases:case-create", (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 403, 403, 403),
        method="post", data=new_case_data),
    Row("cases:queue", STAFF_ONLY),
    Row("cases:my-work", STAFF_ONLY),
    Row("cases:availability", POST_ONLY),
    Row("cases:availability", STAFF_ONLY_POST, method="post", data=lambda ctx: {"available": "1"}),
    Row("cases:case-detail", CASE_200, kwargs=a_case),
    Row("cases:case-reply", POST_ONLY, kwargs=a_case),
    Row("cases:case-reply", CASE_POST, method="post", kwargs=a_case, data=lambda ctx: {"body": "Any news?"}),
    Row("cases:case-status", POST_ONLY, kwargs=a_case),
    # A refused move (staff cannot close a new case) is a message and a redirect too, never an error page.
    Row("cases:case-status", CASE_POST, method="post", kwargs=a_case, data=lambda ctx: {"status": "closed"}),
    # Assigning is checked before the case is looked up, so nobody learns whether the case exists.
    Row("cases:case-assign", ASSIGNERS, kwargs=a_case),
    Row("cases:case-assign", (LOGIN, 403, 403, 403, 403, 403, REDIRECT, 403, REDIRECT),
        method="post", kwargs=a_case, data=a_consultant),
    Row("cases:case-join", POST_ONLY, kwargs=a_case),
    Row("cases:case-join", STAFF_ONLY_POST, method="post", kwargs=a_case),
    Row("cases:case-watch", POST_ONLY, kwargs=a_case),
    Row("cases:case-watch", CASE_POST, method="post", kwargs=a_case, data=lambda ctx: {"watch": "1"}),
    Row("cases:case-mute", POST_ONLY, kwargs=a_case),
    Row("cases:case-mute", CASE_POST, method="post", kwargs=a_case, data=lambda ctx: {"muted": "1"}),
    Row("cases:attachment-download", CASE_200, kwargs=an_attachment),
    # Search, export and analysis: every signed-in persona may, over the cases they see (see test_export).
    Row("cases:case-export", SIGNED_IN_200, data=lambda ctx: {"format": "csv"}),
    Row("cases:case-analysis", SIGNED_IN_200),
    Row("cases:saved-search-create", POST_ONLY),
    Row("cases:saved-search-create", (LOGIN,) + (REDIRECT,) * 8, method="post",
        data=lambda ctx: {"name": "New ones", "query": "status=new"}),
    # A saved search is its owner's alone: anybody else gets 404.
    Row("cases:saved-search-delete", POST_ONLY, kwargs=a_saved_search),
    Row("cases:saved-search-delete", (LOGIN, REDIRECT, 404, 404, 404, 404, 404, 404, 404), method="post",
        kwargs=a_saved_search),
]  # fmt: skip

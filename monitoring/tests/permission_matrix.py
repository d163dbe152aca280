"""The monitoring app's rows of the permission matrix (read tests/permission_matrix.py first).

The installation of these rows belongs to the persona's organization (`ctx.organization`). Its SYS_ADMIN and
ADMIN see it and manage its agent tokens; staff see every organization's, and vendor admins manage tokens
too (dispatchers and consultants see the installation but may not: 403). A STANDARD user, a FIN_ADMIN and
another organization's user get 404 (monitoring is not there for them, or the installation is not theirs).
The other organization's ADMIN opens /monitoring/ and the installation form for their own organization.
"""

from monitoring.models import AgentToken, Installation
from monitoring.tests.factories import monitored
from tests.permission_matrix import LOGIN, REDIRECT, Row


def an_installation(ctx):
    return {"pk": monitored(ctx.organization, components=1, checks=1).pk}


def a_check(ctx):
    installation = monitored(ctx.organization, components=1, checks=1)
    return {"pk": installation.components.get().checks.get().pk}


def a_token(ctx):
    installation = Installation.objects.create(organization=ctx.organization, name="Test")
    token = AgentToken.objects.create(
        installation=installation, name="Agent", hint="jmt_abc", digest="0" * 64
    )
    return {"pk": token.pk}


def _new_installation(ctx):
    return {"organization": ctx.organization.pk, "name": "Produkcija 2", "environment": "production"}


OVERVIEW = (LOGIN, 404, 200, 404, 200, 200, 200, 200, 200)
INSTALLATION = (LOGIN, 404, 200, 404, 200, 404, 200, 200, 200)
CREATE_FORM = (LOGIN, 404, 200, 404, 200, 200, 403, 403, 200)
# The other organization's ADMIN may not pick this organization: the form is shown again with its error.
CREATE_POST = (LOGIN, 404, REDIRECT, 404, REDIRECT, 200, 403, 403, REDIRECT)
TOKEN_CREATED = (LOGIN, 404, 200, 404, 200, 404, 403, 403, 200)
TOKEN_REVOKED = (LOGIN, 404, REDIRECT, 404, REDIRECT, 404, 403, 403, REDIRECT)
POST_ONLY = (LOGIN,) + (405,) * 8
# Without an agent token every persona gets 401: a signed-in session authenticates nothing on the API.
API_NO_TOKEN = (401,) * 9
PUBLIC = (200,) * 9

ROWS = [
    #                                          anon   std    admin  fin    sys    other  disp   cons   vadm
    Row("monitoring:overview", OVERVIEW),
    Row("monitoring:installation", INSTALLATION, kwargs=an_installation),
    Row("monitoring:check-history", INSTALLATION, kwargs=a_check),
    Row("monitoring:installation-create", CREATE_FORM),
    Row("monitoring:installation-create", CREATE_POST, method="post", data=_new_installation),
    Row("monitoring:token-create", POST_ONLY, kwargs=an_installation),
    Row("monitoring:token-create", TOKEN_CREATED, method="post", kwargs=an_installation,
        data=lambda ctx: {"name": "Backup server"}),
    Row("monitoring:token-revoke", POST_ONLY, kwargs=a_token),
    Row("monitoring:token-revoke", TOKEN_REVOKED, method="post", kwargs=a_token),
    # --- API (m1): token-authenticated or public, never the session (monitoring/api.py) ---
    Row("api:monitoring-results", API_NO_TOKEN),
    Row("api:monitoring-results", API_NO_TOKEN, method="post"),
    Row("api:schema", PUBLIC),
    Row("api:docs", PUBLIC),
]  # fmt: skip

# The API's views: the ingestion authenticates with its own tokens, the schema and its page are public.
PUBLIC_URL_NAMES = {"api:monitoring-results", "api:schema", "api:docs"}

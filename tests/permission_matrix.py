"""The permission matrix: for every named URL, what each persona gets (STYLE.md "Permissions").

Each app keeps its own table: the foundation's (helpdesk, accounts) is below; another app puts hers in
`<app>/tests/permission_matrix.py` with a module-level `ROWS` list (and `PUBLIC_URL_NAMES`, the names of
its `login_not_required` views, if it has any). tests/test_permission_matrix.py collects every table and
fails for a URL name without a GET row, so a new view cannot ship without its row.

A row's cells follow PERSONAS, in this order:

    #                 anon   std    admin  fin    sys    other  disp   cons   vadm

`kwargs` builds the URL arguments (and `data` the POST body) from a MatrixContext when the cell runs; the
persona's own organization is `ctx.organization`, and the other-organization user is the ADMIN of
`ctx.other_organization`, so a URL of `ctx.organization` must give them 404.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts import services
from accounts.roles import Role
from tests.factories import member_create

PERSONAS = (
    "anonymous",
    "standard",
    "admin",
    "fin_admin",
    "sys_admin",
    "other_org",
    "dispatcher",
    "consultant",
    "vendor_admin",
)

# The persona fixtures of conftest.py; anonymous has none.
PERSONA_FIXTURES = {
    "standard": "standard_user",
    "admin": "admin_user",
    "fin_admin": "fin_admin_user",
    "sys_admin": "sys_admin_user",
    "other_org": "other_org_user",
    "dispatcher": "dispatcher",
    "consultant": "consultant",
    "vendor_admin": "vendor_admin",
}

# Outcomes besides a plain status code.
LOGIN = "302 to login"  # redirected to the sign-in page (LoginRequiredMiddleware)
REDIRECT = "302 elsewhere"  # redirected anywhere but the sign-in page (the usual success of a POST)


@dataclass
class MatrixContext:
    """What the URL arguments of a cell may use; `request` gives access to any other fixture."""

    organization: object
    request: object

    @property
    def other_organization(self):
        return self.fixture("other_organization")

    def fixture(self, name: str):
        return self.request.getfixturevalue(name)


@dataclass(frozen=True)
class Row:
    url_name: str
    cells: tuple
    method: str = "get"
    kwargs: Callable[[MatrixContext], dict] = field(default=lambda ctx: {})
    data: Callable[[MatrixContext], dict] = field(default=lambda ctx: {})

    def __post_init__(self):
        if len(self.cells) != len(PERSONAS):
            raise ValueError(f"{self.url_name}: {len(self.cells)} cells for {len(PERSONAS)} personas")

    def expected(self, persona: str):
        return self.cells[PERSONAS.index(persona)]


def organization_pk(ctx):
    return {"organization_pk": ctx.organization.pk}


def a_member(ctx):
    """URL arguments of one ordinary member of the persona's organization."""
    member = member_create(ctx.organization, [Role.STANDARD], email="target@jadran.test")
    membership = member.memberships.get(organization=ctx.organization)
    return {"organization_pk": ctx.organization.pk, "pk": membership.pk}


def an_invitation(ctx):
    inviter = member_create(ctx.organization, [Role.ADMIN], email="inviter@jadran.test")
    _invitation, token = services.invitation_create(
        organization=ctx.organization, email="new.member@jadran.test", full_name="", roles=[], by=inviter
    )
    return {"token": token}


def a_notification(ctx):
    """URL arguments of a notification of the STANDARD user: only they may open it, anyone else gets 404."""
    from helpdesk.models import Notification

    recipient = ctx.fixture("standard_user")
    notification = Notification.objects.create(recipient=recipient, title="A reply", url="/cases/")
    return {"pk": notification.pk}


def a_session(ctx):
    """URL arguments of another session of the STANDARD user: only they may end it, anyone else gets 404."""
    from tests.two_factor import other_session_make

    return {"pk": other_session_make(ctx.fixture("standard_user")).pk}


ALL_200 = (200,) * 9
SIGNED_IN_200 = (LOGIN,) + (200,) * 8
POST_ONLY = (LOGIN,) + (405,) * 8
VENDOR_ADMIN_ONLY = (LOGIN, 403, 403, 403, 403, 403, 403, 403, 200)
ORGANIZATION_ADMIN = (LOGIN, 403, 200, 403, 403, 404, 403, 403, 200)
ORGANIZATION_ADMIN_POST = (LOGIN, 403, REDIRECT, 403, 403, 404, 403, 403, REDIRECT)

ROWS = [
    # cells: anon, std, admin, fin, sys, other, disp, cons, vadm
    Row("dashboard", SIGNED_IN_200),
    Row("health", ALL_200),
    Row("health-live", ALL_200),
    Row("language-switch", (405,) * 9),
    Row("language-switch", (REDIRECT,) * 9, method="post", data=lambda ctx: {"language": "en"}),
    Row("notification-list", SIGNED_IN_200),
    Row("notification-count", SIGNED_IN_200),
    Row("notification-read-all", POST_ONLY),
    Row("notification-read-all", (LOGIN,) + (REDIRECT,) * 8, method="post"),
    Row("notification-read", POST_ONLY, kwargs=a_notification),
    Row("notification-read", (LOGIN, REDIRECT) + (404,) * 7, method="post", kwargs=a_notification),
    Row("accounts:login", (200,) + (REDIRECT,) * 8),
    Row("accounts:logout", POST_ONLY),
    Row("accounts:password-reset", ALL_200),
    Row("accounts:password-reset-done", ALL_200),
    Row("accounts:password-reset-confirm", ALL_200, kwargs=lambda ctx: {"uidb64": "MQ", "token": "no-token"}),
    Row("accounts:password-reset-complete", ALL_200),
    Row("accounts:profile", SIGNED_IN_200),
    Row("accounts:password-change", SIGNED_IN_200),
    Row("accounts:organization-switch", POST_ONLY),
    Row("accounts:organization-switch", (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 404, 404, 404, 404),
        method="post", data=lambda ctx: {"organization": ctx.organization.pk}),
    Row("accounts:my-members", (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 404, 404, 404)),
    Row("accounts:invitation-accept", ALL_200, kwargs=an_invitation),
    Row("accounts:organization-list", VENDOR_ADMIN_ONLY),
    Row("accounts:organization-create", VENDOR_ADMIN_ONLY),
    Row("accounts:organization-create", VENDOR_ADMIN_ONLY, method="post"),  # empty form: errors, 200
    Row("accounts:organization-update", (LOGIN, 403, 403, 403, 403, 404, 403, 403, 200),
        kwargs=lambda ctx: {"pk": ctx.organization.pk}),
    Row("accounts:organization-update", (LOGIN, 403, 403, 403, 403, 404, 403, 403, 200),
        method="post", kwargs=lambda ctx: {"pk": ctx.organization.pk}),
    Row("accounts:member-list", ORGANIZATION_ADMIN, kwargs=organization_pk),
    Row("accounts:member-list", ORGANIZATION_ADMIN_POST, method="post", kwargs=organization_pk,
        data=lambda ctx: {"email": "invited@jadran.test", "full_name": "Ivo Invited"}),
    Row("accounts:member-role", POST_ONLY, kwargs=a_member),
    Row("accounts:member-role", ORGANIZATION_ADMIN_POST, method="post", kwargs=a_member,
        data=lambda ctx: {"roles": [Role.STANDARD, Role.FIN_ADMIN]}),
    Row("accounts:member-deactivate", POST_ONLY, kwargs=a_member),
    Row("accounts:member-deactivate", ORGANIZATION_ADMIN_POST, method="post", kwargs=a_member),
    Row("accounts:audit-list", (LOGIN, 403, 200, 403, 403, 200, 403, 403, 200)),
    # Personas sign in verified (or, the STANDARD user, with no second factor): the code page sends them on.
    Row("accounts:two-factor-verify", (LOGIN,) + (REDIRECT,) * 8),
    Row("accounts:two-factor-setup", SIGNED_IN_200),
    Row("accounts:recovery-codes", POST_ONLY),
    # Without an authenticator (STANDARD, SYS_ADMIN): back to the profile with the reason; else new codes.
    Row("accounts:recovery-codes", (LOGIN, REDIRECT, 200, 200, REDIRECT, 200, 200, 200, 200), method="post"),
    Row("accounts:two-factor-disable", POST_ONLY),
    Row("accounts:two-factor-disable", (LOGIN,) + (REDIRECT,) * 8, method="post"),
    Row("accounts:session-end", POST_ONLY, kwargs=a_session),
    Row("accounts:session-end", (LOGIN, REDIRECT) + (404,) * 7, method="post", kwargs=a_session),
    Row("accounts:sessions-end-others", POST_ONLY),
    Row("accounts:sessions-end-others", (LOGIN,) + (REDIRECT,) * 8, method="post"),
    Row("accounts:session-status", SIGNED_IN_200),
    Row("accounts:session-ping", POST_ONLY),
    Row("accounts:session-ping", SIGNED_IN_200, method="post"),
]  # fmt: skip

# Views that carry @login_not_required: anyone may open them.
PUBLIC_URL_NAMES = {
    "health",
    "health-live",
    "language-switch",
    "accounts:login",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "accounts:invitation-accept",
}


def collected_tables() -> list:
    """This module and every project app's `<app>/tests/permission_matrix.py`."""
    import importlib
    import sys
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    tables = [sys.modules[__name__]]
    for app_config in apps.get_app_configs():
        if not Path(app_config.path).is_relative_to(settings.BASE_DIR):
            continue
        name = f"{app_config.name}.tests.permission_matrix"
        try:
            tables.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name not in {name, f"{app_config.name}.tests"}:
                raise
    return tables


def collected_rows() -> list[Row]:
    return [row for table in collected_tables() for row in table.ROWS]

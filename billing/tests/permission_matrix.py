"""The billing app's rows of the permission matrix (read tests/permission_matrix.py first).

The statements of these rows belong to the persona's organization (`ctx.organization`). Its FIN_ADMIN and
ADMIN see and decide them, staff see every organization's; a STANDARD user, a SYS_ADMIN and another
organization's user get 404 (billing is not there for them). Staff may not approve (403: they see the
statement); only vendor admins generate statements and new revisions (a global permission: 403 for
everyone else, as on the other vendor pages).
"""

from django.utils import timezone

from billing.models import GenerationRun
from billing.tests.factories import contract_make, entry_make, last_month, statement_approved, statement_make
from billing.tests.time_matrix import ROWS as TIME_ROWS
from tests.permission_matrix import LOGIN, REDIRECT, Row


def a_statement(ctx):
    return {"pk": statement_make(ctx.organization).pk}


def an_approved_statement(ctx):
    return {"pk": statement_approved(ctx.organization, ctx.fixture("fin_admin_user")).pk}


def a_run(ctx):
    contract_make(ctx.organization)
    run = GenerationRun.objects.create(
        organization=ctx.organization, period=last_month(), requested_by=ctx.fixture("vendor_admin")
    )
    return {"pk": run.pk}


def _generate(ctx):
    contract_make(ctx.organization)
    return {"organization": ctx.organization.pk, "period": last_month().strftime("%Y-%m")}


def _billing_of(ctx):
    """The organization's billing pages, with a contract, an hour of time and last month's statement."""
    statement_make(ctx.organization)
    entry_make(ctx.organization, ctx.fixture("consultant"), day=timezone.localdate())
    return {"organization": ctx.organization.pk}


def _new_terms(ctx):
    return {
        "oib": ctx.organization.oib,
        "valid_from": timezone.localdate().isoformat(),
        "monthly_fee": "600.00",
        "included_hours": "12",
        "hourly_rate": "65.00",
        "sla_tier": "premium",
        "confirm": "1",
    }


STATEMENT = (LOGIN, 404, 200, 200, 404, 404, 200, 200, 200)
# The organization's billing pages (?organization=): the other organization's ADMIN gets 404 for it.
BILLING_PAGE = STATEMENT
DECIDE_POST = (LOGIN, 404, REDIRECT, REDIRECT, 404, 404, 403, 403, 403)
POST_ONLY = (LOGIN,) + (405,) * 8
VENDOR_ADMIN = (LOGIN, 403, 403, 403, 403, 403, 403, 403, 200)
VENDOR_ADMIN_POST = (LOGIN, 403, 403, 403, 403, 403, 403, 403, REDIRECT)

ROWS = [
    #                                        anon   std    admin  fin    sys    other  disp   cons   vadm
    Row("billing:statement-detail", STATEMENT, kwargs=a_statement),
    Row("billing:statement-pdf", STATEMENT, kwargs=a_statement),
    Row("billing:statement-einvoice", STATEMENT, kwargs=an_approved_statement),
    Row("billing:statement-approve", POST_ONLY, kwargs=a_statement),
    Row("billing:statement-approve", DECIDE_POST, method="post", kwargs=a_statement),
    Row("billing:statement-dispute", POST_ONLY, kwargs=a_statement),
    Row("billing:statement-dispute", DECIDE_POST, method="post", kwargs=a_statement,
        data=lambda ctx: {"comment": "Ten hours on 3 March were for another company."}),
    Row("billing:statement-revise", POST_ONLY, kwargs=a_statement),
    Row("billing:statement-revise", VENDOR_ADMIN_POST, method="post", kwargs=a_statement),
    Row("billing:generate", VENDOR_ADMIN),
    Row("billing:generate", VENDOR_ADMIN_POST, method="post", data=_generate),
    Row("billing:generation-status", VENDOR_ADMIN, kwargs=a_run),
    # billing-pages: an organization's overview, statements, services (and export), analysis and contract.
    Row("billing:overview", BILLING_PAGE, data=_billing_of),
    Row("billing:statement-list", BILLING_PAGE, data=_billing_of),
    Row("billing:service-list", BILLING_PAGE, data=_billing_of),
    Row("billing:service-export", BILLING_PAGE, data=lambda ctx: {**_billing_of(ctx), "format": "csv"}),
    Row("billing:cost-analysis", BILLING_PAGE, data=_billing_of),
    Row("billing:contract-list", BILLING_PAGE, data=_billing_of),
    Row("billing:contract-create", VENDOR_ADMIN, kwargs=lambda ctx: {"organization_pk": ctx.organization.pk}),
    Row("billing:contract-create", VENDOR_ADMIN_POST, method="post",
        kwargs=lambda ctx: {"organization_pk": ctx.organization.pk}, data=_new_terms),
]  # fmt: skip

# Consultant time (billing-time).
ROWS += TIME_ROWS

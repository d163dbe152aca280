"""The licensing app's rows of the permission matrix (read tests/permission_matrix.py first).

The licence of these rows belongs to the persona's organization (`ctx.organization`). FIN_ADMIN reads its
terms and history, SYS_ADMIN its modules, ADMIN and staff all of it; a STANDARD user and another
organization's user get 404. Only vendor admins change licences (a global permission: 403 for everyone
else, as on the other vendor pages); their POST rows send the confirmation step, which saves and redirects.
"""

from datetime import timedelta

from django.utils import timezone

from licensing.models import Licence
from licensing.tests.factories import licence_make
from tests.factories import module_get
from tests.permission_matrix import LOGIN, REDIRECT, Row


def a_licence(ctx):
    return {"pk": licence_make(ctx.organization, modules=["finance", "sales"]).pk}


def a_granule(ctx):
    licence = licence_make(ctx.organization, modules=["finance", "sales"])
    return {"pk": licence.pk, "granule_pk": licence.granules.get(module__code="finance").pk}


def _confirmed(**fields):
    return lambda ctx: {"reason": "Per the signed order.", "confirm": "1", **fields}


def _terms(ctx):
    licence = Licence.objects.get(organization=ctx.organization, is_current=True)
    return _confirmed(
        edition=licence.edition,
        valid_from=licence.valid_from.isoformat(),
        valid_until=(licence.valid_until + timedelta(days=365)).isoformat(),
        support_until=(licence.valid_until + timedelta(days=365)).isoformat(),
        products=[product.pk for product in licence.products.all()],
    )(ctx)


def _new_licence(ctx):
    today = timezone.localdate()
    return _confirmed(
        number="JL-MATRIX-1",
        edition="standard",
        valid_from=today.isoformat(),
        valid_until=(today + timedelta(days=365)).isoformat(),
        products=[module_get("finance").product_id],
    )(ctx)


def _new_module(ctx):
    return _confirmed(module=module_get("warehouse").pk, quantity="5", unit="seats")(ctx)


CUSTOMER_PAGE = (LOGIN, 404, 200, 200, 200, 200, REDIRECT, REDIRECT, REDIRECT)
LICENCE_200 = (LOGIN, 404, 200, 200, 200, 404, 200, 200, 200)
TERMS_200 = (LOGIN, 404, 200, 200, 403, 404, 200, 200, 200)
STAFF_200 = (LOGIN, 403, 403, 403, 403, 403, 200, 200, 200)
VENDOR_ADMIN = (LOGIN, 403, 403, 403, 403, 403, 403, 403, 200)
VENDOR_ADMIN_POST = (LOGIN, 403, 403, 403, 403, 403, 403, 403, REDIRECT)

ROWS = [
    #                                   anon   std    admin  fin    sys    other  disp   cons   vadm
    # The current organization's licence: the other organization's ADMIN sees theirs (none: a notice).
    Row("licensing:licence-current", CUSTOMER_PAGE),
    Row("licensing:licence-list", STAFF_200),
    Row("licensing:licence-detail", LICENCE_200, kwargs=a_licence),
    Row("licensing:licence-history", TERMS_200, kwargs=a_licence),
    Row("licensing:licence-issue", VENDOR_ADMIN, kwargs=lambda ctx: {"organization_pk": ctx.organization.pk}),
    Row("licensing:licence-issue", VENDOR_ADMIN_POST, method="post",
        kwargs=lambda ctx: {"organization_pk": ctx.organization.pk}, data=_new_licence),
    Row("licensing:licence-edit", VENDOR_ADMIN, kwargs=a_licence),
    Row("licensing:licence-edit", VENDOR_ADMIN_POST, method="post", kwargs=a_licence, data=_terms),
    Row("licensing:licence-suspension", VENDOR_ADMIN, kwargs=a_licence),
    Row("licensing:licence-suspension", VENDOR_ADMIN_POST, method="post", kwargs=a_licence,
        data=_confirmed()),
    Row("licensing:granule-add", VENDOR_ADMIN, kwargs=a_licence),
    Row("licensing:granule-add", VENDOR_ADMIN_POST, method="post", kwargs=a_licence, data=_new_module),
    Row("licensing:granule-edit", VENDOR_ADMIN, kwargs=a_granule),
    Row("licensing:granule-edit", VENDOR_ADMIN_POST, method="post", kwargs=a_granule,
        data=_confirmed(quantity="99", unit="named_users")),
    Row("licensing:granule-remove", VENDOR_ADMIN, kwargs=a_granule),
    Row("licensing:granule-remove", VENDOR_ADMIN_POST, method="post", kwargs=a_granule, data=_confirmed()),
]  # fmt: skip

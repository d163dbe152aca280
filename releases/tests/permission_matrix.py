"""The releases app's rows of the permission matrix (read tests/permission_matrix.py first).

The persona's organization (`ctx.organization`) holds a licence of Jupiter ERP with active support; the
other organization's ADMIN holds none. Upgrade packages are for SYS_ADMIN and ADMIN: STANDARD and
FIN_ADMIN, and anyone whose organization does not license the product, get 404 (the page does not exist for
them, as their menu says). Vendor staff see every release; vendor admins write, publish and download them.
"""

from licensing.tests.factories import licence_make
from releases.tests.factories import release_make
from tests.permission_matrix import LOGIN, REDIRECT, Row


def _licensed(ctx):
    ctx.fixture("settings").MEDIA_ROOT = ctx.fixture("tmp_path")
    licence_make(ctx.organization)


def a_release(ctx):
    _licensed(ctx)
    return {"pk": release_make("2026.4").pk}


def a_draft(ctx):
    _licensed(ctx)
    return {"pk": release_make("2026.10", published=False).pk}


def a_product(ctx):
    _licensed(ctx)
    release_make("2026.4")
    return {"code": "jupiter-erp"}


def a_file(ctx):
    _licensed(ctx)
    return {"pk": release_make("2026.4").files.get().pk}


def installed_data(ctx):
    from releases.tests.factories import product_get

    return {"organization": ctx.organization.pk, "product": product_get().pk, "version": "2026.1"}


POST_ONLY = (LOGIN,) + (405,) * 8
VENDOR_ADMIN_ONLY = (LOGIN, 403, 403, 403, 403, 403, 403, 403, 200)
VENDOR_ADMIN_POST = (LOGIN, 403, 403, 403, 403, 403, 403, 403, REDIRECT)
# SYS_ADMIN and ADMIN of the licensed organization, and vendor staff.
PACKAGES = (LOGIN, 404, 200, 404, 200, 404, 200, 200, 200)

ROWS = [
    #                                         anon   std    admin  fin    sys    other  disp   cons   vadm
    Row("releases:release-list",             (LOGIN, 404,   200,   404,   200,   200,   200,   200,   200)),
    Row("releases:release-changes", PACKAGES, kwargs=a_product),
    Row("releases:release-detail", PACKAGES, kwargs=a_release),
    Row("releases:release-create", VENDOR_ADMIN_ONLY),
    Row("releases:release-create", VENDOR_ADMIN_ONLY, method="post"),  # empty form: errors, 200
    Row("releases:release-update", VENDOR_ADMIN_ONLY, kwargs=a_draft),
    Row("releases:release-update", VENDOR_ADMIN_ONLY, method="post", kwargs=a_draft),
    Row("releases:release-publish", POST_ONLY, kwargs=a_draft),
    Row("releases:release-publish", VENDOR_ADMIN_POST, method="post", kwargs=a_draft),
    Row("releases:file-create", VENDOR_ADMIN_ONLY, kwargs=a_draft),
    Row("releases:file-create", VENDOR_ADMIN_ONLY, method="post", kwargs=a_draft),
    # Staff who only read releases do not download packages; vendor admins may (to check them).
    Row("releases:file-download",            (LOGIN, 404,   200,   404,   200,   404,   404,   404,   200),
        kwargs=a_file),
    Row("releases:installed-list", VENDOR_ADMIN_ONLY),
    Row("releases:installed-list", VENDOR_ADMIN_POST, method="post", data=installed_data),
]  # fmt: skip

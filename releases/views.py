from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.files import ranged_download_response
from helpdesk.idempotency import submit_once
from helpdesk.pagination import page_of
from helpdesk.permissions import GLOBALLY, has_global_perm, has_org_perm, require_perm
from helpdesk.services import client_ip

from . import selectors, services
from .forms import InstalledVersionForm, ReleaseFileForm, ReleaseForm
from .models import Product


def _organization(request, perm: str):
    """The organization the customer works in, when they hold `perm` there; else None."""
    membership = request.membership  # a lazy object: test its truth
    if membership and has_org_perm(request.user, perm, membership.organization):
        return membership.organization
    return None


def _customer_organization_or_404(request):
    """The upgrade pages belong to SYS_ADMINs and ADMINs: anyone else is told the page does not exist, not
    that it is forbidden (STANDARD and FIN_ADMIN see no link to it either)."""
    organization = _organization(request, selectors.VIEW)
    if organization is None:
        raise Http404
    return organization


def _save(form, save, **arguments):
    """Call the service; its refusal becomes the form's error. The saved object, or None."""
    try:
        return save(**arguments)
    except ValidationError as error:
        form.add_error(None, error)
        return None


# --- Customers: the upgrade packages ------------------------------------------------------------------------


@require_GET
def release_list(request):
    """Customers: the releases newer than the organization's installed version, per product, with the
    upgrade path and the packages. Vendor staff: every release."""
    if has_global_perm(request.user, selectors.VIEW):
        context = {
            "page": page_of(selectors.release_list(request.user), request.GET.get("page"), per_page=30),
            "can_manage": selectors.may_manage(request.user),
        }
        return render(request, "releases/release_list_staff.html", context)
    organization = _customer_organization_or_404(request)
    context = {
        "organization": organization,
        "upgrades": selectors.organization_upgrades(request.user, organization),
    }
    return render(request, "releases/release_list.html", context)


@require_GET
def release_changes(request, code):
    """What changes for the organization: the notes of every release newer than its installed version, in
    one page, newest last (the order they are installed in)."""
    product = get_object_or_404(Product, code=code, is_active=True)
    if has_global_perm(request.user, selectors.VIEW):
        organization, upgrades = None, None
    else:
        organization = _customer_organization_or_404(request)
        upgrades = selectors.organization_upgrades(request.user, organization)
        upgrades = next((upgrade for upgrade in upgrades if upgrade.product == product), None)
        if upgrades is None:
            raise Http404
    releases = upgrades.path.newer if upgrades else list(selectors.product_releases(product))
    context = {"product": product, "organization": organization, "upgrades": upgrades, "releases": releases}
    return render(request, "releases/release_changes.html", context)


@require_GET
def release_detail(request, pk):
    release = selectors.get_release_for(request.user, pk)
    staff = has_global_perm(request.user, selectors.VIEW)
    organization = None if staff else _customer_organization_or_404(request)
    access = selectors.download_access(request.user, organization, release.product)
    if not staff and not (access.allowed or access.support_expired):
        raise Http404  # a release of a product the organization does not license
    context = {
        "release": release,
        "access": access,
        "delivered": selectors.delivered_cases_for(request.user, release),
        "can_manage": selectors.may_manage(request.user),
    }
    return render(request, "releases/release_detail.html", context)


@require_GET
def file_download(request, pk):
    """A release's file, to those whose licence covers the product with active support (and to vendor
    admins); a covered organization whose support has ended is told how to renew; anyone else gets 404.
    Every download is audited and counted."""
    organization = _organization(request, selectors.DOWNLOAD)
    release_file, access = selectors.get_file_for(request.user, organization, pk)
    if not access.allowed:
        context = {"release": release_file.release, "access": access}
        return render(request, "releases/support_expired.html", context, status=403)
    response = ranged_download_response(
        request, release_file.file, filename=release_file.original_name, etag=release_file.sha256
    )
    if response.status_code != 416:
        first, length = response.download_range or (0, release_file.size)
        services.download_record(
            release_file=release_file,
            by=request.user,
            organization=access.organization,
            first_byte=first,
            length=length,
            ip=client_ip(request),
        )
    return response


# --- Vendor admins: writing and publishing ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE, where=GLOBALLY)
def release_create(request):
    form = ReleaseForm(request.POST or None)
    if form.is_valid():
        return submit_once(request, form, lambda: _saved(request, form))
    return render(request, "releases/release_create.html", {"form": form})


def _saved(request, form, release=None):
    data = {key: value for key, value in form.cleaned_data.items() if key != "submission_token"}
    saved = _save(form, services.release_save, release=release, by=request.user, **data)
    if saved is None:
        template = "releases/release_create.html" if release is None else "releases/release_update.html"
        return render(request, template, {"form": form, "release": release})
    messages.success(request, _("The release %(release)s has been saved.") % {"release": saved})
    return redirect(saved)


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE, where=GLOBALLY)
def release_update(request, pk):
    release = selectors.get_release_for(request.user, pk)
    form = ReleaseForm(request.POST or None, release=release)
    if form.is_valid():
        return submit_once(request, form, lambda: _saved(request, form, release))
    return render(request, "releases/release_update.html", {"form": form, "release": release})


@require_POST
@require_perm(selectors.MANAGE, where=GLOBALLY)
def release_publish(request, pk):
    release = selectors.get_release_for(request.user, pk)
    try:
        services.release_publish(release=release, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(release)s is published; its customers are being told.") % {"release": release}
        )
    return redirect(release)


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE, where=GLOBALLY)
def file_create(request, pk):
    """Upload a file of the release: Django spools it to disk as it arrives; the service hashes it and
    hands it to the storage in blocks."""
    release = selectors.get_release_for(request.user, pk)
    form = ReleaseFileForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        return submit_once(request, form, lambda: _file_added(request, form, release))
    return render(request, "releases/file_create.html", {"form": form, "release": release})


def _file_added(request, form, release):
    data = form.cleaned_data
    added = _save(
        form,
        services.release_file_add,
        release=release,
        by=request.user,
        upload=data["upload"],
        kind=data["kind"],
    )
    if added is None:
        return render(request, "releases/file_create.html", {"form": form, "release": release})
    messages.success(request, _("%(name)s has been added.") % {"name": added.original_name})
    return redirect(release)


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE, where=GLOBALLY)
def installed_list(request):
    """The version of each product every organization runs, and the form that records one."""
    form = InstalledVersionForm(request.POST or None)
    if form.is_valid():
        return submit_once(request, form, lambda: _installed_set(request, form))
    context = {
        "form": form,
        "page": page_of(selectors.installed_versions(), request.GET.get("page"), per_page=50),
    }
    return render(request, "releases/installed_list.html", context)


def _installed_set(request, form):
    data = {key: form.cleaned_data[key] for key in ("organization", "product", "version")}
    installed = _save(form, services.installed_version_set, by=request.user, **data)
    if installed is None:
        context = {"form": form, "page": page_of(selectors.installed_versions(), 1, per_page=50)}
        return render(request, "releases/installed_list.html", context)
    messages.success(
        request,
        _("%(organization)s runs %(product)s %(version)s.")
        % {
            "organization": installed.organization,
            "product": installed.product,
            "version": installed.version,
        },
    )
    return redirect("releases:installed-list")

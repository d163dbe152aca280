from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.htmx import is_htmx, safe_next
from helpdesk.pagination import page_of
from helpdesk.permissions import has_global_perm, has_org_perm, organization_ids_with_perm

from . import selectors, services
from .forms import AssignForm, CaseCreateForm, ReplyForm, StatusForm
from .models import Case
from .search import CaseFilterForm, cases_filter

QUEUE_SEEN_KEY = "queue_seen_at"


def _require_global(user, perm):
    if not has_global_perm(user, perm):
        raise PermissionDenied


@require_GET
def case_list(request):
    """The organization's cases for customers, every case for staff; filters and full text in the URL."""
    if organization_ids_with_perm(request.user, "cases.view_org_cases") == []:
        raise PermissionDenied
    form = CaseFilterForm(request.GET or None, staff=request.user.is_vendor_staff)
    cases = selectors.cases_visible_to(request.user).for_list()
    if form.is_valid():
        cases = cases_filter(cases, form.cleaned_data)
    elif form.is_bound:
        cases = cases.none()
    else:
        cases = cases.order_by("-last_activity_at", "-pk")
    context = {"form": form, "page": page_of(cases, request.GET.get("page"))}
    if is_htmx(request):
        return render(request, "cases/case_list.html#results", context)
    return render(request, "cases/case_list.html", context)


def _staged_after_failure(request, form) -> list:
    """Files to show as already attached after a failed submit: earlier ones plus this submit's good ones."""
    earlier = list(form.cleaned_data.get("staged", [])) if hasattr(form, "cleaned_data") else []
    return earlier + services.uploads_stage(user=request.user, files=form.accepted_files)


@require_http_methods(["GET", "POST"])
def case_create(request):
    membership = request.membership
    if not membership or not has_org_perm(request.user, "cases.create_case", membership.organization):
        raise PermissionDenied
    form = CaseCreateForm(request.POST or None, request.FILES or None, user=request.user)
    staged = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            case = services.case_create(
                organization=membership.organization,
                reporter=request.user,
                category=data["category"],
                module=data["module"],
                priority=data["priority"],
                title=data["title"],
                description=data["description"],
                files=data["files"],
                staged=data["staged"],
            )
            messages.success(
                request, _("Case %(reference)s has been logged.") % {"reference": case.reference}
            )
            return redirect(case)
        staged = _staged_after_failure(request, form)
    return render(request, "cases/case_create.html", {"form": form, "staged": staged})


def _detail_context(request, case, reply_form=None, staged=()):
    user = request.user
    staff = user.is_vendor_staff
    can_reply = (
        has_org_perm(user, "cases.reply_case", case.organization) and case.status != Case.Status.CLOSED
    )
    watcher = selectors.case_watch_state(case, user)
    return {
        "case": case,
        "timeline": selectors.case_timeline(case, include_internal=staff),
        "reply_form": reply_form or ReplyForm(user=user, can_write_internal=staff),
        "staged": staged,
        "can_reply": can_reply,
        "transitions": [
            (status, Case.Status(status).label) for status in services.allowed_transitions(case, user)
        ],
        "watcher": watcher,
        "can_join": staff and (watcher is None or watcher.kind != watcher.Kind.PARTICIPANT),
        "can_assign": has_global_perm(user, "cases.assign_case") and case.is_open,
        "is_staff_view": staff,
    }


@require_GET
def case_detail(request, reference):
    case = selectors.get_case_for(request.user, reference)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@require_POST
def case_reply(request, reference):
    case = selectors.get_case_for(request.user, reference, "cases.reply_case")
    form = ReplyForm(
        request.POST, request.FILES, user=request.user, can_write_internal=request.user.is_vendor_staff
    )
    if form.is_valid():
        try:
            services.case_reply(
                case=case,
                author=request.user,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data.get("is_internal", False),
                files=form.cleaned_data["files"],
                staged=form.cleaned_data["staged"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your reply has been added."))
            return redirect(case)
    staged = _staged_after_failure(request, form)
    context = _detail_context(request, case, reply_form=form, staged=staged)
    return render(request, "cases/case_detail.html", context, status=400)


@require_POST
def case_status(request, reference):
    case = selectors.get_case_for(request.user, reference, "cases.reply_case")
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect(case)
    try:
        case = services.case_change_status(
            case=case, to=form.cleaned_data["status"], by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case is now “%(status)s”.") % {"status": case.get_status_display()})
    return redirect(case)


@require_http_methods(["GET", "POST"])
def case_assign(request, reference):
    _require_global(request.user, "cases.assign_case")
    case = selectors.get_case_for(request.user, reference)
    form = AssignForm(request.POST or None, initial={"consultant": case.assignee})
    if form.is_valid():
        try:
            services.case_assign(case=case, consultant=form.cleaned_data["consultant"], by=request.user)
        except ValidationError as error:
            form.add_error("consultant", error)
        else:
            messages.success(request, _("The case has been assigned."))
            return redirect(case)
    return render(request, "cases/case_assign.html", {"case": case, "form": form})


@require_POST
def case_join(request, reference):
    _require_global(request.user, "cases.work_case")
    case = selectors.get_case_for(request.user, reference)
    services.case_join(case=case, user=request.user)
    messages.success(request, _("You have joined the case and will be notified of its news."))
    return redirect(case)


@require_POST
def case_watch(request, reference):
    case = selectors.get_case_for(request.user, reference)
    watch = request.POST.get("watch") == "1"
    services.case_watch(case=case, user=request.user, watch=watch)
    messages.success(
        request, _("You are watching this case.") if watch else _("You no longer watch this case.")
    )
    return redirect(case)


@require_POST
def case_mute(request, reference):
    case = selectors.get_case_for(request.user, reference)
    muted = request.POST.get("muted") == "1"
    services.case_mute(case=case, user=request.user, muted=muted)
    messages.success(
        request,
        _("Notifications of this case are muted.") if muted else _("Notifications of this case are on."),
    )
    return redirect(case)


@require_GET
def attachment_download(request, reference, pk):
    """Stream the file as a download (never rendered inline); on S3, redirect to a short-lived signed URL."""
    case = selectors.get_case_for(request.user, reference)
    attachments = selectors.attachments_visible(case, include_internal=request.user.is_vendor_staff)
    attachment = get_object_or_404(attachments, pk=pk)
    storage = attachment.file.storage
    if not hasattr(storage, "path"):
        url = storage.url(
            attachment.file.name,
            parameters={"ResponseContentDisposition": f'attachment; filename="{attachment.storage_key}"'},
        )
        return HttpResponseRedirect(url)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type="application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def queue(request):
    """First-line support's queue; the list refreshes itself (htmx) and marks what arrived since the last
    full look at the page."""
    _require_global(request.user, "cases.view_queue")
    now = timezone.now()
    seen_at = request.session.get(QUEUE_SEEN_KEY)
    seen_at = timezone.datetime.fromisoformat(seen_at) if seen_at else now
    context = {**selectors.queue_sections(now=now), "seen_at": seen_at}
    if is_htmx(request):
        response = render(request, "cases/queue.html#queue", context)
    else:
        request.session[QUEUE_SEEN_KEY] = now.isoformat()
        response = render(request, "cases/queue.html", context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
def my_work(request):
    _require_global(request.user, "cases.work_case")
    return render(request, "cases/my_work.html", selectors.consultant_work(request.user))


@require_POST
def availability(request):
    _require_global(request.user, "cases.work_case")
    available = request.POST.get("available") == "1"
    services.consultant_set_availability(user=request.user, available=available)
    messages.success(
        request,
        _("You are available for new cases.") if available else _("You are away; new cases wait for others."),
    )
    return redirect(safe_next(request, reverse("dashboard")))

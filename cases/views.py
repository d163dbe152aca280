from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.files import download_response
from helpdesk.htmx import is_htmx, safe_next
from helpdesk.idempotency import submit_once
from helpdesk.pagination import count_up_to, page_of
from helpdesk.permissions import (
    CURRENT_ORGANIZATION,
    GLOBALLY,
    has_global_perm,
    is_staff,
    organization_scope,
    require_perm,
)
from helpdesk.throttle import throttle

from . import analysis, export, page_parts, saved_searches, selectors, services
from .forms import AssignForm, CaseCreateForm, ReplyForm, StatusForm
from .models import Case, SavedSearch
from .search import CaseFilterForm, SavedSearchForm, cases_filter, filter_chips, filter_query_string

QUEUE_SEEN_KEY = "queue_seen_at"


def _filter_form(request, data) -> CaseFilterForm:
    """The filters; a customer in several organizations may pick one of them (from the memberships the
    header has loaded anyway, so no query)."""
    user = request.user
    if is_staff(user):
        return CaseFilterForm(data, staff=True)
    scope = organization_scope(user, "cases.view_org_cases")
    organizations = [
        (m.organization_id, m.organization.name) for m in request.memberships if m.organization_id in scope
    ]
    return CaseFilterForm(data, staff=False, organizations=organizations)


def _empty_state(request, query: str) -> dict:
    """What an empty list says, with the next step: fewer filters, or the first case."""
    if query:
        action = {"url": reverse("cases:case-list"), "label": _("Clear filters")}
        return {"text": _("No cases match these filters."), "action": action}
    if request.membership:
        action = {"url": reverse("cases:case-create"), "label": _("Log a case")}
        return {"text": _("No cases yet."), "action": action}
    return {"text": _("No cases yet."), "action": None}


def _case_list_context(request, params, save_form=None) -> dict:
    """The list page for these filters: a page of results, the user's saved searches and the links that
    keep the filters (export, analysis, save)."""
    user = request.user
    form = _filter_form(request, params or None)
    cases = selectors.cases_visible_to(user).for_list()
    chips = []
    if form.is_valid():
        cases = cases_filter(cases, form.cleaned_data)
        chips = filter_chips(form, params)
    elif form.is_bound:
        cases = cases.none()
    else:
        cases = cases.order_by("-last_activity_at", "-pk")
    query = filter_query_string(params)
    page = page_of(cases, params.get("page"))
    if is_staff(user):
        selectors.licence_badges_add(page)
    match_count, more_than = count_up_to(cases)
    return {
        "form": form,
        "filter_chips": chips,
        # The filters behind the phone's "Filters" button: every chip but the words searched for.
        "filters_active": sum(1 for chip in chips if chip["name"] != "q"),
        "empty": _empty_state(request, query),
        "page": page,
        "match_count": match_count,
        "match_count_more": more_than,
        # The pager links to the list with these filters, also when a failed POST shows the list.
        "pager_url": reverse("cases:case-list"),
        "pager_params": params,
        "query": query,
        "save_form": save_form or SavedSearchForm(initial={"query": query}),
        "saved_searches": saved_searches.saved_searches_of(user),
        "can_analyse": bool(organization_scope(user, "cases.analyse_cases")),
        "show_organization": is_staff(user),
        "export_limit": export.EXPORT_LIMIT,
    }


def _is_search(request) -> bool:
    """A list with words or filters is a search (rate-limited); the plain list and its pages are not."""
    return bool(filter_query_string(request.GET))


@require_GET
@require_perm("cases.view_org_cases")
@throttle("case-search", when=_is_search)
def case_list(request):
    """The organization's cases for customers, every case for staff; filters and full text in the URL."""
    context = _case_list_context(request, request.GET)
    if is_htmx(request):
        context["is_fragment"] = True  # the links that keep the filters come along (hx-swap-oob)
        response = render(request, "cases/case_list.html#results", context)
    else:
        response = render(request, "cases/case_list.html", context)
    response["Vary"] = "HX-Request"
    return response


@require_http_methods(["GET", "POST"])
@require_perm("cases.create_case", where=CURRENT_ORGANIZATION)
def case_create(request):
    form = CaseCreateForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        organization=request.membership.organization,
    )
    staged = []
    if request.method == "POST":
        if form.is_valid():
            # The form sent twice (a double click) logs one case: the second is shown the first.
            return submit_once(request, form, lambda: _case_logged(request, form.cleaned_data))
        staged = form.staged_after_failure()
    return render(request, "cases/case_create.html", {"form": form, "staged": staged})


def _case_logged(request, data):
    case = services.case_create(
        organization=request.membership.organization,
        reporter=request.user,
        category=data["category"],
        module=data["module"],
        priority=data["priority"],
        title=data["title"],
        description=data["description"],
        files=data["files"],
        staged=data["staged"],
    )
    messages.success(request, _("Case %(reference)s has been logged.") % {"reference": case.reference})
    return redirect(case)


def _detail_context(request, case, reply_form=None, staged=()):
    user = request.user
    staff = is_staff(user)
    internal = services.may_see_internal(user)
    watcher = selectors.case_watch_state(case, user)
    if staff:
        selectors.licence_badges_add([case])
    # Other apps' parts of the page (billing: consultant time in the timeline and its form).
    items, blocks = page_parts.case_page_parts(case, user, internal=internal)
    events = selectors.case_timeline(case, include_internal=internal)
    return {
        "case": case,
        "timeline": page_parts.timeline_with(events, items),
        "below_timeline": blocks,
        "deliveries": selectors.case_deliveries(case),
        "reply_form": reply_form or ReplyForm(user=user, can_write_internal=internal),
        "staged": staged,
        "can_reply": services.may_reply(case, user),
        "transitions": [
            (status, Case.Status(status).label) for status in services.allowed_transitions(case, user)
        ],
        "watcher": watcher,
        "can_join": staff and (watcher is None or watcher.kind != watcher.Kind.PARTICIPANT),
        "can_assign": has_global_perm(user, "cases.assign_case") and case.is_open,
        "is_staff_view": staff,
        # A resolved case can become a draft FAQ entry (docs:faq-from-case) in one step.
        "can_write_faq": has_global_perm(user, "docs.manage_knowledge") and case.resolved_at is not None,
    }


@require_GET
def case_detail(request, reference):
    case = selectors.get_case_for(request.user, reference)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@require_POST
def case_reply(request, reference):
    case = selectors.get_case_for(request.user, reference, "cases.reply_case")
    form = ReplyForm(
        request.POST,
        request.FILES,
        user=request.user,
        can_write_internal=services.may_see_internal(request.user),
    )
    if form.is_valid():
        try:
            # The form sent twice adds one reply: the second is shown the case.
            return submit_once(request, form, lambda: _reply_added(request, case, form.cleaned_data))
        except ValidationError as error:
            form.add_error(None, error)
    staged = form.staged_after_failure()
    context = _detail_context(request, case, reply_form=form, staged=staged)
    return render(request, "cases/case_detail.html", context, status=400)


def _reply_added(request, case, data):
    services.case_reply(
        case=case,
        author=request.user,
        body=data["body"],
        internal=data.get("is_internal", False),
        files=data["files"],
        staged=data["staged"],
    )
    messages.success(request, _("Your reply has been added."))
    return redirect(case)


@require_POST
def case_status(request, reference):
    case = selectors.get_case_for(request.user, reference, "cases.reply_case")
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])) or _("Choose a valid status."))
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
@require_perm("cases.assign_case", where=GLOBALLY)
def case_assign(request, reference):
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
@require_perm("cases.work_case", where=GLOBALLY)
def case_join(request, reference):
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
    attachments = selectors.attachments_visible(
        case, include_internal=services.may_see_internal(request.user)
    )
    attachment = get_object_or_404(attachments, pk=pk)
    return download_response(
        attachment.file, filename=attachment.original_name, storage_key=attachment.storage_key
    )


@require_GET
@require_perm("cases.view_queue", where=GLOBALLY)
def queue(request):
    """First-line support's queue; the list refreshes itself (htmx) and marks what arrived since the last
    full look at the page."""
    now = timezone.now()
    seen_at = request.session.get(QUEUE_SEEN_KEY)
    seen_at = timezone.datetime.fromisoformat(seen_at) if seen_at else now
    sections = selectors.queue_sections(now=now)
    selectors.licence_badges_add(case for cases in sections.values() for case in cases)
    context = {**sections, "seen_at": seen_at}
    if is_htmx(request):
        response = render(request, "cases/queue.html#queue", context)
    else:
        request.session[QUEUE_SEEN_KEY] = now.isoformat()
        response = render(request, "cases/queue.html", context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
@require_perm("cases.work_case", where=GLOBALLY)
def my_work(request):
    work = selectors.consultant_work(request.user)
    selectors.licence_badges_add(case for cases in work.values() for case in cases)
    return render(request, "cases/my_work.html", work)


@require_POST
@require_perm("cases.work_case", where=GLOBALLY)
def availability(request):
    available = request.POST.get("available") == "1"
    services.consultant_set_availability(user=request.user, available=available)
    messages.success(
        request,
        _("You are available for new cases.") if available else _("You are away; new cases wait for others."),
    )
    return redirect(safe_next(request, reverse("dashboard")))


@require_POST
@require_perm("cases.view_org_cases")
def saved_search_create(request):
    """Save the list's current filters under a name; a refused name shows the list again with the error."""
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            saved = saved_searches.saved_search_create(
                user=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"]
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("Search “%(name)s” saved.") % {"name": saved.name})
            return redirect(f"{reverse('cases:case-list')}?{saved.query}")
    params = QueryDict(request.POST.get("query", ""))
    context = _case_list_context(request, params, save_form=form)
    return render(request, "cases/case_list.html", context, status=400)


@require_POST
def saved_search_delete(request, pk):
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    saved_searches.saved_search_delete(saved_search=saved, by=request.user)
    messages.success(request, _("Saved search “%(name)s” deleted.") % {"name": saved.name})
    return redirect(safe_next(request, reverse("cases:case-list")))


@require_GET
@require_perm("cases.analyse_cases")
@throttle("case-export")
def case_export(request):
    """The filtered cases the user may analyse as CSV or XLSX (cases.export says what goes in)."""
    form = _filter_form(request, request.GET)
    file_format = request.GET.get("format")
    if not form.is_valid() or file_format not in ("csv", "xlsx"):
        messages.error(request, _("The export needs valid filters and a format (CSV or XLSX)."))
        return redirect(f"{reverse('cases:case-list')}?{request.GET.urlencode()}")
    cases = cases_filter(selectors.cases_for_analysis(request.user), form.cleaned_data)
    if file_format == "xlsx":
        return export.xlsx_response(cases)
    return export.csv_response(cases)


@require_GET
@require_perm("cases.analyse_cases")
@throttle("case-analysis")
def case_analysis(request):
    """Charts and tables of the cases the user may analyse, with the list's filters (kept in the URL)."""
    form = _filter_form(request, request.GET or None)
    report = None
    if form.is_valid() or not form.is_bound:
        filters = form.cleaned_data if form.is_bound else {}
        report = analysis.analysis_report(analysis.case_figures(user=request.user, filters=filters))
    context = {"form": form, "report": report, "query": filter_query_string(request.GET)}
    return render(request, "cases/case_analysis.html", context, status=200 if report else 400)

"""Consultant time: logged on the case page (htmx, under the timeline) or as general work for an
organization on the consultant's own page; changed or deleted until its month's statement is approved."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import selectors as case_selectors
from helpdesk.htmx import is_htmx
from helpdesk.idempotency import submit_once
from helpdesk.pagination import page_of
from helpdesk.permissions import GLOBALLY, require_perm

from .. import timelog
from ..forms_time import GeneralTimeForm, TimeEntryChangeForm, TimeEntryForm
from ..selectors import LOG_TIME_PERM


def _entry_url(entry) -> str:
    """Where an entry is seen: on its case's timeline, or on the consultant's time page."""
    if entry.case_id:
        return f"{entry.case.get_absolute_url()}#time-{entry.pk}"
    return reverse("billing:time-list")


def _logged(request, *, case=None, organization=None, data) -> HttpResponse:
    entry = timelog.time_entry_log(
        by=request.user,
        case=case,
        organization=organization,
        day=data["day"],
        minutes=data["duration"],
        is_billable=data["is_billable"],
        description=data["description"],
        internal_note=data["internal_note"],
    )
    messages.success(request, _("The time has been logged."))
    return redirect(_entry_url(entry))


def _log(request, form, **where) -> HttpResponse | None:
    """The form's time logged once per submission (a redirect), or None with the refusal on the form."""
    try:
        return submit_once(request, form, lambda: _logged(request, data=form.cleaned_data, **where))
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_POST
@require_perm(LOG_TIME_PERM, where=GLOBALLY)
def case_time_log(request, reference):
    """The case page's time form. htmx swaps the form with its errors, or loads the case page again to show
    the new entry on the timeline; without JavaScript it is an ordinary form."""
    case = case_selectors.get_case_for(request.user, reference)
    form = TimeEntryForm(request.POST)
    response = _log(request, form, case=case) if form.is_valid() else None
    if response is not None and is_htmx(request):
        return HttpResponse(headers={"HX-Redirect": response["Location"]})
    if response is not None:
        return response
    if is_htmx(request):  # htmx swaps only successful answers: the form comes back with its errors
        return render(request, "billing/_time_entry_form.html", {"part": {"case": case, "time_form": form}})
    context = {"case": case, "part": {"case": case, "time_form": form}}
    return render(request, "billing/case_time_log.html", context, status=400)


@require_http_methods(["GET", "POST"])
@require_perm(LOG_TIME_PERM, where=GLOBALLY)
def time_list(request):
    """The consultant's own time, newest first, and the form for general work for an organization."""
    form = GeneralTimeForm(request.POST or None)
    status = 200
    if form.is_valid():
        organization = form.cleaned_data["organization"]
        if response := _log(request, form, organization=organization):
            return response
    if form.is_bound:
        status = 400
    entries = page_of(timelog.time_entries_of(request.user), request.GET.get("page"), per_page=50)
    timelog.entries_mark_changeable(entries, request.user)
    return render(request, "billing/time_list.html", {"form": form, "page": entries}, status=status)


def _change_form(request, entry) -> TimeEntryChangeForm:
    initial = {
        "day": entry.date,
        "duration": f"{entry.minutes // 60}:{entry.minutes % 60:02d}",
        "is_billable": entry.is_billable,
        "description": entry.description,
        "internal_note": entry.internal_note,
    }
    return TimeEntryChangeForm(request.POST or None, initial=initial)


@require_http_methods(["GET", "POST"])
@require_perm(LOG_TIME_PERM, where=GLOBALLY)
def time_entry_update(request, pk):
    entry = timelog.get_time_entry_for(request.user, pk)
    form = _change_form(request, entry)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = timelog.time_entry_update(
                entry=entry,
                by=request.user,
                day=data["day"],
                minutes=data["duration"],
                is_billable=data["is_billable"],
                description=data["description"],
                internal_note=data["internal_note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The time entry has been changed."))
            return redirect(_entry_url(entry))
    context = {"entry": entry, "form": form, "back_url": _entry_url(entry)}
    return render(request, "billing/time_entry_update.html", context, status=400 if form.is_bound else 200)


@require_POST
@require_perm(LOG_TIME_PERM, where=GLOBALLY)
def time_entry_delete(request, pk):
    entry = timelog.get_time_entry_for(request.user, pk)
    back = _entry_url(entry).split("#")[0]
    try:
        timelog.time_entry_delete(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The time entry has been deleted."))
    return redirect(back)

"""Once per form: a form sent twice (a double click, a browser that repeats a request, two tabs) does its work
once, and the second sending is shown the result of the first.

A form gets a one-time token in a hidden field when it is rendered (`OncePerSubmissionForm`); the view runs
its work through `submit_once`. The first sending of a token claims it with a row of `FormSubmission`
(unique per user and token), in the transaction of the work, and stores where the work led (the redirect).
PostgreSQL makes a second sending that arrives meanwhile wait on that unique row: when the first commits,
the second finds the row and redirects to the same result; when the first fails and rolls back, the claim
goes with it and the second does the work. A form shown again after an error keeps its token, since nothing
was done. A form sent without a token (an old page) is simply done.
"""

import secrets
from collections.abc import Callable
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission

TOKEN_FIELD = "submission_token"  # noqa: S105  (a field name, not a secret)
KEEP = timedelta(days=1)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class OncePerSubmissionForm(forms.Form):
    """A form whose sending is done once: a new token each time the empty form is rendered."""

    submission_token = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64, initial=new_token
    )


def submit_once(request, form: forms.Form, work: Callable[[], HttpResponse]) -> HttpResponse:
    """Run `work` (which returns a redirect when it succeeded) once per token of the valid `form`; a token
    already done redirects to that result. Any other response (an error shown) keeps the token unused."""
    token = form.cleaned_data.get(TOKEN_FIELD)
    if not token:
        return work()
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(user=request.user, token=token)
        except IntegrityError:  # sent before, and committed (a concurrent first sending was waited for)
            return _earlier_result(request, token)
        response = work()
        if isinstance(response, HttpResponseRedirectBase):
            claim.result_url = response["Location"]
            claim.save(update_fields=["result_url"])
        else:
            transaction.set_rollback(True)
    return response


def _earlier_result(request, token: str) -> HttpResponse:
    done = FormSubmission.objects.get(user=request.user, token=token)
    messages.info(request, _("This form had already been sent; here is its result."))
    return redirect(done.result_url)


def form_submissions_purge() -> int:
    """Forget the forms sent more than a day ago: a repeat of them is no longer expected."""
    deleted, _details = FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return deleted

"""The once-per-form building block (helpdesk.idempotency) apart from any app's form."""

from datetime import timedelta

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.test import RequestFactory
from django.utils import timezone

from helpdesk import tasks
from helpdesk.idempotency import OncePerSubmissionForm, submit_once
from helpdesk.models import FormSubmission


def sent(user, token: str) -> tuple:
    request = RequestFactory().post("/", {"submission_token": token})
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    form = OncePerSubmissionForm(request.POST)
    assert form.is_valid()
    return request, form


def test_work_is_done_once_per_token_and_the_repeat_gets_its_result(standard_user):
    done = []

    def work():
        done.append(1)
        return redirect(f"/result/{len(done)}/")

    responses = [submit_once(*sent(standard_user, "t1"), work) for _ in range(3)]

    assert done == [1]
    assert [response["Location"] for response in responses] == ["/result/1/"] * 3


def test_failed_work_leaves_the_token_unused(standard_user):
    def refused():
        raise ValidationError("no")

    with pytest.raises(ValidationError):
        submit_once(*sent(standard_user, "t2"), refused)
    shown_again = submit_once(*sent(standard_user, "t2"), lambda: HttpResponse("the form again", status=400))

    assert shown_again.status_code == 400
    assert not FormSubmission.objects.exists()
    assert submit_once(*sent(standard_user, "t2"), lambda: redirect("/done/"))["Location"] == "/done/"


def test_the_tokens_of_a_day_ago_are_purged(standard_user):
    FormSubmission.objects.create(user=standard_user, token="old", result_url="/a/")
    FormSubmission.objects.filter(token="old").update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    FormSubmission.objects.create(user=standard_user, token="new", result_url="/b/")

    tasks.form_submissions_purge()

    assert list(FormSubmission.objects.values_list("token", flat=True)) == ["new"]

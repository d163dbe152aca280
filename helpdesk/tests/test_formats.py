"""Dates for English readers day-first with a 24-hour clock (helpdesk/formats/en/formats.py), on pages, in
e-mails and in exports; Croatian keeps Django's Croatian formats; the Croatian role names."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from accounts.roles import Role
from cases.models import Case
from helpdesk.emails import email_send
from helpdesk.exports import as_text
from tests.factories import case_create

ZAGREB = ZoneInfo("Europe/Zagreb")
MOMENT = datetime(2026, 12, 1, 16, 34, tzinfo=ZAGREB)


@pytest.mark.parametrize(
    "format_name, english, croatian",
    [
        ("SHORT_DATETIME_FORMAT", "1 Dec 2026 16:34", "1.12.2026. 16:34"),
        ("DATETIME_FORMAT", "1 December 2026 16:34", "1. prosinca 2026. 16:34"),
        ("SHORT_DATE_FORMAT", "1 Dec 2026", "1.12.2026."),
        ("DATE_FORMAT", "1 December 2026", "1. prosinca 2026."),
        ("TIME_FORMAT", "16:34", "16:34"),
    ],
)
def test_dates_are_day_first_with_a_24_hour_clock(format_name, english, croatian):
    with translation.override("en"):
        assert date_format(MOMENT, format_name) == english
    with translation.override("hr"):
        assert date_format(MOMENT, format_name) == croatian


class DayForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("typed", ["2026-12-01", "1 Dec 2026", "1 December 2026"])
def test_english_date_inputs_take_iso_and_the_shown_format(typed):
    with translation.override("en"):
        form = DayForm({"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2026, 12, 1)


def test_an_ambiguous_slashed_date_is_refused_rather_than_guessed():
    with translation.override("en"):
        assert not DayForm({"day": "12/01/2026"}).is_valid()


def test_a_date_input_shows_its_value_in_iso():
    with translation.override("en"):
        assert 'value="2026-12-01"' in str(DayForm(initial={"day": date(2026, 12, 1)})["day"])


def test_the_case_list_shows_english_dates_day_first(client_for, organization, standard_user):
    case = case_create(organization, standard_user)
    Case.objects.filter(pk=case.pk).update(last_activity_at=MOMENT)

    html = client_for(standard_user).get(reverse("cases:case-list")).content.decode()

    assert "1 Dec 2026 16:34" in html
    assert "p.m." not in html and "a.m." not in html


def an_invitation():
    return SimpleNamespace(invited_by="Ante", organization=SimpleNamespace(name="Jadran"), expires_at=MOMENT)


def test_emails_in_english_use_the_same_dates(db):
    invitation = an_invitation()

    email_send(to="new@example.com", template="invitation", context={"invitation": invitation}, language="en")

    assert "valid until 1 Dec 2026 16:34." in mail.outbox[0].body


def test_the_invitation_email_template_speaks_croatian_dates_in_croatian():
    invitation = an_invitation()
    with translation.override("hr"):
        text = render_to_string("emails/invitation.txt", {"invitation": invitation})
    assert "1.12.2026. 16:34" in text


def test_exports_write_dates_in_iso_whatever_the_language():
    for language in ("en", "hr"):
        with translation.override(language):
            assert as_text(MOMENT.replace(tzinfo=None)) == "2026-12-01 16:34"
            assert as_text(MOMENT.date()) == "2026-12-01"


def test_the_croatian_name_of_the_system_administrator_role():
    with translation.override("hr"):
        assert str(Role.SYS_ADMIN.label) == "Administrator sustava"
    with translation.override("en"):
        assert str(Role.SYS_ADMIN.label) == "System administrator"

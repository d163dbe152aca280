"""Case deflection: suggestions beside the new-case form, the record of a suggestion opened from it, and the
weekly count of visits that ended without a case."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from docs import selectors
from docs.models import Document, FaqEntry, SuggestionView
from docs.tests.factories import DocumentFactory, FaqEntryFactory
from tests.factories import case_create


def test_the_new_case_form_asks_for_suggestions_while_the_title_is_typed(client_for, standard_user):
    html = client_for(standard_user).get(reverse("cases:case-create")).content.decode()
    assert f'hx-get="{reverse("docs:suggestion-list")}"' in html
    assert 'hx-trigger="load, keyup changed delay:400ms from:#id_title"' in html
    assert 'hx-include="#id_title"' in html


def test_suggestions_match_any_telling_word_of_the_title_accent_insensitively(client_for, standard_user):
    invoice = FaqEntryFactory(
        title_en="", body_en="", title_hr="Kako poslati e-Račun kupcu?", body_hr="Kroz modul."
    )
    FaqEntryFactory(title_en="Payroll for students", body_en="Use the student contract.")
    FaqEntryFactory(title_en="E-invoice draft", status=FaqEntry.Status.DRAFT)
    manual = DocumentFactory(title_en="e-Račun: user manual")
    DocumentFactory(title_en="e-Račun draft manual", status=Document.Status.DRAFT)

    response = client_for(standard_user).get(
        reverse("docs:suggestion-list"), {"title": "Kako racun ne odlazi", "visit": "1767000000"}
    )

    suggestions = response.context["suggestions"]
    assert [entry.pk for entry in suggestions["faq"]] == [invoice.pk]
    assert [document.pk for document in suggestions["documents"]] == [manual.pk]
    html = response.content.decode()
    assert f"{invoice.get_absolute_url()}?from=case-create&amp;visit=1767000000" in html
    assert 'target="_blank"' in html


def test_a_title_without_telling_words_gives_the_hint(client_for, standard_user):
    FaqEntryFactory(title_en="How can I do it?")
    response = client_for(standard_user).get(reverse("docs:suggestion-list"), {"title": "how can i"})
    assert response.context["suggestions"] is None
    assert "While you type the title" in response.content.decode()


def test_opening_a_suggestion_from_the_form_is_recorded_once_per_opening(
    client_for, standard_user, consultant
):
    entry = FaqEntryFactory()
    document = DocumentFactory()
    customer = client_for(standard_user)

    customer.get(entry.get_absolute_url(), {"from": "case-create", "visit": "1767000000"})
    customer.get(document.get_absolute_url(), {"from": "case-create", "visit": "1767000000"})
    customer.get(entry.get_absolute_url())  # opened from elsewhere
    customer.get(entry.get_absolute_url(), {"from": "case-create", "visit": "not-a-visit"})
    client_for(consultant).get(entry.get_absolute_url(), {"from": "case-create", "visit": "1767000000"})

    views = SuggestionView.objects.order_by("pk")
    assert [(v.user, v.visit, v.faq, v.document) for v in views] == [
        (standard_user, "1767000000", entry, None),
        (standard_user, "1767000000", None, document),
    ]


def _opened(user, entry, visit, minutes_ago):
    return SuggestionView.objects.create(
        user=user, visit=visit, faq=entry, created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_a_visit_without_a_case_soon_after_counts_as_deflected(organization, standard_user, admin_user):
    entry = FaqEntryFactory()
    # Deflected: two suggestions opened in one visit, no case.
    _opened(standard_user, entry, "1", minutes_ago=120)
    _opened(standard_user, entry, "1", minutes_ago=110)
    # Not deflected: a case followed within the window.
    _opened(admin_user, entry, "2", minutes_ago=90)
    case = case_create(organization, admin_user)
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(minutes=80))
    # Too recent to tell.
    _opened(admin_user, entry, "3", minutes_ago=5)

    weeks = selectors.deflections_per_week()  # one row, or two just after midnight on a Monday

    totals = [sum(week[key] for week in weeks) for key in ("visits", "deflected", "pending")]
    assert totals == [2, 1, 1]
    assert {week["week"].weekday() for week in weeks} == {0}


def test_staff_see_votes_views_and_deflections_on_the_report(client_for, consultant, standard_user):
    entry = FaqEntryFactory(title_en="How to close the year?", view_count=7)
    FaqEntryFactory(title_en="Never read")
    _opened(standard_user, entry, "1", minutes_ago=60)
    client_for(standard_user).post(reverse("docs:faq-vote", args=[entry.pk]), {"helpful": "no"})

    response = client_for(consultant).get(reverse("docs:knowledge-report"))

    assert [e.pk for e in response.context["most_viewed"]] == [entry.pk]
    assert [e.pk for e in response.context["least_helpful"]] == [entry.pk]
    assert response.context["most_helpful"] == []
    assert [(row["visits"], row["deflected"]) for row in response.context["weeks"]] == [(1, 1)]
    assert "How to close the year?" in response.content.decode()

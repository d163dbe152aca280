"""FAQ: drafts stay hidden, one vote per reader, usefulness order, bilingual entries, staff editing, and a
resolved case turned into a draft entry without internal notes or the customer's identity."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from docs import selectors, services
from docs.models import FaqEntry, FaqVote
from docs.tests.factories import FaqEntryFactory
from tests.factories import case_create


def test_draft_entry_is_invisible_to_customers_but_shown_to_its_writers(
    client_for, standard_user, dispatcher, consultant
):
    draft = FaqEntryFactory(status=FaqEntry.Status.DRAFT, title_en="Unfinished answer about VAT")

    customer = client_for(standard_user)
    assert customer.get(reverse("docs:faq-detail", args=[draft.pk])).status_code == 404
    assert "Unfinished answer" not in customer.get(reverse("docs:faq-list")).content.decode()
    assert (
        "Unfinished answer"
        not in customer.get(reverse("docs:knowledge-search"), {"q": "VAT"}).content.decode()
    )
    # Staff who only read the knowledge base see what customers see.
    assert client_for(dispatcher).get(reverse("docs:faq-detail", args=[draft.pk])).status_code == 404
    response = client_for(consultant).get(reverse("docs:faq-detail", args=[draft.pk]))
    assert response.status_code == 200
    assert "Draft" in response.content.decode()


def test_a_reader_votes_once_and_may_change_the_vote(client_for, standard_user):
    entry = FaqEntryFactory()
    client = client_for(standard_user)
    url = reverse("docs:faq-vote", args=[entry.pk])

    assert client.post(url, {"helpful": "yes"}).status_code == 302
    assert client.post(url, {"helpful": "yes"}).status_code == 302
    assert client.post(url, {"helpful": "no"}).status_code == 302

    assert list(FaqVote.objects.values_list("user", "is_helpful")) == [(standard_user.pk, False)]
    page = client.get(entry.get_absolute_url())
    assert page.context["vote"] is False


def test_an_htmx_vote_returns_the_vote_fragment(client_for, standard_user):
    entry = FaqEntryFactory()
    response = client_for(standard_user).post(
        reverse("docs:faq-vote", args=[entry.pk]), {"helpful": "yes"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card card-body faq-vote" id="faq-vote"')
    assert 'aria-pressed="true"' in html
    assert "Thank you for your answer" in html


def test_an_answer_other_than_yes_or_no_is_refused_with_a_message(client_for, standard_user):
    entry = FaqEntryFactory()
    response = client_for(standard_user).post(
        reverse("docs:faq-vote", args=[entry.pk]), {"helpful": "maybe"}, follow=True
    )
    assert "Answer yes or no." in response.content.decode()
    assert not FaqVote.objects.exists()


def test_a_draft_cannot_be_rated(consultant):
    entry = FaqEntryFactory(status=FaqEntry.Status.DRAFT)
    with pytest.raises(ValidationError, match="Only published entries can be rated"):
        services.faq_vote(entry=entry, user=consultant, helpful=True)


def test_the_list_puts_the_most_helpful_entries_first(client_for, standard_user, admin_user, fin_admin_user):
    plain = FaqEntryFactory(title_en="Plain entry")
    loved = FaqEntryFactory(title_en="Loved entry")
    disliked = FaqEntryFactory(title_en="Disliked entry")
    for user in (standard_user, admin_user):
        services.faq_vote(entry=loved, user=user, helpful=True)
    services.faq_vote(entry=disliked, user=fin_admin_user, helpful=False)

    page = client_for(standard_user).get(reverse("docs:faq-list")).context["page"]

    assert [entry.pk for entry in page] == [loved.pk, plain.pk, disliked.pk]


def test_customer_views_are_counted_but_staff_views_are_not(client_for, standard_user, consultant):
    entry = FaqEntryFactory()
    client_for(standard_user).get(entry.get_absolute_url())
    client_for(standard_user).get(entry.get_absolute_url())
    client_for(consultant).get(entry.get_absolute_url())
    entry.refresh_from_db()
    assert entry.view_count == 2


def test_an_entry_in_one_language_is_shown_in_the_other_with_a_note(client_for, standard_user):
    entry = FaqEntryFactory(
        title_en="", body_en="", title_hr="Kako zatvoriti razdoblje?", body_hr="Odaberite *Zatvori*."
    )

    english = client_for(standard_user).get(entry.get_absolute_url()).content.decode()
    assert "Kako zatvoriti razdoblje?" in english
    assert "This text is available in Croatian only." in english

    standard_user.language = "hr"
    standard_user.save(update_fields=["language"])
    croatian = client_for(standard_user).get(entry.get_absolute_url()).content.decode()
    assert "Kako zatvoriti razdoblje?" in croatian
    assert "language-note" not in croatian


def test_staff_write_an_entry_and_a_half_written_language_is_refused_keeping_the_input(
    client_for, consultant
):
    client = client_for(consultant)
    response = client.post(
        reverse("docs:faq-create"),
        {
            "title_hr": "Kako izdati e-račun?",
            "body_hr": "",
            "title_en": "",
            "body_en": "",
            "status": "published",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The Croatian question needs its answer, and the answer its question." in html
    assert 'value="Kako izdati e-račun?"' in html
    assert not FaqEntry.objects.exists()

    response = client.post(
        reverse("docs:faq-create"),
        {"title_hr": "Kako izdati e-račun?", "body_hr": "Kroz modul **e-Račun**.", "status": "published"},
    )
    entry = FaqEntry.objects.get()
    assert response["Location"] == entry.get_absolute_url()
    assert (entry.created_by, entry.is_published, entry.published_at is not None) == (consultant, True, True)

    response = client.post(
        reverse("docs:faq-update", args=[entry.pk]),
        {"title_hr": entry.title_hr, "body_hr": entry.body_hr, "title_en": "How to issue an e-invoice?",
         "body_en": "Through the **e-Invoicing** module.", "status": "published"},
    )  # fmt: skip
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title_en == "How to issue an e-invoice?"


def test_the_preview_renders_sanitised_markdown(client_for, consultant):
    response = client_for(consultant).post(
        reverse("docs:markdown-preview"), {"title_en": "Q", "body_en": "**bold** <script>alert(1)</script>"}
    )
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script" not in html


@pytest.fixture
def resolved_case(organization, standard_user, consultant):
    """Sara Standard's case, answered by support with a public reply and an internal note, then resolved."""
    organization.oib = "12345678903"
    organization.save(update_fields=["oib"])
    case = case_create(
        organization,
        standard_user,
        title="Sara cannot send e-invoices for Jadran Prehrana",
        description="Sara here: the e-invoice for customer 42 fails. Call me at sara@jadran.test.",
    )
    case_services.case_assign(case=case, consultant=consultant, by=None)
    case_services.case_reply(case=case, author=standard_user, body="Sara Standard again: still failing.")
    case_services.case_reply(
        case=case,
        author=consultant,
        body="Dear Sara, the certificate of Jadran Prehrana d.o.o. (OIB 12345678903) expired. Renew it "
        "under **Settings › Certificates**, then send again. Saro, write to sara@jadran.test if not.",
    )
    case_services.case_reply(
        case=case, author=consultant, internal=True, body="SECRET: their IT refused the renewal twice."
    )
    return case_services.case_change_status(case=case, to=Case.Status.RESOLVED, by=consultant)


def test_a_resolved_case_becomes_a_draft_without_internal_notes_or_the_customers_identity(
    client_for, consultant, resolved_case
):
    response = client_for(consultant).post(reverse("docs:faq-from-case", args=[resolved_case.reference]))

    entry = FaqEntry.objects.get()
    assert response["Location"] == reverse("docs:faq-update", args=[entry.pk])
    assert (entry.status, entry.source_case, entry.created_by) == (
        FaqEntry.Status.DRAFT,
        resolved_case,
        consultant,
    )
    text = entry.title_en + "\n" + entry.body_en
    assert entry.title_en == "[customer] cannot send e-invoices for [organization]"
    assert "Renew it under **Settings › Certificates**, then send again." in " ".join(entry.body_en.split())
    for leaked in (
        "SECRET",
        "refused the renewal",
        "Sara",
        "Saro",
        "Standard",
        "Jadran",
        "12345678903",
        "sara@",
    ):
        assert leaked not in text
    # The customer's own replies are not the answer.
    assert "still failing" not in text
    assert entry.title_hr == entry.body_hr == ""


def test_the_source_case_is_linked_for_staff_only(client_for, consultant, standard_user, resolved_case):
    entry = services.faq_from_case(case=resolved_case, by=consultant)
    services.faq_save(entry=entry, by=consultant, status=FaqEntry.Status.PUBLISHED)

    staff_page = client_for(consultant).get(entry.get_absolute_url()).content.decode()
    customer_page = client_for(standard_user).get(entry.get_absolute_url()).content.decode()
    assert resolved_case.get_absolute_url() in staff_page
    assert resolved_case.get_absolute_url() not in customer_page
    assert resolved_case.reference not in customer_page


def test_a_case_that_is_not_resolved_cannot_become_an_entry(
    client_for, consultant, organization, standard_user
):
    case = case_create(organization, standard_user)
    response = client_for(consultant).post(reverse("docs:faq-from-case", args=[case.reference]), follow=True)
    assert "Only a resolved case can become an FAQ entry." in response.content.decode()
    assert not FaqEntry.objects.exists()


def test_a_resolved_case_without_a_public_answer_is_refused(consultant, organization, standard_user):
    case = case_create(organization, standard_user)
    case_services.case_assign(case=case, consultant=consultant, by=None)
    case = case_services.case_change_status(case=case, to=Case.Status.RESOLVED, by=consultant)
    with pytest.raises(ValidationError, match="no public reply from support"):
        services.faq_from_case(case=case, by=consultant)


def test_the_case_page_offers_the_conversion_to_writers_once_resolved(
    client_for, consultant, dispatcher, resolved_case
):
    assert (
        'id="faq-from-case"' in client_for(consultant).get(resolved_case.get_absolute_url()).content.decode()
    )
    assert (
        'id="faq-from-case"'
        not in client_for(dispatcher).get(resolved_case.get_absolute_url()).content.decode()
    )


def test_a_search_finds_entries_in_either_language_without_accents(standard_user):
    croatian = FaqEntryFactory(
        title_en="", body_en="", title_hr="Obračun plaće", body_hr="Pokrenite obračun."
    )
    english = FaqEntryFactory(title_en="Payroll run", body_en="Start the calculation (obračun).")
    FaqEntryFactory(title_en="Stock count", body_en="Count the warehouse.", published_at=timezone.now())

    results = selectors.knowledge_search(standard_user, "obracun")

    assert {entry.pk for entry in results["faq"]} == {croatian.pk, english.pk}


def test_an_entry_without_any_complete_language_is_refused(consultant):
    with pytest.raises(
        ValidationError, match="Write the question and its answer in Croatian, English or both."
    ):
        services.faq_save(by=consultant, title_en="", body_en="", title_hr="", body_hr="")
    assert not FaqEntry.objects.exists()

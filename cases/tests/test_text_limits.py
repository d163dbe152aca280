"""Hostile texts: a reply or description over the limit is refused with the text kept, and no content can make
a case's search vector too big to take the next reply."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from cases import services
from cases.models import Case, CaseEvent
from helpdesk.fulltext import fulltext_query
from helpdesk.limits import CASE_TEXT_MAX
from tests.factories import case_create, category_get

TOO_LONG = (
    "characters; at most 20000 are allowed. Please shorten it, and attach long logs or listings as a file."
)


def links(count: int) -> str:
    return " ".join(f"https://example.com/page/{number}" for number in range(count))


def hostile_words(reply: int) -> str:
    """CASE_TEXT_MAX characters of what the search index makes the most of: every word new, hyphenated (the
    whole and each part become lexemes) and of 4-byte characters (CJK Extension B): 6 bytes of lexemes a
    character, so that about nine such replies used to pass the 1 MB a tsvector may hold."""

    def part(number: int) -> str:
        high, low = divmod(number, 40_000)
        return chr(0x20000 + high) + chr(0x20000 + low)

    first = reply * 4_000
    words = [f"{part(number)}-{part(number + 5_000_000)}" for number in range(first, first + 3_334)]
    return " ".join(words)[:CASE_TEXT_MAX]


def vector_bytes(case) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_size(search_vector) FROM cases_case WHERE id = %s", [case.pk])
        return cursor.fetchone()[0]


def test_a_reply_of_100000_links_is_refused_with_the_text_kept(client_for, organization, standard_user):
    case = case_create(organization, standard_user)
    body = links(100_000)

    response = client_for(standard_user).post(
        reverse("cases:case-reply", args=[case.reference]), {"body": body}
    )

    assert response.status_code == 400
    assert response.context["reply_form"].errors["body"] == [f"This text has {len(body)} {TOO_LONG}"]
    assert "https://example.com/page/99999</textarea>" in response.content.decode()
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.REPLY).exists()


def test_a_reply_at_the_limit_is_added(client_for, organization, standard_user):
    case = case_create(organization, standard_user)
    body = links(1_000)[:CASE_TEXT_MAX]

    response = client_for(standard_user).post(
        reverse("cases:case-reply", args=[case.reference]), {"body": body}
    )

    assert response.status_code == 302
    assert CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.REPLY).body == body


def test_a_description_over_the_limit_is_refused_with_the_text_kept(client_for, organization, standard_user):
    description = "x" * (CASE_TEXT_MAX + 1)
    data = {"title": "Long", "category": category_get().pk, "priority": "normal", "description": description}

    response = client_for(standard_user).post(reverse("cases:case-create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["description"] == [f"This text has {CASE_TEXT_MAX + 1} {TOO_LONG}"]
    assert f"{description}</textarea>" in response.content.decode()
    assert not Case.objects.exists()


def test_the_services_refuse_a_text_over_the_limit(organization, standard_user):
    case = case_create(organization, standard_user)

    with pytest.raises(ValidationError, match="at most 20000 are allowed"):
        services.case_reply(case=case, author=standard_user, body="x" * (CASE_TEXT_MAX + 1))
    with pytest.raises(ValidationError, match="at most 20000 are allowed"):
        case_create(organization, standard_user, description="x" * (CASE_TEXT_MAX + 1))


def test_a_case_with_many_maximal_replies_still_takes_a_staff_reply_and_is_found(
    client_for, organization, standard_user, consultant
):
    case = case_create(organization, standard_user, title="Kvrgavac", description="Zapelo knjiženje.")
    services.case_reply(case=case, author=standard_user, body="Prvi odgovor: skladiste")
    for reply in range(14):
        services.case_reply(case=case, author=standard_user, body=hostile_words(reply))

    response = client_for(consultant).post(
        reverse("cases:case-reply", args=[case.reference]), {"body": "We are looking into it."}
    )

    assert response.status_code == 302
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.REPLY).count() == 16
    assert vector_bytes(case) <= services.SEARCH_VECTOR_MAX_BYTES
    for words in ("kvrgavac", "knjizenje", "skladiste", "odgovor"):
        assert Case.objects.filter(search_vector=fulltext_query(words)).get() == case, words


def test_only_the_first_characters_of_a_text_are_indexed(organization, standard_user):
    """A service called with a text longer than any form allows still cannot overflow the vector."""
    case = case_create(organization, standard_user)
    services._index_text(case.pk, f"pocetak {links(100_000)} kraj", "C")

    assert Case.objects.filter(search_vector=fulltext_query("pocetak")).get() == case
    assert not Case.objects.filter(search_vector=fulltext_query("kraj")).exists()


def test_a_status_note_over_the_limit_is_refused_with_the_reason(client_for, organization, standard_user):
    case = case_create(organization, standard_user)

    response = client_for(standard_user).post(
        reverse("cases:case-status", args=[case.reference]),
        {"status": "closed", "note": "x" * 2001},
        follow=True,
    )

    assert "This text has 2001 characters; at most 2000 are allowed." in response.content.decode()
    case.refresh_from_db()
    assert case.status != Case.Status.CLOSED

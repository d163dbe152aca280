"""The case list's search: full text (accents, prefixes, public replies only), every filter, sorting, bad
input, htmx fragments, saved searches and the page's query count."""

from datetime import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases import services
from cases.models import Case, SavedSearch
from cases.search import fulltext_query
from tests.factories import OrganizationFactory, case_create, category_get, member_create, module_get

LIST = reverse("cases:case-list")


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def reshape(case: Case, **fields) -> Case:
    """Put a case straight into a state (dates, status, assignee...) as if it had got there over time."""
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def references(response) -> list[str]:
    return [case.reference for case in response.context["page"]]


@pytest.fixture
def finance():
    return module_get("finance")


@pytest.fixture
def sales():
    return module_get("sales")


@pytest.fixture
def cases(
    organization, other_organization, standard_user, admin_user, other_org_user, consultant, finance, sales
):
    """Four cases differing in every filtered field; `d` belongs to the other organization."""
    problem, question = category_get("problem"), category_get("question")
    a = case_create(
        organization,
        standard_user,
        title="Račun nije proknjižen",
        category=problem,
        module=finance,
        priority="high",
        description="Glavna knjiga je prazna.",
    )
    b = case_create(
        organization,
        admin_user,
        title="Pitanje o skladištu",
        category=question,
        module=sales,
        priority="low",
        description="Koliko dugo traje inventura?",
    )
    c = case_create(
        organization,
        standard_user,
        title="Izvještaj se ne otvara",
        category=problem,
        priority="normal",
        description="Ekran ostaje bijel.",
    )
    d = case_create(
        other_organization,
        other_org_user,
        title="Racun drugi",
        category=problem,
        module=finance,
        priority="high",
        description="Isti problem kod nas.",
    )
    reshape(a, created_at=local(2025, 1, 10, 9), last_activity_at=local(2025, 1, 10, 9))
    reshape(
        b,
        created_at=local(2025, 2, 15, 9),
        last_activity_at=local(2025, 3, 1, 9),
        status="in_progress",
        assignee=consultant,
        has_attachments=True,
    )
    reshape(
        c,
        created_at=local(2025, 3, 20, 9),
        last_activity_at=local(2025, 3, 21, 9),
        status="resolved",
        assignee=consultant,
        resolved_at=local(2025, 3, 21, 9),
    )
    reshape(d, created_at=local(2025, 1, 5, 9), last_activity_at=local(2025, 1, 6, 9))
    return {"a": a, "b": b, "c": c, "d": d}  # fmt: skip


def refs(cases, *names) -> set[str]:
    return {cases[name].reference for name in names}


# --- Full text --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("racun", {"a", "d"}),  # without the accent finds "Račun"
        ("račun", {"a", "d"}),  # with it finds "Racun"
        ("proknj", {"a"}),  # a prefix finds "proknjižen"
        ("RAČUN proknjižen", {"a"}),  # every word must match, case ignored
        ("glavna knjiga", {"a"}),  # the description is searched too
        ("inventur", {"b"}),
        ("nepostojeće", set()),
    ],
)
def test_full_text_ignores_accents_and_matches_prefixes(text, expected, cases, client_for, consultant):
    response = client_for(consultant).get(LIST, {"q": text})
    assert set(references(response)) == refs(cases, *expected)


def test_public_replies_are_searchable_and_internal_notes_never(cases, client_for, consultant, admin_user):
    a = cases["a"]
    services.case_reply(case=a, author=consultant, body="Provjerite žiroračun dobavljača.")
    services.case_reply(
        case=a, author=consultant, body="Kupac koristi staru verziju kvrgavca.", internal=True
    )

    assert Case.objects.filter(search_vector=fulltext_query("ziroracun")).get() == a
    # The note's words never reach the index, so nobody finds the case by them, staff included.
    assert not Case.objects.filter(search_vector=fulltext_query("kvrgavca")).exists()
    for user in (admin_user, consultant):
        client = client_for(user)
        assert references(client.get(LIST, {"q": "žiroračun"})) == [a.reference]
        assert references(client.get(LIST, {"q": "kvrgav"})) == []


def test_customer_never_finds_another_organizations_cases(cases, client_for, admin_user, other_org_user):
    assert set(references(client_for(admin_user).get(LIST, {"q": "racun"}))) == refs(cases, "a")
    assert set(references(client_for(other_org_user).get(LIST, {"q": "racun"}))) == refs(cases, "d")
    # A customer cannot filter their way into another organization either: the filter is not offered.
    response = client_for(admin_user).get(LIST, {"organization": cases["d"].organization_id})
    assert "organization" not in response.context["form"].fields
    assert set(references(response)) == refs(cases, "a", "b", "c")


# --- Filters ----------------------------------------------------------------------------------------------


FILTERS = [
    ({"status": "new"}, {"a", "d"}),
    ({"status": ["new", "resolved"]}, {"a", "c", "d"}),
    ({"category": "question"}, {"b"}),
    ({"priority": "high"}, {"a", "d"}),
    ({"priority": ["low", "normal"]}, {"b", "c"}),
    ({"module": "sales"}, {"b"}),
    ({"organization": "other"}, {"d"}),
    ({"reporter": "ADMIN@jadran.test"}, {"b"}),
    ({"reporter": "sara"}, {"a", "c"}),
    ({"assignee": "consultant"}, {"b", "c"}),
    ({"created_from": "2025-02-01"}, {"b", "c"}),
    ({"created_to": "2025-01-31"}, {"a", "d"}),
    ({"created_from": "2025-01-10", "created_to": "2025-01-10"}, {"a"}),
    ({"updated_from": "2025-03-01", "updated_to": "2025-03-01"}, {"b"}),
    ({"updated_to": "2025-01-09"}, {"d"}),
    ({"has_attachments": "true"}, {"b"}),
    ({"has_attachments": "false"}, {"a", "c", "d"}),
    ({"category": "problem", "priority": "high", "organization": "mine"}, {"a"}),
    ({"q": "racun", "status": "new", "module": "finance", "created_from": "2025-01-07"}, {"a"}),
    (
        {"status": "in_progress", "assignee": "consultant", "has_attachments": "true", "reporter": "Ante"},
        {"b"},
    ),
]


def _resolve(params, cases, consultant, finance, sales) -> dict:
    """Turn the symbolic values of FILTERS into the ids the form takes."""
    ids = {
        "category": lambda code: category_get(code).pk,
        "module": lambda code: {"finance": finance, "sales": sales}[code].pk,
        "organization": lambda who: cases["a" if who == "mine" else "d"].organization_id,
        "assignee": lambda _who: consultant.pk,
    }
    return {name: ids[name](value) if name in ids else value for name, value in params.items()}


def _filter_id(value) -> str:
    """A stable test id (xdist needs the same ids in every worker; a set's order is not stable)."""
    return "+".join(sorted(value)) if isinstance(value, set) else str(value)


@pytest.mark.parametrize(("params", "expected"), FILTERS, ids=_filter_id)
def test_each_filter_alone_and_combined(params, expected, cases, client_for, consultant, finance, sales):
    response = client_for(consultant).get(LIST, _resolve(params, cases, consultant, finance, sales))
    assert response.context["form"].errors == {}
    assert set(references(response)) == refs(cases, *expected)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["c", "b", "a", "d"]),  # last activity, newest first
        ("updated", ["d", "a", "b", "c"]),
        ("-created", ["c", "b", "a", "d"]),
        ("created", ["d", "a", "b", "c"]),
        ("-priority", ["a", "d", "c", "b"]),  # high (newest activity first), normal, low
        ("reference", ["a", "b", "c", "d"]),
        ("-reference", ["d", "c", "b", "a"]),
    ],
)
def test_sort_options(sort, expected, cases, client_for, consultant):
    response = client_for(consultant).get(LIST, {"sort": sort})
    assert references(response) == [cases[name].reference for name in expected]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"created_from": "2025-13-45"}, "created_from", "Enter a valid date."),
        ({"updated_from": "2025-03-02", "updated_to": "2025-03-01"}, "updated_to", "end date is before"),
        ({"created_from": "2025-03-02", "created_to": "2025-03-01"}, "created_to", "end date is before"),
        ({"status": "lost"}, "status", "Select a valid choice."),
    ],
)
def test_invalid_filters_show_an_error_and_keep_the_input(
    params, field, message, cases, client_for, consultant
):
    response = client_for(consultant).get(LIST, {**params, "q": "račun"})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert references(response) == []
    html = response.content.decode()
    assert message in html
    assert 'value="račun"' in html
    for value in params.values():
        if field != "status":
            assert f'value="{value}"' in html


def test_htmx_gets_only_the_results_fragment_and_the_url_keeps_the_filters(cases, client_for, consultant):
    client = client_for(consultant)
    fragment = client.get(LIST, {"status": "new"}, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="results">')
    assert cases["a"].reference in html and cases["b"].reference not in html
    assert "HX-Request" in fragment["Vary"]
    # The links of the fragment carry the filters, so the list can be bookmarked, exported, analysed.
    # The links and the filters a save would keep come along out of band; the save form itself stays put,
    # so a name being typed into it is never wiped by a refresh.
    assert (
        '<div id="case-list-tools" class="d-flex flex-wrap align-items-center gap-2" hx-swap-oob="true">'
        in html
    )
    assert '<input type="hidden" name="query" value="status=new" form="saved-search-form">' in html
    assert "?format=csv&amp;status=new" in html
    assert f"{reverse('cases:case-analysis')}?status=new" in html
    assert 'name="name"' not in html
    # htmx reloading a page missing from its history cache needs the whole page.
    restore = client.get(
        LIST, {"status": "new"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()
    # The page itself swaps the fragment as a whole, so #results is never nested.
    page = client.get(LIST, {"status": "new"}).content.decode()
    assert 'hx-target="#results" hx-swap="outerHTML" hx-push-url="true"' in page


def test_next_page_link_keeps_the_filters(organization, admin_user, client_for):
    for number in range(26):
        case_create(organization, admin_user, title=f"Zaliha {number}")
    response = client_for(admin_user).get(LIST, {"q": "zaliha", "sort": "created"})
    assert len(references(response)) == 25
    assert "?q=zaliha&amp;sort=created&amp;page=2" in response.content.decode()
    second = client_for(admin_user).get(LIST, {"q": "zaliha", "sort": "created", "page": 2})
    assert [case.title for case in second.context["page"]] == ["Zaliha 25"]


# --- Query count ------------------------------------------------------------------------------------------


def _cases_in_bulk(organization, reporter, numbers: range) -> None:
    category = category_get()
    now = timezone.now()
    Case.objects.bulk_create(
        Case(
            reference=f"JS-BULK-{number:05d}",
            organization=organization,
            reporter=reporter,
            category=category,
            title=f"Bulk {number}",
            description="Bulk",
            created_at=now,
            last_activity_at=now,
        )
        for number in numbers
    )


@pytest.mark.parametrize("persona", ["admin_user", "consultant"])
def test_case_list_query_count_does_not_grow_with_cases(
    persona, request, organization, admin_user, client_for, django_assert_max_num_queries
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    SavedSearch.objects.create(user=user, name="New", query="status=new")
    _cases_in_bulk(organization, admin_user, range(1))
    # Each time with an empty cache, so the filter menus are read too (filter_menus). 13: the bounded
    # count of matching cases (helpdesk.pagination.count_up_to) is one query.
    with django_assert_max_num_queries(13) as one:
        response = client.get(LIST, {"status": "new"})
    assert len(references(response)) == 1
    _cases_in_bulk(organization, admin_user, range(1, 30))
    cache.clear()
    with django_assert_max_num_queries(13) as many:
        response = client.get(LIST, {"status": "new"})
    assert len(references(response)) == 25
    assert len(many.captured_queries) == len(one.captured_queries)


# --- Saved searches ---------------------------------------------------------------------------------------

SAVE = reverse("cases:saved-search-create")


def test_saving_a_search_keeps_only_its_filters_and_lists_it(client_for, standard_user):
    client = client_for(standard_user)
    response = client.post(
        SAVE, {"name": " My new ones ", "query": "status=new&page=3&junk=1&q=račun&module="}
    )
    saved = SavedSearch.objects.get(user=standard_user)
    assert (saved.name, saved.query) == ("My new ones", "q=ra%C4%8Dun&status=new")
    assert response.status_code == 302 and response["Location"] == f"{LIST}?q=ra%C4%8Dun&status=new"
    page = client.get(LIST).content.decode()
    assert f'href="{LIST}?q=ra%C4%8Dun&amp;status=new">My new ones</a>' in page


def test_a_saved_search_name_is_required_and_unique_per_user(client_for, standard_user, admin_user):
    SavedSearch.objects.create(user=standard_user, name="Urgent", query="priority=high")
    SavedSearch.objects.create(user=admin_user, name="Mine", query="")
    client = client_for(standard_user)

    duplicate = client.post(SAVE, {"name": "urgent", "query": "priority=critical&status=new"})
    assert duplicate.status_code == 400
    html = duplicate.content.decode()
    assert "You already have a saved search named “urgent”. Choose another name." in html
    assert 'value="urgent"' in html  # the name typed is kept
    assert duplicate.context["form"]["status"].value() == ["new"]  # and the filters being saved
    assert 'value="status=new&amp;priority=critical"' in html  # the filters, kept to be saved again

    blank = client.post(SAVE, {"name": "  ", "query": "status=new"})
    assert blank.status_code == 400
    assert "This field is required." in blank.content.decode()

    # Another user's name does not count.
    assert client.post(SAVE, {"name": "Mine", "query": ""}).status_code == 302
    assert SavedSearch.objects.filter(user=standard_user).count() == 2


def test_a_saved_search_can_be_deleted_by_its_owner_only(client_for, standard_user, admin_user):
    saved = SavedSearch.objects.create(user=standard_user, name="Urgent", query="priority=high")
    url = reverse("cases:saved-search-delete", args=[saved.pk])
    assert client_for(admin_user).post(url).status_code == 404
    assert client_for(standard_user).get(url).status_code == 405
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
    response = client_for(standard_user).post(url, {"next": f"{LIST}?priority=high"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?priority=high"
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()


def test_saved_search_service_refuses_too_many(standard_user):
    from django.core.exceptions import ValidationError

    from cases import saved_searches

    SavedSearch.objects.bulk_create(
        SavedSearch(user=standard_user, name=f"S{number}", query="")
        for number in range(saved_searches.MAX_PER_USER)
    )
    with pytest.raises(ValidationError, match="at most 50 saved searches"):
        saved_searches.saved_search_create(user=standard_user, name="One more", query="")


def test_a_member_of_two_organizations_searches_both(
    organization, other_organization, admin_user, client_for
):
    """Customers search every organization they belong to (the list is not limited to the chosen one)."""
    colleague = member_create(organization, [Role.STANDARD], email="two@jadran.test")
    from accounts import services as account_services

    account_services.member_add(organization=other_organization, user=colleague, roles=[Role.ADMIN], by=None)
    mine = case_create(organization, colleague, title="Skladište javlja grešku")
    theirs = case_create(other_organization, colleague, title="Skladište drugo")
    client = client_for(colleague)
    assert set(references(client.get(LIST, {"q": "skladište"}))) == {mine.reference, theirs.reference}
    # They may narrow it to one of their organizations, and only to theirs.
    one = client.get(LIST, {"q": "skladište", "organization": other_organization.pk})
    assert references(one) == [theirs.reference]
    choices = [label for _value, label in one.context["form"].fields["organization"].choices]
    assert choices[1:] == [organization.name, other_organization.name]
    stranger = OrganizationFactory()
    refused = client.get(LIST, {"organization": stranger.pk})
    assert "organization" in refused.context["form"].errors and references(refused) == []

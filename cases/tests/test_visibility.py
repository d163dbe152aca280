"""Who sees which case and which part of it: internal notes, other organizations, own-cases-only mode."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from cases import selectors, services
from cases.models import Case, CaseEvent, CaseWatcher
from tests.factories import case_create, member_create

SECRET = "zeppelinwhisper"  # a word only the internal note holds
PUBLIC = "marmaladeprinter"  # a word only the public reply holds


@pytest.fixture
def case_with_note(organization, standard_user, consultant):
    case = case_create(organization, standard_user, title="Invoice totals are off")
    services.case_reply(
        case=case, author=consultant, body=f"Customer DB looks corrupt, {SECRET}.", internal=True
    )
    services.case_reply(case=case, author=consultant, body=f"Please try the {PUBLIC} again.")
    return case


@pytest.mark.parametrize("persona", ["standard_user", "admin_user", "fin_admin_user", "sys_admin_user"])
def test_customers_never_see_internal_notes_on_the_case_page(persona, case_with_note, request, client_for):
    html = (
        client_for(request.getfixturevalue(persona)).get(case_with_note.get_absolute_url()).content.decode()
    )

    assert SECRET not in html
    assert "internal-note" not in html
    assert PUBLIC in html


def test_staff_see_internal_notes_marked_as_such(case_with_note, dispatcher, client_for):
    html = client_for(dispatcher).get(case_with_note.get_absolute_url()).content.decode()

    assert SECRET in html
    assert "internal-note" in html


def test_timeline_leaves_notes_out_for_customers(case_with_note):
    customer_view = selectors.case_timeline(case_with_note, include_internal=False)
    staff_view = selectors.case_timeline(case_with_note, include_internal=True)

    assert CaseEvent.Kind.NOTE not in {event.kind for event in customer_view}
    assert [event.kind for event in staff_view].count(CaseEvent.Kind.NOTE) == 1
    assert len(staff_view) == len(customer_view) + 1


def test_search_never_finds_a_word_of_an_internal_note(case_with_note, standard_user, consultant, client_for):
    def found(user, word):
        response = client_for(user).get(reverse("cases:case-list"), {"q": word})
        assert response.status_code == 200
        return case_with_note.reference in response.content.decode()

    assert found(standard_user, PUBLIC)
    assert not found(standard_user, SECRET)
    # Notes are never indexed at all, so staff search cannot leak them into a shared result either.
    assert not found(consultant, SECRET)


def test_internal_note_notifies_no_customer(
    organization, standard_user, admin_user, consultant, django_capture_on_commit_callbacks, mailoutbox
):
    from helpdesk.models import Notification

    case = case_create(organization, standard_user)
    services.case_watch(case=case, user=admin_user, watch=True)
    customers = {standard_user.pk, admin_user.pk}
    customer_emails = {standard_user.email, admin_user.email}
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, author=consultant, body=f"Looks corrupt, {SECRET}.", internal=True)
    assert not Notification.objects.filter(recipient__in=customers).exists()
    assert not [mail for mail in mailoutbox if customer_emails & set(mail.to)]

    # The same path does reach them with a public reply, so the silence above is the rule, not a broken path.
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(case=case, author=consultant, body="Please restart the service.")
    assert (
        set(Notification.objects.filter(recipient__in=customers).values_list("recipient", flat=True))
        == customers
    )
    assert all(SECRET not in mail.body for mail in mailoutbox)


def test_reply_form_offers_internal_notes_only_to_staff(organization, standard_user, consultant, client_for):
    case = case_create(organization, standard_user)

    assert 'name="is_internal"' not in client_for(standard_user).get(case.get_absolute_url()).content.decode()
    assert 'name="is_internal"' in client_for(consultant).get(case.get_absolute_url()).content.decode()


def test_forged_internal_flag_from_a_customer_gives_a_public_reply(organization, standard_user, client_for):
    case = case_create(organization, standard_user)

    response = client_for(standard_user).post(
        reverse("cases:case-reply", args=[case.reference]), {"body": "Hello", "is_internal": "on"}
    )

    assert response.status_code == 302
    assert case.events.get(kind=CaseEvent.Kind.REPLY).is_internal is False


# --- Another organization: 404 everywhere, and nothing changes ---------------------------------------


def test_other_organization_gets_404_and_changes_nothing(
    organization, standard_user, other_org_user, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = case_create(
        organization,
        standard_user,
        files=[SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf")],
    )
    client = client_for(other_org_user)
    events_before = case.events.count()

    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(case.attachments.get().get_absolute_url()).status_code == 404
    for name, data in (
        ("cases:case-reply", {"body": "Hi"}),
        ("cases:case-status", {"status": "closed"}),
        ("cases:case-watch", {"watch": "1"}),
        ("cases:case-mute", {"muted": "1"}),
    ):
        assert client.post(reverse(name, args=[case.reference]), data).status_code == 404, name
    response = client.get(reverse("cases:case-list"), {"q": "Invoice"})
    assert case.reference not in response.content.decode()

    assert case.events.count() == events_before
    assert Case.objects.get(pk=case.pk).status == Case.Status.NEW
    assert not CaseWatcher.objects.filter(user=other_org_user).exists()


def test_unknown_reference_is_404_like_a_foreign_one(standard_user, client_for):
    assert (
        client_for(standard_user).get(reverse("cases:case-detail", args=["JS-2020-999999"])).status_code
        == 404
    )


def test_htmx_partials_have_the_same_checks(
    organization, standard_user, other_org_user, dispatcher, client_for
):
    case = case_create(organization, standard_user, title="Partial check")
    htmx = {"HX-Request": "true"}

    own = client_for(standard_user).get(reverse("cases:case-list"), headers=htmx)
    assert own.status_code == 200
    assert "<html" not in own.content.decode()
    assert case.reference in own.content.decode()

    foreign = client_for(other_org_user).get(reverse("cases:case-list"), headers=htmx)
    assert foreign.status_code == 200
    assert case.reference not in foreign.content.decode()

    assert client_for(standard_user).get(reverse("cases:queue"), headers=htmx).status_code == 403
    assert client_for(other_org_user).get(case.get_absolute_url(), headers=htmx).status_code == 404
    queue = client_for(dispatcher).get(reverse("cases:queue"), headers=htmx)
    assert queue.status_code == 200
    assert case.reference in queue.content.decode()
    assert "<html" not in queue.content.decode()
    # A cache must not serve the fragment as the page, or the page as the fragment.
    assert "HX-Request" in queue["Vary"]
    assert "HX-Request" in own["Vary"]


# --- Own-cases-only mode -----------------------------------------------------------------------------------


@pytest.fixture
def restricted(organization):
    organization.standard_users_see_own_cases_only = True
    organization.save(update_fields=["standard_users_see_own_cases_only"])
    return organization


@pytest.fixture
def colleague(organization):
    return member_create(organization, [Role.STANDARD], email="kolega@jadran.test", full_name="Kata Kolega")


def visible(user) -> set[str]:
    return set(selectors.cases_visible_to(user).values_list("reference", flat=True))


def test_restricted_standard_users_see_only_their_own_cases(
    restricted, standard_user, colleague, admin_user, fin_admin_user, sys_admin_user, client_for
):
    mine = case_create(restricted, standard_user, title="Mine")
    theirs = case_create(restricted, colleague, title="Theirs")

    assert visible(standard_user) == {mine.reference}
    assert visible(colleague) == {theirs.reference}
    # FIN_ADMIN and SYS_ADMIN are STANDARD users with more rights elsewhere, not over cases.
    assert visible(fin_admin_user) == set()
    assert visible(sys_admin_user) == set()
    assert visible(admin_user) == {mine.reference, theirs.reference}

    client = client_for(standard_user)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    listing = client.get(reverse("cases:case-list")).content.decode()
    assert mine.reference in listing
    assert theirs.reference not in listing
    assert client_for(admin_user).get(theirs.get_absolute_url()).status_code == 200


def test_unrestricted_standard_users_see_every_case_of_the_organization(
    organization, standard_user, colleague
):
    theirs = case_create(organization, colleague)

    assert visible(standard_user) == {theirs.reference}


def test_being_added_as_watcher_by_a_colleague_shows_the_case(
    restricted, standard_user, colleague, client_for
):
    theirs = case_create(restricted, colleague, title="Theirs")
    assert client_for(standard_user).get(theirs.get_absolute_url()).status_code == 404

    services.case_watch(case=theirs, user=standard_user, watch=True)

    assert visible(standard_user) == {theirs.reference}
    client = client_for(standard_user)
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert theirs.reference in client.get(reverse("cases:case-list")).content.decode()
    # Watching gives sight and a voice in the case, not more.
    assert (
        client.post(reverse("cases:case-reply", args=[theirs.reference]), {"body": "Me too"}).status_code
        == 302
    )


def test_a_case_watched_before_the_restriction_stays_visible_until_unwatched(
    organization, standard_user, colleague, client_for
):
    theirs = case_create(organization, colleague)
    client = client_for(standard_user)
    watch_url = reverse("cases:case-watch", args=[theirs.reference])
    assert client.post(watch_url, {"watch": "1"}).status_code == 302

    organization.standard_users_see_own_cases_only = True
    organization.save(update_fields=["standard_users_see_own_cases_only"])

    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert client.post(watch_url, {"watch": "0"}).status_code == 302
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_a_watch_does_not_cross_organizations(
    organization, other_organization, other_org_user, standard_user
):
    """A watcher row alone never opens a case of an organization the user is not a member of."""
    case = case_create(organization, standard_user)
    CaseWatcher.objects.create(case=case, user=other_org_user)

    assert visible(other_org_user) == set()


def test_a_deactivated_member_sees_no_cases(organization, standard_user, admin_user):
    from accounts import services as account_services

    case_create(organization, standard_user)
    membership = standard_user.memberships.get(organization=organization)
    account_services.member_deactivate(membership=membership, by=admin_user)
    standard_user.refresh_from_db()

    assert visible(standard_user) == set()

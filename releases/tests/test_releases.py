"""Writing and publishing releases: the rules of release_save and release_publish, the notifications of a
publication (package holders of licensed organizations, reporters of delivered suggestions; once each), and
the case page's "delivered in"."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from helpdesk.models import AuditEvent, Notification
from licensing.tests.factories import licence_make
from releases import notifications, services
from releases.models import Release
from releases.tests.factories import author_get, product_get, release_make
from tests.factories import case_create, category_get, member_create, module_get

pytestmark = pytest.mark.django_db


def save(**fields):
    values = {
        "by": author_get(),
        "product": product_get(),
        "version": "2026.4",
        "kind": Release.Kind.MINOR,
        "released_on": date(2026, 4, 20),
        "notes_en": "Stocktaking by location.",
        **fields,
    }
    return services.release_save(**values)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- release_save -------------------------------------------------------------------------------------------


def test_a_release_stores_a_key_that_sorts_its_version_as_numbers(media):
    for version in ("2026.9", "2026.10", "2026.1"):
        save(version=version)
    ordered = Release.objects.order_by("version_key").values_list("version", flat=True)
    assert list(ordered) == ["2026.1", "2026.9", "2026.10"]


def test_a_version_of_letters_is_refused_on_its_field(media):
    with pytest.raises(ValidationError) as excinfo:
        save(version="2026.4-beta")
    assert "version" in errors_of(excinfo)


def test_the_same_version_twice_is_refused_also_written_with_a_trailing_zero(media):
    save(version="2026.4")
    with pytest.raises(ValidationError) as excinfo:
        save(version="2026.4.0")
    assert errors_of(excinfo)["version"] == ["Jupiter ERP already has a release 2026.4.0."]


def test_the_prerequisite_must_be_older_than_the_release(media):
    with pytest.raises(ValidationError) as excinfo:
        save(version="2026.4", requires_version="2026.10")
    assert "requires_version" in errors_of(excinfo)


def test_notes_are_written_in_one_language_at_least(media):
    with pytest.raises(ValidationError) as excinfo:
        save(notes_en="  ")
    assert "notes_hr" in errors_of(excinfo)


def test_modules_must_be_of_the_releases_product(media):
    other = product_get("jupiter-pos", "Jupiter POS")
    with pytest.raises(ValidationError) as excinfo:
        save(product=other, modules=[module_get("finance")])
    assert "modules" in errors_of(excinfo)


def test_only_suggestions_can_be_delivered(media, organization, standard_user):
    problem = case_create(organization, standard_user, category=category_get("problem"))
    with pytest.raises(ValidationError) as excinfo:
        save(delivered_cases=[problem])
    assert "delivered_cases" in errors_of(excinfo)


def test_a_published_release_keeps_its_version(media):
    release = release_make("2026.4")
    with pytest.raises(ValidationError):
        save(release=release, version="2026.5")


# --- release_publish ----------------------------------------------------------------------------------------


def test_a_release_without_files_cannot_be_published(media):
    release = release_make("2026.4", files={}, published=False)
    with pytest.raises(ValidationError, match="Add the release's files"):
        services.release_publish(release=release, by=author_get())
    assert Release.objects.get(pk=release.pk).status == Release.Status.DRAFT


def test_publishing_twice_is_refused(media):
    release = release_make("2026.4")
    with pytest.raises(ValidationError, match="already been published"):
        services.release_publish(release=release, by=author_get())


def test_publishing_is_audited(media):
    release = release_make("2026.4")
    event = AuditEvent.objects.get(action=AuditEvent.Action.RELEASE_PUBLISHED)
    assert event.target_id == str(release.pk) and event.actor == author_get()


@pytest.fixture
def licensed(organization, other_organization):
    """Jadran licenses Jupiter ERP; Northwind licenses only Jupiter POS."""
    licence_make(organization)
    licence_make(other_organization, products=[product_get("jupiter-pos", "Jupiter POS")], modules=())


def test_publishing_notifies_the_package_holders_of_licensed_organizations_once(
    media, licensed, organization, other_organization, sys_admin_user, admin_user, standard_user,
    fin_admin_user, django_capture_on_commit_callbacks,
):  # fmt: skip
    member_create(other_organization, [Role.SYS_ADMIN], email="sys@northwind.test")
    croatian = member_create(organization, [Role.SYS_ADMIN], email="hrvoje@jadran.test", language="hr")
    release = release_make("2026.4", published=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.release_publish(release=release, by=author_get())
    # The task delivered again (a retry) tells nobody twice.
    notifications.published_notify(release_id=release.pk)

    told = Notification.objects.filter(event_key=f"release-published:{release.pk}")
    assert sorted(told.values_list("recipient__email", flat=True)) == sorted(
        [sys_admin_user.email, admin_user.email, croatian.email]
    )
    assert len(mail.outbox) == 3
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[sys_admin_user.email] == "New release: Jupiter ERP 2026.4"
    assert subjects[croatian.email] == "Novo izdanje: Jupiter ERP 2026.4"
    assert told.get(recipient=sys_admin_user).url == reverse("releases:release-detail", args=[release.pk])


def test_a_draft_tells_nobody(media, licensed, sys_admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release_make("2026.4", published=False)
    assert not Notification.objects.exists()


# --- Delivered suggestions ----------------------------------------------------------------------------------


@pytest.fixture
def suggestion(organization, standard_user):
    return case_create(
        organization, standard_user, category=category_get("suggestion"), title="Group discounts"
    )


def test_publishing_tells_the_reporters_of_delivered_suggestions_and_the_case_says_delivered_in(
    media, suggestion, standard_user, client_for, django_capture_on_commit_callbacks
):
    page = reverse("cases:case-detail", args=[suggestion.reference])
    with django_capture_on_commit_callbacks(execute=True):
        release = release_make("2026.4", delivered_cases=[suggestion], published=False)
    assert "Delivered in" not in client_for(standard_user).get(page).content.decode()  # a draft says nothing

    with django_capture_on_commit_callbacks(execute=True):
        services.release_publish(release=release, by=author_get())
    notifications.deliveries_notify(release_id=release.pk)  # again: nobody is told twice

    notification = Notification.objects.get(recipient=standard_user)
    assert (
        notification.title
        == f"Your suggestion {suggestion.reference} “Group discounts” is delivered in Jupiter ERP 2026.4."
    )
    assert notification.url == suggestion.get_absolute_url()
    assert [message.to for message in mail.outbox] == [[standard_user.email]]
    content = client_for(standard_user).get(page).content.decode()
    assert "Delivered in" in content and "Jupiter ERP 2026.4" in content


def test_a_suggestion_linked_to_a_published_release_later_tells_its_reporter(
    media, suggestion, standard_user, django_capture_on_commit_callbacks
):
    release = release_make("2026.4")
    with django_capture_on_commit_callbacks(execute=True):
        services.release_save(
            release=release,
            by=author_get(),
            product=release.product,
            version=release.version,
            kind=release.kind,
            released_on=release.released_on,
            notes_en=release.notes_en,
            delivered_cases=[suggestion],
        )
    assert Notification.objects.filter(recipient=standard_user, verb="release.delivered").count() == 1


# --- Installed versions -------------------------------------------------------------------------------------


def test_the_installed_version_is_recorded_once_per_product_and_audited(organization, vendor_admin):
    services.installed_version_set(
        organization=organization, product=product_get(), version="2026.1", by=vendor_admin
    )
    installed = services.installed_version_set(
        organization=organization, product=product_get(), version="2026.4", by=vendor_admin
    )
    assert (installed.version, installed.version_key) == ("2026.4", [2026, 4])
    assert organization.installed_versions.count() == 1
    events = AuditEvent.objects.filter(
        action=AuditEvent.Action.INSTALLED_VERSION_SET, organization=organization
    )
    assert events.count() == 2

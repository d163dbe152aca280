"""News: hidden until its publish time, audiences, the "new" mark, the dashboard panel and the e-mail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from docs import selectors, services, tasks
from docs.models import NewsPost, NewsRead
from docs.tests.factories import NewsPostFactory
from tests.factories import member_create


def test_future_and_draft_posts_are_invisible_to_customers_everywhere(
    client_for, standard_user, vendor_admin
):
    future = NewsPostFactory(title_en="Tomorrow's release", publish_at=timezone.now() + timedelta(days=1))
    draft = NewsPostFactory(title_en="Draft release", status=NewsPost.Status.DRAFT)
    customer = client_for(standard_user)

    for post in (future, draft):
        assert customer.get(post.get_absolute_url()).status_code == 404
    pages = [
        customer.get(reverse("docs:news-list")),
        customer.get(reverse("dashboard")),
        customer.get(reverse("docs:knowledge-search")),
        customer.get(reverse("docs:knowledge-search"), {"q": "release"}),
    ]
    for page in pages:
        html = page.content.decode()
        assert "Tomorrow" not in html
        assert "Draft release" not in html
    # Their writers see them, marked.
    staff_list = client_for(vendor_admin).get(reverse("docs:news-list")).content.decode()
    assert "Tomorrow&#x27;s release" in staff_list and "Scheduled" in staff_list


def test_a_post_for_chosen_organizations_is_hidden_from_others(
    client_for, organization, standard_user, other_org_user
):
    post = NewsPostFactory(title_en="For Jadran only", is_restricted=True, organizations=[organization])

    assert client_for(standard_user).get(post.get_absolute_url()).status_code == 200
    outsider = client_for(other_org_user)
    assert outsider.get(post.get_absolute_url()).status_code == 404
    assert "For Jadran only" not in outsider.get(reverse("docs:news-list")).content.decode()
    assert "For Jadran only" not in outsider.get(reverse("dashboard")).content.decode()


def test_a_post_is_marked_new_until_the_reader_opens_it(client_for, standard_user, admin_user):
    post = NewsPostFactory(title_en="New price list")
    client = client_for(standard_user)

    assert client.get(reverse("docs:news-list")).context["page"].items[0].is_read is False
    client.get(post.get_absolute_url())
    client.get(post.get_absolute_url())

    assert client.get(reverse("docs:news-list")).context["page"].items[0].is_read is True
    assert NewsRead.objects.filter(post=post).count() == 1
    assert client_for(admin_user).get(reverse("docs:news-list")).context["page"].items[0].is_read is False


def test_the_customer_dashboard_shows_the_latest_three_posts(client_for, standard_user):
    now = timezone.now()
    posts = [NewsPostFactory(title_en=f"Post {n}", publish_at=now - timedelta(days=n)) for n in range(1, 5)]
    client = client_for(standard_user)
    client.get(posts[1].get_absolute_url())

    html = client.get(reverse("dashboard")).content.decode()

    panel = html[html.index('id="latest-news"') :]
    panel = panel[: panel.index("</ul>")]
    assert [title in panel for title in ("Post 1", "Post 2", "Post 3", "Post 4")] == [True, True, True, False]
    assert panel.count(">New<") == 2


@pytest.fixture
def audience(organization, other_organization, standard_user, other_org_user):
    """Members reading English (standard_user, other_org_user) and one reading Croatian."""
    croatian = member_create(
        organization, [Role.STANDARD], email="hrvoje@jadran.test", full_name="Hrvoje Horvat"
    )
    croatian.language = "hr"
    croatian.save(update_fields=["language"])
    inactive = member_create(organization, [Role.STANDARD], email="gone@jadran.test")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    return croatian


def _post(**fields):
    return {
        "title_hr": "Nova verzija 2026.1",
        "summary_hr": "Što je novo.",
        "body_hr": "Brži **izvještaji**.",
        "title_en": "Version 2026.1 is out",
        "summary_en": "What is new.",
        "body_en": "Faster **reports**.",
        "status": NewsPost.Status.PUBLISHED,
        "send_email": True,
        "publish_at": timezone.now(),
        **fields,
    }


def test_publishing_with_email_sends_each_member_one_mail_in_their_language(
    vendor_admin, audience, standard_user, other_org_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = services.news_save(by=vendor_admin, **_post())

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {standard_user.email, other_org_user.email, audience.email}
    assert by_recipient[audience.email].subject == "Jupiter Software – vijesti: Nova verzija 2026.1"
    assert by_recipient[standard_user.email].subject == "Jupiter Software news: Version 2026.1 is out"
    assert post.get_absolute_url() in by_recipient[standard_user.email].body
    post.refresh_from_db()
    assert post.email_sent_at is not None

    # Running the task again, or the periodic check, sends nothing more.
    tasks.news_email_send(post.pk)
    tasks.news_emails_due()
    assert len(mail.outbox) == 3


def test_a_restricted_post_is_mailed_to_its_organizations_only(
    vendor_admin, organization, standard_user, other_org_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.news_save(by=vendor_admin, organizations=[organization], **_post(is_restricted=True))
    assert [message.to for message in mail.outbox] == [[standard_user.email]]


def test_a_future_post_is_mailed_by_the_periodic_check_once_its_time_comes(
    vendor_admin, standard_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = services.news_save(by=vendor_admin, **_post(publish_at=timezone.now() + timedelta(hours=2)))
    tasks.news_emails_due()
    assert mail.outbox == []

    NewsPost.objects.filter(pk=post.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.news_emails_enqueue_due() == 1  # eager in tests: sent after the commit
    assert [message.to for message in mail.outbox] == [[standard_user.email]]
    assert services.news_emails_enqueue_due() == 0


def test_the_post_email_links_its_images_instead_of_loading_them(
    vendor_admin, standard_user, django_capture_on_commit_callbacks
):
    body = "The new screen:\n\n![screen](https://cdn.example.test/screen.png)"
    with django_capture_on_commit_callbacks(execute=True):
        services.news_save(by=vendor_admin, **_post(body_en=body, body_hr=body))

    html, _mimetype = mail.outbox[0].alternatives[0]
    assert "<img" not in html
    assert '<a href="https://cdn.example.test/screen.png"' in html


def test_a_draft_with_email_is_not_mailed(vendor_admin, standard_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = services.news_save(by=vendor_admin, **_post(status=NewsPost.Status.DRAFT))
    tasks.news_email_send(post.pk)
    assert mail.outbox == []


def test_staff_write_a_post_and_a_restricted_post_without_organizations_is_refused(client_for, vendor_admin):
    client = client_for(vendor_admin)
    data = {**_post(send_email=""), "publish_at": "2026-03-01T09:00", "is_restricted": "on"}

    response = client.post(reverse("docs:news-create"), data)
    html = response.content.decode()
    assert "Choose the organizations the post is for, or make it visible to every customer." in html
    assert 'value="Version 2026.1 is out"' in html

    del data["is_restricted"]
    response = client.post(reverse("docs:news-create"), data)
    post = NewsPost.objects.get()
    assert response["Location"] == post.get_absolute_url()
    assert timezone.localtime(post.publish_at).strftime("%Y-%m-%d %H:%M") == "2026-03-01 09:00"
    assert post.created_by == vendor_admin


def test_news_recipients_are_the_active_members_of_active_organizations(
    organization, other_org_user, audience
):
    organization.is_active = False
    organization.save(update_fields=["is_active"])
    post = NewsPostFactory()
    assert list(selectors.news_recipients(post)) == [other_org_user]

"""Markdown written by staff is sanitised wherever it is shown: no script, no javascript: link and no event
handler attribute reaches a page, a preview or an e-mail."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from docs import services
from docs.tests.factories import DocumentVersionFactory, FaqEntryFactory, NewsPostFactory

HOSTILE = (
    "Intro **kept**.\n\n"
    '<script>alert("script")</script>\n\n'
    "[click me](javascript:alert('link'))\n\n"
    '<img src="/static/logo.png" onerror="alert(\'image\')">\n\n'
    '<a href="https://example.com/ok" onclick="alert(\'click\')">fine link</a>\n\n'
    "<p onmouseover=\"alert('hover')\">hover</p>"
)
HOSTILE_TITLE = '<script>alert("title")</script> Title'


def assert_sanitised(html: str) -> None:
    # A hostile title is shown, escaped, as text; nothing else of the payload may remain.
    html = html.replace(escape(HOSTILE_TITLE), "")
    assert "<strong>kept</strong>" in html
    assert "alert(" not in html
    assert "javascript:" not in html
    for handler in ("onerror", "onclick", "onmouseover"):
        assert handler not in html
    assert 'href="https://example.com/ok"' in html


def test_faq_answer_is_sanitised(client_for, standard_user):
    entry = FaqEntryFactory(title_en=HOSTILE_TITLE, body_en=HOSTILE)
    html = client_for(standard_user).get(entry.get_absolute_url()).content.decode()
    assert escape(HOSTILE_TITLE) in html
    assert_sanitised(html)


def test_news_text_is_sanitised_on_the_page_and_in_the_email(
    client_for, standard_user, vendor_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = services.news_save(
            by=vendor_admin, title_en="Release", body_en=HOSTILE, status="published", send_email=True
        )
    assert_sanitised(client_for(standard_user).get(post.get_absolute_url()).content.decode())
    [message] = mail.outbox
    assert_sanitised(message.alternatives[0].content)


@pytest.mark.parametrize("page", ["document-detail", "version-detail"])
def test_a_markdown_version_is_sanitised(client_for, standard_user, page):
    version = DocumentVersionFactory(body=HOSTILE)
    args = [version.document_id] if page == "document-detail" else [version.document_id, version.pk]
    assert_sanitised(client_for(standard_user).get(reverse(f"docs:{page}", args=args)).content.decode())


def test_the_editing_preview_is_sanitised(client_for, consultant):
    response = client_for(consultant).post(
        reverse("docs:markdown-preview"), {"title_en": "T", "body_en": HOSTILE}
    )
    assert_sanitised(response.content.decode())


def test_news_summary_and_titles_are_escaped_text(client_for, standard_user):
    post = NewsPostFactory(
        title_en=HOSTILE_TITLE, summary_en='<img src=x onerror="alert(1)">', body_en="**kept**"
    )
    html = client_for(standard_user).get(reverse("docs:news-list")).content.decode()
    assert escape(HOSTILE_TITLE) in html
    assert "<img src=x" not in html
    assert post.get_absolute_url() in html

"""The knowledge base's texts have limits (helpdesk.limits) that the forms explain, keeping what was typed."""

from django.urls import reverse

from docs.models import FaqEntry, NewsPost
from helpdesk.limits import FAQ_ANSWER_MAX, NEWS_TEXT_MAX


def test_an_faq_answer_over_the_limit_is_refused_with_the_text_kept(client_for, vendor_admin):
    answer = "Kroz modul e-Račun. " * (FAQ_ANSWER_MAX // 20) + "!"
    data = {"title_hr": "Kako izdati e-račun?", "body_hr": answer, "status": "published"}

    response = client_for(vendor_admin).post(reverse("docs:faq-create"), data)

    assert response.status_code == 200
    message = f"This text has {FAQ_ANSWER_MAX + 1} characters; at most {FAQ_ANSWER_MAX} are allowed."
    assert response.context["form"].errors["body_hr"] == [f"{message} Please shorten it."]
    assert f'maxlength="{FAQ_ANSWER_MAX}"' in response.content.decode()
    assert "Kroz modul e-Račun. Kroz modul" in response.content.decode()
    assert not FaqEntry.objects.exists()


def test_a_news_text_over_the_limit_is_refused(client_for, vendor_admin):
    data = {
        "title_en": "Version 2026.1 is out",
        "body_en": "x" * (NEWS_TEXT_MAX + 1),
        "publish_at": "2026-03-01T09:00",
        "status": "published",
    }

    response = client_for(vendor_admin).post(reverse("docs:news-create"), data)

    assert "body_en" in response.context["form"].errors
    assert not NewsPost.objects.exists()

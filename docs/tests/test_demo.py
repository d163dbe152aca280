"""The demo knowledge base: realistic content in both languages, two versions per document, and safe to
load twice."""

import pytest
from django.core.management import CommandError

from docs import demo, demo_data, selectors
from docs.models import Document, DocumentVersion, FaqEntry, NewsPost
from docs.tests.factories import module_get


@pytest.fixture(autouse=True)
def _modules(db):
    for row in demo_data.FAQ + demo_data.DOCUMENTS:
        if row[1] is not None:
            module_get(row[1])


def _counts():
    return [model.objects.count() for model in (FaqEntry, Document, DocumentVersion, NewsPost)]


def test_the_demo_knowledge_base_loads_once_whatever_the_runs(settings, tmp_path, vendor_admin, organization):
    settings.MEDIA_ROOT = tmp_path
    organization.oib = "12345678903"
    organization.save(update_fields=["oib"])

    summary = demo.seed()
    first = _counts()
    demo.seed()

    faq, documents = len(demo_data.FAQ) + 1, len(demo_data.DOCUMENTS)
    assert _counts() == first == [faq, documents, 2 * documents, 5]
    assert summary == f"{faq} FAQ entries, {documents} documents with {2 * documents} versions, 5 news posts"
    pdf = DocumentVersion.objects.exclude(file="").first()
    assert pdf.file.read(5) == b"%PDF-"
    assert Document.objects.filter(kind=Document.Kind.PROCESS).count() == 3
    assert FaqEntry.objects.filter(title_en="").exists() and FaqEntry.objects.filter(title_hr="").exists()
    restricted = Document.objects.get(is_restricted=True)
    assert restricted.module.code == "reporting"  # for the organizations whose licence includes Reporting
    assert set(Document.objects.values_list("product__name", flat=True)) == {"Jupiter ERP"}


def test_the_demo_knowledge_base_needs_its_author(db):
    with pytest.raises(CommandError, match="needs a vendor admin"):
        demo.seed()


def test_a_reader_of_the_demo_sees_published_news_only(
    settings, tmp_path, vendor_admin, organization, other_org_user
):
    settings.MEDIA_ROOT = tmp_path
    demo.seed()
    titles = [post.title_en or post.title_hr for post in selectors.news_list(other_org_user)]
    assert "Webinar: closing the financial year" not in titles  # five days ahead
    assert "Release 2026.1 is out" in titles

"""Factories of the knowledge base: each builds the minimum valid, published object; what a test depends on
(language, status, audience, dates), the test sets."""

from datetime import timedelta

import factory
from django.utils import timezone

from docs.models import Document, DocumentVersion, FaqEntry, NewsPost
from releases.models import Product
from tests.factories import UserFactory, module_get  # noqa: F401  (module_get: used by the docs tests)


def product_get(name: str = "Jupiter ERP", code: str = "jupiter-erp") -> Product:
    """A product of the catalogue, made if missing (by default the one module_get files modules under)."""
    product, _created = Product.objects.get_or_create(code=code, defaults={"name": name})
    return product


class FaqEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqEntry

    title_en = factory.Sequence(lambda n: f"How do I close period {n}?")
    body_en = "Open **Finance › Periods** and choose *Close*."
    status = FaqEntry.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory)


class AudienceFactory(factory.django.DjangoModelFactory):
    """News that may be for chosen organizations only: `organizations=[...]` names them. (A restricted
    document is for the organizations that license its module: licensing.tests.factories.licence_make.)"""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organizations.set(extracted)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    title_en = factory.Sequence(lambda n: f"Warehouse manual {n}")
    kind = Document.Kind.MANUAL
    product = factory.LazyFunction(product_get)
    created_by = factory.SubFactory(UserFactory)
    status = Document.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    """A Markdown version; a file version is added through docs.services.version_add by the test."""

    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(DocumentFactory)
    label = factory.Sequence(lambda n: f"1.{n}")
    body = "# Receiving goods\n\nScan the delivery note."
    created_by = factory.SubFactory(UserFactory)


class NewsPostFactory(AudienceFactory):
    class Meta:
        model = NewsPost

    title_en = factory.Sequence(lambda n: f"Release {n} is out")
    summary_en = "What is new in this release."
    body_en = "The release brings **faster reports**."
    status = NewsPost.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

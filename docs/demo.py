"""Demo part of docs (seed_demo): FAQ, documents with two versions each (PDFs made with WeasyPrint), process
descriptions and news, in Croatian and English, written by the demo vendor admin. Safe to run again."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.text import slugify

from accounts.demo import ORGANIZATIONS
from accounts.models import Organization, User
from accounts.roles import StaffGroup
from docs import demo_data, services
from docs.models import Document, DocumentVersion, FaqCategory, FaqEntry, NewsPost
from helpdesk.markdown import render_markdown
from releases.models import Module, Product

PDF_PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ font-family: sans-serif; font-size: 11pt; }}
header {{ color: #1d3f72; border-bottom: 1px solid #1d3f72; }}
</style></head><body><header>Jupiter Software · {title} · {label}</header>{body}</body></html>"""


def pdf_of(title: str, label: str, markdown: str) -> bytes:
    """A small PDF of the Markdown; the fetcher refuses every URL, so nothing outside the page is read."""
    from weasyprint import HTML, URLFetcher

    html = PDF_PAGE.format(title=title, label=label, body=render_markdown(markdown))
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=frozenset())).write_pdf()


def seed() -> str:
    """Create (or complete) the demo FAQ, documentation, process descriptions and news."""
    author = User.objects.filter(groups__in=Group.objects.filter(name=StaffGroup.VENDOR_ADMIN)).first()
    if author is None:
        raise CommandError(
            "The knowledge base needs a vendor admin as its author: the accounts part makes one."
        )
    modules = {module.code: module for module in Module.objects.all()}
    # The first demo organization gets its own news. A restricted document is for the organizations whose
    # licence includes its module (the licensing part's demo licences).
    licensee = Organization.objects.filter(oib=ORGANIZATIONS[0][1]).first() or Organization.objects.first()
    _faq(author, modules)
    _documents(author, modules)
    _news(author, licensee)
    faq, documents = FaqEntry.objects.count(), Document.objects.count()
    versions, news = DocumentVersion.objects.count(), NewsPost.objects.count()
    return f"{faq} FAQ entries, {documents} documents with {versions} versions, {news} news posts"


def _faq(author, modules):
    categories = {}
    for position, (code, name_hr, name_en) in enumerate(demo_data.FAQ_CATEGORIES):
        categories[code], _created = FaqCategory.objects.get_or_create(
            code=code, defaults={"name_hr": name_hr, "name_en": name_en, "position": position}
        )
    entries = []
    for category, module, views, title_hr, body_hr, title_en, body_en in demo_data.FAQ:
        entry = FaqEntry.objects.filter(title_hr=title_hr, title_en=title_en).first()
        if entry is None:
            entry = services.faq_save(
                by=author,
                **{"title_hr": title_hr, "body_hr": body_hr, "title_en": title_en, "body_en": body_en},
                category=categories[category],
                module=modules.get(module),
                status=FaqEntry.Status.PUBLISHED,
            )
            FaqEntry.objects.filter(pk=entry.pk).update(view_count=views)
        entries.append(entry)
    title_hr, body_hr, title_en, body_en = demo_data.DRAFT_FAQ
    if not FaqEntry.objects.filter(title_en=title_en).exists():
        services.faq_save(by=author, title_hr=title_hr, body_hr=body_hr, title_en=title_en, body_en=body_en)
    # A few customers have already said what helped them, so the knowledge report has something to show.
    readers = list(User.objects.filter(memberships__is_active=True).distinct().order_by("pk")[:6])
    for index, reader in enumerate(readers):
        for entry in entries[: 4 + index % 3]:
            services.faq_vote(entry=entry, user=reader, helpful=entry != entries[2] or index % 2 == 0)


def _product(name: str) -> Product:
    """The catalogue's product of that name, made if the catalogue does not have it yet."""
    product = Product.objects.filter(name=name).order_by("pk").first()
    return product or Product.objects.get_or_create(code=slugify(name), defaults={"name": name})[0]


def _documents(author, modules):
    for (
        kind,
        module,
        product,
        title_hr,
        title_en,
        summary_hr,
        summary_en,
        restricted,
        versions,
    ) in demo_data.DOCUMENTS:
        document = Document.objects.filter(title_hr=title_hr).first()
        if document is None:
            document = services.document_save(
                by=author,
                kind=kind,
                product=_product(product),
                module=modules.get(module),
                title_hr=title_hr,
                title_en=title_en,
                summary_hr=summary_hr,
                summary_en=summary_en,
                is_restricted=restricted and modules.get(module) is not None,
                status=Document.Status.PUBLISHED,
            )
        existing = set(document.versions.values_list("label", flat=True))
        for label, notes, form, content in versions:
            if label in existing:
                continue
            if form == "pdf":
                name = f"{slugify(title_en)}-{label}.pdf"
                upload = ContentFile(pdf_of(title_hr, label, content), name=name)
                services.version_add(document=document, by=author, label=label, notes=notes, upload=upload)
            else:
                services.version_add(document=document, by=author, label=label, notes=notes, body=content)


def _news(author, licensee):
    now = timezone.now()
    for days, title_hr, summary_hr, body_hr, title_en, summary_en, body_en, own in demo_data.NEWS:
        if NewsPost.objects.filter(title_hr=title_hr).exists() or (own and licensee is None):
            continue
        services.news_save(
            by=author,
            organizations=[licensee] if own else [],
            is_restricted=own,
            title_hr=title_hr,
            summary_hr=summary_hr,
            body_hr=body_hr,
            title_en=title_en,
            summary_en=summary_en,
            body_en=body_en,
            publish_at=now + timedelta(days=days),
            status=NewsPost.Status.PUBLISHED,
        )

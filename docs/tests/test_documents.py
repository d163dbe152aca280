"""The documentation library: versions newest first, streamed downloads, restricted documents (for the
organizations that license the module), drafts, products from the catalogue, and staff editing with uploads
that survive a failed form."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from docs import selectors, services
from docs.models import Document, DocumentVersion
from docs.tests.factories import DocumentFactory, DocumentVersionFactory, module_get, product_get
from helpdesk.files import uploads_stage
from helpdesk.models import StagedUpload
from licensing.models import Granule
from licensing.tests.factories import licence_make
from releases.models import Module
from tests.factories import OrganizationFactory, member_create


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="manual.pdf", content=b"%PDF-1.4 the manual"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_the_page_shows_the_latest_version_first_and_the_history_below(client_for, standard_user, consultant):
    document = DocumentFactory(title_en="Payroll user manual")
    services.version_add(document=document, by=consultant, label="2025.2", upload=pdf("payroll-2025.pdf"))
    services.version_add(
        document=document, by=consultant, label="2026.1", body="# Payroll\n\nNew **tax** rules."
    )

    response = client_for(standard_user).get(document.get_absolute_url())

    assert response.context["latest"].label == "2026.1"
    assert [version.label for version in response.context["history"]] == ["2025.2"]
    html = response.content.decode()
    assert html.index("Current version 2026.1") < html.index('id="version-history"')
    assert "<strong>tax</strong>" in html
    assert "payroll-2025.pdf" in html


def test_a_file_version_is_streamed_as_a_download(client_for, sys_admin_user, consultant):
    document = DocumentFactory()
    version = services.version_add(document=document, by=consultant, label="1.0", upload=pdf("Priručnik.pdf"))

    response = client_for(sys_admin_user).get(
        reverse("docs:version-download", args=[document.pk, version.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the manual"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Priru" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert version.storage_key in version.file.name
    assert version.sha256 and version.size == len(b"%PDF-1.4 the manual")


def test_a_markdown_version_has_no_file_to_download(client_for, standard_user):
    version = DocumentVersionFactory()
    url = reverse("docs:version-download", args=[version.document_id, version.pk])
    assert client_for(standard_user).get(url).status_code == 404


def test_a_restricted_document_is_hidden_from_organizations_outside_its_audience(
    client_for, organization, standard_user, other_org_user, consultant
):
    module = module_get("groups", "Grupe", "Group reporting")
    licence_make(organization, modules=[module])
    document = DocumentFactory(title_en="Consolidation guide", is_restricted=True, module=module)
    version = services.version_add(document=document, by=consultant, label="1.0", upload=pdf())
    outsider = client_for(other_org_user)

    assert outsider.get(document.get_absolute_url()).status_code == 404
    assert outsider.get(reverse("docs:version-download", args=[document.pk, version.pk])).status_code == 404
    assert "Consolidation" not in outsider.get(reverse("docs:document-list")).content.decode()
    search = outsider.get(reverse("docs:knowledge-search"), {"q": "consolidation"})
    assert search.context["results"]["documents"] == []
    assert selectors.suggestions_for(other_org_user, "consolidation guide")["documents"] == []

    insider = client_for(standard_user)
    assert insider.get(document.get_absolute_url()).status_code == 200
    found = insider.get(reverse("docs:knowledge-search"), {"q": "consolidation"}).context["results"]
    assert [d.pk for d in found["documents"]] == [document.pk]


def test_draft_documents_are_invisible_to_customers(client_for, standard_user, vendor_admin):
    draft = DocumentFactory(title_en="Secret roadmap", status=Document.Status.DRAFT)
    DocumentVersionFactory(document=draft, body="Roadmap text")
    customer = client_for(standard_user)

    assert customer.get(draft.get_absolute_url()).status_code == 404
    assert "Secret roadmap" not in customer.get(reverse("docs:document-list")).content.decode()
    assert (
        customer.get(reverse("docs:knowledge-search"), {"q": "roadmap"}).context["results"]["documents"] == []
    )
    assert client_for(vendor_admin).get(draft.get_absolute_url()).status_code == 200


def test_the_list_groups_by_product_module_and_kind_and_filters_process_descriptions(
    client_for, standard_user
):
    pos = product_get("Jupiter POS", "jupiter-pos")
    pos.position = 1
    pos.save()
    DocumentFactory(title_en="Order to cash", kind=Document.Kind.PROCESS)
    DocumentFactory(title_en="Installation guide", kind=Document.Kind.TECHNICAL, product=pos)
    client = client_for(standard_user)

    everything = client.get(reverse("docs:document-list")).content.decode()
    assert everything.index('<h2 class="h4">Jupiter ERP</h2>') < everything.index(
        '<h2 class="h4">Jupiter POS</h2>'
    )
    assert everything.index("Order to cash") < everything.index("Installation guide")
    assert "Process description" in everything and "Technical guide" in everything

    processes = client.get(reverse("docs:document-list"), {"kind": "process"}).content.decode()
    assert "Order to cash" in processes
    assert "Installation guide" not in processes

    only_pos = client.get(reverse("docs:document-list"), {"product": pos.pk})
    assert [document.title_en for document in only_pos.context["page"]] == ["Installation guide"]
    assert list(only_pos.context["form"].fields["product"].queryset) == [product_get(), pos]


def test_a_search_matches_the_text_of_a_markdown_version(standard_user):
    document = DocumentFactory(title_en="Warehouse manual")
    DocumentVersionFactory(document=document, body="Inventura se radi jednom godišnje.")

    results = selectors.knowledge_search(standard_user, "godisnje")

    assert [d.pk for d in results["documents"]] == [document.pk]


def test_staff_create_a_restricted_document_which_needs_its_module(client_for, vendor_admin):
    module = module_get("finance")
    client = client_for(vendor_admin)
    data = {"title_en": "Consolidation", "kind": "manual", "product": product_get().pk, "status": "published",
            "is_restricted": "on"}  # fmt: skip

    response = client.post(reverse("docs:document-create"), data)
    html = response.content.decode()
    assert "A restricted document needs the module whose licence it requires." in html
    assert 'value="Consolidation"' in html
    assert "organizations" not in response.context["form"].fields

    response = client.post(reverse("docs:document-create"), {**data, "module": module.pk})
    document = Document.objects.get()
    assert response["Location"] == reverse("docs:version-create", args=[document.pk])
    assert (document.product, document.module, document.is_restricted) == (product_get(), module, True)


def test_a_document_s_module_belongs_to_its_product(vendor_admin):
    pos = product_get("Jupiter POS", "jupiter-pos")
    till = Module.objects.create(product=pos, code="till", name_hr="Blagajna", name_en="Till")

    with pytest.raises(ValidationError) as refused:
        services.document_save(
            by=vendor_admin, title_en="Till guide", kind="manual", product=product_get(), module=till
        )
    assert "The module belongs to another product" in str(refused.value)

    document = services.document_save(
        by=vendor_admin, title_en="Till guide", kind="manual", product=pos, module=till
    )
    assert document.product == pos


def test_a_restricted_document_is_for_exactly_the_organizations_that_license_its_module_today(
    organization, standard_user, consultant, dispatcher
):
    """Its readers follow the licences: a current licence in force with an active granule of the module."""
    module = module_get("consolidation")
    licence_make(organization, modules=[module, "finance"])
    document = DocumentFactory(is_restricted=True, module=module)
    open_document = DocumentFactory()
    today = timezone.localdate()
    readers = {"licensee": standard_user, "consultant": consultant, "dispatcher": dispatcher}
    for name, licence in {
        "other module": {"modules": ["finance"]},
        "suspended": {"modules": [module], "is_suspended": True},
        "expired": {"modules": [module], "valid_until": today - timedelta(days=1)},
        "past licence": {"modules": [module], "is_current": False},
        "no licence": None,
        "granule ended": {"modules": [module]},
    }.items():
        other = OrganizationFactory(name=name)
        if licence is not None:
            licence_make(other, **licence)
        readers[name] = member_create(other, [Role.STANDARD])
    Granule.objects.filter(licence__organization__name="granule ended").update(
        valid_until=today - timedelta(days=1)
    )

    seen = {name: document in selectors.documents_visible_to(user) for name, user in readers.items()}

    assert seen == {name: name in ("licensee", "consultant", "dispatcher") for name in readers}
    assert all(open_document in selectors.documents_visible_to(user) for user in readers.values())


def test_a_version_upload_that_fails_keeps_the_file_for_the_next_submit(client_for, consultant):
    document = DocumentFactory()
    DocumentVersionFactory(document=document, label="1.0")
    client = client_for(consultant)
    url = reverse("docs:version-create", args=[document.pk])

    response = client.post(url, {"label": "1.0", "file": pdf("guide.pdf")})
    assert response.status_code == 200
    assert "This document already has a version 1.0." in response.content.decode()
    staged = StagedUpload.objects.get()
    assert response.context["staged"] == staged
    assert "File already received: guide.pdf" in response.content.decode()

    response = client.post(url, {"label": "1.1", "staged": staged.pk})
    assert response.status_code == 302
    version = document.versions.get(label="1.1")
    assert (version.original_name, version.file.read()) == ("guide.pdf", b"%PDF-1.4 the manual")
    assert not StagedUpload.objects.exists()


def test_a_version_is_a_file_or_a_page_and_programs_are_refused(client_for, consultant):
    document = DocumentFactory()
    client = client_for(consultant)
    url = reverse("docs:version-create", args=[document.pk])

    both = client.post(url, {"label": "1.0", "body": "# Page", "file": pdf()})
    assert "A version is either a file or a Markdown page: give exactly one of them." in both.content.decode()
    program = client.post(url, {"label": "1.0", "file": SimpleUploadedFile("setup.exe", b"MZ")})
    assert "setup.exe is a program or script file" in program.content.decode()
    assert not DocumentVersion.objects.exists()

    # A web page is only ever downloaded, so it may be a version, unlike a case attachment.
    page = client.post(url, {"label": "1.0", "file": SimpleUploadedFile("notes.html", b"<h1>Notes</h1>")})
    assert page.status_code == 302
    assert document.versions.get().original_name == "notes.html"


def test_a_file_staged_by_someone_else_cannot_become_a_version(consultant, vendor_admin):
    [staged] = uploads_stage(user=vendor_admin, files=[pdf()])
    with pytest.raises(ValidationError, match="That file was uploaded by someone else."):
        services.version_add(document=DocumentFactory(), by=consultant, label="1.0", staged=staged)
    assert StagedUpload.objects.filter(pk=staged.pk).exists()

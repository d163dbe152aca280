from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import selectors as case_selectors
from helpdesk.files import download_response, uploads_stage
from helpdesk.htmx import is_htmx
from helpdesk.pagination import page_of
from helpdesk.permissions import GLOBALLY, is_staff, require_perm
from helpdesk.throttle import throttle

from . import selectors, services
from .forms import DocumentFilterForm, DocumentForm, FaqFilterForm, FaqForm, NewsForm, SearchForm, VersionForm

FROM_CASE_CREATE = "case-create"


def _suggestion_opened(request, **target):
    """A suggestion beside the new-case form was opened: the link says so and carries the form's visit."""
    if request.GET.get("from") == FROM_CASE_CREATE:
        services.suggestion_opened(user=request.user, visit=request.GET.get("visit", ""), **target)


def _save(form, save, **arguments):
    """Call the service; its refusal becomes the form's error. The saved object, or None."""
    try:
        return save(**arguments)
    except ValidationError as error:
        form.add_error(None, error)
        return None


# --- Search -------------------------------------------------------------------------------------------------


def _has_words(request) -> bool:
    return bool(request.GET.get("q", "").strip())


@require_GET
@require_perm(selectors.VIEW)
@throttle("knowledge-search", when=_has_words)
def knowledge_search(request):
    """One search over FAQ, documents and news; without words, the most useful questions and latest news."""
    form = SearchForm(request.GET or None)
    results = selectors.knowledge_search(request.user, form.cleaned_data["q"]) if form.is_valid() else None
    context = {"form": form, "results": results, "can_manage": selectors.may_manage(request.user)}
    if results is None:
        context["popular"] = list(selectors.faq_list(request.user).published()[:5])
        context["news"] = selectors.latest_news(request.user)
    return render(request, "docs/knowledge_search.html", context)


@require_GET
@require_perm(selectors.VIEW)
def suggestion_list(request):
    """FAQ entries and documents matching the title of the case being written (htmx, beside the form)."""
    title = request.GET.get("title", "")[:200]
    # Opening a suggestion is counted for the deflection report: the link says where it came from.
    visit = {"from": FROM_CASE_CREATE, "visit": request.GET.get("visit", "")[:20]}
    context = {
        "suggestions": selectors.suggestions_for(request.user, title),
        "link_suffix": f"?{urlencode(visit)}",
    }
    return render(request, "docs/suggestion_list.html", context)


# --- FAQ ----------------------------------------------------------------------------------------------------


@require_GET
@require_perm(selectors.VIEW)
def faq_list(request):
    form = FaqFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.faq_list(request.user, category=filters.get("category"), module=filters.get("module"))
    context = {
        "form": form,
        "page": page_of(entries, request.GET.get("page"), per_page=20),
        "can_manage": selectors.may_manage(request.user),
    }
    return render(request, "docs/faq_list.html", context)


def _faq_context(request, entry):
    return {
        "entry": entry,
        "vote": selectors.faq_vote_of(entry, request.user),
        "can_manage": selectors.may_manage(request.user),
        "show_source": is_staff(request.user),
    }


@require_GET
def faq_detail(request, pk):
    """The entry and its vote. Reading it is counted (views, and suggestions opened from the new-case form):
    records for the knowledge report, which change nothing anyone reads."""
    entry = selectors.get_faq_for(request.user, pk)
    services.faq_view_count(entry=entry, user=request.user)
    _suggestion_opened(request, faq=entry)
    return render(request, "docs/faq_detail.html", _faq_context(request, entry))


@require_POST
def faq_vote(request, pk):
    entry = selectors.get_faq_for(request.user, pk)
    answer = request.POST.get("helpful")
    try:
        if answer not in ("yes", "no"):
            raise ValidationError(_("Answer yes or no."))
        services.faq_vote(entry=entry, user=request.user, helpful=answer == "yes")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if is_htmx(request):
            entry = selectors.get_faq_for(request.user, pk)
            return render(request, "docs/faq_detail.html#vote", _faq_context(request, entry))
        messages.success(request, _("Thank you for your answer."))
    return redirect(entry)


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE, where=GLOBALLY)
def faq_create(request):
    form = FaqForm(request.POST or None)
    if form.is_valid() and (entry := _save(form, services.faq_save, by=request.user, **form.cleaned_data)):
        messages.success(request, _("The FAQ entry has been saved."))
        return redirect(entry)
    return render(request, "docs/faq_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE, where=GLOBALLY)
def faq_update(request, pk):
    entry = selectors.get_faq_for(request.user, pk)
    form = FaqForm(request.POST or None, instance=entry)
    if form.is_valid() and _save(form, services.faq_save, entry=entry, by=request.user, **form.cleaned_data):
        messages.success(request, _("The FAQ entry has been saved."))
        return redirect(entry)
    return render(request, "docs/faq_update.html", {"form": form, "entry": entry})


@require_POST
@require_perm(selectors.MANAGE, where=GLOBALLY)
def faq_from_case(request, reference):
    """Staff turn a resolved case into a draft entry in one step, then check it before publishing."""
    case = case_selectors.get_case_for(request.user, reference)
    try:
        entry = services.faq_from_case(case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(case)
    messages.success(request, _("A draft FAQ entry was made from the case. Check it, then publish it."))
    return redirect("docs:faq-update", pk=entry.pk)


# --- Documents ----------------------------------------------------------------------------------------------


@require_GET
@require_perm(selectors.VIEW)
def document_list(request):
    """Documents grouped by product, module and kind; `?kind=process` lists the process descriptions."""
    form = DocumentFilterForm(request.GET or None, products=selectors.document_products(request.user))
    documents = selectors.document_list(request.user, data=form.cleaned_data if form.is_valid() else {})
    context = {
        "form": form,
        "page": page_of(documents, request.GET.get("page"), per_page=50),
        "can_manage": selectors.may_manage(request.user),
    }
    return render(request, "docs/document_list.html", context)


@require_GET
def document_detail(request, pk):
    document = selectors.get_document_for(request.user, pk)
    _suggestion_opened(request, document=document)
    versions = selectors.document_versions(document)
    context = {
        "document": document,
        "latest": versions[0] if versions else None,
        "history": versions[1:],
        "can_manage": selectors.may_manage(request.user),
    }
    return render(request, "docs/document_detail.html", context)


@require_GET
def version_detail(request, document_pk, pk):
    version = selectors.get_version_for(request.user, document_pk, pk)
    return render(request, "docs/version_detail.html", {"version": version, "document": version.document})


@require_GET
def version_download(request, document_pk, pk):
    """The version's file, streamed as a download to those who may see the document (else 404)."""
    version = selectors.get_version_for(request.user, document_pk, pk)
    if not version.is_file:
        raise Http404
    return download_response(version.file, filename=version.original_name, storage_key=version.storage_key)


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE, where=GLOBALLY)
def document_create(request):
    form = DocumentForm(request.POST or None)
    if form.is_valid() and (
        document := _save(form, services.document_save, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The document has been saved. Add its first version."))
        return redirect("docs:version-create", pk=document.pk)
    return render(request, "docs/document_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE, where=GLOBALLY)
def document_update(request, pk):
    document = selectors.get_document_for(request.user, pk)
    form = DocumentForm(request.POST or None, instance=document)
    if form.is_valid() and _save(
        form, services.document_save, document=document, by=request.user, **form.cleaned_data
    ):
        messages.success(request, _("The document has been saved."))
        return redirect(document)
    return render(request, "docs/document_update.html", {"form": form, "document": document})


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE, where=GLOBALLY)
def version_create(request, pk):
    """Upload a file or write a Markdown page as the document's new version. A file accepted from a form
    that fails for another reason is kept (staged), so it need not be uploaded again."""
    document = selectors.get_document_for(request.user, pk)
    form = VersionForm(request.POST or None, request.FILES or None, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        arguments = {key: data[key] for key in ("label", "notes", "body", "staged")}
        if _save(
            form, services.version_add, document=document, by=request.user, upload=data["file"], **arguments
        ):
            messages.success(request, _("Version %(label)s has been added.") % {"label": data["label"]})
            return redirect(document)
    staged = form.cleaned_data.get("staged") if form.is_bound else None
    if form.is_bound and form.accepted_file is not None:
        staged = uploads_stage(user=request.user, files=[form.accepted_file])[0]
    return render(request, "docs/version_create.html", {"form": form, "document": document, "staged": staged})


# --- News ---------------------------------------------------------------------------------------------------


@require_GET
@require_perm(selectors.VIEW)
def news_list(request):
    context = {
        "page": page_of(selectors.news_list(request.user), request.GET.get("page"), per_page=20),
        "can_manage": selectors.may_manage(request.user),
    }
    return render(request, "docs/news_list.html", context)


@require_GET
def news_detail(request, pk):
    """The post; opening it takes away its "new" mark for this reader."""
    post = selectors.get_news_for(request.user, pk)
    services.news_mark_read(post=post, user=request.user)
    context = {"post": post, "can_manage": selectors.may_manage(request.user)}
    return render(request, "docs/news_detail.html", context)


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE, where=GLOBALLY)
def news_create(request):
    form = NewsForm(request.POST or None)
    if form.is_valid() and (post := _save(form, services.news_save, by=request.user, **form.cleaned_data)):
        messages.success(request, _("The news post has been saved."))
        return redirect(post)
    return render(request, "docs/news_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@require_perm(selectors.MANAGE, where=GLOBALLY)
def news_update(request, pk):
    post = selectors.get_news_for(request.user, pk)
    form = NewsForm(request.POST or None, instance=post)
    if form.is_valid() and _save(form, services.news_save, post=post, by=request.user, **form.cleaned_data):
        messages.success(request, _("The news post has been saved."))
        return redirect(post)
    return render(request, "docs/news_update.html", {"form": form, "post": post})


# --- Staff tools --------------------------------------------------------------------------------------------


@require_POST
@require_perm(selectors.MANAGE, where=GLOBALLY)
def markdown_preview(request):
    """The editing pages' preview (htmx): the texts being written, rendered as readers will see them."""
    post = request.POST
    languages = []
    for code in ("hr", "en"):
        text = {part: post.get(f"{part}_{code}", "") for part in ("title", "summary", "body")}
        if any(text.values()):
            languages.append({"code": code, **text})
    context = {"languages": languages, "body": post.get("body", "")}
    return render(request, "docs/markdown_preview.html", context)


@require_GET
@require_perm(selectors.MANAGE, where=GLOBALLY)
def knowledge_report(request):
    """Most read, most and least helpful FAQ entries, and the cases the suggestions saved, week by week."""
    context = {
        **selectors.faq_report(),
        "weeks": selectors.deflections_per_week(),
        "window_minutes": int(selectors.DEFLECTION_WINDOW.total_seconds() // 60),
    }
    return render(request, "docs/knowledge_report.html", context)

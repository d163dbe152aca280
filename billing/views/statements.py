"""The statement pages: a statement with its lines, approve (exactly once: 409 for the second), dispute,
the PDF and the e-invoice; for staff, generating now with the run's progress, and new revisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.files import download_response
from helpdesk.htmx import is_htmx
from helpdesk.idempotency import submit_once
from helpdesk.permissions import GLOBALLY, has_global_perm, has_org_perm, require_perm
from helpdesk.services import client_ip

from .. import einvoice, selectors, services
from ..forms import ApproveForm, DisputeForm, GenerateForm, ReviseForm
from ..models import GenerationRun
from ..money import month_display
from ..services import StatementConflict


def _detail(request, statement, *, dispute_form=None, status=200):
    can_approve = statement.is_awaiting and has_org_perm(
        request.user, selectors.APPROVE_PERM, statement.organization
    )
    can_manage = has_global_perm(request.user, selectors.MANAGE_PERM)
    context = {
        "statement": statement,
        "organization": statement.organization,
        "month": month_display(statement.period),
        "lines": selectors.statement_lines(statement),
        "revisions": selectors.statement_revisions(statement),
        "can_approve": can_approve and statement.has_pdf,
        "can_dispute": can_approve,
        "can_revise": can_manage and statement.state in (statement.State.AWAITING, statement.State.DISPUTED),
        "approve_form": ApproveForm(),
        "dispute_form": dispute_form or DisputeForm(),
        "revise_form": ReviseForm(),
    }
    return render(request, "billing/statement_detail.html", context, status=status)


@require_GET
def statement_detail(request, pk):
    statement = selectors.get_statement_for(request.user, pk)
    return _detail(request, statement)


def _conflict(request, error: StatementConflict):
    """409: someone else approved or disputed the statement first; the page says so."""
    return render(
        request,
        "billing/statement_conflict.html",
        {"statement": error.statement, "message": error.message},
        status=409,
    )


@require_POST
def statement_approve(request, pk):
    statement = selectors.get_statement_for(request.user, pk, selectors.APPROVE_PERM)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return redirect(statement)

    def work():
        try:
            services.statement_approve(
                statement_id=statement.pk, by=request.user, ip_address=client_ip(request)
            )
        except StatementConflict as error:
            return _conflict(request, error)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _detail(request, statement, status=409)
        messages.success(request, _("The statement is approved. Thank you."))
        return redirect(statement)

    return submit_once(request, form, work)


@require_POST
def statement_dispute(request, pk):
    statement = selectors.get_statement_for(request.user, pk, selectors.APPROVE_PERM)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return _detail(request, statement, dispute_form=form)

    def work():
        try:
            services.statement_dispute(
                statement_id=statement.pk,
                by=request.user,
                comment=form.cleaned_data["comment"],
                ip_address=client_ip(request),
            )
        except StatementConflict as error:
            return _conflict(request, error)
        except ValidationError as error:
            form.add_error("comment", error)
            return _detail(request, statement, dispute_form=form)
        messages.success(
            request,
            _(
                "The statement is disputed. Jupiter Software answers in the billing case and with a new "
                "revision."
            ),
        )
        return redirect(statement)

    return submit_once(request, form, work)


@require_GET
def statement_pdf(request, pk):
    statement = selectors.get_statement_for(request.user, pk)
    if not statement.has_pdf or not statement.pdf:
        raise Http404
    return download_response(
        statement.pdf, filename=f"{statement.number}.pdf", storage_key=f"{statement.number}.pdf"
    )


@require_GET
def statement_einvoice(request, pk):
    """The approved statement as an EN 16931 e-invoice (UBL 2.1 XML); none before approval."""
    statement = selectors.get_statement_for(request.user, pk)
    if not statement.is_approved:
        raise Http404
    response = HttpResponse(
        einvoice.statement_einvoice(statement), content_type="application/xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{einvoice.einvoice_filename(statement)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@require_perm(selectors.MANAGE_PERM, where=GLOBALLY)
def statement_revise(request, pk):
    """Staff answer a dispute (or correct an awaiting statement) with a new revision."""
    statement = selectors.get_statement_for(request.user, pk)
    form = ReviseForm(request.POST)
    if not form.is_valid():
        return redirect(statement)

    def work():
        try:
            run = services.statement_revise(statement=statement, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _detail(request, statement, status=409)
        return redirect("billing:generation-status", run.pk)

    return submit_once(request, form, work)


@require_perm(selectors.MANAGE_PERM, where=GLOBALLY)
def generate(request):
    """Staff generate an organization's statement of a month now."""
    form = GenerateForm(request.POST or None, initial={"organization": request.GET.get("organization")})
    if request.method == "POST" and form.is_valid():

        def work():
            try:
                run = services.generation_request(
                    organization=form.cleaned_data["organization"],
                    period=form.cleaned_data["period"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
                return render(request, "billing/generate.html", {"form": form})
            return redirect("billing:generation-status", run.pk)

        return submit_once(request, form, work)
    return render(request, "billing/generate.html", {"form": form})


@require_GET
@require_perm(selectors.MANAGE_PERM, where=GLOBALLY)
def generation_status(request, pk):
    """The progress of a generation; the page polls its status part (htmx) until the run has finished."""
    run = get_object_or_404(GenerationRun.objects.select_related("organization", "statement"), pk=pk)
    template = "billing/generation_status.html"
    context = {"run": run, "month": month_display(run.period)}
    response = render(request, f"{template}#status" if is_htmx(request) else template, context)
    response["Vary"] = "HX-Request"
    return response

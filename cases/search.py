"""The case filters shared by the list, the export and the analysis: one form, one function."""

from datetime import date, timedelta

from django import forms
from django.core.cache import cache
from django.db.models import CharField, Q, QuerySet, Value
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from helpdesk.bilingual import BilingualChoiceField
from helpdesk.dates import day_start
from helpdesk.fulltext import fulltext_query
from releases.models import Module

from .models import Case, Category

SORTS = {
    "-updated": ("-last_activity_at", "-pk"),
    "updated": ("last_activity_at", "pk"),
    "-created": ("-created_at", "-pk"),
    "created": ("created_at", "pk"),
    "-priority": ("-priority_rank", "-last_activity_at", "-pk"),
    "reference": ("reference",),
    "-reference": ("-reference",),
}
SORT_CHOICES = [
    ("-updated", _("Last activity, newest first")),
    ("updated", _("Last activity, oldest first")),
    ("-created", _("Created, newest first")),
    ("created", _("Created, oldest first")),
    ("-priority", _("Priority, highest first")),
    ("-reference", _("Reference, descending")),
    ("reference", _("Reference, ascending")),
]

MENUS_CACHE_KEY = "cases:filter-menus"
MENUS_CACHE_SECONDS = 60


def consultants() -> QuerySet[User]:
    return (
        User.objects.filter(groups__permissions__codename="work_case", is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


def filter_menus(*, refresh: bool = False) -> dict[str, list[tuple[int, str, str]]]:
    """(id, Croatian label, English label) of the category, product module and assignee menus, read in
    one query. Every list and analysis page shows them and they change a few times a year, so they are
    kept a minute in the cache; a new entry appears in the menus within a minute."""
    menus = None if refresh else cache.get(MENUS_CACHE_KEY)
    if menus is None:
        kind = CharField()
        rows = (
            Category.objects.order_by()
            .values_list("pk", "name_hr", "name_en", "position", Value("category", output_field=kind))
            .union(
                Module.objects.order_by().values_list(
                    "pk", "name_hr", "name_en", "position", Value("module", output_field=kind)
                ),
                consultants()
                .order_by()
                .values_list("pk", "full_name", "email", Value(0), Value("assignee", output_field=kind)),
                all=True,
            )
        )
        menus = {"category": [], "module": [], "assignee": []}
        for pk, first, second, position, name in rows:
            if name == "assignee":  # (full name, e-mail): the name, or the e-mail address without one
                first = second = first or second
            menus[name].append((position, second.casefold(), pk, first, second))
        # In the lists' own order (position, then English name); consultants by name.
        menus = {name: [entry[2:] for entry in sorted(entries)] for name, entries in menus.items()}
        cache.set(MENUS_CACHE_KEY, menus, MENUS_CACHE_SECONDS)
    return menus


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Text"), required=False, max_length=200)
    # Checkbox groups, not multiple selects: no Ctrl-click, every value visible at once.
    status = forms.MultipleChoiceField(
        label=_("Status"), choices=Case.Status.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    category = BilingualChoiceField(label=_("Category"), queryset=Category.objects.all(), required=False)
    priority = forms.MultipleChoiceField(
        label=_("Priority"),
        choices=Case.Priority.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    module = BilingualChoiceField(label=_("Product module"), queryset=Module.objects.all(), required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), required=False
    )
    reporter = forms.CharField(
        label=_("Reporter"), required=False, max_length=254, help_text=_("E-mail address or part of the name")
    )
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=User.objects.none(), required=False)
    created_from = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label=_("Created to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    updated_from = forms.DateField(
        label=_("Updated from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    updated_to = forms.DateField(
        label=_("Updated to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    has_attachments = forms.NullBooleanField(
        label=_("Attachments"),
        required=False,
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("With attachments")), ("false", _("Without"))]
        ),
    )
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, staff: bool, organizations: list[tuple[int, str]] = (), **kwargs):
        """Staff may filter by any organization; a customer by one of `organizations` (id, name), their own,
        when they have several. The filter only narrows what cases_visible_to already allows."""
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = consultants()
        # The menus show cached rows; a chosen value is still looked up in the database when validated.
        english = (get_language() or "hr").startswith("en")
        for name, rows in filter_menus().items():
            field = self.fields[name]
            field.choices = [("", field.empty_label), *((pk, en if english else hr) for pk, hr, en in rows)]
        if staff:
            self.fields["organization"].queryset = Organization.objects.order_by("name")
        elif len(organizations) > 1:
            field = self.fields["organization"]
            field.queryset = Organization.objects.filter(pk__in=[pk for pk, _name in organizations])
            field.choices = [("", field.empty_label), *organizations]
        else:
            del self.fields["organization"]

    def clean(self):
        cleaned = super().clean()
        for start, end in (("created_from", "created_to"), ("updated_from", "updated_to")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[start] > cleaned[end]:
                self.add_error(end, _("The end date is before the start date."))
        return cleaned


def filter_query_string(params: QueryDict) -> str:
    """The filter part of a query string in a stable order: no page number, format or unknown names. Saved
    searches, export and analysis links carry exactly this."""
    kept = QueryDict(mutable=True)
    for name in CaseFilterForm.base_fields:
        values = [value for value in params.getlist(name) if value.strip()]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def _chip_label(form: CaseFilterForm, name: str, value) -> str:
    field = form.fields[name]
    if name in ("status", "priority"):
        text = dict(field.choices).get(value, value)
    elif name == "q":
        text = f"“{value}”"
    elif isinstance(value, date):
        text = date_format(value, "SHORT_DATE_FORMAT")
    elif name == "has_attachments":
        text = _("With attachments") if value else _("Without attachments")
    else:  # a category, module, organization or person
        text = getattr(value, "name", None) or str(value)
    return f"{field.label}: {text}"


def filter_chips(form: CaseFilterForm, params: QueryDict) -> list[dict]:
    """The active filters of a valid form, one chip per value, each with the query string of the same search
    without that value (the order of the results is no filter: it has no chip)."""
    kept = QueryDict(filter_query_string(params), mutable=True)
    chips = []
    for name in form.fields:
        value = form.cleaned_data.get(name)
        if name == "sort" or value in (None, "", []):
            continue
        raw_values = kept.getlist(name)
        values = value if isinstance(value, list) else [value]
        for raw, cleaned in zip(raw_values, values, strict=False):
            rest = kept.copy()
            rest.setlist(name, [other for other in raw_values if other != raw])
            chips.append({"name": name, "label": _chip_label(form, name, cleaned), "query": rest.urlencode()})
    return chips


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=100)
    query = forms.CharField(required=False, widget=forms.HiddenInput)


def cases_filter(cases: QuerySet[Case], data: dict) -> QuerySet[Case]:
    """Apply the cleaned filters of CaseFilterForm to an already permission-scoped queryset."""
    conditions = Q()
    if data.get("status"):
        conditions &= Q(status__in=data["status"])
    if data.get("priority"):
        conditions &= Q(priority__in=data["priority"])
    for field in ("category", "module", "organization", "assignee"):
        if data.get(field):
            conditions &= Q(**{field: data[field]})
    if data.get("reporter"):
        who = data["reporter"].strip()
        conditions &= Q(reporter__email__iexact=who) | Q(reporter__full_name__icontains=who)
    # Whole local days, compared on the indexed columns themselves.
    for field, start, end in (
        ("created_at", "created_from", "created_to"),
        ("last_activity_at", "updated_from", "updated_to"),
    ):
        if data.get(start):
            conditions &= Q(**{f"{field}__gte": day_start(data[start])})
        if data.get(end):
            conditions &= Q(**{f"{field}__lt": day_start(data[end] + timedelta(days=1))})
    if data.get("has_attachments") is not None:
        conditions &= Q(has_attachments=data["has_attachments"])
    cases = cases.filter(conditions)
    query = fulltext_query(data.get("q", ""))
    if query is not None:
        cases = cases.filter(search_vector=query)
    sort = SORTS.get(data.get("sort") or "-updated")
    if "-priority_rank" in sort:
        cases = cases.alias(priority_rank=Case.priority_rank_expression())
    return cases.order_by(*sort)

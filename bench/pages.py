"""The pages the benchmark measures, who looks at them, and their targets (issue item 9)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from cases.models import Case, Category

# "Three filters": open high-priority problems, what a customer's administrator or a consultant looks for.
SEARCH_FILTERS = {"status": [Case.Status.IN_PROGRESS, Case.Status.WAITING], "priority": [Case.Priority.HIGH]}
# Two words as typed, the second unfinished ("amortizacija osnovnih sredstava"): a specific topic that about
# one case in 500 mentions. Words in a third of all cases ("račun") find their page faster (PERFORMANCE.md).
FULLTEXT_QUERY = "amortizacija osnov"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    persona: str  # "dispatcher", "consultant" or "customer" (the standard user of the biggest organization)
    rps: int  # targets: requests/s under load, p95 in ms, SQL queries (None: not a target)
    p95: int
    queries: int | None
    method: str = "GET"
    expected: int = 200

    @property
    def url_name(self) -> str:
        return {
            "queue": "cases:queue",
            "create": "cases:case-create",
            "dashboard": "dashboard",
            "analysis": "cases:case-analysis",
        }.get(self.key, "cases:case-list")


PAGES = [
    Page("queue", "First-line queue", "dispatcher", 200, 50, 12),
    Page("case-list", "Customer case list", "customer", 300, 30, 12),
    Page("search", "Search with three filters", "customer", 200, 50, 12),
    Page("search-staff", "Search with three filters", "consultant", 200, 50, 12),
    Page("fulltext", "Full-text search", "customer", 100, 50, 12),
    Page("fulltext-staff", "Full-text search", "consultant", 100, 50, 12),
    Page("detail-staff", "Case detail, 50 events", "consultant", 250, 30, 12),
    Page("detail-customer", "Case detail, 50 events", "customer", 250, 30, 12),
    Page("create", "Create a case (POST)", "customer", 250, 30, None, method="POST", expected=302),
    Page("dashboard", "Staff dashboard", "consultant", 100, 50, 12),
    Page("analysis", "Analysis page", "consultant", 100, 50, 12),
]


def page_url(page: Page, detail_reference: str) -> str | None:
    """The page's path with its query; None when the page does not exist (yet) in this portal."""
    if page.key.startswith("detail"):
        return reverse("cases:case-detail", args=[detail_reference])
    try:
        path = reverse(page.url_name)
    except NoReverseMatch:
        return None
    if page.key.startswith("search"):
        problem = Category.objects.get(code="problem").pk
        return f"{path}?{urlencode({**SEARCH_FILTERS, 'category': problem}, doseq=True)}"
    if page.key.startswith("fulltext"):
        return f"{path}?{urlencode({'q': FULLTEXT_QUERY})}"
    return path


def create_form() -> dict:
    """A valid case form without attachments."""
    return {
        "title": "Greška pri knjiženju ulaznog računa",
        "category": Category.objects.get(code="problem").pk,
        "priority": Case.Priority.NORMAL,
        "description": "Kod knjiženja ulaznog računa javlja se greška. Molimo provjeru.",
    }

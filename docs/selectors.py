"""Reads of the knowledge base. What a user may see is decided only here.

Every member of a customer organization reads the knowledge base (`docs.view_knowledge`); customers see
published content only, news once its publish time has come, and restricted documents and news only when
helpdesk.permissions.audience_q admits them: a restricted document when one of their organizations licenses
its module today (licensing), a restricted post when it names one of their organizations. Staff who write
it (`docs.manage_knowledge`) see drafts too.
"""

from bisect import bisect_left
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Exists, F, Max, Min, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from cases import selectors as case_selectors
from helpdesk.fulltext import WORD, any_word_query, fulltext_query
from helpdesk.permissions import (
    Scope,
    audience_q,
    get_visible_or_404,
    has_global_perm,
    organization_scope,
    users_with_perm,
)
from licensing import selectors as licensing_selectors
from releases.models import Module, Product

from .models import (
    Document,
    DocumentVersion,
    FaqCategory,
    FaqEntry,
    FaqVote,
    NewsPost,
    SuggestionView,
)

VIEW = "docs.view_knowledge"
MANAGE = "docs.manage_knowledge"
SEARCH_LIMIT = 10
# A visit of the new-case form whose opened suggestion is not followed by a case within this time counts
# as deflected: the customer found the answer instead of asking.
DEFLECTION_WINDOW = timedelta(minutes=30)


def may_read(user) -> bool:
    return bool(organization_scope(user, VIEW))


def may_manage(user) -> bool:
    return has_global_perm(user, MANAGE)


def _visible(user, model, readers_see) -> QuerySet:
    """The rule of every kind of content: its writers see all of it, readers the part `readers_see` (a
    function of the model's queryset) leaves them, anyone else nothing."""
    if may_manage(user):
        return model.objects.all()
    if not may_read(user):
        return model.objects.none()
    return readers_see(model.objects.all())


# --- FAQ ----------------------------------------------------------------------------------------------------


def faq_entries_visible_to(user) -> QuerySet[FaqEntry]:
    return _visible(user, FaqEntry, lambda entries: entries.published())


def faq_list(user, *, category: FaqCategory | None = None, module: Module | None = None):
    entries = faq_entries_visible_to(user).for_list()
    if category is not None:
        entries = entries.filter(category=category)
    if module is not None:
        entries = entries.filter(module=module)
    return entries.by_usefulness()


def get_faq_for(user, pk: int) -> FaqEntry:
    """The entry if the user may read it, else 404 (a draft's existence stays hidden)."""
    entries = faq_entries_visible_to(user).select_related("category", "module", "source_case").with_votes()
    return get_visible_or_404(entries, pk=pk)


def faq_vote_of(entry: FaqEntry, user) -> bool | None:
    """The user's vote on the entry: True helpful, False not, None not voted."""
    return FaqVote.objects.filter(entry=entry, user=user).values_list("is_helpful", flat=True).first()


# --- Documents ----------------------------------------------------------------------------------------------


def _licensed_modules(scope: Scope) -> Q:
    """Restricted documents of the modules that an organization of the scope licenses today: its current
    licence is in force and has an active granule of the module (one query for all the organizations)."""
    facts = licensing_selectors.licence_facts(scope.ids)
    return Q(module_id__in=sorted({pk for fact in facts.values() for pk in fact.module_ids}))


def documents_visible_to(user) -> QuerySet[Document]:
    return _visible(
        user,
        Document,
        lambda documents: documents.published().filter(
            audience_q(user, VIEW, Document, audience=_licensed_modules)
        ),
    )


def document_list(user, *, data: dict) -> QuerySet[Document]:
    """Visible documents, filtered, in the order the list groups them: product, module, kind, title."""
    documents = documents_visible_to(user).for_list()
    for field in ("product", "module", "kind"):
        if data.get(field):
            documents = documents.filter(**{field: data[field]})
    return documents.order_by(
        "product__position",
        "product__name",
        "product_id",
        F("module__position").asc(nulls_first=True),
        "module__name_en",
        "kind",
        "title_hr",
        "pk",
    )


def document_products(user) -> QuerySet[Product]:
    """The products of the documents the user may see (the list's filter)."""
    return Product.objects.filter(pk__in=documents_visible_to(user).values("product_id"))


def get_document_for(user, pk: int) -> Document:
    """The document if the user may see it (published, and in its audience), else 404."""
    return get_visible_or_404(documents_visible_to(user).select_related("product", "module"), pk=pk)


def document_versions(document: Document) -> list[DocumentVersion]:
    """Newest first; the first one is the current version."""
    return list(document.versions.select_related("created_by").defer("search_vector"))


def get_version_for(user, document_pk: int, pk: int) -> DocumentVersion:
    document = get_document_for(user, document_pk)
    version = get_object_or_404(document.versions.defer("search_vector"), pk=pk)
    version.document = document
    return version


# --- News ---------------------------------------------------------------------------------------------------


def news_visible_to(user) -> QuerySet[NewsPost]:
    return _visible(user, NewsPost, lambda posts: posts.live().filter(audience_q(user, VIEW, NewsPost)))


def news_list(user) -> QuerySet[NewsPost]:
    return news_visible_to(user).for_list().with_read_by(user).order_by("-publish_at", "-pk")


def latest_news(user, limit: int = 3) -> list[NewsPost]:
    """The newest posts the user may read that are live, each marked whether the user has opened it."""
    return list(news_list(user).live()[:limit])


def get_news_for(user, pk: int) -> NewsPost:
    return get_visible_or_404(news_visible_to(user).prefetch_related("organizations"), pk=pk)


def news_recipients(post: NewsPost) -> QuerySet[User]:
    """Who gets a post by e-mail: active members holding `docs.view_knowledge` in an active organization
    of its audience (every customer organization unless the post is restricted)."""
    audience = post.organizations.all() if post.is_restricted else None
    return users_with_perm(VIEW, audience).order_by("pk")


# --- Search and suggestions ---------------------------------------------------------------------------------


def _ranked(queryset, query: SearchQuery, condition: Q | None = None):
    return (
        queryset.filter(condition if condition is not None else Q(search_vector=query))
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-pk")
    )


def _document_matches(query: SearchQuery) -> Q:
    """A document matches by its title and summary or by the text of one of its Markdown versions."""
    in_versions = DocumentVersion.objects.filter(document=OuterRef("pk"), search_vector=query)
    return Q(search_vector=query) | Exists(in_versions)


def knowledge_search(user, text: str, limit: int = SEARCH_LIMIT) -> dict | None:
    """FAQ, documents and news matching every word (accent-insensitive, as prefixes), best first, each
    kind on its own; None when the text has no words."""
    query = fulltext_query(text)
    if query is None:
        return None
    return {
        "faq": list(_ranked(faq_entries_visible_to(user).for_list(), query)[:limit]),
        "documents": list(
            _ranked(documents_visible_to(user).for_list(), query, _document_matches(query))[:limit]
        ),
        "news": list(_ranked(news_visible_to(user).for_list().with_read_by(user), query)[:limit]),
    }


# Words too common to tell one question from another (the search configuration keeps every word).
COMMON_WORDS = frozenset(
    {
        *("kako", "zašto", "što", "kada", "gdje", "koji", "koja", "koje", "može", "mogu", "nije", "nema"),
        *(
            "and",
            "the",
            "how",
            "why",
            "what",
            "when",
            "where",
            "can",
            "cannot",
            "does",
            "not",
            "with",
            "from",
        ),
    }
)


def suggestion_query(title: str) -> SearchQuery | None:
    """Any of the title's telling words, as prefixes: a new case's title rarely matches an entry word for
    word, so entries are ranked by how many of its words they share."""
    words = [word for word in WORD.findall(title.lower()) if len(word) >= 3 and word not in COMMON_WORDS]
    return any_word_query(words[:10])


def suggestions_for(user, title: str, *, faq_limit: int = 5, document_limit: int = 3) -> dict | None:
    """Published FAQ entries and documents the user may read that match the title of a case being written."""
    query = suggestion_query(title)
    if query is None:
        return None
    faq = faq_entries_visible_to(user).published().for_list()
    documents = documents_visible_to(user).published().for_list()
    return {
        "faq": list(_ranked(faq, query)[:faq_limit]),
        "documents": list(_ranked(documents, query)[:document_limit]),
    }


# --- The knowledge report -----------------------------------------------------------------------------------

REPORT_ROWS = 10
REPORT_WEEKS = 12


def faq_report() -> dict:
    """Published entries read most, found most helpful, and found least helpful."""
    entries = FaqEntry.objects.published().for_list()
    return {
        "most_viewed": list(entries.filter(view_count__gt=0).order_by("-view_count", "-pk")[:REPORT_ROWS]),
        "most_helpful": list(
            entries.filter(helpful_count__gt=0).order_by("-helpful_count", "unhelpful_count", "-pk")[
                :REPORT_ROWS
            ]
        ),
        "least_helpful": list(
            entries.filter(unhelpful_count__gt=0).order_by("-unhelpful_count", "helpful_count", "-pk")[
                :REPORT_ROWS
            ]
        ),
    }


def deflections_per_week(*, now=None, weeks: int = REPORT_WEEKS) -> list[dict]:
    """Per week (Monday, local time) of the last `weeks`, newest first: visits of the new-case form in which a
    suggestion was opened, how many of them ended without a case by that user within DEFLECTION_WINDOW of
    the last suggestion opened (deflected), and how many are too recent to tell yet (pending)."""
    now = now or timezone.now()
    since = now - timedelta(weeks=weeks)
    visits = list(
        SuggestionView.objects.filter(created_at__gte=since)
        .values("user_id", "visit")
        .annotate(first_at=Min("created_at"), last_at=Max("created_at"))
        .order_by()
    )
    logged = case_selectors.cases_logged_since({visit["user_id"] for visit in visits}, since)
    closed_before = now - DEFLECTION_WINDOW
    per_week: dict = {}
    for visit in visits:
        local = timezone.localtime(visit["first_at"], timezone.get_default_timezone())
        week = per_week.setdefault(
            local.date() - timedelta(days=local.weekday()), {"visits": 0, "deflected": 0, "pending": 0}
        )
        if visit["last_at"] > closed_before:
            week["pending"] += 1
            continue
        week["visits"] += 1
        # A case logged from the first suggestion opened to DEFLECTION_WINDOW after the last one.
        times = logged.get(visit["user_id"], [])
        first_case = bisect_left(times, visit["first_at"])
        if first_case == len(times) or times[first_case] >= visit["last_at"] + DEFLECTION_WINDOW:
            week["deflected"] += 1
    return [{"week": week, **counts} for week, counts in sorted(per_week.items(), reverse=True)]

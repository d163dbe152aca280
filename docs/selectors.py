"""Reads of the knowledge base. What a user may see is decided only here.

Every member of a customer organization reads the knowledge base (`docs.view_knowledge`); customers see
published content only, news once its publish time has come, and restricted documents and news only when
helpdesk.permissions.audience_q admits them. Staff who write it (`docs.manage_knowledge`) see drafts too.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import OrganizationUserPermission, User
from cases.models import SEARCH_CONFIG, Case, ProductModule
from cases.search import fulltext_query
from helpdesk.permissions import audience_q, has_global_perm, organization_ids_with_perm

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
    return organization_ids_with_perm(user, VIEW) != []


def may_manage(user) -> bool:
    return has_global_perm(user, MANAGE)


# --- FAQ ----------------------------------------------------------------------------------------------------


def faq_entries_visible_to(user) -> QuerySet[FaqEntry]:
    if may_manage(user):
        return FaqEntry.objects.all()
    if not may_read(user):
        return FaqEntry.objects.none()
    return FaqEntry.objects.published()


def faq_list(user, *, category: FaqCategory | None = None, module: ProductModule | None = None):
    entries = faq_entries_visible_to(user).for_list()
    if category is not None:
        entries = entries.filter(category=category)
    if module is not None:
        entries = entries.filter(module=module)
    return entries.by_usefulness()


def get_faq_for(user, pk: int) -> FaqEntry:
    """The entry if the user may read it, else 404 (a draft's existence stays hidden)."""
    entries = faq_entries_visible_to(user).select_related("category", "module", "source_case").with_votes()
    return get_object_or_404(entries, pk=pk)


def faq_vote_of(entry: FaqEntry, user) -> bool | None:
    """The user's vote on the entry: True helpful, False not, None not voted."""
    return FaqVote.objects.filter(entry=entry, user=user).values_list("is_helpful", flat=True).first()


# --- Documents ----------------------------------------------------------------------------------------------


def documents_visible_to(user) -> QuerySet[Document]:
    if may_manage(user):
        return Document.objects.all()
    if not may_read(user):
        return Document.objects.none()
    return Document.objects.published().filter(audience_q(user, VIEW, Document))


def document_list(user, *, data: dict) -> QuerySet[Document]:
    """Visible documents, filtered, in the order the list groups them: product, module, kind, title."""
    documents = documents_visible_to(user).for_list()
    for field in ("product", "module", "kind"):
        if data.get(field):
            documents = documents.filter(**{field: data[field]})
    return documents.order_by(
        "product", F("module__position").asc(nulls_first=True), "module__name_en", "kind", "title_hr", "pk"
    )


def document_products(user) -> list[str]:
    return list(documents_visible_to(user).order_by("product").values_list("product", flat=True).distinct())


def get_document_for(user, pk: int) -> Document:
    """The document if the user may see it (published, and in its audience), else 404."""
    return get_object_or_404(documents_visible_to(user).select_related("module"), pk=pk)


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
    if may_manage(user):
        return NewsPost.objects.all()
    if not may_read(user):
        return NewsPost.objects.none()
    return NewsPost.objects.live().filter(audience_q(user, VIEW, NewsPost))


def news_list(user) -> QuerySet[NewsPost]:
    return news_visible_to(user).for_list().with_read_by(user).order_by("-publish_at", "-pk")


def latest_news(user, limit: int = 3) -> list[NewsPost]:
    """The newest posts the user may read that are live, each marked whether the user has opened it."""
    return list(news_list(user).live()[:limit])


def get_news_for(user, pk: int) -> NewsPost:
    return get_object_or_404(news_visible_to(user).prefetch_related("organizations"), pk=pk)


def news_recipients(post: NewsPost) -> QuerySet[User]:
    """Who gets a post by e-mail: active members holding `docs.view_knowledge` in an active organization
    of its audience (every customer organization unless the post is restricted)."""
    grants = OrganizationUserPermission.objects.filter(
        user=OuterRef("pk"),
        permission__content_type__app_label="docs",
        permission__codename="view_knowledge",
        content_object__is_active=True,
        content_object__memberships__user=OuterRef("pk"),
        content_object__memberships__is_active=True,
    )
    if post.is_restricted:
        grants = grants.filter(content_object__in=post.organizations.all())
    return User.objects.filter(Exists(grants), is_active=True).order_by("pk")


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


WORD = re.compile(r"\w+", re.UNICODE)
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
    if not words:
        return None
    return SearchQuery(
        " | ".join(f"{word}:*" for word in words[:10]), search_type="raw", config=SEARCH_CONFIG
    )


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


# Table names are the models' own; every value is a query parameter.
DEFLECTION_SQL = f"""
WITH visits AS (
    SELECT user_id, visit, MIN(created_at) AS first_at, MAX(created_at) AS last_at
    FROM {SuggestionView._meta.db_table}
    WHERE created_at >= %(since)s
    GROUP BY user_id, visit
)
SELECT date_trunc('week', v.first_at AT TIME ZONE %(zone)s)::date AS week,
       COUNT(*) FILTER (WHERE v.last_at <= %(closed_before)s) AS visits,
       COUNT(*) FILTER (
           WHERE v.last_at <= %(closed_before)s AND NOT EXISTS (
               SELECT 1 FROM {Case._meta.db_table} c
               WHERE c.reporter_id = v.user_id AND c.created_at >= v.first_at
                 AND c.created_at < v.last_at + %(window)s
           )
       ) AS deflected,
       COUNT(*) FILTER (WHERE v.last_at > %(closed_before)s) AS pending
FROM visits v
GROUP BY 1
ORDER BY 1 DESC
"""  # noqa: S608


def deflections_per_week(*, now=None, weeks: int = REPORT_WEEKS) -> list[dict]:
    """Per week (Monday, local time) of the last `weeks`: visits of the new-case form in which a suggestion
    was opened, how many of them ended without a case by that user within DEFLECTION_WINDOW of the last
    suggestion opened (deflected), and how many are too recent to tell yet (pending)."""
    now = now or timezone.now()
    params = {
        "since": now - timedelta(weeks=weeks),
        "closed_before": now - DEFLECTION_WINDOW,
        "window": DEFLECTION_WINDOW,
        "zone": settings.TIME_ZONE,
    }
    with connection.cursor() as cursor:
        cursor.execute(DEFLECTION_SQL, params)
        return [
            {"week": week, "visits": visits, "deflected": deflected, "pending": pending}
            for week, visits, deflected, pending in cursor.fetchall()
        ]

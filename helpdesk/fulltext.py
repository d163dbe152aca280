"""Full-text search, the same everywhere: one PostgreSQL text search configuration and one query builder.

The configuration `helpdesk_unaccent` (made by migration cases 0002) is `simple` with unaccent: no stemming,
so one index serves Croatian and English, and "racun" finds "račun".
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import models

SEARCH_CONFIG = "helpdesk_unaccent"

WORD = re.compile(r"\w+", re.UNICODE)


def fulltext_query(text: str) -> SearchQuery | None:
    """Every word must match, accents ignored; the last one also as a prefix, since it is the word still being
    typed ("ziro rac" finds "žiro račun"). Earlier words match whole: a prefix match costs a walk over the
    GIN index's lexemes, tens of milliseconds per word at a million cases (PERFORMANCE.md)."""
    words = WORD.findall(text or "")[:8]
    if not words:
        return None
    raw = " & ".join([*words[:-1], f"{words[-1]}:*"])
    return SearchQuery(raw, search_type="raw", config=SEARCH_CONFIG)


def any_word_query(words: list[str]) -> SearchQuery | None:
    """Any of the words, each as a prefix (suggestions ranked by how many words an entry shares)."""
    if not words:
        return None
    return SearchQuery(" | ".join(f"{word}:*" for word in words), search_type="raw", config=SEARCH_CONFIG)


def search_vector(*weighted: tuple[str, str]) -> SearchVector:
    """The full-text vector of (field, weight) pairs."""
    vectors = [SearchVector(field, config=SEARCH_CONFIG, weight=weight) for field, weight in weighted]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def search_field(*weighted: tuple[str, str]) -> models.GeneratedField:
    """A stored generated column of the vector: PostgreSQL keeps it current by itself."""
    return models.GeneratedField(
        expression=search_vector(*weighted), output_field=SearchVectorField(), db_persist=True, editable=False
    )

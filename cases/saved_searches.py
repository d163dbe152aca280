"""Saved searches: a user's named filters of the case list, kept as the list's query string.

A saved search holds only filters, never results, so opening one later shows what the user may see then.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from .models import SavedSearch
from .search import filter_query_string

MAX_PER_USER = 50
QUERY_MAX_LENGTH = SavedSearch._meta.get_field("query").max_length


def saved_searches_of(user) -> list[SavedSearch]:
    return list(SavedSearch.objects.filter(user=user).only("pk", "name", "query").order_by("name", "pk"))


@transaction.atomic
def saved_search_create(*, user, name: str, query: str) -> SavedSearch:
    """Save the filters of a query string under a name that is unique (ignoring case) among the user's."""
    name = name.strip()
    query = filter_query_string(QueryDict(query))
    if not name:
        raise ValidationError(_("Give the search a name."), code="name_required")
    if len(query) > QUERY_MAX_LENGTH:
        raise ValidationError(_("These filters are too long to save; remove some of them."), code="too_long")
    mine = SavedSearch.objects.filter(user=user)
    if mine.filter(name__iexact=name).exists():
        raise ValidationError(
            _("You already have a saved search named “%(name)s”. Choose another name.") % {"name": name},
            code="duplicate",
        )
    if mine.count() >= MAX_PER_USER:
        raise ValidationError(
            _("You can keep at most %(count)d saved searches; delete one first.") % {"count": MAX_PER_USER},
            code="too_many",
        )
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(user=user, name=name, query=query)
    except IntegrityError as error:  # the same name saved at the same moment from another tab
        raise ValidationError(
            _("You already have a saved search named “%(name)s”. Choose another name.") % {"name": name},
            code="duplicate",
        ) from error


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch, by) -> None:
    """Delete one of the user's own saved searches (the view loads it through the owner, others get 404)."""
    if saved_search.user_id != by.pk:
        raise ValidationError(_("You can delete only your own saved searches."), code="not_owner")
    saved_search.delete()

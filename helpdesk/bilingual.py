"""Text kept in Croatian and English side by side (`name_hr`/`name_en`, `title_hr`/`title_en`, ...).

Lists (categories, modules) name every entry in both languages (BilingualName); written content may exist
in one language only, and the database enforces that whatever is written is complete in its language
(bilingual_constraints).
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("hr", "en")


def current_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


class BilingualName(models.Model):
    """An admin-editable list entry named in Croatian and English."""

    name_hr = models.CharField(_("name (Croatian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name_en"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "hr").startswith("en") else self.name_hr


class BilingualChoiceField(forms.ModelChoiceField):
    """A menu of BilingualName rows, each in the reader's language."""

    def label_from_instance(self, obj):
        return obj.name


def one_language_at_least(*fields: str) -> models.Q:
    """Each field is filled in Croatian, or each in English."""
    return models.Q(*[~models.Q(**{f"{field}_hr": ""}) for field in fields]) | models.Q(
        *[~models.Q(**{f"{field}_en": ""}) for field in fields]
    )


def both_or_neither(first: str, second: str, language: str) -> models.Q:
    """Within one language, the two fields are filled together or left out together."""
    a, b = f"{first}_{language}", f"{second}_{language}"
    return models.Q(**{a: "", b: ""}) | (~models.Q(**{a: ""}) & ~models.Q(**{b: ""}))


def bilingual_constraints(
    prefix: str, first: str, second: str, *, missing: str, incomplete_hr: str, incomplete_en: str
) -> list[models.CheckConstraint]:
    """The three rules of a two-part text (a question and its answer, a title and its text): written in one
    language at least, and complete in each language it is written in. The messages name the parts."""
    return [
        models.CheckConstraint(
            condition=one_language_at_least(first, second),
            name=f"{prefix}_has_language",
            violation_error_message=missing,
        ),
        models.CheckConstraint(
            condition=both_or_neither(first, second, "hr"),
            name=f"{prefix}_hr_complete",
            violation_error_message=incomplete_hr,
        ),
        models.CheckConstraint(
            condition=both_or_neither(first, second, "en"),
            name=f"{prefix}_en_complete",
            violation_error_message=incomplete_en,
        ),
    ]

"""How long what people write may be: the limits in one place, and the form check that says so.

A text without a limit lets one person break a page for everyone (a reply of 100,000 links could not even be
indexed for search). The limits are generous for real writing: a long reply with a pasted log excerpt is
a few thousand characters; whatever is longer belongs in an attached file. The database columns stay
`text`: the limits are rules of the forms and services, not of the schema.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

CASE_TEXT_MAX = 20_000  # a case description, a reply, an internal note
STATUS_NOTE_MAX = 2_000  # the note that goes with a status change
FAQ_ANSWER_MAX = 20_000  # per language
NEWS_TEXT_MAX = 20_000  # per language
SUMMARY_MAX = 2_000  # the summary of a document or a news post, per language
PAGE_MAX = 50_000  # a documentation page written in Markdown; a longer manual is uploaded as a file
CHANGE_REASON_MAX = 2_000  # why a licence was changed (LicenceChange.reason)
TIME_TEXT_MAX = 2_000  # what a consultant did (the customer reads it) and the internal note of a time entry

TOO_LONG = _(
    "This text has %(show_value)d characters; at most %(limit_value)d are allowed. Please shorten it."
)
TOO_LONG_CASE_TEXT = _(
    "This text has %(show_value)d characters; at most %(limit_value)d are allowed. Please shorten it, and "
    "attach long logs or listings as a file."
)


def limit_length(field: forms.CharField, limit: int, message=TOO_LONG) -> None:
    """Give a form's text field a maximum length: checked with a clear message (the typed text stays in the
    re-shown form), and told to the browser. For fields a ModelForm makes from a `TextField`."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)
    field.error_messages["max_length"] = message


def check_length(text: str, limit: int, message=TOO_LONG) -> None:
    """The same rule in a service, for callers that come without a form."""
    if len(text) > limit:
        raise ValidationError(
            message, code="max_length", params={"limit_value": limit, "show_value": len(text)}
        )

"""Messages of Django itself that its Croatian catalogue does not hold yet (new in Django 6.1). Listed here
so that makemessages puts them into our catalogue, which takes precedence (LOCALE_PATHS)."""

from django.utils.translation import gettext_noop

DJANGO_MESSAGES = [
    gettext_noop("- Select an option -"),  # the empty choice of every select
]

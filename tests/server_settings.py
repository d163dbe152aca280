"""Settings of a portal server a test starts (gunicorn: tests/test_outage.py, tests/test_loadtest.py): the
production settings of helpdesk/settings.py, except that static files are found where they are, as in tests,
rather than in the manifest `collectstatic` would have to write first, and that the MD5 hashes of the users
tests make check out."""

from helpdesk.settings import *  # noqa: F403
from helpdesk.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = True  # no scan of STATIC_ROOT, which need not exist

"""`manage.py demo_code`: the sign-in code of the demo's authenticator key (accounts.demo), for trying the
demo without an authenticator app. It knows only that published key, never a real user's."""

from django.core.management.base import BaseCommand

from accounts.demo import demo_totp_code


class Command(BaseCommand):
    help = "Print the current sign-in code of the demo users' authenticator key (valid about 30 seconds)."

    def handle(self, *args, **options):
        self.stdout.write(demo_totp_code())

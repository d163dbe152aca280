"""manage.py create_monitoring_token <installation id> [--name ...]: a token for an installation's agent,
printed once on the last line (for scripts: `TOKEN=$(manage.py create_monitoring_token 3 | tail -1)`)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from monitoring import services
from monitoring.models import Installation


class Command(BaseCommand):
    help = "Create a token for an installation's monitoring agent and print it (it is shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("installation", type=int, help="The installation's id.")
        parser.add_argument(
            "--name", default="Agent", help="What the token is for, such as the agent's server."
        )

    def handle(self, *args, installation, name, **options):
        try:
            target = Installation.objects.select_related("organization").get(pk=installation)
        except Installation.DoesNotExist:
            raise CommandError(f"There is no installation {installation}.") from None
        try:
            token, raw = services.token_create(installation=target, name=name, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(
            f"Token {token.name!r} for {target.organization} / {target}: copy it now, it is not shown again."
        )
        self.stdout.write(raw)

"""runserver with --demo (`make run`): once the server listens, the demo logins and the portal's address
follow Django's banner, so they are the last lines on the screen."""

from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserverCommand

from helpdesk import demo


class Command(StaticfilesRunserverCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--demo", action="store_true", help="Print the demo logins after the banner (make run)."
        )

    def handle(self, *args, **options):
        self.demo = options["demo"]
        super().handle(*args, **options)

    def on_bind(self, server_port):
        super().on_bind(server_port)
        if self.demo:
            host = f"[{self.addr}]" if self.use_ipv6 else self.addr
            lines = demo.demo_welcome(f"{self.protocol}://{host}:{server_port}/")
            self.stdout.write("\n" + "\n".join(lines))

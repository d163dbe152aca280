"""`manage.py monitoring_agent --url ... --token ...`: the monitoring agent (monitoring/agent.py, which also
runs without Django as `python monitoring/agent.py`)."""

from django.core.management.base import BaseCommand, CommandError

from monitoring import agent


class Command(BaseCommand):
    help = "Measure this machine (disks, PostgreSQL, backups, URLs) and send the results to the portal."

    def add_arguments(self, parser):
        agent.add_arguments(parser)

    def handle(self, *args, **options):
        code = agent.run(
            options,
            out=lambda text: self.stdout.write(text),
            err=lambda text: self.stderr.write(text),
        )
        if code:
            raise CommandError("The results were not accepted (above).", returncode=code)

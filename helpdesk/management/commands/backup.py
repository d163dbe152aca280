"""`manage.py backup`: the database (pg_dump, custom format) and the uploaded files on the local disk, in a
new folder (helpdesk/backup.py; README, "Backups and restore")."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from helpdesk.backup import BackupError, backup_create, local_media_root


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder under --output."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=settings.BACKUP_DIR, help="Where the backup folder goes."
        )

    def handle(self, *args, **options):
        try:
            folder = backup_create(options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(folder))
        if local_media_root() is None:
            self.stderr.write("The files are in the S3 bucket, not in this backup: sync the bucket (README).")

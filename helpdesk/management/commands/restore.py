"""`manage.py restore FOLDER --database NAME`: a backup of `manage.py backup` into a new database on the
portal's PostgreSQL server and its files into a new folder (helpdesk/backup.py). It never overwrites: a
database with tables or a folder with files is refused. Point DATABASE_URL and MEDIA_ROOT at them after."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from helpdesk.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup folder into a new database (and its files into a new folder)."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A folder written by `manage.py backup`.")
        parser.add_argument("--database", required=True, help="The database to restore into (new or empty).")
        parser.add_argument("--media-root", type=Path, help="Where the files go (new or empty folder).")

    def handle(self, *args, **options):
        try:
            backup_restore(options["folder"], database=options["database"], media_root=options["media_root"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {options['folder']} into database {options['database']}")

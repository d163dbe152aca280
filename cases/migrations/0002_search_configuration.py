from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Accent-insensitive full text: `simple` (no stemming, works for Croatian and English) after unaccent."""

    dependencies = [("cases", "0001_initial")]

    operations = [
        UnaccentExtension(),
        migrations.RunSQL(
            sql=[
                "CREATE TEXT SEARCH CONFIGURATION helpdesk_unaccent (COPY = simple)",
                "ALTER TEXT SEARCH CONFIGURATION helpdesk_unaccent "
                "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
            ],
            reverse_sql=["DROP TEXT SEARCH CONFIGURATION helpdesk_unaccent"],
        ),
    ]

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    """A covering index for the analysis page (cases.analysis), built without locking out writes."""

    atomic = False

    dependencies = [("cases", "0004_staged_upload")]

    operations = [
        AddIndexConcurrently(
            model_name="case",
            index=models.Index(
                fields=["created_at"],
                include=["organization", "category", "status", "module", "first_response_at", "resolved_at"],
                name="case_analysis_idx",
            ),
        ),
    ]

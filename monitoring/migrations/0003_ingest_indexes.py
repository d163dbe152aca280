"""Ingestion writes fewer indexes: Result's and HourlyRollup's own check_item index repeated the first column
of their unique (check_item, time) index. The staleness sweep gets a partial index of the checks not yet stale
in place of the index of every check's stale_after.

Only the indexes are dropped (by their Django names): an AlterField would also drop and re-add the foreign
keys, validating every stored result again under a lock."""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = {
    "monitoring_result_check_item_id_b60d2ab8": ("monitoring_result", "check_item_id"),
    "monitoring_hourlyrollup_check_item_id_1454876c": ("monitoring_hourlyrollup", "check_item_id"),
    "monitoring_latestresult_stale_after_494f4f21": ("monitoring_latestresult", "stale_after"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_monitoring_permissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="hourlyrollup",
                    name="check_item",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rollups",
                        to="monitoring.check",
                    ),
                ),
                migrations.AlterField(
                    model_name="latestresult",
                    name="stale_after",
                    field=models.DateTimeField(),
                ),
                migrations.AlterField(
                    model_name="result",
                    name="check_item",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="results",
                        to="monitoring.check",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
                )
                for name, (table, column) in DROPPED.items()
            ],
        ),
        migrations.AddIndex(
            model_name="latestresult",
            index=models.Index(
                condition=models.Q(("is_stale", False)), fields=["stale_after"], name="latest_due_idx"
            ),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    """No code ever wrote an "attachment" event: files come with the reply or note that carries them."""

    dependencies = [("cases", "0009_delete_stagedupload")]

    operations = [
        migrations.AlterField(
            model_name='caseevent',
            name='kind',
            field=models.CharField(choices=[('created', 'Case logged'), ('reply', 'Reply'), ('note', 'Internal note'), ('status', 'Status change'), ('assignment', 'Assignment'), ('join', 'Joined')], max_length=12),
        ),
    ]

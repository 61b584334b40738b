import datetime

from django.db import migrations, models


def expire_after_90_days(apps, schema_editor):
    """Tokens made before expiry existed get the default lifetime from their creation."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + datetime.timedelta(days=90)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_invitation"),
    ]

    operations = [
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(expire_after_90_days, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
    ]

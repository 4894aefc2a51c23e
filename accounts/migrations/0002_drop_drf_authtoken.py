"""DRF's authtoken app is gone (API tokens are accounts.ApiToken, stored hashed). Its table held
every user's token in plain text: drop it where an older installation still has it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]

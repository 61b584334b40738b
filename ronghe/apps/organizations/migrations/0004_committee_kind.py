from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0003_verbose_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='organization',
            name='kind',
            field=models.CharField(choices=[('enterprise', 'Enterprise'), ('consultancy', 'Consultancy'), ('assessment_body', 'Assessment body'), ('authority', 'Authority'), ('committee', 'Assessment committee')], max_length=20, verbose_name='Kind'),
        ),
    ]

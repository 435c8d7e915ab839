"""Assignments carry their application's contest, for the expert's queue to be read from one
index: added empty, filled from the applications, then required."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_contest(apps, schema_editor):
    Assignment = apps.get_model("contest", "Assignment")
    Nomination = apps.get_model("contest", "Nomination")
    for nomination_id, contest_id in Nomination.objects.values_list("pk", "contest_id"):
        Assignment.objects.filter(application__nomination_id=nomination_id).update(
            contest_id=contest_id)


class Migration(migrations.Migration):

    dependencies = [
        ('contest', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='assignment',
            name='contest_ass_expert__612065_idx',
        ),
        migrations.AddField(
            model_name='assignment',
            name='contest',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contest.contest'),
        ),
        migrations.AddField(
            model_name='historicalassignment',
            name='contest',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='contest.contest'),
        ),
        migrations.RunPython(fill_contest, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='assignment',
            name='contest',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contest.contest'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['expert', 'contest', 'completed_at', 'id'], name='assignment_queue_idx'),
        ),
    ]

"""«Вёрстка для компьютера» (site:desktop_layout) joins the site block of every methodology
still open to change, right after «Вёрстка для смартфона», as the default has it. An
approved (frozen) methodology keeps the criteria its results were computed with."""

from django.db import migrations
from django.db.models import F

TITLE = "Вёрстка для компьютера"
ADVICE = ("Сделайте вёрстку для компьютера: без прокрутки вбок при ширине экрана 1366 px, "
          "текст не в узкой колонке, как на телефоне.")


def add(apps, schema_editor):
    Criterion = apps.get_model("evaluation", "Criterion")
    mobiles = Criterion.objects.filter(rule="site:mobile_layout",
                                       block__methodology__frozen=False)
    for mobile in mobiles.order_by("pk"):
        siblings = Criterion.objects.filter(block_id=mobile.block_id)
        if siblings.filter(rule="site:desktop_layout").exists() or \
                siblings.filter(code="desktop-layout").exists():
            continue
        siblings.filter(order__gt=mobile.order).update(order=F("order") + 1)
        Criterion.objects.create(block_id=mobile.block_id, code="desktop-layout", title=TITLE,
                                 points=1, source="auto", rule="site:desktop_layout",
                                 threshold=None, recommendation=ADVICE, order=mobile.order + 1)


def remove(apps, schema_editor):
    Criterion = apps.get_model("evaluation", "Criterion")
    Criterion.objects.filter(code="desktop-layout", rule="site:desktop_layout",
                             block__methodology__frozen=False).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0002_score_table"),
    ]

    operations = [
        migrations.RunPython(add, remove),
    ]

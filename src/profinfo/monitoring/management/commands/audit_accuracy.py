from django.core.management.base import BaseCommand

from profinfo.monitoring.accuracy import EXTRAS, corpus_sites, measure_all
from profinfo.monitoring.criteria import CRITERIA


class Command(BaseCommand):
    help = "Точность проверки сайтов на размеченном наборе: precision и recall по критериям."

    def handle(self, *args, **options):
        scores, extras = measure_all()
        self.stdout.write(f"Сайтов в наборе: {len(corpus_sites())}")
        self.stdout.write(f"{'критерий':<22} {'precision':>9} {'recall':>7}  TP FP FN TN")
        for code, score in scores.items():
            self.stdout.write(f"{code:<22} {score.precision:>9.2f} {score.recall:>7.2f}  "
                              f"{score.tp:>2} {score.fp:>2} {score.fn:>2} {score.tn:>2}"
                              f"  {CRITERIA[code]}")
            for miss in score.misses:
                self.stdout.write(f"    {miss}")
        self.stdout.write("Также измерено (совпадений с разметкой):")
        for key, agreement in extras.items():
            self.stdout.write(f"  {EXTRAS[key][0]:<32} {agreement.right}/{agreement.total}")
            for miss in agreement.misses:
                self.stdout.write(f"    {miss}")

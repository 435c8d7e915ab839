from profinfo.cli import ProfinfoCommand
from profinfo.monitoring.accuracy import EXTRAS, PARTS, corpus_sites, measure_all
from profinfo.monitoring.criteria import CRITERIA


class Command(ProfinfoCommand):
    help = ("Точность проверки сайтов на размеченном наборе: precision и recall по критериям, "
            "отдельно на отложенной части набора, на которой правила не настраивались.")

    def add_arguments(self, parser):
        parser.add_argument("--part", choices=[*PARTS, "all"], default="heldout",
                            help="часть набора: heldout — отложенная (по умолчанию), "
                                 "tune — на которой настраивались правила, all — весь набор")

    def handle(self, *args, part, **options):
        chosen = None if part == "all" else part
        scores, extras = measure_all(part=chosen)
        self.stdout.write(f"Часть набора: {PARTS.get(part, 'весь набор')}; сайтов: "
                          f"{len(corpus_sites(part=chosen))} из {len(corpus_sites())}")
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

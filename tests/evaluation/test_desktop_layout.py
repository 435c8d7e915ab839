"""«Вёрстка для компьютера» in the methodology: the default has it after «для смартфона»,
the data migration gives it to methodologies still open to change and not to approved ones,
and an audit without a browser leaves it unknown, never «не выполнен»."""

import datetime as dt
import importlib

from django.apps import apps

from profinfo.evaluation.defaults import methodology_of_year
from profinfo.evaluation.models import Criterion
from profinfo.evaluation.rules import RULES, Facts
from profinfo.monitoring.models import Metric, Observation
from profinfo.monitoring.services import latest_values_refresh
from profinfo.organizations.models import Organization
from profinfo.registry.models import Resource

migration = importlib.import_module("profinfo.evaluation.migrations.0003_desktop_layout_criterion")


def site_codes(methodology) -> list[str]:
    return list(Criterion.objects.filter(block__methodology=methodology, block__code="sites")
                .order_by("order").values_list("code", flat=True))


def test_the_default_methodology_has_the_computer_layout_after_the_phone_layout(db):
    codes = site_codes(methodology_of_year(2031))
    assert codes.index("desktop-layout") == codes.index("mobile-layout") + 1
    criterion = Criterion.objects.get(block__methodology__year=2031, code="desktop-layout")
    assert (criterion.title, criterion.rule, criterion.points) == (
        "Вёрстка для компьютера", "site:desktop_layout", 1)
    assert "site:desktop_layout" in RULES


def test_the_migration_adds_it_where_the_methodology_may_change(db):
    open_year, approved = methodology_of_year(2029), methodology_of_year(2030)
    Criterion.objects.filter(code="desktop-layout").delete()  # as they were before it
    approved.frozen = True
    approved.save()
    before = site_codes(open_year)
    migration.add(apps, None)
    migration.add(apps, None)  # twice changes nothing
    after = site_codes(open_year)
    mobile = before.index("mobile-layout")
    assert after == [*before[:mobile + 1], "desktop-layout", *before[mobile + 1:]]
    orders = list(Criterion.objects.filter(block__methodology=open_year, block__code="sites")
                  .order_by("order").values_list("order", flat=True))
    assert orders == sorted(set(orders))  # no two criteria in one place
    assert "desktop-layout" not in site_codes(approved)
    migration.remove(apps, None)
    assert site_codes(open_year) == before


def test_an_audit_without_a_browser_leaves_the_computer_layout_unknown(db):
    organization = Organization.add_root(name="Профсоюз", short_name="Профсоюз", level="ck",
                                         kind="union")
    site = Resource.objects.create(organization=organization, kind="site",
                                   url="https://perm.example.org/", url_key="perm.example.org",
                                   title="Сайт")
    audit = Observation.objects.create(resource=site, metric=Metric.SITE_AUDIT, value=1,
                               period_end=dt.date(2031, 3, 1), source="automatic", details={
                                   "criteria": {"mobile_layout": {"present": True},
                                                "desktop_layout": {"present": None}}})
    latest_values_refresh([audit])
    facts = Facts.collect([organization], dt.date(2031, 1, 1), dt.date(2031, 12, 31))
    desktop = RULES["site:desktop_layout"].decide(facts, None).by_org[organization.pk]
    mobile = RULES["site:mobile_layout"].decide(facts, None).by_org[organization.pk]
    assert desktop[0] is None and mobile[0] is True
    assert "не проверено" in RULES["site:desktop_layout"].outcome(desktop).evidence

"""The default methodology: every criterion of the union's presentation (shared/seed)."""

from __future__ import annotations

from django.db import transaction

from profinfo.monitoring.criteria import CRITERIA

from .models import Block, Criterion, CriterionSource, Methodology

AUTO, JURY = CriterionSource.AUTO, CriterionSource.JURY

SITE_ADVICE = {
    "collegial_bodies": "Опубликуйте состав выборных органов (президиума, комитета) с именами.",
    "body_decisions": "Публикуйте постановления и решения выборных органов.",
    "member_organizations": "Добавьте страницу со списком структурных (первичных) организаций.",
    "activist_materials": "Заведите раздел «В помощь профактиву» с методическими материалами.",
    "fnpr_link": "Поставьте ссылку или баннер на сайт ФНПР (fnpr.ru).",
    "solidarnost_widget": "Установите новостной виджет газеты «Солидарность».",
    "share_button": "Добавьте кнопку «Поделиться в социальных сетях» (например, Яндекс).",
    "own_social_links": "Поставьте ссылки на свои страницы ВКонтакте, в Одноклассниках, "
                        "Telegram.",
    "fnpr_news": "Выводите ленту новостей ФНПР.",
    "ask_question": "Сделайте кнопку или форму «Задать вопрос» для членов профсоюза.",
    "mobile_layout": "Сделайте вёрстку для смартфона (meta viewport width=device-width).",
    "desktop_layout": "Сделайте вёрстку для компьютера: без прокрутки вбок при ширине экрана "
                      "1366 px, текст не в узкой колонке, как на телефоне.",
}

# (block code, title, [(code, title, points, source, rule, threshold, recommendation)])
DEFAULT = [
    ("sites", "Профсоюзные сайты", [
        *[(code, label, 1, AUTO, f"site:{code}", None, SITE_ADVICE[code])
          for code, label in CRITERIA.items()],
        ("site_publications", "Регулярные публикации на сайте (не меньше 12 за период)", 1,
         AUTO, "site_publications", 12,
         "Публикуйте новости регулярно: хотя бы раз в месяц."),
    ]),
    ("social", "Социальные сети", [
        ("social_pages", "Количество используемых страниц", 1, AUTO, "social_pages", 1,
         "Заведите официальную страницу организации ВКонтакте или в Telegram."),
        ("subscribers", "Подписчиков на одного члена профсоюза (не меньше 0,1)", 1,
         AUTO, "subscribers_per_member", 0.1,
         "Расскажите членам профсоюза о странице: подписчиков меньше каждого десятого."),
        ("posting", "Частота публикаций (не меньше 2 в неделю)", 1, AUTO,
         "posts_per_week", 2, "Публикуйте не реже двух раз в неделю."),
        ("design", "Оформление", 2, JURY, "", None,
         "Оформите страницу: обложка, аватар, описание, закреплённая запись."),
        ("evergreen", "Наличие «вечнозелёного контента»", 1, JURY, "", None,
         "Публикуйте материалы, полезные всегда: права, льготы, как вступить в профсоюз."),
        ("engagement", "Вовлечённость пользователей (не меньше 1 %)", 1, AUTO,
         "engagement", 0.01, "Задавайте вопросы, проводите опросы и конкурсы, отвечайте на "
                             "комментарии: реакций на 10 последних публикаций мало."),
        ("youth_council", "Группы молодёжных советов", 1, AUTO, "youth_council_pages",
         None, "Создайте страницу молодёжного совета."),
        ("leaders", "Личные страницы руководителей, председателей молодёжных советов", 1,
         AUTO, "leader_pages", None,
         "Внесите в реестр личные страницы руководителей в соцсетях."),
    ]),
    ("print", "Печатные издания", [
        ("editions", "Печатные издания", 2, AUTO, "print_editions", None,
         "Выпускайте информационный бюллетень или рубрику в газете предприятия."),
        ("periodicity", "Соблюдение периодичности (не меньше 90 % номеров)", 1, AUTO,
         "print_periodicity", 0.9,
         "Регистрируйте вышедшие номера и выпускайте их с заявленной периодичностью."),
    ]),
    ("agitation", "Агитационные листовки и плакаты", [
        ("leaflets", "Агитационные листовки и плакаты за период", 1, AUTO, "agitation",
         None, "Выпускайте листовки и плакаты к акциям и кампаниям профсоюза."),
    ]),
    ("digital", "Цифровые технологии", [
        ("channels", "Электронные каналы коммуникации и сервисы (горячие линии, правовая "
                     "консультация, рассылки, чаты)", 1, AUTO, "digital:channels", None,
         "Откройте горячую линию, правовую консультацию, рассылку или чат."),
        ("membership", "Электронный персонифицированный учёт членов профсоюза", 1,
         AUTO, "digital:membership", None,
         "Переходите на электронный учёт членов профсоюза."),
        ("videoconference", "Видеоконференцсвязь в работе выборных органов", 1, AUTO,
         "digital:videoconference", None, "Проводите заседания с видеоконференцсвязью."),
        ("distance_learning", "Дистанционное обучение профактива", 1, AUTO,
         "digital:distance_learning", None, "Организуйте дистанционное обучение профактива."),
        ("paperless", "Безбумажные технологии, CRM-системы", 1, AUTO,
         "digital:paperless", None, "Внедряйте безбумажный документооборот и CRM."),
    ]),
]


@transaction.atomic
def methodology_for(year: int) -> Methodology:
    """The methodology in force for a year, as reading needs it: the year's own, else the
    latest earlier one (else the earliest). Nothing is written, but the union's default the
    very first time any methodology is needed."""
    return (Methodology.objects.filter(year__lte=year).order_by("-year").first()
            or Methodology.objects.order_by("year").first()
            or methodology_of_year(year))


@transaction.atomic
def methodology_of_year(year: int) -> Methodology:
    """The year's own methodology, to be edited: as stored, else a copy of the latest
    earlier one, else the default. Copies keep past years untouched when a year is edited."""
    existing = Methodology.objects.filter(year=year).first()
    if existing:
        return existing
    earlier = Methodology.objects.filter(year__lt=year).order_by("-year").first()
    methodology = Methodology.objects.create(
        year=year, title=earlier.title if earlier else "Смотр-конкурс на лучшую организацию "
                                                       "информационной деятельности")
    if earlier:
        for block in earlier.blocks.prefetch_related("criteria"):
            criteria = list(block.criteria.all())
            block.pk, block.methodology = None, methodology
            block.save()
            for criterion in criteria:
                criterion.pk, criterion.block = None, block
                criterion.save()
        return methodology
    for order, (code, title, criteria) in enumerate(DEFAULT):
        block = Block.objects.create(methodology=methodology, code=code, title=title,
                                     order=order)
        for position, (c_code, c_title, points, source, rule, threshold, advice) in \
                enumerate(criteria):
            Criterion.objects.create(block=block, code=c_code.replace("_", "-"),
                                     title=c_title, points=points, source=source, rule=rule,
                                     threshold=threshold, recommendation=advice,
                                     order=position)
    return methodology

"""The union's site criteria (product.md, «Sites — criteria»): codes and names.

The public list every app reads (evaluation scores them, reports show them); how each is
decided from a site's pages lives in collectors/site_criteria.py.
"""

CRITERIA = {
    "collegial_bodies": "Состав коллегиальных органов",
    "body_decisions": "Решения выборных органов",
    "member_organizations": "Данные о структурных организациях",
    "activist_materials": "Методические материалы для профактива",
    "fnpr_link": "Ссылка или баннер на сайт ФНПР",
    "solidarnost_widget": "Новостной виджет газеты «Солидарность»",
    "share_button": "Кнопка «Поделиться в социальных сетях»",
    "own_social_links": "Ссылки на свои соцсети",
    "fnpr_news": "Новости ФНПР",
    "ask_question": "Кнопка «Задать вопрос»",
    "mobile_layout": "Вёрстка для смартфона",
    "desktop_layout": "Вёрстка для компьютера",  # measured in a browser only (rendering.py)
}

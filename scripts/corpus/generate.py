"""Generate a labelled corpus of 132 synthetic websites of Russian trade-union organizations.

Run from the repository root:  .venv/bin/python scripts/corpus/generate.py

Every site is drawn with random.Random(<site number>) from lists of synonyms and layouts per
criterion and written to src/profinfo/monitoring/corpus/gen_<NN>_<cms>/ with its labels.json.
The labels are computed from what the generator chose to put on the site, following the
product's definitions of the 11 criteria; the auditor's code was not read to write this.
Standard library only; the output is byte-for-byte the same on every run.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "src" / "profinfo" / "monitoring" / "corpus"
SITES = 132
TUNE_LAST = 12  # sites 01..12 are for tuning from the start
ROUND2_LAST = 36  # 13..36 were held out, measured once, then used for tuning (round 2)
ROUND3_LAST = 60  # 37..60 were held out, measured once, then used for tuning (round 3)
ROUND4_LAST = 84  # 61..84 were held out, measured once, then used for tuning (round 4)
ROUND5_LAST = 108  # 85..108 were held out, measured once, then used for tuning (round 5)
# the six pools of sites, each with its own quotas: 01-12, 13-36, 37-60, 61-84, 85-108,
# 109-132 (held out now)
POOLS = [(1, TUNE_LAST), (TUNE_LAST + 1, ROUND2_LAST), (ROUND2_LAST + 1, ROUND3_LAST),
         (ROUND3_LAST + 1, ROUND4_LAST), (ROUND4_LAST + 1, ROUND5_LAST),
         (ROUND5_LAST + 1, SITES)]
PAGE_LIMIT = 10
PAGE_BYTES = 60_000

CRITERIA = [
    "collegial_bodies", "body_decisions", "member_organizations", "activist_materials",
    "fnpr_link", "solidarnost_widget", "share_button", "own_social_links", "fnpr_news",
    "ask_question", "mobile_layout",
]

# how many sites of each pool get the criterion: (01-12 of 12, 13-36 of 24, 37-60 of 24,
# 61-84 of 24, 85-108 of 24, 109-132 of 24); a
# few are forced on top of it (an FNPR news block is itself a link to fnpr.ru, and so on)
TARGET_TRUE = {
    "collegial_bodies": (7, 14, 13, 13, 14, 13),
    "body_decisions": (6, 13, 12, 12, 13, 12),
    "member_organizations": (7, 14, 12, 13, 12, 12),
    "activist_materials": (6, 13, 11, 12, 14, 13),
    "fnpr_link": (6, 13, 12, 11, 12, 12),
    "solidarnost_widget": (5, 11, 12, 12, 13, 12),
    "share_button": (6, 12, 13, 13, 14, 13),
    "own_social_links": (7, 15, 13, 14, 15, 14),
    "fnpr_news": (5, 11, 10, 11, 10, 10),
    "ask_question": (7, 14, 13, 13, 14, 13),
    "mobile_layout": (8, 15, 15, 13, 12, 12),
}

# what a site without the criterion may show instead: every one of these is a trap
TRAPS = {
    "collegial_bodies": ["decisions_only", "prose_only", "empty_page"],
    "body_decisions": ["material_help", "court_decision", "docs_without_decisions"],
    "member_organizations": ["single_mention", "prose_count", "empty_page"],
    "activist_materials": ["menu_hash", "in_development", "seminar_news"],
    "fnpr_link": ["fnprr", "profnpr", "fnpr_lookalike_host", "source_text"],
    "solidarnost_widget": ["plain_link", "commented_script"],
    "share_button": ["none", "share_text_only"],
    "own_social_links": ["icon_hash", "bare_domain", "share_only"],
    "fnpr_news": ["local_reprints", "single_link", "lookalike_links"],
    "ask_question": ["faq_hash", "contacts_only", "empty_page"],
    "mobile_layout": ["none", "commented", "no_width"],
}
# near misses added for the sites 37-60 only (sites 01-36 never draw them)
NEW_TRAPS = {
    "collegial_bodies": ["chair_only", "scheme_image"],
    "body_decisions": ["work_plan", "government_decree", "meeting_announcement"],
    "member_organizations": ["stats_numbers", "how_to_create", "partners_list"],
    "activist_materials": ["study_plan", "login_required"],
    "fnpr_link": ["logo_no_link", "branch_union", "local_fnpr_pdf"],
    "solidarnost_widget": ["subscription_text", "banner_link", "empty_container"],
    "share_button": ["copy_link", "print_email"],
    "own_social_links": ["others_groups", "text_no_link"],
    "fnpr_news": ["regional_news", "empty_block"],
    "ask_question": ["search_form", "reception_schedule"],
    "mobile_layout": ["fixed_width", "handheld_only", "mobile_version_link"],
}
# near misses added for the sites 61-84 only (sites 01-60 never draw them)
NEW_TRAPS3 = {
    "collegial_bodies": ["elections_news"],
    "body_decisions": ["higher_body_decisions", "meetings_stats"],
    "member_organizations": ["parent_structure", "councils_list"],
    "activist_materials": ["survey_form"],
    "fnpr_link": ["fnpr_social"],
    "solidarnost_widget": ["other_paper"],
    "share_button": ["add_favorite"],
    "own_social_links": ["developer_link"],
    "fnpr_news": ["menu_link"],
    "ask_question": ["subscribe_form", "hotline_phone"],
    "mobile_layout": ["typo_width", "wrong_name", "media_queries_only"],
}
# near misses added for the sites 85-108 only (sites 01-84 never draw them)
NEW_TRAPS4 = {
    "collegial_bodies": ["body_regulation"],
    "body_decisions": ["empty_years"],
    "member_organizations": ["contest_winners", "map_image"],
    "activist_materials": ["methodics_contest"],
    "fnpr_link": ["url_as_text"],
    "solidarnost_widget": ["reprint_source"],
    "share_button": ["rss_link"],
    "own_social_links": ["chair_personal"],
    "fnpr_news": ["media_about_fnpr"],
    "ask_question": ["poll_form"],
    "mobile_layout": ["http_equiv"],
}
# near misses added for the sites 109-132 only (sites 01-108 never draw them)
NEW_TRAPS5 = {
    "collegial_bodies": ["conference_announcement"],
    "body_decisions": ["template_forms"],
    "member_organizations": ["join_page"],
    "activist_materials": ["paid_courses"],
    "fnpr_link": [],
    "solidarnost_widget": ["paper_vk_group"],
    "share_button": ["views_rating"],
    "own_social_links": ["contact_icons"],
    "fnpr_news": ["fnpr_telegram"],
    "ask_question": ["login_to_ask"],
    "mobile_layout": ["ms_viewport"],
}
NO_CLEAN_ABSENCE = {"share_button", "mobile_layout"}  # their plain absence is a trap itself
# an FNPR news trap that still links to fnpr.ru, so the site has the FNPR link
NEWS_TRAPS_WITH_FNPR_LINK = ("single_link", "menu_link")


def pool_traps(pool: int, code: str) -> list[str]:
    return (TRAPS[code] + (NEW_TRAPS[code] if pool >= 2 else [])
            + (NEW_TRAPS3[code] if pool >= 3 else []) + (NEW_TRAPS4[code] if pool >= 4 else [])
            + (NEW_TRAPS5[code] if pool == 5 else []))

CMS_ORDER = ["wordpress", "joomla", "bitrix", "ucoz", "tilda", "drupal", "table", "nextjs"]
CMS_LABEL = {
    "wordpress": "WordPress", "joomla": "Joomla", "bitrix": "1С-Битрикс", "ucoz": "uCoz",
    "tilda": "Tilda", "drupal": "Drupal", "table": "", "nextjs": "",
}

# ------------------------------------------------------------------------------ word lists

REGIONS = [  # feminine adjective, genitive, city, latin slug
    ("Курская", "Курской", "Курск", "kursk"),
    ("Вологодская", "Вологодской", "Вологда", "vologda"),
    ("Тульская", "Тульской", "Тула", "tula"),
    ("Пензенская", "Пензенской", "Пенза", "penza"),
    ("Омская", "Омской", "Омск", "omsk"),
    ("Кировская", "Кировской", "Киров", "kirov"),
    ("Ярославская", "Ярославской", "Ярославль", "yar"),
    ("Тверская", "Тверской", "Тверь", "tver"),
    ("Смоленская", "Смоленской", "Смоленск", "smolensk"),
    ("Архангельская", "Архангельской", "Архангельск", "arh"),
    ("Оренбургская", "Оренбургской", "Оренбург", "orenburg"),
    ("Челябинская", "Челябинской", "Челябинск", "chel"),
    ("Белгородская", "Белгородской", "Белгород", "belgorod"),
    ("Липецкая", "Липецкой", "Липецк", "lipetsk"),
    ("Самарская", "Самарской", "Самара", "samara"),
    ("Костромская", "Костромской", "Кострома", "kostroma"),
    ("Ивановская", "Ивановской", "Иваново", "ivanovo"),
    ("Калужская", "Калужской", "Калуга", "kaluga"),
]
RAYONS = ["Советская", "Заводская", "Ленинская", "Железнодорожная", "Октябрьская",
          "Промышленная", "Северная", "Центральная", "Кировская", "Московская"]
DISTRICTS = ["Советский", "Заводской", "Ленинский", "Октябрьский", "Центральный",
             "Промышленный", "Кировский", "Железнодорожный"]
STREETS = ["Ленина", "Советская", "Мира", "Пушкина", "Гагарина", "Кирова", "Горького",
           "Московская", "Комсомольская", "Красная"]

BRANCHES = {
    "edu": {
        "gen": "Общероссийского Профсоюза образования",
        "short": "Общероссийский Профсоюз образования",
        "slug": "edu",
        "inst": ["МБОУ «Средняя общеобразовательная школа № {n}»", "МБОУ «СОШ № {n}»",
                 "МБОУ «Лицей № {n}»", "МБОУ «Гимназия № {n}»", "МБДОУ «Детский сад № {n}»",
                 "МБДОУ «Детский сад комбинированного вида № {n}»",
                 "МБУ ДО «Центр детского творчества»", "ГАПОУ «Педагогический колледж»",
                 "МБОУ «Основная общеобразовательная школа № {n}»",
                 "МКОУ «Сельская школа № {n}»"],
        "jobs": ["учитель начальных классов", "учитель математики", "воспитатель",
                 "педагог-психолог", "учитель физической культуры", "учитель истории"],
    },
    "health": {
        "gen": "Профессионального союза работников здравоохранения Российской Федерации",
        "short": "Профсоюз работников здравоохранения РФ",
        "slug": "zdrav",
        "inst": ["ГБУЗ «Городская больница № {n}»", "ГБУЗ «Областная клиническая больница»",
                 "ГБУЗ «Станция скорой медицинской помощи»",
                 "ГАУЗ «Городская поликлиника № {n}»", "ГБУЗ «Областной перинатальный центр»",
                 "ГБУЗ «Детская стоматологическая поликлиника № {n}»",
                 "ГБУЗ «Центральная районная больница»", "ГБПОУ «Медицинский колледж»",
                 "ГБУЗ «Областной онкологический диспансер»",
                 "ГБУЗ «Противотуберкулёзный диспансер»"],
        "jobs": ["медицинская сестра палатная", "врач-терапевт", "фельдшер",
                 "старшая медицинская сестра", "врач-хирург", "медицинский лаборант"],
    },
    "metal": {
        "gen": "Горно-металлургического профсоюза России",
        "short": "Горно-металлургический профсоюз России",
        "slug": "gmpr",
        "inst": ["ПАО «Металлургический завод»", "АО «Трубный завод»",
                 "ООО «Ремонтно-механический завод»", "АО «Завод металлоконструкций»",
                 "ООО «Энергоремонт»", "АО «Коксохимическое производство»",
                 "ООО «Литейный завод № {n}»", "ООО «Горнорудная компания»", "АО «Огнеупоры»",
                 "ООО «Транспортное управление»"],
        "jobs": ["мастер участка", "электромонтёр", "инженер-технолог", "машинист крана",
                 "слесарь-ремонтник", "сталевар"],
    },
    "culture": {
        "gen": "Российского профсоюза работников культуры",
        "short": "Российский профсоюз работников культуры",
        "slug": "kultura",
        "inst": ["ГБУК «Областная научная библиотека»",
                 "МБУК «Централизованная библиотечная система»", "ГАУК «Драматический театр»",
                 "МБУ ДО «Детская школа искусств № {n}»", "ГБУК «Краеведческий музей»",
                 "МБУК «Дом культуры «Юность»»", "ГАУК «Филармония»",
                 "ГБПОУ «Колледж культуры и искусств»", "МБУК «Парк культуры и отдыха»",
                 "ГБУК «Театр кукол»"],
        "jobs": ["библиотекарь", "артист хора", "научный сотрудник", "методист",
                 "звукорежиссёр", "хранитель фондов"],
    },
    "zhkh": {
        "gen": "Общероссийского профсоюза работников жизнеобеспечения",
        "short": "Общероссийский профсоюз работников жизнеобеспечения",
        "slug": "zhizn",
        "inst": ["МУП «Водоканал»", "АО «Теплоэнерго»", "ООО «Управляющая компания № {n}»",
                 "МУП «Горэлектросеть»", "МУП «Спецавтохозяйство»",
                 "ООО «Городские тепловые сети»", "АО «Газораспределение»",
                 "МУП «Городское зелёное хозяйство»",
                 "МУП «Трамвайно-троллейбусное управление»", "ООО «Жилсервис № {n}»"],
        "jobs": ["оператор котельной", "слесарь аварийно-восстановительных работ",
                 "диспетчер", "инженер ПТО", "водитель", "мастер участка"],
    },
    "agro": {
        "gen": "Профсоюза работников агропромышленного комплекса Российской Федерации",
        "short": "Профсоюз работников АПК РФ",
        "slug": "apk",
        "inst": ["АО «Агрофирма «Заря»»", "СПК «Колхоз «Рассвет»»", "ООО «Элеватор»",
                 "ФГБУ «Россельхозцентр»", "АО «Птицефабрика «Северная»»",
                 "ООО «Молочный комбинат»", "ФГБОУ ВО «Аграрный университет»",
                 "ООО «Агрохолдинг «Нива»»", "АО «Племзавод «Октябрь»»",
                 "ГБУ «Станция по борьбе с болезнями животных»"],
        "jobs": ["агроном", "механизатор", "ветеринарный врач", "зоотехник",
                 "оператор машинного доения", "бухгалтер"],
    },
    "energy": {
        "gen": "Всероссийского Электропрофсоюза",
        "short": "Всероссийский Электропрофсоюз",
        "slug": "vep",
        "inst": ["филиала ПАО «Россети Центр»", "АО «Теплосеть»", "ООО «Энергосбыт»",
                 "АО «Городская электросеть»", "ООО «Энергоремонт»",
                 "филиала АО «Системный оператор»", "АО «ТЭЦ-{n}»", "ООО «Электромонтаж»",
                 "АО «Региональная энергетическая компания»", "ООО «Энергосервис»"],
        "jobs": ["электромонтёр", "диспетчер", "инженер РЗА", "машинист котлов",
                 "мастер участка", "инженер-энергетик"],
    },
    "gov": {
        "gen": "Профсоюза работников государственных учреждений и общественного "
               "обслуживания Российской Федерации",
        "short": "Профсоюз работников госучреждений РФ",
        "slug": "gu",
        "inst": ["ГКУ «Центр занятости населения»", "ГБУ «Многофункциональный центр»",
                 "ГКУ «Центр социальной защиты населения»",
                 "ГБУ «Комплексный центр социального обслуживания № {n}»",
                 "ФГБУ «Управление мелиорации земель»", "ГКУ «Управление дорожного хозяйства»",
                 "ГБУ «Дом-интернат для престарелых»", "ГКУ «Лесничество»",
                 "ГБУ «Центр ветеринарии»", "ГКУ «Социально-реабилитационный центр № {n}»"],
        "jobs": ["ведущий специалист", "инспектор", "специалист по социальной работе",
                 "консультант", "главный специалист", "социальный работник"],
    },
}
OTHER_UNIONS = [  # for the member list of a regional federation
    "Российского профсоюза железнодорожников и транспортных строителей",
    "Профсоюза работников связи России",
    "Российского профсоюза работников промышленности",
    "Профсоюза работников лесных отраслей Российской Федерации",
    "Профсоюза работников автомобильного транспорта и дорожного хозяйства",
    "Общественной организации профсоюз работников строительства",
]

SURNAMES = [
    ("Иванов", "Иванова"), ("Петров", "Петрова"), ("Смирнов", "Смирнова"),
    ("Кузнецов", "Кузнецова"), ("Соколов", "Соколова"), ("Попов", "Попова"),
    ("Лебедев", "Лебедева"), ("Козлов", "Козлова"), ("Новиков", "Новикова"),
    ("Морозов", "Морозова"), ("Волков", "Волкова"), ("Алексеев", "Алексеева"),
    ("Романов", "Романова"), ("Зайцев", "Зайцева"), ("Павлов", "Павлова"),
    ("Семёнов", "Семёнова"), ("Голубев", "Голубева"), ("Виноградов", "Виноградова"),
    ("Богданов", "Богданова"), ("Воробьёв", "Воробьёва"), ("Фёдоров", "Фёдорова"),
    ("Михайлов", "Михайлова"), ("Беляев", "Беляева"), ("Тарасов", "Тарасова"),
    ("Белов", "Белова"), ("Комаров", "Комарова"), ("Орлов", "Орлова"),
    ("Киселёв", "Киселёва"), ("Макаров", "Макарова"), ("Андреев", "Андреева"),
    ("Ковалёв", "Ковалёва"), ("Ильин", "Ильина"), ("Гусев", "Гусева"), ("Титов", "Титова"),
    ("Кудрявцев", "Кудрявцева"), ("Баранов", "Баранова"), ("Куликов", "Куликова"),
    ("Савельев", "Савельева"), ("Жуков", "Жукова"), ("Гончаров", "Гончарова"),
]
MALE = ["Александр", "Сергей", "Андрей", "Дмитрий", "Алексей", "Николай", "Владимир",
        "Игорь", "Михаил", "Евгений", "Олег", "Виктор", "Юрий", "Павел"]
FEMALE = ["Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Марина", "Галина",
          "Людмила", "Анна", "Надежда", "Юлия", "Оксана", "Вера"]
PATRONYMICS = [
    ("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"),
    ("Викторович", "Викторовна"), ("Николаевич", "Николаевна"),
    ("Владимирович", "Владимировна"), ("Иванович", "Ивановна"), ("Петрович", "Петровна"),
    ("Михайлович", "Михайловна"), ("Юрьевич", "Юрьевна"), ("Анатольевич", "Анатольевна"),
    ("Васильевич", "Васильевна"), ("Геннадьевич", "Геннадьевна"),
]

# menu labels and slugs, per section
ORG_LABELS_UPPER = [
    ("Организации", "organizacii"), ("Наши организации", "nashi-organizacii"),
    ("Структура", "struktura"), ("Первичные организации", "pervichnye-organizacii"),
    ("Профсоюзные организации", "profsoyuznye-organizacii"),
    ("Территориальные организации", "territorialnye-organizacii"), ("Где мы", "gde-my"),
    ("Первичные профорганизации", "ppo"),
]
ORG_LABELS_FEDERATION = [
    ("Членские организации", "chlenskie-organizacii"), ("Организации", "organizacii"),
    ("Структура", "struktura"), ("Наши организации", "nashi-organizacii"),
    ("Членские организации", "chleny"),
]
ORG_LABELS_PPO = [("Структура", "struktura"), ("О профорганизации", "o-nas"),
                  ("Наша организация", "nasha-organizaciya")]
LEAD_LABELS_UPPER = [
    ("Руководство", "rukovodstvo"), ("Президиум", "prezidium"),
    ("Состав комитета", "sostav-komiteta"), ("Наша команда", "komanda"),
    ("Кто есть кто", "kto-est-kto"), ("Аппарат", "apparat"),
    ("Выборные органы", "vybornye-organy"), ("Состав президиума", "sostav-prezidiuma"),
]
LEAD_LABELS_PPO = [
    ("Профком", "profkom"), ("Состав профкома", "sostav-profkoma"),
    ("Наша команда", "komanda"), ("Кто есть кто", "kto-est-kto"),
    ("Руководство", "rukovodstvo"), ("Профсоюзный комитет", "profsoyuznyj-komitet"),
]
DEC_LABELS_UPPER = [
    ("Постановления президиума", "postanovleniya-prezidiuma"),
    ("Решения выборных органов", "resheniya"), ("Постановления", "postanovleniya"),
    ("Решения Пленума", "resheniya-plenuma"), ("Документы", "dokumenty"),
]
DEC_LABELS_PPO = [
    ("Решения профкома", "resheniya-profkoma"), ("Постановления профкома", "postanovleniya"),
    ("Документы", "dokumenty"), ("Решения", "resheniya"),
]
ACT_LABELS = [
    ("В помощь профактиву", "v-pomoshch-profaktivu"),
    ("Методические материалы", "metodicheskie-materialy"), ("Профактиву", "profaktivu"),
    ("Библиотека председателя", "biblioteka"), ("Памятки", "pamyatki"),
    ("Школа профсоюзного актива", "shkola-aktiva"), ("Методическая копилка", "metodkopilka"),
    ("Председателю ППО", "predsedatelyu"),
]
ASK_PAGE_LABELS = [
    ("Задать вопрос", "zadat-vopros"), ("Вопрос юристу", "vopros-yuristu"),
    ("Обращения", "obrashcheniya"), ("Приёмная", "priemnaya"),
    ("Интернет-приёмная", "internet-priemnaya"), ("Обратная связь", "obratnaya-svyaz"),
    ("Напишите нам", "napishite-nam"),
]
CONTACT_LABELS = [("Контакты", "kontakty"), ("Контактная информация", "contacts"),
                  ("Как нас найти", "kak-nas-najti")]
FNPR_HEADINGS = ["Новости ФНПР", "Новости профсоюзов России", "Из жизни ФНПР",
                 "Федерация сообщает", "Новости Федерации Независимых Профсоюзов России",
                 "ФНПР информирует", None]

DECISION_TOPICS = [
    "О проведении отчётно-выборной кампании в {y} году",
    "Об утверждении сметы доходов и расходов на {y} год",
    "О плане работы на первое полугодие {y} года",
    "О подготовке и проведении первомайской акции профсоюзов",
    "О награждении Почётной грамотой",
    "Об итогах летней оздоровительной кампании {y} года",
    "О состоянии работы по охране труда",
    "Об участии во Всемирном дне действий «За достойный труд!»",
    "О ходе выполнения коллективного договора",
    "Об утверждении Положения о молодёжном совете",
    "О проведении конкурса «Лучший уполномоченный по охране труда»",
    "О созыве отчётно-выборной конференции",
    "Об итогах статистического отчёта на 1 января {y} года",
    "О мотивации профсоюзного членства",
    "Об утверждении Положения о материальной помощи членам профсоюза",
]
ACTIVIST_DOCS = [
    "Методические рекомендации по проведению отчётно-выборного собрания",
    "Памятка председателю первичной профсоюзной организации",
    "Макет коллективного договора",
    "Примерное положение об уполномоченном по охране труда",
    "Рекомендации по ведению делопроизводства в первичной организации",
    "Как организовать работу с молодёжью: методическое пособие",
    "Информационный бюллетень «В помощь профактиву»",
    "Образцы документов для проведения профсоюзного собрания",
    "Памятка по оформлению протокола заседания профкома",
    "Методические рекомендации по информационной работе",
    "Порядок постановки на профсоюзный учёт: образцы заявлений",
    "Рекомендации по проведению тематической проверки по охране труда",
]
MEMOS = [
    ("Как провести профсоюзное собрание",
     ["Определите повестку дня и дату, сообщите о собрании не позднее чем за 10 дней.",
      "Подготовьте список членов профсоюза для регистрации участников.",
      "Собрание правомочно, если на нём присутствует более половины членов профсоюза.",
      "Оформите протокол: дата, число присутствующих, повестка, итоги голосования."]),
    ("Памятка уполномоченному по охране труда",
     ["Участвуйте в проверках условий труда на рабочих местах.",
      "Фиксируйте нарушения и направляйте работодателю представление об их устранении.",
      "Раз в квартал отчитывайтесь на заседании профкома о проделанной работе."]),
    ("Как вести учёт членов профсоюза",
     ["Заведите учётные карточки на каждого члена профсоюза.",
      "Ежегодно сверяйте списки с бухгалтерией по безналичной уплате взносов.",
      "Сдавайте статистический отчёт в вышестоящую организацию до 15 января."]),
    ("Работа с молодёжью в первичной организации",
     ["Назначьте ответственного за работу с молодёжью в составе профкома.",
      "Проведите встречу с работниками, принятыми на работу в течение года.",
      "Включите в коллективный договор раздел о гарантиях молодым специалистам."]),
]
NEWS = [  # title, slug, teaser, body
    ("Профсоюзный актив принял участие в первомайской акции", "pervomaj",
     "1 Мая члены профсоюза вышли на шествие под лозунгом «Справедливая зарплата — "
     "достойная жизнь!».",
     ["Колонна профсоюза прошла по центральной улице города.",
      "После шествия состоялся митинг, участники приняли резолюцию в поддержку "
      "требований о росте реальных доходов работников."]),
    ("Подведены итоги конкурса «Лучший уполномоченный по охране труда»", "konkurs-ot",
     "Победители конкурса награждены дипломами и ценными подарками.",
     ["В конкурсе приняли участие уполномоченные по охране труда из многих коллективов.",
      "Жюри оценивало количество проведённых проверок и устранённых нарушений."]),
    ("Молодёжный совет провёл туристический слёт", "turslet",
     "Более ста молодых членов профсоюза соревновались в спортивном ориентировании.",
     ["Слёт прошёл на базе отдыха за городом.",
      "Команды соревновались в туристической полосе препятствий, вечером у костра "
      "прошёл конкурс песни."]),
    ("Спартакиада членов профсоюза собрала более двухсот участников", "spartakiada",
     "Соревнования прошли по волейболу, дартсу, настольному теннису и шахматам.",
     ["Спартакиада проводится ежегодно при поддержке работодателей.",
      "Победители награждены кубками и грамотами, все участники получили памятные призы."]),
    ("Члены профсоюза отдыхают в санаториях со скидкой", "ozdorovlenie",
     "Продолжается приём заявок на путёвки в санатории по программе профсоюзного "
     "оздоровления.",
     ["Скидка для членов профсоюза составляет до 20 процентов от стоимости путёвки.",
      "Заявки принимают председатели первичных организаций."]),
    ("Профсоюз поздравил ветеранов с Днём Победы", "den-pobedy",
     "Молодые члены профсоюза навестили ветеранов и вручили им подарки.",
     ["Акция «Спасибо за Победу!» проходит ежегодно.",
      "Ветеранам вручены продуктовые наборы и цветы."]),
    ("Дети членов профсоюза побывали на экскурсии", "ekskursiya",
     "Профсоюз организовал для детей членов профсоюза поездку в краеведческий музей.",
     ["В поездке приняли участие 45 школьников.",
      "Расходы на транспорт и билеты взял на себя профсоюз."]),
    ("Итоги рейда уполномоченных по охране труда", "reid-ot",
     "Уполномоченные проверили обеспеченность работников средствами индивидуальной "
     "защиты.",
     ["Проверено более сорока рабочих мест.",
      "Выявленные недостатки работодатель обязался устранить до конца месяца."]),
]
FNPR_NEWS_TITLES = [
    "ФНПР добивается индексации зарплат работников бюджетной сферы",
    "Исполком ФНПР обсудил итоги колдоговорной кампании",
    "Профсоюзы провели Всероссийскую акцию 1 Мая",
    "ФНПР предложила поправки в Трудовой кодекс о дистанционной работе",
    "Генсовет ФНПР определил задачи профсоюзов на год",
    "Российская трёхсторонняя комиссия обсудила рост МРОТ",
    "ФНПР: работодатели должны обеспечить безопасные условия труда в жару",
    "Молодёжный совет ФНПР подвёл итоги форума «Стратегический резерв»",
    "Профсоюзы выступили против налогообложения материальной помощи",
    "ФНПР провела всероссийский семинар по охране труда",
]
USEFUL_LINKS = [
    ("Федеральная служба по труду и занятости", "https://rostrud.gov.ru/"),
    ("Министерство труда и социальной защиты РФ", "https://mintrud.gov.ru/"),
    ("Портал государственных услуг", "https://www.gosuslugi.ru/"),
    ("Социальный фонд России", "https://sfr.gov.ru/"),
]

# ----------------------------------------------- new variants, drawn by sites 37-60 only
# Sites 01-36 draw from the lists above exactly as before; a site from 37 on draws from the
# old and the new list together, and takes each new entry once before repeating any.

ORG_LABELS_UPPER_NEW = [
    ("Реестр ППО", "reestr-ppo"), ("Организационная структура", "orgstruktura"),
    ("Состав организации", "sostav-organizacii"),
]
ORG_LABELS_FEDERATION_NEW = [
    ("Отраслевые профсоюзы", "otraslevye-profsoyuzy"), ("Профсоюзы области", "profsoyuzy"),
    ("Реестр членских организаций", "reestr"),
]
ORG_LABELS_PPO_NEW = [("Профгруппы", "profgruppy"), ("Цеховые организации", "cehovye"),
                      ("О ППО", "o-ppo")]
LEAD_LABELS_UPPER_NEW = [
    ("Выборные органы и аппарат", "organy"), ("Президиум и комиссии", "prezidium-i-komissii"),
    ("Органы управления", "organy-upravleniya"),
]
LEAD_LABELS_PPO_NEW = [("Члены профкома", "chleny-profkoma"), ("Профактив", "profaktiv"),
                       ("Выборные органы ППО", "vybornye-organy")]
DEC_LABELS_UPPER_NEW = [
    ("Документы президиума", "dokumenty-prezidiuma"),
    ("Решения и постановления", "resheniya-i-postanovleniya"),
    ("Заседания президиума", "zasedaniya"),
]
DEC_LABELS_PPO_NEW = [("Протоколы профкома", "protokoly-profkoma"),
                      ("Решения собраний", "resheniya-sobranij"),
                      ("Заседания профкома", "zasedaniya-profkoma")]
ACT_LABELS_NEW = [
    ("Уголок профорга", "ugolok-proforga"), ("Обучение профактива", "obuchenie-profaktiva"),
    ("Информационные бюллетени", "byulleteni"), ("Профсоюзная учёба", "profucheba"),
]
ASK_PAGE_LABELS_NEW = [
    ("Правовая консультация", "pravovaya-konsultaciya"), ("Спросите юриста", "sprosite-yurista"),
    ("Электронная приёмная", "e-priemnaya"), ("Горячая линия", "goryachaya-liniya"),
]
FNPR_HEADINGS_NEW = ["Лента новостей ФНПР", "Новости с сайта ФНПР", "Профсоюзная Россия"]
FNPR_NEWS_TITLES_NEW = [
    "ФНПР направила в Правительство предложения по индексации пенсий работающим пенсионерам",
    "Профсоюзы добиваются запрета на снижение зарплаты при переводе на дистанционку",
    "ФНПР: минимальная часовая ставка должна стать нормой Трудового кодекса",
    "Председатель ФНПР встретился с молодыми профсоюзными лидерами",
]
SOLIDARNOST_HEADINGS_NEW = ["Профсоюзная газета «Солидарность»", "Новости «Солидарности»",
                            "Солидарность.org"]
FNPR_URLS_NEW = ["https://fnpr.ru/about/", "http://fnpr.ru/", "https://www.fnpr.ru/"]
VIEWPORTS = ["width=device-width, initial-scale=1", "width=device-width, initial-scale=1.0",
             "width=device-width", "width=device-width, initial-scale=1, shrink-to-fit=no",
             "width=device-width, initial-scale=1.0, maximum-scale=1.0, user-scalable=no"]
VIEWPORTS_NEW = ["width=device-width, initial-scale=1, viewport-fit=cover",
                 "width=device-width,initial-scale=1", "initial-scale=1, width=device-width",
                 "width=device-width, initial-scale=1, minimum-scale=1"]

# ----------------------------------------------- new variants, drawn by sites 61-84 only
# Sites 01-60 never see these lists; a site 61-84 takes each entry once before
# repeating any, then draws from the old, the 37-60 and these lists together.

ORG_LABELS_UPPER_NEW3 = [("Наши первички", "nashi-pervichki"), ("Перечень ППО", "perechen-ppo"),
                         ("Первичные организации профсоюза", "pervichnye")]
ORG_LABELS_FEDERATION_NEW3 = [("Членские организации ФПО", "chlenskie-organizacii-fpo"),
                              ("Областные организации профсоюзов", "oblastnye-organizacii")]
ORG_LABELS_PPO_NEW3 = [("Структурные подразделения", "podrazdeleniya"),
                       ("Наши профгруппы", "nashi-profgruppy")]
LEAD_LABELS_UPPER_NEW3 = [("Руководящие органы", "rukovodyashchie-organy"),
                          ("Комитет профсоюза", "komitet-profsoyuza")]
LEAD_LABELS_PPO_NEW3 = [("Наш профком", "nash-profkom"), ("Профбюро", "profbyuro")]
DEC_LABELS_UPPER_NEW3 = [("Постановления и решения", "postanovleniya-i-resheniya"),
                         ("Документы выборных органов", "dokumenty-vybornyh-organov")]
DEC_LABELS_PPO_NEW3 = [("Протоколы собраний", "protokoly-sobranij"),
                       ("Решения профсоюзного комитета", "resheniya-pk")]
ACT_LABELS_NEW3 = [("Профоргу на заметку", "proforgu-na-zametku"),
                   ("Председателю первички", "predsedatelyu-pervichki"),
                   ("Советы профактиву", "sovety-profaktivu")]
ASK_PAGE_LABELS_NEW3 = [("Задать вопрос председателю", "vopros-predsedatelyu"),
                        ("Онлайн-консультация", "online-konsultaciya"),
                        ("Обращение в профком", "obrashchenie-v-profkom")]
FNPR_HEADINGS_NEW3 = ["Вести ФНПР", "Новости ФНПР и профсоюзов"]
FNPR_NEWS_TITLES_NEW3 = [
    "ФНПР предложила освободить от НДФЛ выплаты из профсоюзных взносов",
    "Профсоюзы настаивают на повышении МРОТ до уровня не ниже прожиточного минимума",
    "ФНПР провела Всероссийский день охраны труда",
]
SOLIDARNOST_HEADINGS_NEW3 = ["Свежий номер «Солидарности»", "Газета «Солидарность» сообщает"]
SOLIDARNOST_TITLES = [
    "Как профсоюзы добиваются индексации зарплат",
    "Правовой инспектор разъясняет: сверхурочная работа и её оплата",
    "Колдоговор без сюрпризов: что проверить перед подписанием",
    "Молодёжь в профсоюзе: итоги форума",
]
FNPR_URLS_NEW3 = ["https://fnpr.ru/news/", "https://www.fnpr.ru/about/"]
VIEWPORTS_NEW3 = ["width=device-width, initial-scale=1, maximum-scale=5",
                  "width=device-width, initial-scale=1, interactive-widget=resizes-content"]

# ---------------------------------------------- new variants, drawn by sites 85-108 only
# Sites 01-84 never see these lists; a site from 85 on takes each entry once before
# repeating any, then draws from all the lists together.

ORG_LABELS_UPPER_NEW4 = [("Список первичных организаций", "spisok-ppo"),
                         ("Территориальные и первичные организации", "territorialnye-i-pervichnye")]
ORG_LABELS_FEDERATION_NEW4 = [("Членские организации Федерации", "chleny-federacii"),
                              ("Отраслевые организации", "otraslevye-organizacii")]
ORG_LABELS_PPO_NEW4 = [("Профгруппы подразделений", "profgruppy-podrazdelenij"),
                       ("Наши подразделения", "nashi-podrazdeleniya")]
LEAD_LABELS_UPPER_NEW4 = [("Состав выборных органов", "sostav-vybornyh-organov"),
                          ("Комитет и президиум", "komitet-i-prezidium")]
LEAD_LABELS_PPO_NEW4 = [("Состав профсоюзного комитета", "sostav-pk"),
                        ("Профком ППО", "profkom-ppo")]
DEC_LABELS_UPPER_NEW4 = [("Решения президиума", "resheniya-prezidiuma"),
                         ("Протоколы заседаний", "protokoly-zasedanij")]
DEC_LABELS_PPO_NEW4 = [("Документы профкома", "dokumenty-profkoma"),
                       ("Решения профкома ППО", "resheniya-profkoma-ppo")]
ACT_LABELS_NEW4 = [("Методический кабинет", "metodkabinet"),
                   ("В помощь председателю", "v-pomoshch-predsedatelyu"),
                   ("Библиотека профактива", "biblioteka-profaktiva")]
ASK_PAGE_LABELS_NEW4 = [("Юридическая консультация", "yuridicheskaya-konsultaciya"),
                        ("Написать обращение", "napisat-obrashchenie"),
                        ("Вопрос правовому инспектору", "vopros-pravovomu-inspektoru")]
FNPR_HEADINGS_NEW4 = ["Новости с fnpr.ru", "Федерация Независимых Профсоюзов России: новости"]
FNPR_NEWS_TITLES_NEW4 = [
    "ФНПР выступила за сохранение индексации зарплат в бюджетной сфере",
    "Генеральное соглашение: профсоюзы добились включения новых гарантий",
    "ФНПР подвела итоги Всероссийской акции профсоюзов «За достойный труд!»",
]
SOLIDARNOST_HEADINGS_NEW4 = ["Лента «Солидарности»", "«Солидарность» — профсоюзная газета"]
FNPR_URLS_NEW4 = ["https://www.fnpr.ru/news/", "https://fnpr.ru/documents/"]
VIEWPORTS_NEW4 = ["width=device-width; initial-scale=1.0",
                  "width=device-width, initial-scale=1, user-scalable=yes"]

# ---------------------------------------------- new variants, drawn by sites 109-132 only
# Sites 01-108 never see these lists; a site from 109 on takes each entry once before
# repeating any, then draws from all the lists together.

ORG_LABELS_UPPER_NEW5 = [("Первичные профсоюзные организации", "pervichnye-profsoyuznye"),
                         ("Наши ППО", "nashi-ppo")]
ORG_LABELS_FEDERATION_NEW5 = [("Организации — члены Федерации", "organizacii-chleny"),
                              ("Областные и территориальные организации", "oblastnye-i-terr")]
ORG_LABELS_PPO_NEW5 = [("Профсоюзные группы", "profsoyuznye-gruppy"),
                       ("Цеховые комитеты", "cehovye-komitety")]
LEAD_LABELS_UPPER_NEW5 = [("Президиум комитета", "prezidium-komiteta"),
                          ("Руководство и выборные органы", "rukovodstvo-i-organy")]
LEAD_LABELS_PPO_NEW5 = [("Профсоюзный комитет ППО", "profkom-ppo-sostav"),
                        ("Состав профкома и ревизионной комиссии", "profkom-i-rk")]
DEC_LABELS_UPPER_NEW5 = [("Постановления президиума комитета", "postanovleniya-pk"),
                         ("Документы выборных органов", "dokumenty-organov")]
DEC_LABELS_PPO_NEW5 = [("Решения профсоюзного собрания", "resheniya-sobraniya"),
                       ("Протоколы заседаний профкома", "protokoly-zasedanij-profkoma")]
ACT_LABELS_NEW5 = [("Информационно-методические материалы", "info-metod"),
                   ("Профсоюзному активу", "profsoyuznomu-aktivu")]
ASK_PAGE_LABELS_NEW5 = [("Вопрос-ответ юриста", "vopros-otvet-yurista"),
                        ("Задать вопрос юристу", "zadat-vopros-yuristu")]
FNPR_HEADINGS_NEW5 = ["Новости ФНПР и профсоюзного движения", "Официально: ФНПР"]
FNPR_NEWS_TITLES_NEW5 = [
    "ФНПР предложила увеличить МРОТ до уровня 30 тысяч рублей",
    "Исполком ФНПР утвердил план первомайской акции профсоюзов",
    "ФНПР: профсоюзы добились продления моратория на проверки по охране труда",
]
SOLIDARNOST_HEADINGS_NEW5 = ["Новости газеты «Солидарность»", "Читайте в «Солидарности»"]
FNPR_URLS_NEW5 = ["https://www.fnpr.ru", "http://www.fnpr.ru/"]
VIEWPORTS_NEW5 = ["width=device-width, initial-scale=1, shrink-to-fit=no, viewport-fit=cover",
                  "width=device-width, initial-scale=1.0, minimum-scale=1.0"]

# what needs JavaScript to be seen: a site 61-132 that shows a criterion only this way lists
# the criterion in "needs_browser" (it is still labelled as a person would see it)
JS_SOLIDARNOST = {"script", "docwrite", "async_div", "no_www", "script_noscript", "custom_html"}
JS_SHARE = {"ya", "yapopup", "pluso", "uptolike", "likely", "share42", "sociallikes",
            "addtoany", "vkshare", "usocial"}
JS_ASK = {"dialog_form", "tilda_popup", "yandex_form"}

FRESH_USED: dict[str, set] = {}
NEW_LISTS: dict[str, list] = {}  # every list of new entries, by key, for the report


def fresh_pick(site: Site, key: str, old: list, new: list, new3: list | tuple = (),
               new4: list | tuple = (), new5: list | tuple = ()):
    """Sites 01-36: rng.choice(old), as before. Sites 37-60: an entry of new that no site
    37-60 has taken yet, while any is left; then anything from old and new (new3 is not
    looked at, so their draws are as before). Sites 61-84: an entry of new3 that no site
    61-84 has taken yet, while any is left; then anything from old, new and new3 (new4 is
    not looked at). Sites 85-108: an entry of new4 that no site 85-108 has taken yet, while
    any is left; then anything from old, new, new3 and new4 (new5 is not looked at).
    Sites 109-132: an entry of new5 that no site 109-132 has taken yet, while any is left;
    then anything from all five lists."""
    NEW_LISTS.setdefault(key, list(new))
    if new3:
        NEW_LISTS.setdefault(key + " (61-84)", list(new3))
    if new4:
        NEW_LISTS.setdefault(key + " (85-108)", list(new4))
    if new5:
        NEW_LISTS.setdefault(key + " (109-132)", list(new5))
    if not site.fresh:
        return site.rng.choice(old)
    everything = list(old) + list(new)
    if site.fresh5 and new5:
        key, new = key + " (109-132)", new5
        everything = everything + list(new3) + list(new4) + list(new5)
    elif site.fresh4:
        key, new, everything = key + " (85-108)", new4, everything + list(new3) + list(new4)
    elif site.fresh3 and new3:
        key, new, everything = key + " (61-84)", new3, everything + list(new3)
    used = FRESH_USED.setdefault(key, set())
    unused = [v for v in new if v not in used]
    value = site.rng.choice(unused or everything)
    used.add(value)
    return value


# -------------------------------------------------------------------------- small builders


def person(rng: random.Random, used: set[str], short: bool = False) -> str:
    while True:
        female = rng.random() < 0.6
        surname = rng.choice(SURNAMES)[female]
        first = rng.choice(FEMALE if female else MALE)
        patronymic = rng.choice(PATRONYMICS)[female]
        full = f"{surname} {first} {patronymic}"
        if full not in used:
            used.add(full)
            return f"{first[0]}.{patronymic[0]}. {surname}" if short else full


def a_date(rng: random.Random, year: int | None = None) -> str:
    year = year or rng.choice([2024, 2025])
    return f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{year}"


def fnpr_news_url(rng: random.Random, host: str = "fnpr.ru") -> str:
    scheme_host = rng.choice([f"https://{host}", f"https://www.{host}"])
    if rng.random() < 0.6:
        return f"{scheme_host}/n/{rng.choice([2, 3, 9, 257, 279])}/{rng.randint(14000, 24999)}.html"
    return f"{scheme_host}/news/{rng.randint(5000, 9999)}/"


def ul(items: list[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>\n" + "\n".join(f"<li>{i}</li>" for i in items) + "\n</ul>"


# --------------------------------------------------------------------------------- the site


@dataclass
class Page:
    path: str
    title: str
    body: list[str] = field(default_factory=list)
    kind: str = "page"  # home, news, page
    share: str = ""


@dataclass
class Org:
    kind: str  # oblast, city, rayon, federation, oppo, ppo
    branch: dict
    region: tuple
    name: str
    short: str
    members: list[str]
    body_main: tuple[str, str]  # nominative, genitive: Президиум / президиума
    body_plenum: tuple[str, str]
    tagline: str = ""


@dataclass
class Site:
    n: int
    cms: str
    rng: random.Random
    part: str
    plan: dict = field(default_factory=dict)
    org: Org | None = None
    encoding: str = "utf-8"
    style: str = ""
    nav_place: str = "header"
    counter: int = 1
    pages: dict[str, Page] = field(default_factory=dict)
    menu: list[tuple[str, str]] = field(default_factory=list)
    header_bits: list[str] = field(default_factory=list)
    widgets: list[tuple[str | None, str]] = field(default_factory=list)
    home_blocks: list[tuple[str | None, str | None, str]] = field(default_factory=list)
    footer_bits: list[str] = field(default_factory=list)
    viewport: str = ""
    metrica: str | None = None
    news_items: list[dict] = field(default_factory=list)
    reprints: list[dict] = field(default_factory=list)
    docs_page: Page | None = None
    collegial_page: Page | None = None
    notes: dict[str, str] = field(default_factory=dict)
    assets: dict[str, bytes] = field(default_factory=dict)
    used_names: set[str] = field(default_factory=set)
    address: str = ""
    phone: str = ""
    domain: str = ""

    # ---- paths in the style of the CMS
    def page_path(self, slug: str, section: str = "") -> str:
        self.counter += 1
        c, style = self.cms, self.path_style
        if c == "wordpress":
            path = f"/{slug}/"
        elif c == "joomla":
            path = f"/index.php/{slug}" if style == "indexphp" else f"/{slug}.html"
        elif c == "bitrix":
            parent = {"orgs": "about", "lead": "about", "dec": "documents",
                      "act": "documents", "about": "about"}.get(section, "")
            path = f"/{parent}/{slug}/" if parent and self.rng.random() < 0.7 else f"/{slug}/"
        elif c == "ucoz":
            path = f"/index/0-{self.counter}" if style == "plain" else \
                f"/index/{slug}/0-{self.counter}"
        elif c == "tilda":
            path = f"/page{self.rng.randint(10_000_000, 49_999_999)}.html"
        elif c == "drupal":
            path = f"/node/{self.counter}" if style == "node" else f"/{slug}"
        elif c == "table":
            path = f"/page/{self.counter}" if style == "page" else f"/{slug}.{style}"
        else:  # nextjs
            path = f"/{slug}/"
        while path in self.pages:
            path = path.replace(slug, slug + "-2") if slug in path else path + "2"
        return path

    def news_path(self, slug: str, date: str, nid: int) -> str:
        d, m, y = date.split(".")
        c = self.cms
        if c == "wordpress":
            return f"/{y}/{m}/{d}/{slug}/"
        if c == "joomla":
            if self.path_style == "indexphp":
                return f"/index.php/novosti/{nid}-{slug}"
            return f"/novosti/{nid}-{slug}.html"
        if c == "bitrix":
            return f"/news/{nid}/"
        if c == "ucoz":
            return f"/news/{slug.replace('-', '_')}/{y}-{m}-{d}-{nid}"
        if c == "tilda":
            return f"/page{self.rng.randint(50_000_000, 89_999_999)}.html"
        if c == "drupal":
            return f"/node/{nid}" if self.path_style == "node" else f"/novosti/{slug}"
        if c == "table":
            return f"/news{nid}.htm"
        return f"/news/{slug}/"

    def upload(self, name: str) -> str:
        """Where the CMS keeps an uploaded file."""
        return {
            "wordpress": f"/wp-content/uploads/2024/0{self.n % 9 + 1}/{name}",
            "joomla": f"/images/docs/{name}",
            "bitrix": f"/upload/iblock/{self.n:02x}{self.n % 7}/{name}",
            "ucoz": f"/_ld/0/{name}",
            "tilda": f"/files/{name}",
            "drupal": f"/sites/default/files/2024-0{self.n % 9 + 1}/{name}",
            "table": f"/docs/{name}",
            "nextjs": f"/docs/{name}",
        }[self.cms]

    def add_page(self, label: str | None, slug: str, title: str, body: str,
                 section: str = "") -> Page:
        page = Page(self.page_path(slug, section), title, [body])
        self.pages[page.path] = page
        if label:
            self.menu.append((label, page.path))
        return page

    @property
    def metrica_html(self) -> str:
        return metrika(self.metrica) if self.metrica else ""

    @property
    def path_style(self) -> str:
        return self.style.split(":")[0]

    @property
    def fresh(self) -> bool:
        """Sites 37-84 may use the variants added for sites 37-60."""
        return self.n > ROUND2_LAST

    @property
    def fresh3(self) -> bool:
        """Sites 61-84 may also use the variants added for them."""
        return self.n > ROUND3_LAST

    @property
    def fresh4(self) -> bool:
        """Sites 85-108 may also use the variants added for them."""
        return self.n > ROUND4_LAST

    @property
    def fresh5(self) -> bool:
        """Sites 109-132 may also use the variants added for them."""
        return self.n > ROUND5_LAST

    @property
    def pool(self) -> int:
        return next(i for i, (first, last) in enumerate(POOLS) if first <= self.n <= last)


class Planner:
    """Which criteria each site has: the per-pool quota is drawn like sampling without
    replacement with the site's own random generator, and every trap of a criterion is
    used once in a pool before any is used twice."""

    def __init__(self):
        self.state: dict[tuple[int, str], dict] = {}

    def _state(self, pool: int, code: str) -> dict:
        key = (pool, code)
        if key not in self.state:
            first, last = POOLS[pool]
            self.state[key] = {"true": TARGET_TRUE[code][pool], "sites": last - first + 1,
                               "unused": pool_traps(pool, code)}
        return self.state[key]

    def present(self, rng: random.Random, pool: int, code: str, forced: bool | None) -> bool:
        st = self._state(pool, code)
        draw = rng.random()
        value = forced if forced is not None else draw < st["true"] / st["sites"]
        st["sites"] -= 1
        st["true"] -= int(value)
        return value

    def absent_variant(self, rng: random.Random, pool: int, code: str) -> str:
        st = self._state(pool, code)
        if st["unused"]:
            trap = rng.choice(st["unused"])
            st["unused"].remove(trap)
            return trap
        extra = [] if code in NO_CLEAN_ABSENCE else ["clean", "clean"]
        choices = pool_traps(pool, code)
        if pool >= 4 and code == "fnpr_news":
            # sites 85-132: a repeated news trap never forces the FNPR link, or too few sites
            # would be left without it for every FNPR-link trap
            choices = [t for t in choices if t not in NEWS_TRAPS_WITH_FNPR_LINK]
        return rng.choice(choices + extra)


# ------------------------------------------------------------------------ the organization


def make_org(site: Site) -> Org:
    rng = site.rng
    with_members = site.plan["member_organizations"][0]
    region = rng.choice(REGIONS)
    adj, gen, city, _ = region
    if with_members:
        kind = rng.choice(["oblast", "oblast", "city", "rayon", "federation", "oppo"])
    else:
        kind = rng.choice(["ppo", "ppo", "ppo", "oblast", "city"])
    branch_key = rng.choice(list(BRANCHES))
    if kind == "oppo" and branch_key not in ("metal", "energy", "zhkh"):
        branch_key = rng.choice(["metal", "energy", "zhkh"])
    branch = BRANCHES[branch_key]

    def institution() -> str:
        return rng.choice(branch["inst"]).format(n=rng.randint(1, 60))

    upper_main = (("Президиум", "президиума"), ("Пленум", "пленума"))
    if kind == "oblast":
        name, short = f"{adj} областная организация {branch['gen']}", "обком профсоюза"
        bodies = upper_main
    elif kind == "city":
        name, short = f"{adj} городская организация {branch['gen']}", "горком профсоюза"
        bodies = upper_main
    elif kind == "rayon":
        rayon = rng.choice(RAYONS)
        name = f"{rayon} районная организация {branch['gen']} (г. {city})"
        short, bodies = "райком профсоюза", upper_main
    elif kind == "federation":
        name = rng.choice([f"Федерация профсоюзов {gen} области",
                           f"Союз «Федерация организаций профсоюзов {gen} области»",
                           f"{adj} областное объединение организаций профсоюзов"])
        short, bodies = "Федерация", (("Президиум", "президиума"), ("Совет", "Совета"))
    elif kind == "oppo":
        company = {"metal": "ПАО «Северный металлургический холдинг»",
                   "energy": "ПАО «Региональная сетевая компания»",
                   "zhkh": "АО «Объединённые коммунальные системы»"}[branch_key]
        name = f"Объединённая первичная профсоюзная организация {company}"
        short = "профком ОППО"
        bodies = (("Президиум профкома", "президиума профкома"), ("Профком", "профкома"))
    else:
        name = f"Первичная профсоюзная организация {institution()}"
        short = "профком"
        bodies = (("Профком", "профкома"), ("Профсоюзное собрание", "профсоюзного собрания"))

    members: list[str] = []
    form = rng.choice(["ППО {}", "ППО {}", "Первичная профсоюзная организация {}",
                       "Профсоюзная организация {}"])
    if kind == "federation":
        unions = [b["gen"] for b in BRANCHES.values()] + OTHER_UNIONS
        rng.shuffle(unions)
        members = [f"{adj} областная организация {u}" for u in unions]
    else:
        if kind == "oblast":
            members += [f"{r} районная организация Профсоюза"
                        for r in rng.sample(RAYONS, 3)]
        for _ in range(300):
            if len(members) >= 14:
                break
            candidate = form.format(institution())
            if candidate not in members:
                members.append(candidate)
        rng.shuffle(members)
    tagline = "Региональное объединение организаций профсоюзов" if kind == "federation" \
        else branch["short"]
    return Org(kind, branch, region, name, short, members, bodies[0], bodies[1], tagline)


# -------------------------------------------------------------------- content per criterion


def build_member_organizations(site: Site, present: bool, trap: str | None) -> None:
    rng, org = site.rng, site.org
    labels, new, new3, new4, new5, key = (
        (ORG_LABELS_FEDERATION, ORG_LABELS_FEDERATION_NEW, ORG_LABELS_FEDERATION_NEW3,
         ORG_LABELS_FEDERATION_NEW4, ORG_LABELS_FEDERATION_NEW5, "org_fed")
        if org.kind == "federation" else
        (ORG_LABELS_PPO, ORG_LABELS_PPO_NEW, ORG_LABELS_PPO_NEW3, ORG_LABELS_PPO_NEW4,
         ORG_LABELS_PPO_NEW5, "org_ppo")
        if org.kind == "ppo" else
        (ORG_LABELS_UPPER, ORG_LABELS_UPPER_NEW, ORG_LABELS_UPPER_NEW3, ORG_LABELS_UPPER_NEW4,
         ORG_LABELS_UPPER_NEW5, "org_upper"))
    label, slug = fresh_pick(site, key, labels, new, new3, new4, new5)
    if present:
        names = org.members[:rng.randint(7, 13)]
        variants = ["list", "table", "districts", "home", "cards"]
        if org.kind == "federation":
            variants.remove("districts")
        variant = fresh_pick(site, "org_layout", variants, ["accordion", "chairs", "br_lines"],
                             ["select_list", "site_links"],
                             ["columns", "contacts_table", "group_anchors"],
                             ["tablepress", "addresses"])
        site.notes["member_organizations"] = variant
        kinds = rng.choice(["первичных и территориальных организаций", "организаций",
                            "профсоюзных организаций"])
        if org.kind == "federation":
            kinds = rng.choice(["членских организаций", "областных организаций профсоюзов"])
        intro = f"<p>В составе организации {len(names)} {kinds}.</p>"
        if variant == "list":
            body = intro + ul(names, rng.choice(["", "org-list", "list-ppo"]))
        elif variant == "table":
            rows = "".join(
                f"<tr><td>{i}</td><td>{name}</td><td>{rng.randint(25, 900)}</td></tr>\n"
                for i, name in enumerate(names, 1))
            body = (intro + '<table class="table orgs" border="1" cellpadding="4">\n'
                    "<tr><th>№</th><th>Наименование организации</th>"
                    "<th>Численность членов профсоюза</th></tr>\n" + rows + "</table>")
        elif variant == "districts":
            half = len(names) // 2
            if org.kind == "oblast":
                headings = [f"г. {org.region[2]}", "Районы области"]
            else:
                headings = [f"{d} район" for d in rng.sample(DISTRICTS, 2)]
            body = (intro + f"<h3>{headings[0]}</h3>" + ul(names[:half]) +
                    f"<h3>{headings[1]}</h3>" + ul(names[half:]))
        elif variant == "cards":
            cards = "".join(f'<div class="org-card"><div class="org-card__name">{name}</div>'
                            '<div class="org-card__count">членов профсоюза: '
                            f"{rng.randint(20, 600)}</div></div>\n" for name in names)
            body = intro + f'<div class="org-cards">\n{cards}</div>'
        elif variant == "accordion":  # a spoiler per group, as in many WordPress themes
            half = len(names) // 2
            groups = [("Образовательные и социальные учреждения", names[:half]),
                      ("Предприятия и организации", names[half:])]
            if org.kind == "federation":
                groups = [("Отраслевые организации", names[:half]),
                          ("Организации других отраслей", names[half:])]
            body = intro + "".join(f'<details class="spoiler"><summary>{g}</summary>'
                                   + ul(items) + "</details>\n" for g, items in groups)
        elif variant == "chairs":  # each organization with its chair and phone
            lines = [f"<b>{name}</b><br>Председатель: {person(rng, site.used_names, True)}, "
                     f"тел. {site.phone[:-5]}{rng.randint(10, 99)}-{rng.randint(10, 99)}"
                     for name in names]
            body = intro + ul(lines, "ppo-contacts")
        elif variant == "br_lines":  # a hand-typed numbered list in one paragraph
            body = intro + "<p>" + "<br>\n".join(f"{i}. {name}" for i, name
                                                 in enumerate(names, 1)) + "</p>"
        elif variant == "select_list":  # a drop-down to jump to an organization
            body = intro + ('<p><label>Выберите организацию: <select name="org" class="org-'
                            'select" onchange="if(this.value)location.hash=this.value">'
                            '<option value="">— список организаций —</option>' + "".join(
                                f'<option value="org-{i}">{name}</option>'
                                for i, name in enumerate(names, 1)) + "</select></label></p>")
        elif variant == "site_links":  # each organization linked to its own site or group
            lines = []
            for i, name in enumerate(names, 1):
                href = (f"https://vk.com/club{rng.randint(10_000_000, 229_999_999)}"
                        if rng.random() < 0.5 else f"https://ppo{i}-{org.region[3]}.example/")
                lines.append(f'{name} — <a href="{href}" target="_blank" rel="nofollow">'
                             f'{"группа ВКонтакте" if "vk.com" in href else "сайт"}</a>')
            body = intro + ul(lines, "org-sites")
        elif variant == "columns":  # two Bootstrap columns of names
            half = (len(names) + 1) // 2
            body = intro + ('<div class="row"><div class="col-md-6">' + ul(names[:half])
                            + '</div><div class="col-md-6">' + ul(names[half:])
                            + "</div></div>")
        elif variant == "contacts_table":  # a register: organization, chair, e-mail
            rows = "".join(
                f"<tr><td>{i}</td><td>{name}</td><td>{person(rng, site.used_names, True)}</td>"
                f'<td><a href="mailto:ppo{i}@{site.domain}">ppo{i}@{site.domain}</a></td></tr>\n'
                for i, name in enumerate(names, 1))
            body = (intro + '<table class="reestr" border="1" cellpadding="4">\n<tr><th>№</th>'
                    "<th>Организация</th><th>Председатель</th><th>E-mail</th></tr>\n" + rows
                    + "</table>")
        elif variant == "group_anchors":  # links at the top jump to groups on the same page
            half = len(names) // 2
            if org.kind == "federation":
                headings = ["Организации бюджетной сферы", "Организации производственной сферы"]
            elif org.kind == "oblast":
                headings = [f"г. {org.region[2]}", "Районы области"]
            else:
                headings = [f"{d} район" for d in rng.sample(DISTRICTS, 2)]
            body = (intro + "<p>Перейти: " + " | ".join(
                f'<a href="#gr-{i}">{h}</a>' for i, h in enumerate(headings, 1)) + "</p>"
                + f'<h3 id="gr-1">{headings[0]}</h3>' + ul(names[:half])
                + f'<h3 id="gr-2">{headings[1]}</h3>' + ul(names[half:]))
        elif variant == "tablepress":  # WordPress's TablePress plugin: №, name, members, chair
            rows = "".join(
                f'<tr class="row-{i + 1}"><td class="column-1">{i}</td><td class="column-2">'
                f'{name}</td><td class="column-3">{rng.randint(20, 700)}</td><td class="column-4">'
                f"{person(rng, site.used_names, True)}</td></tr>\n"
                for i, name in enumerate(names, 1))
            body = (intro + '<table id="tablepress-1" class="tablepress tablepress-id-1">\n'
                    '<thead><tr class="row-1"><th class="column-1">№ п/п</th><th class="column-2">'
                    'Наименование ППО</th><th class="column-3">Кол-во членов</th><th class="'
                    'column-4">Председатель</th></tr></thead>\n<tbody class="row-hover">\n'
                    + rows + "</tbody></table>")
        elif variant == "addresses":  # each organization with its address, a paragraph each
            body = intro + "".join(
                f"<p><strong>{name}</strong><br>Адрес: г. {org.region[2]}, ул. "
                f"{rng.choice(STREETS)}, д. {rng.randint(1, 120)}</p>" for name in names)
        else:
            body = ul(names, "orgs")
        if variant == "home":
            site.home_blocks.append(("orgs", label, body))
            site.menu.append((label, "#orgs"))
        else:
            site.add_page(label, slug, label, body, "orgs")
    elif trap == "single_mention":
        institution = rng.choice(org.branch["inst"]).format(n=rng.randint(1, 60))
        site.notes["member_organizations_mention"] = f"ППО {institution}"
    elif trap == "prose_count":
        count = rng.randint(18, 95)
        if org.kind == "ppo":
            text = (f"<p>Профсоюзная организация объединяет {count} профгрупп и "
                    f"{rng.randint(3, 12)} цеховых организаций. Профгруппорги избираются "
                    "на собраниях коллективов подразделений.</p>")
        else:
            text = (f"<p>Организация объединяет {count} первичных профсоюзных организаций, "
                    f"в которых состоит более {rng.randint(2, 40)} тысяч членов профсоюза. "
                    "Первичные организации действуют в учреждениях и на предприятиях "
                    "всех районов области.</p>")
        site.add_page(label, slug, label, text, "orgs")
    elif trap == "empty_page":
        site.add_page(label, slug, label,
                      "<p>Раздел наполняется. Информация появится в ближайшее время.</p>",
                      "orgs")
    elif trap == "stats_numbers":  # a row of big numbers on the home page, no names
        cells = [(str(rng.randint(40, 380)), "первичных профсоюзных организаций"),
                 (f"{rng.randint(3, 60)} {rng.randint(100, 999)}", "членов профсоюза"),
                 (f"{rng.randint(55, 97)}%", "охват профсоюзным членством")]
        if org.kind == "ppo":
            cells[0] = (str(rng.randint(8, 40)), "профгрупп в подразделениях")
        site.home_blocks.append((None, "Организация в цифрах", '<div class="numbers">' + "".join(
            f'<div class="numbers__item"><div class="numbers__value">{v}</div>'
            f'<div class="numbers__text">{t}</div></div>' for v, t in cells) + "</div>"))
    elif trap == "how_to_create":  # the section explains how to found one, lists none
        site.add_page(label, slug, label,
                      "<h3>Как создать первичную профсоюзную организацию</h3><ol>"
                      "<li>Соберите инициативную группу не менее трёх человек.</li>"
                      "<li>Проведите учредительное собрание и изберите председателя.</li>"
                      "<li>Направьте протокол собрания в вышестоящую организацию профсоюза."
                      "</li><li>Уведомите работодателя о создании организации.</li></ol>",
                      "orgs")
    elif trap == "partners_list":  # employers the union has agreements with, not members
        partners = sorted({rng.choice(org.branch["inst"]).format(n=rng.randint(1, 60))
                           for _ in range(6)})
        site.add_page("Социальные партнёры", "socialnye-partnery", "Социальные партнёры",
                      "<p>Коллективные договоры и соглашения заключены с работодателями:</p>"
                      + ul(partners), "orgs")
    elif trap == "parent_structure":  # where the organization stands, not who is in it
        site.add_page(label, slug, label,
                      "<p>Организация входит в структуру:</p><ul><li>Федерация Независимых "
                      f"Профсоюзов России<ul><li>{org.branch['short']}<ul><li><b>{org.name}"
                      "</b></li></ul></li></ul></li></ul>", "orgs")
    elif trap == "contest_winners":  # a contest's winners named in the news, no member list
        winners = [rng.choice(org.branch["inst"]).format(n=rng.randint(1, 60)) for _ in range(3)]
        site.news_items.insert(0, {
            "title": "Подведены итоги смотра-конкурса «Лучшая первичная профсоюзная "
                     "организация»", "slug": "luchshaya-ppo",
            "teaser": "Победители смотра-конкурса награждены дипломами и денежными премиями.",
            "body": [f"Первое место заняла ППО {winners[0]}, второе — ППО {winners[1]}, "
                     f"третье — ППО {winners[2]}.",
                     "Жюри оценивало работу по мотивации профсоюзного членства, информационную "
                     "работу и участие в коллективно-договорной кампании."]})
    elif trap == "map_image":  # a map of where the organizations are, nobody named
        site.add_page(label, slug, label,
                      f'<p><img src="{site.upload("karta-organizacij.png")}" alt="Карта '
                      'первичных профсоюзных организаций" width="640"></p><p>На карте '
                      "отмечены районы, в которых действуют первичные организации "
                      "профсоюза.</p>", "orgs")
    elif trap == "join_page":  # how to join the union, an application form, no members
        site.add_page("Вступить в профсоюз", "vstupit", "Как вступить в профсоюз",
                      "<p>Чтобы вступить в профсоюз, напишите заявление на имя председателя "
                      "первичной профсоюзной организации по месту работы.</p><p><a href=\""
                      f'{site.upload("zayavlenie-o-vstuplenii.docx")}">Образец заявления о '
                      "вступлении (DOCX)</a></p><p>Взносы удерживаются бухгалтерией из "
                      "заработной платы в размере 1%.</p>", "orgs")
    elif trap == "councils_list":  # the organization's own councils and commissions
        site.add_page("Комиссии и советы", "komissii", "Комиссии и советы", ul([
            "Молодёжный совет — работа с молодыми членами профсоюза",
            "Комиссия по охране труда — общественный контроль условий труда",
            "Комиссия по социальному партнёрству — подготовка колдоговора",
            "Комиссия по организационной работе и мотивации членства",
            "Совет ветеранов"]), "orgs")


def people_for(site: Site, count: int) -> list[tuple[str, str]]:
    rng, org = site.rng, site.org
    with_orgs = site.plan["member_organizations"][0]
    short = rng.random() < 0.3
    result = [(person(rng, site.used_names, short), "председатель")]
    if org.kind == "ppo":
        areas = ["охрану труда", "работу с молодёжью", "культурно-массовую работу",
                 "информационную работу", "оздоровление", "организационную работу",
                 "спортивную работу"]
        rng.shuffle(areas)
        result.append((person(rng, site.used_names, short), "заместитель председателя"))
        for area in areas[:count - 2]:
            job = rng.choice(org.branch["jobs"])
            result.append((person(rng, site.used_names, short), f"{job}, ответственный "
                                                                 f"за {area}"))
        return result
    roles = ["заместитель председателя", "председатель молодёжного совета",
             "председатель ревизионной комиссии", "главный правовой инспектор труда",
             "технический инспектор труда", "член президиума", "главный бухгалтер"]
    if with_orgs:
        roles += ["председатель " + m for m in org.members[7:12] if m.startswith("ППО ")]
    rng.shuffle(roles)
    result += [(person(rng, site.used_names, short), r) for r in roles[:count - 1]]
    return result


def build_collegial(site: Site, present: bool, trap: str | None) -> None:
    rng, org = site.rng, site.org
    labels, new, new3, new4, new5, key = (
        (LEAD_LABELS_PPO, LEAD_LABELS_PPO_NEW, LEAD_LABELS_PPO_NEW3, LEAD_LABELS_PPO_NEW4,
         LEAD_LABELS_PPO_NEW5, "lead_ppo")
        if org.kind == "ppo" else
        (LEAD_LABELS_UPPER, LEAD_LABELS_UPPER_NEW, LEAD_LABELS_UPPER_NEW3, LEAD_LABELS_UPPER_NEW4,
         LEAD_LABELS_UPPER_NEW5, "lead_upper"))
    label, slug = fresh_pick(site, key, labels, new, new3, new4, new5)
    main_nom, main_gen = org.body_main
    if present:
        variant = fresh_pick(site, "lead_layout", ["table", "list", "cards", "dl", "home"],
                             ["bodies", "figures", "paragraphs"], ["inline_names", "tabs"],
                             ["photo_table", "numbered", "contact_cards"],
                             ["word_table", "body_spoilers"])
        site.notes["collegial_bodies"] = variant
        people = people_for(site, rng.randint(4, 8))
        if variant == "table":
            rows = "".join(f"<tr><td>{fio}</td><td>{role}</td><td>"
                           f"{site.phone[:-2]}{rng.randint(10, 99)}</td></tr>\n"
                           for fio, role in people)
            body = ('<table class="staff" border="1" cellpadding="5">\n<tr><th>ФИО</th>'
                    "<th>Должность</th><th>Телефон</th></tr>\n" + rows + "</table>")
        elif variant == "list":
            body = (f"<p>Состав {main_gen}, избранный на конференции {a_date(rng, 2024)}:</p>"
                    + ul([f"<b>{fio}</b> — {role}" for fio, role in people]))
        elif variant == "dl":
            body = "<dl>" + "".join(f"<dt>{role[0].upper() + role[1:]}</dt><dd>{fio}</dd>"
                                    for fio, role in people) + "</dl>"
        elif variant == "bodies":  # the main body, then the audit commission, each its list
            auditors = [person(rng, site.used_names) for _ in range(3)]
            body = (f"<h3>{main_nom}</h3>" + ul([f"{fio} — {role}" for fio, role in people])
                    + "<h3>Контрольно-ревизионная комиссия</h3>"
                    + ul([f"{auditors[0]} — председатель комиссии"] + auditors[1:]))
        elif variant == "figures":  # a photo gallery with captions
            body = '<div class="gallery">' + "".join(
                f'<figure class="gallery-item"><img src="{site.upload(f"foto-{i}.png")}" '
                f'alt="" width="150"><figcaption>{fio}<br><small>{role}</small></figcaption>'
                "</figure>" for i, (fio, role) in enumerate(people, 1)) + "</div>"
        elif variant == "paragraphs":  # one paragraph per person, name in bold
            body = (f"<p>Состав {main_gen}:</p>"
                    + "".join(f"<p><strong>{fio}</strong><br>{role}</p>" for fio, role in people))
        elif variant == "inline_names":  # who was elected, names in one sentence
            body = (f"<p>На конференции {a_date(rng, 2024)} в состав {main_gen} избраны: "
                    + ", ".join(fio for fio, _ in people) + f".</p><p>Председатель — "
                    f"{people[0][0]}.</p>")
        elif variant == "tabs":  # Bootstrap tabs, the first one open without JavaScript
            auditors = [person(rng, site.used_names) for _ in range(3)]
            body = ('<ul class="nav nav-tabs" role="tablist"><li class="active"><a href="#tab-'
                    f'body" data-toggle="tab">{main_nom}</a></li><li><a href="#tab-audit" '
                    'data-toggle="tab">Ревизионная комиссия</a></li></ul><div class="tab-'
                    'content"><div class="tab-pane active" id="tab-body">'
                    + ul([f"{fio} — {role}" for fio, role in people])
                    + '</div><div class="tab-pane" id="tab-audit">' + ul(auditors)
                    + "</div></div>")
        elif variant == "photo_table":  # photo, name and post in a table row each
            rows = "".join(f'<tr><td><img src="{site.upload(f"member-{i}.png")}" alt="" '
                           f'width="90"></td><td><b>{fio}</b><br>{role}</td></tr>\n'
                           for i, (fio, role) in enumerate(people, 1))
            body = (f"<p>Состав {main_gen}</p>"
                    f'<table class="members" cellpadding="6">\n{rows}</table>')
        elif variant == "numbered":  # a numbered list, the posts after the names
            body = (f"<p>Состав {main_gen}:</p><ol>" + "".join(
                f"<li>{fio} — {role}</li>" for fio, role in people) + "</ol>")
        elif variant == "contact_cards":  # each member with a phone and an e-mail
            body = '<div class="persons">' + "".join(
                f'<div class="person"><h4>{fio}</h4><p class="person__post">{role}</p>'
                f"<p>Тел.: {site.phone[:-2]}{rng.randint(10, 99)}<br>E-mail: <a href=\"mailto:"
                f'member{i}@{site.domain}">member{i}@{site.domain}</a></p></div>'
                for i, (fio, role) in enumerate(people, 1)) + "</div>"
        elif variant == "word_table":  # a table pasted from Word, no header row
            rows = "".join(f'<tr><td width="40"><p class="MsoNormal">{i}.</p></td><td><p class='
                           f'"MsoNormal">{fio}</p></td><td><p class="MsoNormal">{role}</p></td>'
                           "</tr>\n" for i, (fio, role) in enumerate(people, 1))
            body = (f'<p class="MsoNormal" align="center"><b>СОСТАВ {main_gen.upper()}</b></p>'
                    '<table class="MsoNormalTable" border="0" cellspacing="0" cellpadding="0">'
                    f"\n{rows}</table>")
        elif variant == "body_spoilers":  # a spoiler per body, each with its members
            auditors = [person(rng, site.used_names) for _ in range(3)]
            body = (f'<details class="su-spoiler" open><summary>{main_nom}</summary>'
                    + ul([f"{fio} — {role}" for fio, role in people]) + "</details>"
                    '<details class="su-spoiler"><summary>Ревизионная комиссия</summary>'
                    + ul([f"{auditors[0]} — председатель"] + auditors[1:]) + "</details>")
        else:
            body = cards_html(site, people)
        if variant == "home":
            title = rng.choice(["Руководство", "Наша команда", f"{main_nom}"])
            site.home_blocks.append(("team", title, body))
        else:
            site.collegial_page = site.add_page(label, slug, label, body, "lead")
    elif trap == "decisions_only":
        site.collegial_page = site.add_page(main_nom, "prezidium" if org.kind != "ppo"
                                            else "profkom", main_nom, "", "lead")
    elif trap == "prose_only":
        body = (f"<p>Члены {main_gen} — это избранные на конференции представители "
                "профсоюзных организаций, которые в период между конференциями руководят "
                "работой организации. Заседания проводятся не реже одного раза в квартал.</p>"
                f"<p>{main_nom} утверждает план работы, смету и отчёты, организует "
                "колдоговорную кампанию и обучение профсоюзного актива.</p>")
        site.add_page(label, slug, label, body, "lead")
    elif trap == "empty_page":
        site.add_page(label, slug, label,
                      "<p>Информация готовится к публикации.</p>", "lead")
    elif trap == "chair_only":  # the chair's greeting and biography, no body's members
        chair = person(rng, site.used_names)
        site.add_page("Председатель", "predsedatel", "Председатель",
                      f'<img src="{site.upload("predsedatel.png")}" alt="{chair}" width="200">'
                      f"<p><b>{chair}</b> — председатель организации, избран(а) на "
                      f"конференции в {rng.randint(2019, 2024)} году.</p><p>Окончил(а) "
                      "университет, работал(а) в отрасли более двадцати лет, награждён(а) "
                      "нагрудным знаком «За заслуги перед профсоюзом».</p>", "lead")
    elif trap == "scheme_image":  # the structure as a picture: bodies named, nobody listed
        site.add_page(label, slug, label,
                      f'<p><img src="{site.upload("struktura.png")}" alt="Структура '
                      f'организации" width="600"></p><p>{main_nom} — постоянно действующий '
                      "выборный орган, подотчётный конференции.</p>", "lead")
    elif trap == "body_regulation":  # the rules of the body, its members not named
        site.add_page(label, slug, "Положение о выборных органах",
                      f"<p>{main_nom} избирается конференцией на пять лет и в период между "
                      "конференциями руководит работой организации. Заседания проводятся по "
                      "мере необходимости, но не реже одного раза в три месяца.</p><p>"
                      f'<a href="{site.upload("polozhenie-o-vybornyh-organah.pdf")}">Положение '
                      "о выборных органах (PDF)</a></p>", "lead")
    elif trap == "conference_announcement":  # a conference to come: the agenda, no names
        site.news_items.insert(0, {
            "title": "Об отчётно-выборной конференции", "slug": "otchetno-vybornaya",
            "teaser": f"{main_nom} принял решение о созыве отчётно-выборной конференции "
                      f"{rng.randint(3, 27)} ноября 2025 года.",
            "body": [f"Норма представительства — один делегат от {rng.randint(30, 150)} членов "
                     "профсоюза.", f"В повестке дня: отчёт о работе, выборы председателя, "
                     f"{main_gen} и ревизионной комиссии."]})
    elif trap == "elections_news":  # news of an election, the new body's members not named
        site.news_items.insert(0, {
            "title": f"Избран новый состав {main_gen}", "slug": "novyj-sostav",
            "teaser": f"Конференция избрала {main_nom.lower()} в количестве "
                      f"{rng.randint(7, 15)} человек.",
            "body": ["Делегаты заслушали отчёт о работе за пять лет и признали работу "
                     "удовлетворительной.",
                     f"Состав {main_gen} будет опубликован после утверждения протокола "
                     "конференции."]})


def cards_html(site: Site, people: list[tuple[str, str]]) -> str:
    cards = []
    for i, (fio, role) in enumerate(people, 1):
        img = site.upload(f"person-{i}.png")
        if site.cms == "tilda":
            cards.append(f'<div class="t524__col t-col t-col_4 t-align_center">'
                         f'<div class="t524__itemwrapper t524__itemwrapper_4">'
                         f'<div class="t524__imgwrapper"><img class="t524__img t-img" '
                         f'src="{img}" alt=""></div><div class="t524__textwrapper">'
                         f'<div class="t524__persname t-name t-name_lg">{fio}</div>'
                         f'<div class="t524__persdescr t-descr t-descr_xxs">{role}</div>'
                         "</div></div></div>")
        else:
            cards.append(f'<div class="team-card"><img src="{img}" alt="{fio}" width="160">'
                         f'<div class="team-card__name">{fio}</div>'
                         f'<div class="team-card__role">{role}</div></div>')
    cls = "t524 t-container" if site.cms == "tilda" else "team"
    return f'<div class="{cls}">\n' + "\n".join(cards) + "\n</div>"


def decisions(site: Site, count: int) -> list[tuple[str, str, str, str]]:
    """(kind, number, date, topic), newest first."""
    rng, org = site.rng, site.org
    out, topics = [], rng.sample(DECISION_TOPICS, count)
    number = rng.randint(12, 40)
    day = dt.date(2025, 5, 20) - dt.timedelta(days=rng.randint(0, 30))
    for topic in topics:
        body = rng.choice([org.body_main, org.body_main, org.body_plenum])
        kind = "Решение" if org.kind == "ppo" and rng.random() < 0.6 else "Постановление"
        out.append((f"{kind} {body[1]}", str(number), day.strftime("%d.%m.%Y"),
                    topic.format(y=day.year)))
        number -= rng.randint(1, 3)
        day -= dt.timedelta(days=rng.randint(20, 80))
    return out


def build_decisions(site: Site, present: bool, trap: str | None) -> None:
    rng, org = site.rng, site.org
    labels, new, new3, new4, new5, key = (
        (DEC_LABELS_PPO, DEC_LABELS_PPO_NEW, DEC_LABELS_PPO_NEW3, DEC_LABELS_PPO_NEW4,
         DEC_LABELS_PPO_NEW5, "dec_ppo")
        if org.kind == "ppo" else
        (DEC_LABELS_UPPER, DEC_LABELS_UPPER_NEW, DEC_LABELS_UPPER_NEW3, DEC_LABELS_UPPER_NEW4,
         DEC_LABELS_UPPER_NEW5, "dec_upper"))
    label, slug = fresh_pick(site, key, labels, new, new3, new4, new5)
    if present:
        variant = fresh_pick(site, "dec_layout", ["list", "pdf", "table", "full", "home"],
                             ["by_year", "protocols", "docx_table"],
                             ["details_by_year", "extracts"], ["date_cards", "dl_list"],
                             ["year_tabs", "word_table"])
        items = decisions(site, rng.randint(4, 8))
        site.notes["body_decisions"] = variant
        if variant == "list":
            body = ul([f"{k} № {num} от {d} «{t}»" for k, num, d, t in items], "decisions")
        elif variant == "pdf":
            links = []
            for k, num, d, t in items:
                href = site.upload(f"postanovlenie-{num}.pdf")
                links.append(f'<a href="{href}">{k.capitalize()} № {num} «{t}»</a> '
                             f"от {d} (PDF)")
            body = ul(links, "docs")
        elif variant == "table":
            rows = "".join(f"<tr><td>{num}</td><td>{d}</td><td>{k} «{t}»</td></tr>\n"
                           for k, num, d, t in items)
            body = ('<table class="decisions" border="1" cellpadding="4">\n<tr><th>№</th>'
                    "<th>Дата</th><th>Наименование</th></tr>\n" + rows + "</table>")
        elif variant == "full":
            k, num, d, t = items[0]
            resolution = k.startswith("Пост")
            whom = "профгруппоргам" if org.kind == "ppo" else \
                "председателям первичных профсоюзных организаций"
            body = (f'<div class="decision"><p><b>{k.upper()}</b></p><p>{d} № {num}</p>'
                    f"<p><b>{t}</b></p><p>Заслушав информацию, {k.split(' ', 1)[1]} "
                    f"{'ПОСТАНОВЛЯЕТ' if resolution else 'РЕШИЛ'}:</p><ol>"
                    "<li>Информацию принять к сведению.</li>"
                    f"<li>Поручить {whom} обеспечить выполнение настоящего "
                    f"{'постановления' if resolution else 'решения'}.</li>"
                    "<li>Контроль за выполнением возложить на заместителя председателя.</li>"
                    "</ol>"
                    f"<p>Председатель {person(rng, site.used_names, True)}</p></div>"
                    "<h3>Ранее принятые</h3>"
                    + ul([f"{k2} № {n2} от {d2} «{t2}»" for k2, n2, d2, t2 in items[1:]]))
        elif variant == "by_year":  # grouped under year headings, newest first
            years: dict[str, list[str]] = {}
            for k, num, d, t in items:
                years.setdefault(d[-4:], []).append(f"{k} от {d} № {num} «{t}»")
            body = "".join(f"<h3>{y} год</h3>" + ul(lines) for y, lines in years.items())
        elif variant == "protocols":  # minutes: what was heard and what was resolved
            body = "".join(
                f'<div class="protocol"><h3>Протокол заседания {k.split(" ", 1)[1]} № {num} '
                f"от {d}</h3><p><b>Слушали:</b> {t}.</p><p><b>Постановили:</b> информацию "
                "принять к сведению, утвердить предложенный порядок, контроль возложить на "
                "председателя.</p></div>" for k, num, d, t in items[:4])
        elif variant == "docx_table":  # a table of downloadable Word files
            rows = "".join(f'<tr><td>{d}</td><td><a href="{site.upload(f"reshenie-{num}.docx")}'
                           f'">{k} № {num}</a></td><td>{t}</td></tr>\n'
                           for k, num, d, t in items)
            body = ('<table class="docs-table" border="1" cellpadding="4">\n<tr><th>Дата'
                    "</th><th>Документ</th><th>О чём</th></tr>\n" + rows + "</table>")
        elif variant == "details_by_year":  # a spoiler per year, the newest one open
            years = {}
            for k, num, d, t in items:
                years.setdefault(d[-4:], []).append(f"{k} № {num} от {d} «{t}»")
            body = "".join(f'<details{" open" if i == 0 else ""}><summary>{y}</summary>'
                           + ul(lines) + "</details>" for i, (y, lines) in
                           enumerate(years.items()))
        elif variant == "extracts":  # extracts from the minutes, one per decision
            body = "".join(
                f'<div class="extract"><p><b>Выписка из протокола заседания {k.split(" ", 1)[1]}'
                f" № {num} от {d}</b></p><p>По вопросу «{t}» "
                f"{'ПОСТАНОВИЛИ' if k.startswith('Пост') else 'РЕШИЛИ'}: утвердить, "
                "ответственным за исполнение назначить заместителя председателя.</p></div>"
                for k, num, d, t in items[:3])
        elif variant == "date_cards":  # cards: the date, the title, a PDF to download
            body = '<div class="doc-cards">' + "".join(
                f'<div class="doc-card"><div class="doc-card__date">{d}</div><div class="doc-'
                f'card__title">{k} № {num} «{t}»</div><a class="doc-card__link" href="'
                f'{site.upload(f"post-{num}.pdf")}">Скачать (PDF)</a></div>'
                for k, num, d, t in items) + "</div>"
        elif variant == "dl_list":  # a definition list: the number and date, then the topic
            body = '<dl class="decisions">' + "".join(
                f"<dt>{k} № {num} от {d}</dt><dd>{t}</dd>" for k, num, d, t in items) + "</dl>"
        elif variant == "year_tabs":  # Bootstrap tabs per year, the newest one open
            years = {}
            for k, num, d, t in items:
                years.setdefault(d[-4:], []).append(f"{k} № {num} от {d} «{t}»")
            body = ('<ul class="nav nav-tabs">' + "".join(
                f'<li class="{"active" if i == 0 else ""}"><a href="#y{y}" data-toggle="tab">'
                f"{y}</a></li>" for i, y in enumerate(years)) + '</ul><div class="tab-content">'
                + "".join(f'<div class="tab-pane{" active" if i == 0 else ""}" id="y{y}">'
                          + ul(lines) + "</div>" for i, (y, lines) in enumerate(years.items()))
                + "</div>")
        elif variant == "word_table":  # a table pasted from Word: № п/п, date, title
            rows = "".join(f'<tr><td><p class="MsoNormal">{i}</p></td><td><p class="MsoNormal">'
                           f'{d}</p></td><td><p class="MsoNormal">{k} № {num} «{t}»</p></td></tr>\n'
                           for i, (k, num, d, t) in enumerate(items, 1))
            body = ('<table class="MsoTableGrid" border="1" cellspacing="0" cellpadding="0">\n'
                    '<tr><td><p class="MsoNormal"><b>№ п/п</b></p></td><td><p class="MsoNormal">'
                    '<b>Дата</b></p></td><td><p class="MsoNormal"><b>Наименование документа</b>'
                    "</p></td></tr>\n" + rows + "</table>")
        else:
            body = ul([f"{d} — {k} № {num} «{t}»" for k, num, d, t in items[:4]])
        heading = rng.choice([f"Постановления {org.body_main[1]}", "Решения выборных органов",
                              f"Решения {org.body_main[1]}"])
        if site.plan["collegial_bodies"][1] == "decisions_only":
            site.collegial_page.body.append(body)
        elif variant == "home":
            site.home_blocks.append(("decisions", heading, body))
        elif site.collegial_page is not None and rng.random() < 0.3:
            site.collegial_page.body.append(f"<h2>{heading}</h2>" + body)
        elif rng.random() < 0.35:
            docs_page(site).body.append(f"<h2>{heading}</h2>" + body)
        else:
            site.add_page(label, slug, label, body, "dec")
    elif trap == "material_help":
        site.news_items.insert(0, {
            "title": "Решение о выплате материальной помощи: как подать заявление",
            "slug": "materialnaya-pomoshch",
            "teaser": "Члены профсоюза в трудной жизненной ситуации могут получить "
                      "материальную помощь.",
            "body": ["Для получения помощи нужно подать заявление председателю первичной "
                     "организации и приложить подтверждающие документы.",
                     "Решение о выплате материальной помощи сообщается заявителю в течение "
                     "месяца после подачи заявления."]})
    elif trap == "court_decision":
        site.news_items.insert(0, {
            "title": "Решение суда: работнику выплатят задолженность по зарплате",
            "slug": "reshenie-suda",
            "teaser": "Правовой инспектор труда профсоюза помог работнику отстоять свои "
                      "права в суде.",
            "body": ["Работодатель задерживал выплату заработной платы три месяца.",
                     "Суд удовлетворил иск полностью. Решение суда вступило в законную силу, "
                     "задолженность выплачена с компенсацией за задержку."]})
    elif trap == "docs_without_decisions":
        docs = [("Устав профсоюза", "ustav.pdf"),
                ("Коллективный договор на 2024–2027 годы", "koldogovor.pdf"),
                ("Отраслевое соглашение", "soglashenie.pdf"),
                ("Положение о материальной помощи", "polozhenie-matpomoshch.pdf")]
        body = ul([f'<a href="{site.upload(f)}">{t}</a>' for t, f in docs], "docs")
        docs_page(site).body.append(body)
    elif trap == "work_plan":  # what the body plans to consider, nothing decided yet
        items = [f"<tr><td>{m}</td><td>{t.format(y=2025)}</td></tr>" for m, t in zip(
            ["Февраль", "Апрель", "Июнь", "Сентябрь", "Ноябрь"],
            rng.sample(DECISION_TOPICS, 5), strict=True)]
        site.add_page(label, slug, f"План работы {org.body_main[1]} на 2025 год",
                      '<table class="plan" border="1" cellpadding="4"><tr><th>Месяц</th>'
                      "<th>Вопросы для рассмотрения</th></tr>" + "".join(items) + "</table>",
                      "dec")
    elif trap == "government_decree":  # decrees of the authorities, not of the union
        _, gen, _, _ = org.region
        decrees = [f"Постановление Правительства {gen} области от {a_date(rng)} № "
                   f"{rng.randint(100, 900)}-п «Об установлении регионального минимального "
                   "размера оплаты труда»",
                   f"Постановление Правительства РФ от {a_date(rng)} № {rng.randint(1000, 2200)}"
                   " «О минимальном размере оплаты труда»",
                   f"Приказ Минтруда России от {a_date(rng)} № {rng.randint(100, 800)}н "
                   "«Об утверждении Правил по охране труда»"]
        docs_page(site).body.append("<h2>Нормативные правовые акты</h2>" + ul(decrees))
    elif trap == "meeting_announcement":  # a meeting to come, its agenda, no decision
        topics = rng.sample(DECISION_TOPICS, 3)
        site.news_items.insert(0, {
            "title": f"Заседание {org.body_main[1]} состоится {rng.randint(3, 27)} июня",
            "slug": "anons-zasedaniya",
            "teaser": f"На очередном заседании {org.body_main[1]} планируется рассмотреть "
                      "несколько вопросов.",
            "body": ["В повестке дня:"] + [t.format(y=2025) for t in topics]})
    elif trap == "higher_body_decisions":  # decisions of FNPR and of the branch union only
        docs_page(site).body.append("<h2>Документы вышестоящих профсоюзных органов</h2>" + ul([
            f"Постановление Исполкома ФНПР от {a_date(rng)} № {rng.randint(2, 9)}-"
            f"{rng.randint(1, 12)} «О задачах профсоюзов по повышению реальных зарплат»",
            f"Постановление Президиума ЦС {org.branch['gen']} от {a_date(rng)} № "
            f"{rng.randint(10, 40)}-{rng.randint(1, 9)} «О проведении Года охраны труда»",
            f"Постановление Генерального Совета ФНПР от {a_date(rng)} № "
            f"{rng.randint(1, 9)}-{rng.randint(1, 5)} «О колдоговорной кампании»"]))
    elif trap == "template_forms":  # blank forms for primary organizations, no decision taken
        forms = [("Образец протокола профсоюзного собрания", "obrazec-protokola.docx"),
                 ("Форма решения профкома (образец)", "obrazec-resheniya.docx"),
                 ("Образец постановления о созыве собрания", "obrazec-postanovleniya.docx")]
        docs_page(site).body.append("<h2>Образцы документов для первичных организаций</h2>"
                                    + ul([f'<a href="{site.upload(f)}">{t}</a>'
                                          for t, f in forms]))
    elif trap == "empty_years":  # an archive by year, nothing in it yet
        site.add_page(label, slug, label,
                      "<h3>2025 год</h3><p>Документы будут размещены после утверждения "
                      "протоколов.</p><h3>2024 год</h3><p>Документы не размещены.</p>"
                      "<h3>2023 год</h3><p>Документы не размещены.</p>", "dec")
    elif trap == "meetings_stats":  # how many meetings were held, not what they decided
        site.add_page(label, slug, label,
                      f"<p>В 2024 году проведено {rng.randint(6, 14)} заседаний "
                      f"{org.body_main[1]}, рассмотрено {rng.randint(40, 120)} вопросов. "
                      "Протоколы заседаний хранятся в аппарате организации и предоставляются "
                      "членам профсоюза по запросу.</p>", "dec")


def docs_page(site: Site) -> Page:
    if site.docs_page is None:
        label, slug = site.rng.choice([("Документы", "dokumenty"), ("Документы", "docs"),
                                       ("Нормативные документы", "normativnye-dokumenty")])
        site.docs_page = site.add_page(label, slug, label, "", "dec")
    return site.docs_page


def build_activist(site: Site, present: bool, trap: str | None) -> None:
    rng = site.rng
    label, slug = fresh_pick(site, "act_labels", ACT_LABELS, ACT_LABELS_NEW, ACT_LABELS_NEW3,
                             ACT_LABELS_NEW4, ACT_LABELS_NEW5)
    if present:
        variant = fresh_pick(site, "act_layout", ["docs", "memos", "library", "school", "home"],
                             ["bulletins", "accordion", "cards"],
                             ["yadisk_link", "video_lessons"], ["file_icons", "covers"],
                             ["wp_file_block", "pdf_embed"])
        site.notes["activist_materials"] = variant
        titles = rng.sample(ACTIVIST_DOCS, rng.randint(4, 7))
        files = []
        for i, title in enumerate(titles, 1):
            ext = rng.choice(["pdf", "docx"])
            files.append((title, site.upload(f"metod-{i}.{ext}"), ext.upper()))
        links = [f'<a href="{href}">{t}</a> ({ext}, {rng.randint(40, 900)} КБ)'
                 for t, href, ext in files]
        if variant == "docs":
            body = "<p>Материалы для председателей и профсоюзного актива.</p>" + ul(links)
        elif variant == "memos":
            memos = rng.sample(MEMOS, rng.randint(2, 3))
            body = "".join(f"<h3>{t}</h3><ol>" + "".join(f"<li>{s}</li>" for s in steps)
                           + "</ol>" for t, steps in memos)
        elif variant == "library":
            rows = "".join(f'<tr><td>{t}</td><td>{ext}</td><td><a href="{href}">Скачать</a>'
                           "</td></tr>\n" for t, href, ext in files)
            body = ('<table class="library" border="1" cellpadding="4">\n<tr><th>Материал'
                    "</th><th>Формат</th><th></th></tr>\n" + rows + "</table>")
        elif variant == "school":
            body = ("<p>Занятия Школы профсоюзного актива проходят ежемесячно. "
                    "Материалы занятий:</p>" + ul(links))
        elif variant == "bulletins":  # an archive of numbered issues of the bulletin
            issues = [f'<a href="{site.upload(f"byulleten-{i}-2025.pdf")}">Информационный '
                      f"бюллетень № {i} (2025): {t}</a>"
                      for i, t in enumerate(titles[:4], 1)]
            body = "<p>Выпуски бюллетеня для профсоюзного актива:</p>" + ul(issues[::-1])
        elif variant == "accordion":  # a spoiler per topic, each with its files
            half = len(links) // 2
            topics = [("Организационная работа", links[:half]),
                      ("Охрана труда и правовая работа", links[half:])]
            body = "".join(f'<details class="spoiler"><summary>{t}</summary>{ul(items)}'
                           "</details>" for t, items in topics)
        elif variant == "cards":  # memo cards with a short text and a download button
            body = '<div class="cards">' + "".join(
                f'<div class="card"><div class="card__title">{t}</div><div class="card__text">'
                f"Материал для председателей и профгруппоргов.</div>"
                f'<a class="card__btn" href="{href}">Скачать {ext}</a></div>'
                for t, href, ext in files) + "</div>"
        elif variant == "yadisk_link":  # the materials kept in a Yandex Disk folder
            body = ("<p>Методические материалы для председателей первичных организаций "
                    "собраны в папке на Яндекс Диске:</p><p><a class=\"btn\" href=\""
                    f'https://disk.yandex.ru/d/{rng.getrandbits(64):016x}" target="_blank">'
                    f"Открыть папку «Методические материалы» ({len(titles)} файлов)</a></p>"
                    "<p>В папке:</p>" + ul(titles))
        elif variant == "video_lessons":  # recorded lessons on Rutube, each with its handout
            body = "".join(
                f"<h3>Занятие {i}. {t}</h3><iframe src=\"https://rutube.ru/play/embed/"
                f'{rng.getrandbits(128):032x}" width="560" height="315" frameborder="0" '
                'allow="clipboard-write; autoplay" allowfullscreen></iframe>'
                f'<p><a href="{href}">Раздаточный материал к занятию ({ext})</a></p>'
                for i, (t, href, ext) in enumerate(files[:2], 1))
        elif variant == "file_icons":  # a file list with an icon per format and the size
            body = '<ul class="files">' + "".join(
                f'<li class="file file-{ext.lower()}"><img src="'
                f'{site.upload("icon-" + ext.lower() + ".svg")}" alt="{ext}" width="20"> '
                f'<a href="{href}">{t}</a> <span class="file__size">{rng.randint(40, 900)} КБ'
                "</span></li>" for t, href, ext in files) + "</ul>"
        elif variant == "covers":  # brochure covers, each a link to its file
            body = '<div class="brochures">' + "".join(
                f'<div class="brochure"><a href="{href}"><img src="'
                f'{site.upload(f"oblozhka-{i}.png")}" alt="" width="140"><br>{t}</a></div>'
                for i, (t, href, _) in enumerate(files, 1)) + "</div>"
        elif variant == "wp_file_block":  # WordPress file blocks, a «Скачать» button each
            body = "".join(
                f'<div class="wp-block-file"><a href="{href}">{t}</a><a href="{href}" class="wp-'
                'block-file__button wp-element-button" download>Скачать</a></div>'
                for t, href, _ in files)
        elif variant == "pdf_embed":  # the first brochure shown in a PDF viewer, the rest listed
            t, href, _ = next((f for f in files if f[2] == "PDF"), files[0])
            body = (f"<h3>{t}</h3><object data=\"{href}\" type=\"application/pdf\" width=\"100%\" "
                    f'height="600"><p><a href="{href}">Открыть документ</a></p></object>'
                    "<h3>Другие материалы</h3>" + ul(links))
        else:
            body = ul(links[:4])
        if variant == "home":
            site.home_blocks.append(("aktiv", rng.choice(["В помощь профактиву",
                                                          "Методические материалы",
                                                          "Профактиву"]), body))
        elif site.docs_page is not None and rng.random() < 0.5:
            site.docs_page.body.append(f"<h2>{label}</h2>" + body)
        else:
            site.add_page(label, slug, label, body, "act")
    elif trap == "menu_hash":
        site.menu.append((label, "#"))
    elif trap == "in_development":
        site.add_page(label, slug, label, "<p>Раздел в разработке.</p>", "act")
    elif trap == "seminar_news":
        site.news_items.insert(0, {
            "title": "Семинар «В помощь профактиву» собрал председателей первичных организаций",
            "slug": "seminar-profaktiv",
            "teaser": "Состоялся ежегодный обучающий семинар для профсоюзного актива.",
            "body": ["На семинаре выступили специалисты по охране труда и правовой работе.",
                     "Участники обменялись опытом работы и получили сертификаты."]})
    elif trap == "study_plan":  # when the courses are, not what they teach with
        rows = "".join(f"<tr><td>{a_date(rng, 2025)}</td><td>{t}</td></tr>" for t in [
            "Школа молодого председателя", "Семинар уполномоченных по охране труда",
            "Курсы для казначеев первичных организаций"])
        site.add_page(label, slug, label,
                      "<p>План обучения профсоюзного актива на 2025 год. Заявки принимает "
                      "организационный отдел.</p>"
                      '<table class="plan" border="1" cellpadding="4"><tr><th>Дата</th>'
                      f"<th>Мероприятие</th></tr>{rows}</table>", "act")
    elif trap == "login_required":  # the materials are behind a login
        site.add_page(label, slug, label,
                      "<p>Материалы для председателей первичных организаций доступны в "
                      "личном кабинете. Логин и пароль выдаёт организационный отдел.</p>"
                      '<form class="login" method="post"><p><label>Логин<br><input '
                      'type="text" name="login"></label></p><p><label>Пароль<br><input '
                      'type="password" name="password"></label></p><p><button '
                      'type="submit">Войти</button></p></form>', "act")
    elif trap == "paid_courses":  # paid courses for activists offered, no materials
        site.add_page(label, slug, label,
                      "<p>Учебный центр профсоюзов проводит курсы для председателей и "
                      "казначеев первичных организаций. Стоимость обучения — "
                      f"{rng.choice([3500, 4800, 6000])} руб., по окончании выдаётся "
                      "удостоверение.</p><p>Запись по телефону организационного отдела: "
                      f"{site.phone}.</p>", "act")
    elif trap == "methodics_contest":  # a contest for activists announced, no materials
        site.news_items.insert(0, {
            "title": "Объявлен конкурс методических разработок «Лучший профорг»",
            "slug": "konkurs-metodrazrabotok",
            "teaser": "Председатели первичных организаций приглашаются принять участие в "
                      "конкурсе.",
            "body": ["Работы принимаются до 1 октября в организационном отделе.",
                     "Лучшие разработки будут опубликованы после подведения итогов."]})
    elif trap == "survey_form":  # a questionnaire for activists, no materials
        questions = [("Сколько лет вы председатель?", ["до года", "1–5 лет", "больше 5 лет"]),
                     ("Какие темы обучения вам нужны?", ["охрана труда", "колдоговор",
                                                         "информационная работа"])]
        site.add_page(label, slug, label,
                      "<p>Анкета для председателей первичных организаций. Ответы помогут "
                      'спланировать обучение.</p><form class="survey" method="post" '
                      'action="/">' + "".join(
                          f"<p><b>{q}</b><br>" + "<br>".join(
                              f'<label><input type="radio" name="q{i}"> {a}</label>'
                              for a in answers) + "</p>"
                          for i, (q, answers) in enumerate(questions, 1))
                      + '<p><button type="submit">Отправить анкету</button></p></form>', "act")


def build_fnpr_news(site: Site, present: bool, trap: str | None) -> None:
    rng = site.rng
    titles = rng.sample(FNPR_NEWS_TITLES + (FNPR_NEWS_TITLES_NEW if site.fresh else [])
                        + (FNPR_NEWS_TITLES_NEW3 if site.fresh3 else [])
                        + (FNPR_NEWS_TITLES_NEW4 if site.fresh4 else [])
                        + (FNPR_NEWS_TITLES_NEW5 if site.fresh5 else []), 5)
    if present:
        variant = fresh_pick(site, "fnpr_news_layout", ["block", "block", "block", "iframe"],
                             ["dated", "cards", "marquee"],
                             ["table_feed", "rss_widget", "informer_script"],
                             ["thumbs", "date_paragraphs"], ["carousel", "news_page"])
        site.notes["fnpr_news"] = variant
        heading = fresh_pick(site, "fnpr_news_heading", FNPR_HEADINGS, FNPR_HEADINGS_NEW,
                             FNPR_HEADINGS_NEW3, FNPR_HEADINGS_NEW4, FNPR_HEADINGS_NEW5)
        if variant == "iframe":
            html = ('<iframe src="https://fnpr.ru/informer/?n=5&amp;w=240" width="240" '
                    'height="360" frameborder="0" scrolling="no" title="Новости ФНПР">'
                    "</iframe>")
        elif variant == "dated":  # date, title, and the source after each item
            html = ul([f'<span class="date">{a_date(rng, 2025)}</span> <a href="'
                       f'{fnpr_news_url(rng)}" target="_blank" rel="noopener">{t}</a> '
                       '<span class="src">fnpr.ru</span>' for t in titles[:4]], "news-feed")
        elif variant == "cards":  # cards with a «read on fnpr.ru» button
            html = '<div class="news-cards">' + "".join(
                f'<div class="news-card"><div class="news-card__title">{t}</div>'
                f'<a class="news-card__more" href="{fnpr_news_url(rng)}" target="_blank">'
                "Читать на fnpr.ru →</a></div>" for t in titles[:3]) + "</div>"
        elif variant == "marquee":  # a running line, as on old hand-made sites
            html = ('<marquee scrollamount="3" class="fnpr-ticker">' + " • ".join(
                f'<a href="{fnpr_news_url(rng)}" target="_blank">{t}</a>' for t in titles[:4])
                + "</marquee>")
        elif variant == "table_feed":  # a table: date, then the headline
            html = ('<table class="fnpr-feed" cellpadding="3">' + "".join(
                f'<tr><td class="date">{a_date(rng, 2025)}</td><td><a href="'
                f'{fnpr_news_url(rng)}" target="_blank">{t}</a></td></tr>' for t in titles[:4])
                + "</table>")
        elif variant == "rss_widget":  # WordPress's RSS widget reading fnpr.ru's feed
            html = '<ul class="rss-widget">' + "".join(
                f'<li><a class="rsswidget" href="{fnpr_news_url(rng)}">{t}</a> <span class="'
                f'rss-date">{rng.randint(1, 28)} мая 2025</span></li>'
                for t in titles[:4]) + "</ul>"
        elif variant == "informer_script":  # the FNPR informer as a script, nothing without it
            html = ('<div id="fnpr-informer"></div><script src="https://fnpr.ru/informer/'
                    f'informer.js?n={rng.randint(3, 6)}" charset="utf-8"></script>')
        elif variant == "thumbs":  # a picture beside each headline
            html = '<div class="fnpr-thumbs">' + "".join(
                f'<div class="fnpr-thumb"><img src="{site.upload(f"fnpr-news-{i}.png")}" '
                f'alt="" width="80"><a href="{fnpr_news_url(rng)}" target="_blank">{t}</a></div>'
                for i, t in enumerate(titles[:3], 1)) + "</div>"
        elif variant == "date_paragraphs":  # a paragraph per item: the date in bold, the link
            html = "".join(f"<p><b>{a_date(rng, 2025)}</b><br><a href=\"{fnpr_news_url(rng)}\" "
                           f'target="_blank">{t}</a></p>' for t in titles[:4])
        elif variant == "carousel":  # a slider of headlines, every slide in the HTML
            html = '<div class="owl-carousel fnpr-slider">' + "".join(
                f'<div class="item"><span class="date">{a_date(rng, 2025)}</span><a href="'
                f'{fnpr_news_url(rng)}" target="_blank">{t}</a></div>' for t in titles[:4]) \
                + "</div>"
        elif variant == "news_page":  # a page of its own, reached from the menu
            site.add_page(heading or "Новости ФНПР", "novosti-fnpr", heading or "Новости ФНПР",
                          ul([f'{a_date(rng, 2025)} — <a href="{fnpr_news_url(rng)}" '
                              f'target="_blank">{t}</a>' for t in titles]))
            return
        else:
            count = rng.randint(3, 5)
            html = ul([f'<a href="{fnpr_news_url(rng)}" target="_blank">{t}</a>'
                       for t in titles[:count]], "fnpr-news")
        place_widget(site, heading, html, "fnpr_news")
    elif trap == "local_reprints":
        for title in titles[:2]:
            site.reprints.append({
                "title": title, "slug": "fnpr-" + str(rng.randint(100, 999)),
                "teaser": "", "body": [f"{title}. Об этом сообщает пресс-служба Федерации "
                                       "Независимых Профсоюзов России.",
                                       "Профсоюзы продолжат добиваться защиты "
                                       "социально-трудовых прав работников."],
                "source": True})
    elif trap == "single_link":
        site.notes["fnpr_single_link"] = fnpr_news_url(rng)
    elif trap == "lookalike_links":
        host = "fnpr.ru.news-24.example"
        html = ul([f'<a href="{fnpr_news_url(rng, host)}">{t}</a>' for t in titles[:4]])
        place_widget(site, "Новости ФНПР", html, "fnpr_lookalike")
    elif trap == "regional_news":  # an FNPR-like heading over the regional federation's news
        host = f"https://fpo-{site.org.region[3]}.example"
        html = ul([f'<a href="{host}/news/{rng.randint(1000, 9999)}/" target="_blank">{t}</a>'
                   for t in ["Федерация профсоюзов области подвела итоги колдоговорной "
                             "кампании", "Областная трёхсторонняя комиссия обсудила рост "
                             "зарплат", "Профсоюзы области провели акцию «За достойный труд»"]])
        place_widget(site, rng.choice(["Новости профсоюзов", "Новости ФНПР в регионе"]), html,
                     "fnpr_regional")
    elif trap == "empty_block":  # the informer's box left empty
        place_widget(site, "Новости ФНПР", '<div id="fnpr-news" class="informer-fnpr">'
                                          "Загрузка новостей…</div>", "fnpr_empty")
    elif trap == "fnpr_telegram":  # FNPR's Telegram channel offered, no news on the site
        place_widget(site, "Новости ФНПР", '<p>Оперативные новости Федерации Независимых '
                     'Профсоюзов России — в <a href="https://t.me/fnpr_official" target="_blank">'
                     "Telegram-канале ФНПР</a>.</p>", "fnpr_telegram")
    elif trap == "media_about_fnpr":  # the press about FNPR, nothing from fnpr.ru
        links = [(f"https://rg.ru/2025/05/{rng.randint(10, 28)}/fnpr-{rng.randint(100, 999)}"
                  ".html", "«Российская газета»"),
                 (f"https://tass.ru/ekonomika/{rng.randint(20_000_000, 24_999_999)}", "ТАСС")]
        place_widget(site, "Профсоюзы в СМИ", ul([
            f'<a href="{u}" target="_blank">{src}: {t}</a>'
            for (u, src), t in zip(links, titles[:2], strict=True)]), "fnpr_media")
    elif trap == "menu_link":  # a menu item leading to fnpr.ru's news, no news on the site
        site.menu.append(("Новости ФНПР", "https://fnpr.ru/news/"))


def build_fnpr_link(site: Site, present: bool, trap: str | None) -> None:
    rng = site.rng
    news_present, news_trap = site.plan["fnpr_news"]
    must = news_present and site.notes.get("fnpr_news") in ("iframe", "informer_script")
    implied = news_present or news_trap in NEWS_TRAPS_WITH_FNPR_LINK
    if present:
        if implied and not must and rng.random() < 0.5:
            site.notes["fnpr_link"] = "news links only"
            return
        url = fresh_pick(site, "fnpr_url", ["https://fnpr.ru/", "https://www.fnpr.ru/",
                                            "http://www.fnpr.ru", "https://fnpr.ru"],
                         FNPR_URLS_NEW, FNPR_URLS_NEW3, FNPR_URLS_NEW4, FNPR_URLS_NEW5)
        variant = fresh_pick(site, "fnpr_link_layout", ["banner", "text", "partners", "menu"],
                             ["header_badge", "intro_text", "links_page"],
                             ["footer_member", "chain"], ["higher_orgs_widget", "about_page"],
                             ["logo_caption", "contacts_higher"])
        site.notes["fnpr_link"] = variant
        title = "Федерация Независимых Профсоюзов России"
        if variant == "header_badge":  # «член ФНПР» logo in the header
            site.header_bits.append(f'<a class="fnpr-badge" href="{url}" target="_blank" '
                                    f'title="{title}"><img src="{site.upload("fnpr-logo.png")}" '
                                    'alt="ФНПР" height="40"></a>')
        elif variant == "intro_text":  # a link inside the text about the organization
            site.home_blocks.append((None, None, f"<p>Организация входит в <a href=\"{url}\" "
                                                 f'target="_blank">{title}</a> через '
                                                 "территориальное объединение профсоюзов.</p>"))
        elif variant == "links_page":  # a separate page of useful links
            links = rng.sample(USEFUL_LINKS, 3) + [(title, url)]
            rng.shuffle(links)
            site.add_page("Полезные ссылки", "poleznye-ssylki", "Полезные ссылки",
                          ul([f'<a href="{u}" target="_blank">{t}</a>' for t, u in links]))
        elif variant == "footer_member":  # «член ФНПР» in the footer, the name a link
            site.footer_bits.append(f'<p class="member-of">Организация — член <a href="{url}" '
                                    f'target="_blank">{title}</a></p>')
        elif variant == "chain":  # the chain of the union's structure, FNPR at its top
            site.home_blocks.append((None, "Мы в структуре профсоюзов",
                                     f'<p class="chain"><a href="{url}" target="_blank">ФНПР</a>'
                                     f" → {site.org.branch['short']} → {site.org.name}</p>"))
        elif variant == "higher_orgs_widget":  # a side block of the organizations above it
            branch = site.org.branch
            site.widgets.append(("Вышестоящие организации", ul([
                f'<a href="{url}" target="_blank">{title}</a>',
                f'<a href="https://{branch["slug"]}.profsoyuz.example/" target="_blank">'
                f'{branch["short"]}</a>',
                f'<a href="https://fpo-{site.org.region[3]}.example/" target="_blank">Федерация '
                f"профсоюзов {site.org.region[1]} области</a>"])))
        elif variant == "about_page":  # the link inside the text of a page about the union
            site.add_page("О профсоюзе", "o-profsoyuze", "О профсоюзе",
                          f"<p>{site.org.name} входит в {site.org.branch['short']}, членскую "
                          f'организацию <a href="{url}" target="_blank">{title}</a>.</p><p>'
                          "Профсоюз объединяет работников отрасли и защищает их трудовые "
                          "права.</p>", "about")
        elif variant == "logo_caption":  # a side block: the logo and «член ФНПР», both links
            site.widgets.append((None, f'<p class="fnpr-member"><a href="{url}" target="_blank">'
                                 f'<img src="{site.upload("fnpr-logo.png")}" alt="ФНПР" '
                                 f'width="120"></a><br><a href="{url}" target="_blank">Мы — '
                                 "член ФНПР</a></p>"))
        elif variant == "contacts_higher":  # the contacts page names FNPR with its address
            add_contacts(site, f'<p>Вышестоящая организация: {site.org.branch["short"]}, '
                               f'член <a href="{url}" target="_blank">Федерации Независимых '
                               "Профсоюзов России</a></p>")
        else:
            link_to(site, variant, url, title, "fnpr")
    elif trap == "logo_no_link":  # the FNPR logo as a picture with no link
        place_widget(site, None, f'<img src="{site.upload("fnpr-logo.png")}" alt="Член ФНПР" '
                                 'title="Федерация Независимых Профсоюзов России" width="200">',
                     "fnpr")
    elif trap == "branch_union":  # the branch union's own site, «член ФНПР» in its name
        branch = site.org.branch
        link_to(site, rng.choice(["banner", "text"]),
                f"https://{branch['slug']}.profsoyuz.example/",
                f"{branch['short']} — член ФНПР", "union")
    elif trap == "local_fnpr_pdf":  # FNPR's documents, downloaded to the site itself
        docs = [("Устав ФНПР", "ustav-fnpr.pdf"),
                ("Генеральное соглашение между общероссийскими объединениями профсоюзов, "
                 "работодателей и Правительством РФ", "generalnoe-soglashenie.pdf")]
        docs_page(site).body.append("<h2>Документы ФНПР</h2>" + ul(
            [f'<a href="{site.upload(f)}">{t}</a>' for t, f in docs]))
    elif trap == "url_as_text":  # FNPR's address written out, not a link
        site.footer_bits.append("<p>Федерация Независимых Профсоюзов России: www.fnpr.ru</p>")
    elif trap == "fnpr_social":  # FNPR's groups in social networks, not its site
        site.widgets.append(("ФНПР в социальных сетях", ul([
            '<a href="https://vk.com/fnpr_official" target="_blank">ФНПР ВКонтакте</a>',
            '<a href="https://t.me/fnpr_official" target="_blank">ФНПР в Telegram</a>'])))
    elif trap in ("fnprr", "profnpr", "fnpr_lookalike_host"):
        url = {"fnprr": "https://fnprr.ru/", "profnpr": "https://profnpr.ru/",
               "fnpr_lookalike_host": "https://fnpr.ru.news-24.example/"}[trap]
        link_to(site, rng.choice(["banner", "text", "partners"]), url,
                "Федерация Независимых Профсоюзов России", "fnpr")
    elif trap == "source_text" and not site.reprints:
        title = rng.choice(FNPR_NEWS_TITLES)
        site.news_items.insert(0, {
            "title": title, "slug": "fnpr-" + str(rng.randint(100, 999)), "teaser": "",
            "body": ["Материал Федерации Независимых Профсоюзов России."], "source": True})


def link_to(site: Site, variant: str, url: str, title: str, image: str) -> None:
    """A link to an outside site as a banner, a useful-links entry, a partner logo, a menu item."""
    rng = site.rng
    if variant == "banner":
        img = site.upload(f"banner-{image}.png")
        place_widget(site, None, f'<a href="{url}" target="_blank" title="{title}">'
                                 f'<img src="{img}" alt="{title}" width="240"></a>', image)
    elif variant == "text":
        links = rng.sample(USEFUL_LINKS, 2) + [(title, url)]
        rng.shuffle(links)
        place_widget(site, "Полезные ссылки",
                     ul([f'<a href="{u}" target="_blank">{t}</a>' for t, u in links]), image)
    elif variant == "partners":
        logos = [(title, url, image)] + [(t, u, f"partner-{i}")
                                         for i, (t, u) in enumerate(rng.sample(USEFUL_LINKS, 2))]
        rng.shuffle(logos)
        site.footer_bits.append('<div class="partners">' + "".join(
            f'<a href="{u}" target="_blank"><img src="{site.upload(i + ".png")}" alt="{t}" '
            'height="50"></a> ' for t, u, i in logos) + "</div>")
    else:
        site.menu.append(("ФНПР", url))


def place_widget(site: Site, title: str | None, html: str, key: str) -> None:
    where = site.rng.choice(["widget", "widget", "home", "footer"])
    site.notes[f"{key}_place"] = where
    if where == "widget":
        site.widgets.append((title, html))
    elif where == "home":
        site.home_blocks.append((None, title, html))
    else:
        site.footer_bits.append((f"<h4>{title}</h4>" if title else "") + html)


def build_solidarnost(site: Site, present: bool, trap: str | None) -> None:
    rng = site.rng
    heading = fresh_pick(site, "solidarnost_heading", ["Газета «Солидарность»",
                                                       "«Солидарность»: новости",
                                                       "Читайте «Солидарность»", None],
                         SOLIDARNOST_HEADINGS_NEW, SOLIDARNOST_HEADINGS_NEW3,
                         SOLIDARNOST_HEADINGS_NEW4, SOLIDARNOST_HEADINGS_NEW5)
    script = ('<script type="text/javascript" src="https://www.solidarnost.org/informer/'
              f'informer.js?n={rng.randint(3, 6)}&amp;w=240" charset="utf-8"></script>')
    if present:
        variant = fresh_pick(site, "solidarnost_layout", ["script", "iframe", "docwrite"],
                             ["async_div", "no_www", "lazy_iframe"],
                             ["rss_list", "script_noscript"], ["rss_dated", "iframe_no_www"],
                             ["custom_html", "thumb_headlines"])
        site.notes["solidarnost_widget"] = variant
        if variant == "async_div":  # a container the async script fills
            html = (f'<div id="solidarnost-informer" data-count="{rng.randint(3, 6)}" '
                    'data-theme="light"></div>\n<script async src="https://www.solidarnost.org'
                    '/informer/widget.js" charset="utf-8"></script>')
        elif variant == "no_www":  # the same informer from the bare domain
            html = ('<div class="informer"><script type="text/javascript" src="https://'
                    f'solidarnost.org/informer/informer.js?n={rng.randint(3, 6)}&amp;w=100%25" '
                    'charset="utf-8"></script></div>')
        elif variant == "lazy_iframe":  # a lazy frame with a fallback link inside
            html = ('<iframe src="https://www.solidarnost.org/informer/?n=4&amp;w=300&amp;h=420" '
                    'width="300" height="420" loading="lazy" style="border:0" '
                    'title="Новости газеты «Солидарность»"><a href="https://www.solidarnost.org/">'
                    "«Солидарность»</a></iframe>")
        elif variant == "rss_list":  # the paper's latest headlines, put in by the server
            html = '<ul class="rss-solidarnost">' + "".join(
                f'<li><a href="https://www.solidarnost.org/articles/{rng.randint(10000, 99999)}'
                f'.html" target="_blank">{t}</a></li>' for t in SOLIDARNOST_TITLES) + "</ul>"
        elif variant == "script_noscript":  # the informer's script, a plain link without it
            html = (f'<div class="solidarnost-informer">{script}<noscript><a href="https://www.'
                    'solidarnost.org/">Газета «Солидарность»</a></noscript></div>')
        elif variant == "rss_dated":  # WordPress's RSS widget reading the paper's feed
            html = '<ul class="rss-widget">' + "".join(
                f'<li><a class="rsswidget" href="https://www.solidarnost.org/news/'
                f'{rng.randint(10000, 99999)}.html">{t}</a> <span class="rss-date">'
                f"{rng.randint(1, 28)} мая 2025</span></li>" for t in SOLIDARNOST_TITLES[:3]) \
                + "</ul>"
        elif variant == "iframe_no_www":  # the informer's frame from the bare domain
            html = ('<iframe src="https://solidarnost.org/informer/?n=4&amp;w=240&amp;h=400" '
                    'width="240" height="400" frameborder="0" scrolling="no" title="Газета '
                    '«Солидарность»"></iframe>')
        elif variant == "custom_html":  # the informer's script in WordPress's «HTML» widget
            html = f'<div class="textwidget custom-html-widget">{script}</div>'
        elif variant == "thumb_headlines":  # the paper's headlines with pictures, from the server
            html = '<div class="solidarnost-news">' + "".join(
                f'<div class="sn-item"><img src="{site.upload(f"solidarnost-{i}.png")}" alt="" '
                f'width="70"><a href="https://www.solidarnost.org/articles/'
                f'{rng.randint(10000, 99999)}.html" target="_blank">{t}</a></div>'
                for i, t in enumerate(SOLIDARNOST_TITLES[:3], 1)) + "</div>"
        elif variant == "script":
            html = f'<div class="solidarnost-informer">{script}</div>'
        elif variant == "iframe":
            html = ('<iframe src="https://www.solidarnost.org/informer/?n=5&amp;w=240&amp;'
                    'h=400" width="240" height="400" frameborder="0" scrolling="no" '
                    'title="Солидарность"></iframe>')
        else:
            html = ("<script type=\"text/javascript\">document.write('<scr'+'ipt "
                    "src=\"https://www.solidarnost.org/informer/news.js?count=5&t='"
                    "+Date.now()+'\" charset=\"utf-8\"></scr'+'ipt>');</script>")
        place_widget(site, heading, html, "solidarnost")
    elif trap == "plain_link":
        place_widget(site, rng.choice(["Партнёры", "Профсоюзная пресса"]),
                     '<p><a href="https://www.solidarnost.org/" target="_blank">Газета '
                     "«Солидарность»</a> — центральная профсоюзная газета.</p>", "solidarnost")
    elif trap == "commented_script":
        place_widget(site, None, f"<!-- информер «Солидарности» отключён\n{script}\n-->",
                     "solidarnost")
    elif trap == "subscription_text":  # a call to subscribe to the paper, no informer
        place_widget(site, "Подписка-2025",
                     f'<p><img src="{site.upload("solidarnost-cover.png")}" alt="Газета '
                     '«Солидарность»" width="120"></p><p>Оформите подписку на газету '
                     "«Солидарность» в любом отделении Почты России или у председателя "
                     "первичной организации.</p>", "solidarnost")
    elif trap == "banner_link":  # a banner picture leading to the paper's site
        place_widget(site, None, '<a href="https://www.solidarnost.org/" target="_blank">'
                                 f'<img src="{site.upload("banner-solidarnost.png")}" '
                                 'alt="Солидарность" width="240"></a>', "solidarnost")
    elif trap == "empty_container":  # the informer's box left over, its script removed
        place_widget(site, heading, '<div id="solidarnost-informer" data-count="5"></div>',
                     "solidarnost")
    elif trap == "reprint_source":  # an article of the paper reprinted, source as text
        site.news_items.insert(0, {
            "title": SOLIDARNOST_TITLES[rng.randint(0, len(SOLIDARNOST_TITLES) - 1)],
            "slug": "iz-solidarnosti",
            "teaser": "Публикуем материал профсоюзной газеты.",
            "body": ["Правовые инспекторы труда профсоюзов разъясняют, на что обратить "
                     "внимание.", "Источник: газета «Солидарность»."]})
    elif trap == "paper_vk_group":  # the paper's VK group, no informer and no headlines
        place_widget(site, "Газета «Солидарность»", '<p>Читайте газету «Солидарность» '
                     '<a href="https://vk.com/solidarnost_gazeta" target="_blank">ВКонтакте</a>'
                     "</p>", "solidarnost")
    elif trap == "other_paper":  # the headlines of another, regional union paper
        host = f"https://profvestnik-{site.org.region[3]}.example"
        place_widget(site, "Газета «Профсоюзный вестник»", ul([
            f'<a href="{host}/{rng.randint(100, 999)}/" target="_blank">{t}</a>'
            for t in SOLIDARNOST_TITLES[:3]]), "solidarnost")


def social_urls(site: Site) -> list[tuple[str, str, str]]:
    rng = site.rng
    base = site.org.region[3]
    slug = rng.choice([f"prof_{base}", f"profkom_{base}", f"{site.org.branch['slug']}_{base}",
                       f"club{rng.randint(10_000_000, 229_999_999)}",
                       f"public{rng.randint(100_000_000, 219_999_999)}"])
    urls = [("ВКонтакте", f"https://vk.com/{slug}", "vk"),
            ("Одноклассники", rng.choice([f"https://ok.ru/group/{rng.randint(10**13, 10**14)}",
                                          f"https://ok.ru/prof{base}"]), "ok"),
            ("Telegram", f"https://t.me/{rng.choice(['prof', 'profsoyuz_', 'ppo_'])}{base}",
             "tg")]
    if site.fresh3:  # also a MAX channel and a Telegram invite link
        urls += [("ВКонтакте", f"https://vk.ru/{slug}", "vk"),
                 ("Дзен", f"https://dzen.ru/prof_{base}", "dzen"),
                 ("MAX", f"https://max.ru/prof_{base}", "max"),
                 ("Telegram", f"https://t.me/+{rng.getrandbits(64):016x}", "tg")]
        del urls[0 if rng.random() < 0.5 else 3]  # one VK address, not two
        del urls[2 if rng.random() < 0.5 else -2]  # one Telegram address, not two
        return rng.sample(urls, rng.randint(1, 4))
    if site.fresh:  # the same group on vk.ru, a Dzen channel, a Rutube channel
        urls += [("ВКонтакте", f"https://vk.ru/{slug}", "vk"),
                 ("Дзен", f"https://dzen.ru/prof_{base}", "dzen"),
                 ("Rutube", f"https://rutube.ru/channel/{rng.randint(20_000_000, 49_999_999)}/",
                  "rutube")]
        del urls[0 if rng.random() < 0.4 else 3]  # one VK address, not two
        return rng.sample(urls, rng.randint(1, 4))
    count = rng.randint(1, 3)
    return rng.sample(urls, count)


def icons(site: Site, links: list[tuple[str, str, str]]) -> str:
    return '<div class="social">' + "".join(
        f'<a href="{u}" target="_blank" title="{t}"><img src="{site.upload(k + ".svg")}" '
        f'alt="{t}" width="32" height="32"></a> ' for t, u, k in links) + "</div>"


def share_links(site: Site, path: str) -> str:
    url = quote(f"https://{site.domain}{path}", safe="")
    rng = site.rng
    links = [("ВКонтакте", f"https://vk.com/share.php?url={url}"),
             ("Одноклассники", f"https://connect.ok.ru/offer?url={url}"),
             ("Telegram", f"https://t.me/share/url?url={url}")]
    links = links[:rng.randint(2, 3)]
    return ('<div class="share">Поделиться: ' + " ".join(
        f'<a href="{u}" target="_blank" rel="nofollow">{t}</a>' for t, u in links) + "</div>")


def build_own_social(site: Site, present: bool, trap: str | None) -> None:
    rng = site.rng
    if present:
        links = social_urls(site)
        variant = fresh_pick(site, "social_layout",
                             ["header_icons", "footer_text", "sidebar", "footer_icons"],
                             ["vk_widget", "floating", "qr"],
                             ["inline_text", "subscribe_button"],
                             ["contacts_page", "fa_icons"], ["topbar", "join_block"])
        site.notes["own_social_links"] = variant
        if variant == "vk_widget":  # the VK community widget alone
            group = rng.randint(10_000_000, 229_999_999)
            site.widgets.append(("Мы ВКонтакте", '<script src="https://vk.com/js/api/openapi.js'
                                 '?169"></script><div id="vk_groups"></div><script>'
                                 'VK.Widgets.Group("vk_groups", {mode: 3, width: "auto"}, '
                                 f'{group});</script>'))
        elif variant == "floating":  # a bar of icons fixed to the side of the screen
            site.footer_bits.append(icons(site, links).replace(
                'class="social"', 'class="social social-fixed" style="position:fixed;right:0;'
                'top:40%;display:flex;flex-direction:column"'))
        elif variant == "qr":  # QR codes with the network's name as a link
            site.footer_bits.append('<div class="qr-links">' + "".join(
                f'<a href="{u}" target="_blank"><img src="{site.upload("qr-" + k + ".png")}" '
                f'alt="QR-код: {t}" width="96"><br>{t}</a> ' for t, u, k in links) + "</div>")
        elif variant == "inline_text":  # the groups named inside a sentence on the home page
            site.home_blocks.append((None, None, "<p>Оперативные новости мы публикуем также в "
                                     + ", ".join(f'<a href="{u}" target="_blank">{t}</a>'
                                                 for t, u, _ in links) + ".</p>"))
        elif variant == "subscribe_button":  # one big button in the header
            t, u, _ = links[0]
            site.header_bits.append(f'<a class="btn btn-subscribe" href="{u}" target="_blank">'
                                    f"Подписаться на наш канал: {t}</a>")
        elif variant == "contacts_page":  # the groups listed on the contacts page only
            add_contacts(site, "<h3>Мы в социальных сетях</h3>" + ul(
                [f'<a href="{u}" target="_blank">{t}</a>' for t, u, _ in links]))
        elif variant == "fa_icons":  # icon-font icons, the network named in title only
            fa = {"vk": "fa-vk", "ok": "fa-odnoklassniki", "tg": "fa-telegram",
                  "dzen": "fa-yandex", "max": "fa-comment"}
            site.header_bits.append('<div class="social-icons">' + "".join(
                f'<a href="{u}" target="_blank" title="{t}" aria-label="{t}"><i class="fa '
                f'{fa[k]}" aria-hidden="true"></i></a> ' for t, u, k in links) + "</div>")
        elif variant == "topbar":  # a strip above the header: phone, e-mail, the groups
            site.header_bits.append(f'<div class="top-bar"><span>{site.phone}</span> <a href="'
                                    f'mailto:info@{site.domain}">info@{site.domain}</a> '
                                    + " ".join(f'<a href="{u}" target="_blank">{t}</a>'
                                               for t, u, _ in links) + "</div>")
        elif variant == "join_block":  # a home block «Присоединяйтесь» with a button per group
            site.home_blocks.append((None, "Присоединяйтесь к нам", '<p class="join">' + " ".join(
                f'<a class="btn btn-social btn-{k}" href="{u}" target="_blank">{t}</a>'
                for t, u, k in links) + "</p>"))
        elif variant == "header_icons":
            site.header_bits.append(icons(site, links))
        elif variant == "footer_icons":
            site.footer_bits.append(icons(site, links))
        elif variant == "footer_text":
            site.footer_bits.append("<p>Мы в социальных сетях: " + " | ".join(
                f'<a href="{u}" target="_blank">{t}</a>' for t, u, _ in links) + "</p>")
        else:
            t, u, _ = links[0]
            title = {"vk": "Мы ВКонтакте", "ok": "Мы в Одноклассниках",
                     "tg": "Наш Telegram-канал", "dzen": "Мы в Дзене",
                     "rutube": "Наш канал на Rutube", "max": "Наш канал в MAX"}[links[0][2]]
            site.widgets.append((title, f'<p><a href="{u}" target="_blank">Подписывайтесь на '
                                        f"наши новости: {t}</a></p>"))
    elif trap == "icon_hash":
        links = [("ВКонтакте", "#", "vk"), ("Одноклассники", "#", "ok"),
                 ("Telegram", "#", "tg")][:rng.randint(1, 3)]
        site.header_bits.append(icons(site, links))
    elif trap == "bare_domain":
        links = [("ВКонтакте", "https://vk.com/", "vk"), ("Одноклассники", "https://ok.ru/", "ok"),
                 ("Telegram", "https://t.me/", "tg")][:rng.randint(1, 3)]
        site.footer_bits.append(icons(site, links))
    elif trap == "share_only":
        site.home_blocks.append((None, None, share_links(site, "/")))
    elif trap == "others_groups":  # groups of the branch union and of FNPR, not its own
        branch = site.org.branch
        site.widgets.append(("Подписывайтесь", ul([
            f'<a href="https://vk.com/{branch["slug"]}_central" target="_blank">{branch["short"]}'
            " ВКонтакте</a>",
            '<a href="https://t.me/fnpr_news_channel" target="_blank">Telegram-канал '
            "ФНПР</a>"])))
    elif trap == "text_no_link":  # the networks named, nothing to click
        site.footer_bits.append("<p>Мы в социальных сетях: ищите «" + site.org.short
                                + "» ВКонтакте и в Telegram.</p>")
    elif trap == "chair_personal":  # the chair's personal page, not the organization's
        page_id = rng.randint(1_000_000, 799_999_999)
        site.widgets.append(("Председатель на связи", "<p>Личная страница председателя "
                             f'ВКонтакте: <a href="https://vk.com/id{page_id}" target="_blank">'
                             f"{person(rng, site.used_names)}</a></p>"))
    elif trap == "contact_icons":  # icons where the groups would be: e-mail and phone only
        site.header_bits.append('<div class="social"><a href="mailto:info@' + site.domain
                                + f'" title="E-mail"><img src="{site.upload("mail.svg")}" '
                                'alt="E-mail" width="32"></a> <a href="tel:'
                                + re.sub(r"[^0-9+]", "", site.phone) + '" title="Телефон"><img '
                                f'src="{site.upload("phone.svg")}" alt="Телефон" width="32"></a>'
                                "</div>")
    elif trap == "developer_link":  # the web studio's VK page in the footer, not the union's
        site.footer_bits.append('<p class="dev">Разработка сайта — <a href="https://vk.com/'
                                f'webstudio_{site.org.region[3]}" target="_blank">веб-студия '
                                "«Пиксель»</a></p>")


def build_share(site: Site, present: bool, trap: str | None) -> None:
    if present:
        if site.plan["own_social_links"][1] == "share_only":
            site.notes["share_button"] = "links_home (the share-only trap)"
            return
        variant = fresh_pick(site, "share_layout", ["ya_home", "ya_news", "links_home",
                                                    "links_news", "pluso_home", "uptolike_news"],
                             ["likely_news", "yapopup_home", "icons_news"],
                             ["share42_news", "sociallikes_home", "textlinks_news"],
                             ["addtoany_news", "vkshare_news", "sharebar_home"],
                             ["usocial_news", "jetpack_news"])
        site.notes["share_button"] = variant
        site.notes["share_where"] = variant.split("_")[1]
        site.notes["share_kind"] = variant.split("_")[0]
    elif trap == "share_text_only":
        site.notes["share_text_only"] = "yes"
    elif trap in ("copy_link", "print_email", "add_favorite", "rss_link", "views_rating"):
        site.notes["share_lookalike"] = trap


def share_html(site: Site, kind: str, path: str) -> str:
    rng = site.rng
    if kind == "ya":
        services = rng.choice(["vkontakte,odnoklassniki,telegram",
                               "vkontakte,odnoklassniki,telegram,whatsapp,viber",
                               "vkontakte,telegram"])
        return (f'<div class="ya-share2" data-curtain data-services="{services}"></div>\n'
                '<script src="https://yastatic.net/share2/share.js"></script>')
    if kind == "links":
        return share_links(site, path)
    if kind == "likely":  # Ilya Birman's «Likely», its script served by the site
        return ('<link rel="stylesheet" href="/js/likely/likely.css">'
                '<script src="/js/likely/likely.js" defer></script>'
                f'<div class="likely likely-light" data-url="https://{site.domain}{path}">'
                '<div class="vkontakte">Поделиться</div><div class="odnoklassniki">Класснуть'
                '</div><div class="telegram">Отправить</div></div>')
    if kind == "yapopup":  # one «Поделиться» button that opens the list of services
        return ('<script src="https://yastatic.net/share2/share.js"></script>\n'
                '<div class="ya-share2" data-curtain data-shape="round" data-limit="0" '
                'data-more-button-type="short" data-services="vkontakte,odnoklassniki,'
                'telegram,whatsapp"></div>')
    if kind == "icons":  # share links drawn as icons, named only for screen readers
        url = quote(f"https://{site.domain}{path}", safe="")
        links = [("vk", "ВКонтакте", f"https://vk.com/share.php?url={url}"),
                 ("tg", "Telegram", f"https://t.me/share/url?url={url}"),
                 ("wa", "WhatsApp", f"https://api.whatsapp.com/send?text={url}")]
        return '<div class="post-share">' + "".join(
            f'<a href="{u}" target="_blank" rel="nofollow noopener" aria-label="Поделиться: '
            f'{t}"><img src="{site.upload("share-" + k + ".svg")}" alt="" width="24"></a>'
            for k, t, u in links) + "</div>"
    if kind == "share42":  # share42.com's script, served by the site, draws the buttons
        return (f'<div class="share42init" data-url="https://{site.domain}{path}" '
                'data-title="Поделиться"></div><script src="/share42/share42.js"></script>')
    if kind == "sociallikes":  # Social Likes: named items the script turns into buttons
        return (f'<ul class="social-likes" data-url="https://{site.domain}{path}">'
                '<li class="vkontakte" title="Поделиться ссылкой во ВКонтакте">ВКонтакте</li>'
                '<li class="odnoklassniki" title="Поделиться ссылкой в Одноклассниках">'
                'Одноклассники</li><li class="telegram" title="Поделиться в Telegram">'
                'Telegram</li></ul><script src="/js/social-likes.min.js"></script>')
    if kind == "textlinks":  # «send to a friend» links into messengers
        url = quote(f"https://{site.domain}{path}", safe="")
        return (f'<p class="send-friend">Отправить другу: <a href="https://t.me/share/url?url='
                f'{url}" target="_blank">в Telegram</a> · <a href="https://wa.me/?text={url}" '
                'target="_blank">в WhatsApp</a></p>')
    if kind == "addtoany":  # AddToAny, its buttons drawn by the script
        return ('<div class="a2a_kit a2a_kit_size_32 a2a_default_style"><a class="a2a_dd" '
                'href="https://www.addtoany.com/share"></a><a class="a2a_button_vk"></a>'
                '<a class="a2a_button_telegram"></a><a class="a2a_button_whatsapp"></a></div>'
                '<script async src="https://static.addtoany.com/menu/page.js"></script>')
    if kind == "vkshare":  # VK's own «Поделиться» button, written by its script
        return ('<script type="text/javascript" src="https://vk.com/js/api/share.js?95" '
                'charset="windows-1251"></script><script type="text/javascript">document.'
                'write(VK.Share.button(false,{type: "round", text: "Поделиться"}));</script>')
    if kind == "usocial":  # uSocial's buttons, drawn by its script
        return ('<script async src="https://usocial.pro/usocial/usocial.js?uid=' +
                f'{rng.getrandbits(40):010x}&v=6.1.5" data-script="usocial" charset="utf-8">'
                '</script><div class="uSocial-Share" data-pid="'
                f'{rng.getrandbits(64):016x}" data-type="share" data-options="round-rect,style1,'
                'default,absolute,horizontal,size24,eachCounter0,counter0" data-social="vk,ok,'
                'telegram,wa" data-mobile="vi,wa,sms"></div>')
    if kind == "jetpack":  # WordPress Jetpack sharing: links back to the site with ?share=
        return ('<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-'
                'block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">'
                'Поделиться:</h3><div class="sd-content"><ul>' + "".join(
                    f'<li class="share-{k}"><a rel="nofollow noopener noreferrer" class="share-'
                    f'{k} sd-button share-icon" href="{path}?share={k}&amp;nb=1" target="_blank" '
                    f'title="Нажмите, чтобы поделиться в {t}"><span>{t}</span></a></li>'
                    for k, t in [("telegram", "Telegram"), ("jetpack-whatsapp", "WhatsApp"),
                                 ("email", "E-mail")]) + "</ul></div></div></div>")
    if kind == "sharebar":  # share links in a bar fixed to the side of the screen
        return share_links(site, path).replace(
            'class="share"', 'class="share share-fixed" style="position:fixed;left:0;top:40%"')
    if kind == "pluso":
        return ("<script type=\"text/javascript\">(function() {\n  if (window.pluso)if (typeof "
                "window.pluso.start == \"function\") return;\n  if (window.ifpluso==undefined) "
                "{ window.ifpluso = 1;\n    var d = document, s = d.createElement('script'), g = "
                "'getElementsByTagName';\n    s.type = 'text/javascript'; s.charset='UTF-8'; "
                "s.async = true;\n    s.src = ('https:' == window.location.protocol ? 'https' : "
                "'http')  + '://share.pluso.ru/pluso-like.js';\n    var h=d[g]('body')[0];\n"
                "    h.appendChild(s);\n  }})();</script>\n<div class=\"pluso\" "
                "data-background=\"transparent\" data-options=\"medium,square,line,horizontal,"
                "nocounter,theme=04\" data-services=\"vkontakte,odnoklassniki,telegram\"></div>")
    pid = rng.randint(1_000_000, 2_999_999)
    return ("<script type=\"text/javascript\">(function(w,doc) {\nif (!w.__utlWdgt ) {\n"
            "    w.__utlWdgt = true;\n    var d = doc, s = d.createElement('script'), "
            "g = 'getElementsByTagName';\n    s.type = 'text/javascript'; s.charset='UTF-8'; "
            "s.async = true;\n    s.src = ('https:' == w.location.protocol ? 'https' : 'http')"
            "  + '://w.uptolike.com/widgets/v1/uptolike.js';\n    var h=d[g]('body')[0];\n"
            "    h.appendChild(s);\n}})(window,document);\n</script>\n"
            f'<div data-mobile-view="true" data-share-size="30" data-like-text-enable="false" '
            f'data-background-alpha="0.0" data-pid="{pid}" data-mode="share" '
            'data-background-color="#ffffff" data-share-shape="round-rectangle" '
            'data-share-counter-size="12" data-icon-color="#ffffff" data-mobile-sn-ids="vk.ok.tg." '
            'data-text-color="#000000" data-buttons-color="#FFFFFF" '
            'data-counter-background-color="#ffffff" data-share-counter-type="disable" '
            'data-orientation="horizontal" data-following-enable="false" data-sn-ids="vk.ok.tg." '
            'data-preview-mobile="false" data-selection-enable="false" '
            'data-exclude-show-more="true" data-share-style="1" '
            'data-counter-background-alpha="1.0" data-top-button="false" '
            'class="uptolike-buttons"></div>')


def build_ask(site: Site, present: bool, trap: str | None) -> None:
    rng = site.rng
    contacts = contacts_html(site)
    if present:
        variants = ["page_form", "page_form", "faq", "home_form", "contacts_form", "button"]
        if site.cms == "tilda":
            variants.append("tilda_popup")
        variant = fresh_pick(site, "ask_layout", variants,
                             ["dialog_form", "yandex_form", "topic_form"],
                             ["guestbook", "file_form"], ["sidebar_form", "callback_form"],
                             ["bitrix_feedback", "mailto_form"])
        site.notes["ask_question"] = variant
        if variant in ("yandex_form", "topic_form"):
            label, slug = fresh_pick(site, "ask_labels", ASK_PAGE_LABELS, ASK_PAGE_LABELS_NEW,
                                     ASK_PAGE_LABELS_NEW3, ASK_PAGE_LABELS_NEW4,
                                     ASK_PAGE_LABELS_NEW5)
            if variant == "yandex_form":  # a Yandex Forms frame
                form = (f'<iframe src="https://forms.yandex.ru/u/{rng.getrandbits(96):024x}/'
                        '?iframe=1" frameborder="0" name="ya-form" width="650" height="720">'
                        "</iframe>")
            else:  # a form that asks to choose the topic of the question
                topics = ["Оплата труда", "Рабочее время и отпуск", "Охрана труда",
                          "Увольнение и сокращение", "Социальные гарантии"]
                form = form_html(site, "Ваш вопрос").replace(
                    "<p><label>E-mail", '<p><label>Тема вопроса<br><select name="topic">'
                    + "".join(f"<option>{t}</option>" for t in topics)
                    + "</select></label></p><p><label>E-mail", 1)
            site.add_page(label, slug, label,
                          "<p>Юрист профсоюза ответит на вопросы членов профсоюза. Укажите "
                          "место работы и номер профсоюзного билета.</p>" + form, "ask")
        elif variant == "dialog_form":  # a header button opens a dialog with the form
            site.header_bits.append('<button class="btn-ask" type="button" onclick="document.'
                                    "getElementById('ask-dialog').showModal()\">Задать вопрос"
                                    "</button>")
            site.home_blocks.append((None, None, '<dialog id="ask-dialog"><h3>Задайте вопрос'
                                     "</h3>" + form_html(site, "Ваш вопрос") + "</dialog>"))
        elif variant == "guestbook":  # a guest book: questions, the answers, the form
            entries = [("Положен ли дополнительный отпуск за работу во вредных условиях?",
                        "Да, не менее 7 календарных дней, если это установлено спецоценкой."),
                       ("Можно ли вступить в профсоюз, если я работаю по совместительству?",
                        "Да, заявление подаётся в первичную организацию по месту работы.")]
            body = "".join(f'<div class="gb-entry"><p><b>Вопрос:</b> {q}</p><p class="gb-'
                           f'answer"><b>Ответ:</b> {a}</p></div>' for q, a in entries)
            site.add_page("Гостевая книга", "gostevaya", "Гостевая книга",
                          body + "<h3>Оставить сообщение</h3>" + form_html(site, "Сообщение"),
                          "ask")
        elif variant == "file_form":  # a form that takes a document with the question
            label, slug = fresh_pick(site, "ask_labels", ASK_PAGE_LABELS, ASK_PAGE_LABELS_NEW,
                                     ASK_PAGE_LABELS_NEW3, ASK_PAGE_LABELS_NEW4,
                                     ASK_PAGE_LABELS_NEW5)
            form = form_html(site, "Суть обращения")
            at = form.rfind("<", 0, form.index('type="submit"'))
            at = at - 3 if form[at - 3:at] == "<p>" else at
            form = (form[:at] + '<p><label>Прикрепить документ (PDF, JPG)<br><input '
                    'type="file" name="attachment"></label></p>' + form[at:])
            form = form.replace('method="post"', 'method="post" enctype="multipart/form-data"', 1)
            site.add_page(label, slug, label, "<p>Опишите ситуацию и приложите документы "
                          "(трудовой договор, приказ), юрист ответит в течение недели.</p>"
                          + form, "ask")
        elif variant == "sidebar_form":  # a short form in a side block on every page
            site.widgets.append(("Задать вопрос юристу", form_html(site, "Ваш вопрос")))
        elif variant == "callback_form":  # name, phone and the question; they call back
            label, slug = fresh_pick(site, "ask_labels", ASK_PAGE_LABELS, ASK_PAGE_LABELS_NEW,
                                     ASK_PAGE_LABELS_NEW3, ASK_PAGE_LABELS_NEW4,
                                     ASK_PAGE_LABELS_NEW5)
            site.add_page(label, slug, label,
                          "<p>Оставьте телефон и коротко опишите вопрос — юрист профсоюза "
                          'перезвонит вам.</p><form class="callback" method="post"><p><label>'
                          'Ваше имя<br><input type="text" name="name" required></label></p><p>'
                          '<label>Телефон<br><input type="tel" name="phone" required></label>'
                          '</p><p><label>Ваш вопрос<br><textarea name="question" rows="4">'
                          '</textarea></label></p><p><button type="submit">Перезвоните мне'
                          "</button></p></form>", "ask")
        elif variant in ("bitrix_feedback", "mailto_form"):
            label, slug = fresh_pick(site, "ask_labels", ASK_PAGE_LABELS, ASK_PAGE_LABELS_NEW,
                                     ASK_PAGE_LABELS_NEW3, ASK_PAGE_LABELS_NEW4,
                                     ASK_PAGE_LABELS_NEW5)
            if variant == "bitrix_feedback":  # 1C-Bitrix's main.feedback component
                form = ('<div class="mfeedback"><form method="POST"><input type="hidden" '
                        'name="sessid" value="' + f"{rng.getrandbits(128):032x}" + '">'
                        '<div class="mf-name"><div class="mf-text">Ваше имя<span class="mf-req">'
                        '*</span></div><input type="text" name="user_name" value=""></div>'
                        '<div class="mf-email"><div class="mf-text">Ваш E-mail<span class="mf-'
                        'req">*</span></div><input type="text" name="user_email" value="">'
                        '</div><div class="mf-message"><div class="mf-text">Сообщение<span '
                        'class="mf-req">*</span></div><textarea name="MESSAGE" rows="5" cols='
                        '"40"></textarea></div><input type="submit" name="submit" value="'
                        'Отправить"></form></div>')
            else:  # an old form that sends the question by e-mail
                form = (f'<form action="mailto:yurist@{site.domain}" method="post" enctype='
                        '"text/plain"><p>Ф.И.О.:<br><input type="text" name="fio" size="40">'
                        '</p><p>Место работы:<br><input type="text" name="work" size="40"></p>'
                        '<p>Вопрос:<br><textarea name="vopros" rows="6" cols="40"></textarea>'
                        '</p><p><input type="submit" value="Отправить вопрос"></p></form>')
            site.add_page(label, slug, label, "<p>Задайте вопрос юристу профсоюза, ответ "
                          "придёт на вашу электронную почту.</p>" + form, "ask")
        elif variant in ("page_form", "button"):
            label, slug = fresh_pick(site, "ask_labels", ASK_PAGE_LABELS, ASK_PAGE_LABELS_NEW,
                                     ASK_PAGE_LABELS_NEW3, ASK_PAGE_LABELS_NEW4,
                                     ASK_PAGE_LABELS_NEW5)
            textarea = rng.choice(["Ваш вопрос", "Текст обращения", "Ваше сообщение"])
            body = ("<p>Члены профсоюза могут направить вопрос специалистам. Ответ будет "
                    "направлен на указанный адрес электронной почты в течение 10 рабочих "
                    "дней.</p>" + form_html(site, textarea))
            if variant == "page_form":
                site.add_page(label, slug, label, body, "ask")
            else:
                page = site.add_page(None, slug, label, body, "ask")
                button = rng.choice(["Задать вопрос", "Вопрос юристу", "Напишите нам",
                                     "Интернет-приёмная"])
                site.header_bits.append(f'<a class="btn btn-question" href="{page.path}">'
                                        f"{button}</a>")
        elif variant == "faq":
            qa = [("Положена ли материальная помощь при рождении ребёнка?",
                   "Да, по заявлению члена профсоюза в размере, установленном положением."),
                  ("Как встать на профсоюзный учёт при переводе?",
                   "Обратитесь к председателю первичной организации с учётной карточкой."),
                  ("Может ли работодатель отменить отпуск по графику?",
                   "Только с согласия работника и в случаях, предусмотренных законом.")]
            body = "".join(f"<h4>{q}</h4><p>{a}</p>" for q, a in qa)
            body += "<h3>Задайте свой вопрос</h3>" + form_html(site, "Ваш вопрос")
            site.add_page("Вопрос-ответ", "vopros-otvet", "Вопрос-ответ", body, "ask")
        elif variant == "home_form":
            site.home_blocks.append(("feedback", rng.choice(["Напишите нам", "Обратная связь",
                                                              "Задайте вопрос"]),
                                     form_html(site, "Ваше сообщение")))
        elif variant == "contacts_form":
            add_contacts(site, "<h3>Обратная связь</h3>" + form_html(site, "Ваше сообщение"))
        else:
            site.header_bits.append('<a href="#popup:question" class="t-btn t-btn_md">'
                                    "Задать вопрос</a>")
            site.home_blocks.append((None, None, tilda_popup(site)))
        if variant != "contacts_form" and rng.random() < 0.5:
            add_contacts(site)
    elif trap == "faq_hash":
        site.menu.append(("Вопрос-ответ", "#"))
    elif trap == "contacts_only":
        add_contacts(site)
    elif trap == "empty_page":
        label, slug = rng.choice(ASK_PAGE_LABELS[:3])
        site.add_page(label, slug, label, "<p>Страница в разработке.</p>", "ask")
    elif trap == "search_form":  # a form in the header, but it searches the site
        site.header_bits.append('<form class="search-form" role="search" method="get" '
                                'action="/"><input type="search" name="s" placeholder="Поиск '
                                'по сайту"><button type="submit">Найти</button></form>')
    elif trap == "reception_schedule":  # when the chair receives members, no way to write
        label, slug = rng.choice([("Приём граждан", "priem-grazhdan"),
                                  ("Личный приём", "lichnyj-priem")])
        rows = "".join(f"<tr><td>{who}</td><td>{when}</td></tr>" for who, when in [
            ("Председатель", "вторник, 10:00–13:00"),
            ("Правовой инспектор труда", "четверг, 14:00–17:00")])
        site.add_page(label, slug, label, contacts + '<table border="1" cellpadding="4"><tr>'
                      f"<th>Кто ведёт приём</th><th>Когда</th></tr>{rows}</table>", "ask")
    elif trap == "login_to_ask":  # asking is for signed-in users only: a login form
        label, slug = fresh_pick(site, "ask_labels", ASK_PAGE_LABELS, ASK_PAGE_LABELS_NEW,
                                 ASK_PAGE_LABELS_NEW3, ASK_PAGE_LABELS_NEW4,
                                 ASK_PAGE_LABELS_NEW5)
        site.add_page(label, slug, label,
                      "<p>Задать вопрос могут только зарегистрированные пользователи. Войдите "
                      "на сайт, указав номер профсоюзного билета.</p>"
                      '<form class="login" method="post"><p><label>Номер профбилета<br><input '
                      'type="text" name="login"></label></p><p><label>Пароль<br><input '
                      'type="password" name="password"></label></p><p><button type="submit">'
                      "Войти</button></p></form>", "ask")
    elif trap == "poll_form":  # a poll: radio buttons to vote, nothing to write
        site.widgets.append(("Опрос", '<form class="poll" method="post" action="/"><p>Как вы '
                             "оцениваете работу профкома?</p>" + "<br>".join(
                                 f'<label><input type="radio" name="vote" value="{i}"> {a}'
                                 "</label>" for i, a in enumerate(
                                     ["Отлично", "Хорошо", "Удовлетворительно", "Плохо"], 1))
                             + '<p><button type="submit">Голосовать</button></p></form>'))
    elif trap == "subscribe_form":  # a form on the home page, but it subscribes to news
        site.home_blocks.append((None, "Подписка на новости",
                                 '<form class="subscribe" method="post" action="/"><input '
                                 'type="email" name="email" placeholder="Ваш e-mail"> <button '
                                 'type="submit">Подписаться</button></form>'))
    elif trap == "hotline_phone":  # a legal hotline by phone, no way to write
        site.add_page("Горячая линия юриста", "telefon-yurista", "Горячая линия юриста",
                      f"<p>Позвоните на горячую линию правовой помощи: <a href=\"tel:"
                      f'{re.sub(r"[^0-9+]", "", site.phone)}">{site.phone}</a>, по будним '
                      "дням с 10:00 до 17:00. Консультации бесплатны для членов профсоюза.</p>",
                      "ask")


def add_contacts(site: Site, extra: str = "") -> None:
    """The contacts page with extra below; a second call adds to the page the first made."""
    label, slug = site.rng.choice(CONTACT_LABELS)
    page = site.pages.get(site.notes.get("contacts_path", ""))
    if page is not None:
        if extra:
            page.body.append(extra)
        return
    site.notes["contacts_path"] = site.add_page(label, slug, label,
                                                contacts_html(site) + extra).path


def contacts_html(site: Site) -> str:
    return (f"<p><b>{site.org.name}</b></p><p>Адрес: {site.address}</p>"
            f"<p>Телефон: {site.phone}</p><p>Часы работы: пн–пт с 9:00 до 18:00, "
            "перерыв с 13:00 до 14:00</p>")


def form_html(site: Site, textarea: str) -> str:
    if site.cms == "wordpress":
        return ('<div class="wpcf7 no-js" id="wpcf7-f117-o1" lang="ru-RU" dir="ltr">'
                '<form method="post" class="wpcf7-form init" novalidate="novalidate">'
                '<p><label>Ваше имя<br><span class="wpcf7-form-control-wrap" '
                'data-name="your-name"><input type="text" name="your-name" size="40" '
                'class="wpcf7-form-control wpcf7-text"></span></label></p>'
                '<p><label>E-mail<br><input type="email" name="your-email" size="40" '
                'class="wpcf7-form-control wpcf7-email"></label></p>'
                f'<p><label>{textarea}<br><textarea name="your-message" cols="40" rows="8" '
                'class="wpcf7-form-control wpcf7-textarea"></textarea></label></p>'
                '<p><input type="submit" value="Отправить" class="wpcf7-form-control '
                'wpcf7-submit"></p></form></div>')
    if site.cms == "tilda":
        return ('<form id="form555" name="form555" role="form" method="POST" '
                'data-formactiontype="2" data-inputbox=".t-input-group" '
                'class="t-form js-form-proccess t-form_inputs-total_3">'
                '<div class="t-input-group t-input-group_nm"><div class="t-input-title">Имя'
                '</div><input type="text" name="Name" class="t-input"></div>'
                '<div class="t-input-group t-input-group_em"><div class="t-input-title">E-mail'
                '</div><input type="text" name="Email" class="t-input"></div>'
                f'<div class="t-input-group t-input-group_ta"><div class="t-input-title">'
                f'{textarea}</div><textarea name="Textarea" class="t-input"></textarea></div>'
                '<button type="submit" class="t-submit">Отправить</button></form>')
    return ('<form class="feedback-form" method="post">'
            '<p><label>Ваше имя<br><input type="text" name="name" required></label></p>'
            '<p><label>E-mail<br><input type="email" name="email"></label></p>'
            f'<p><label>{textarea}<br><textarea name="message" rows="6" required></textarea>'
            "</label></p><p><label><input type=\"checkbox\" name=\"agree\" required> "
            "Согласен на обработку персональных данных</label></p>"
            '<p><button type="submit">Отправить</button></p></form>')


def tilda_popup(site: Site) -> str:
    return ('<div class="t702"><div class="t-popup" data-tooltip-hook="#popup:question" '
            'role="dialog" aria-modal="true"><div class="t-popup__container t-width '
            't-width_6"><div class="t702__wrapper"><div class="t702__text-wrapper">'
            '<div class="t702__title t-title t-title_xxs">Задайте вопрос профкому</div>'
            "</div>" + form_html(site, "Ваш вопрос") + "</div></div></div></div>")


def build_mobile(site: Site, present: bool, trap: str | None) -> None:
    rng = site.rng
    closing = "/" if site.cms in ("wordpress", "joomla", "drupal", "tilda", "nextjs") else ""
    if present and site.fresh3:
        content = fresh_pick(site, "viewport", VIEWPORTS, VIEWPORTS_NEW, VIEWPORTS_NEW3,
                             VIEWPORTS_NEW4, VIEWPORTS_NEW5)
        markup = fresh_pick(site, "viewport_markup", ["plain"], [],
                            ["content_first", "single_quotes", "js_set"],
                            ["upper_case", "unquoted_name"], ["helmet_attr", "id_attr"])
        site.notes["mobile_layout"] = markup
        if markup == "content_first":
            site.viewport = f'<meta content="{content}" name="viewport"{closing}>'
        elif markup == "single_quotes":
            site.viewport = f"<meta name='viewport' content='{content}'{closing}>"
        elif markup == "upper_case":  # old hand-written HTML in capitals
            site.viewport = f'<META NAME="viewport" CONTENT="{content}"{closing}>'
        elif markup == "helmet_attr":  # put in by React Helmet, which marks its tags
            site.viewport = (f'<meta data-react-helmet="true" name="viewport" '
                             f'content="{content}"{closing}>')
        elif markup == "id_attr":  # an id before the name, as some themes write it
            site.viewport = f'<meta id="viewport" name="viewport" content="{content}"{closing}>'
        elif markup == "unquoted_name":  # minified HTML, the name without quotes
            site.viewport = f'<meta name=viewport content="{content}"{closing}>'
        elif markup == "js_set":  # set by a script for narrow screens only
            site.viewport = ("<script>if(screen.width<1024){var m=document.createElement("
                             f"'meta');m.name='viewport';m.content='{content}';"
                             "document.getElementsByTagName('head')[0].appendChild(m);}"
                             "</script>")
        else:
            site.viewport = f'<meta name="viewport" content="{content}"{closing}>'
    elif present and site.fresh:
        content = fresh_pick(site, "viewport", VIEWPORTS, VIEWPORTS_NEW)
        site.viewport = f'<meta name="viewport" content="{content}"{closing}>'
    elif present:
        content = rng.choice(["width=device-width, initial-scale=1",
                              "width=device-width, initial-scale=1.0",
                              "width=device-width",
                              "width=device-width, initial-scale=1, shrink-to-fit=no",
                              "width=device-width, initial-scale=1.0, maximum-scale=1.0, "
                              "user-scalable=no"])
        site.viewport = f'<meta name="viewport" content="{content}"{closing}>'
    elif trap == "commented":
        site.viewport = ('<!-- <meta name="viewport" content="width=device-width, '
                         'initial-scale=1"> -->')
    elif trap == "no_width":
        content = rng.choice(["initial-scale=1.0", "initial-scale=1, maximum-scale=1",
                              "user-scalable=yes, initial-scale=1"])
        site.viewport = f'<meta name="viewport" content="{content}"{closing}>'
    elif trap == "fixed_width":  # a viewport, but for a fixed desktop width
        site.viewport = (f'<meta name="viewport" content="width={rng.choice([980, 1024, 1200])}"'
                         f"{closing}>")
    elif trap == "handheld_only" and site.cms == "drupal":  # its template has the hints
        site.viewport = ""
    elif trap == "handheld_only":  # old mobile hints without a viewport
        site.viewport = (f'<meta name="HandheldFriendly" content="true"{closing}>\n'
                         f'<meta name="MobileOptimized" content="320"{closing}>')
    elif trap == "mobile_version_link":  # no viewport, a link to a separate mobile site
        site.viewport = ""
        site.header_bits.append(f'<a class="mobile-version" href="https://m.{site.domain}/">'
                                "Мобильная версия сайта</a>")
    elif trap == "typo_width":  # a misspelt device width
        site.viewport = f'<meta name="viewport" content="width=device_width"{closing}>'
    elif trap == "wrong_name":  # «viewpoint» for «viewport»
        site.viewport = (f'<meta name="viewpoint" content="width=device-width, initial-scale=1"'
                         f"{closing}>")
    elif trap == "http_equiv":  # http-equiv where name belongs: browsers ignore it
        site.viewport = (f'<meta http-equiv="viewport" content="width=device-width, '
                         f'initial-scale=1"{closing}>')
    elif trap == "ms_viewport":  # Bootstrap 3's CSS rule for old IE, no meta viewport
        site.viewport = ("<style>@-ms-viewport { width: device-width; } @media (max-width: 767px) "
                         "{ .navbar-nav { float: none } }</style>")
    elif trap == "media_queries_only":  # adaptive CSS, but no viewport to make it work
        site.viewport = ("<style>@media (max-width: 768px) { .sidebar, aside { display: none } "
                         "body { font-size: 16px } }</style>")
    else:
        site.viewport = ""


def metrika(counter: str) -> str:
    return (
        "<!-- Yandex.Metrika counter -->\n<script type=\"text/javascript\">\n"
        "   (function(m,e,t,r,i,k,a){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};\n"
        "   m[i].l=1*new Date();\n"
        "   for (var j = 0; j < document.scripts.length; j++) {if (document.scripts[j].src === r)"
        " { return; }}\n"
        "   k=e.createElement(t),a=e.getElementsByTagName(t)[0],k.async=1,k.src=r,"
        "a.parentNode.insertBefore(k,a)})\n"
        "   (window, document, \"script\", \"https://mc.yandex.ru/metrika/tag.js\", \"ym\");\n\n"
        f"   ym({counter}, \"init\", {{\n        clickmap:true,\n        trackLinks:true,\n"
        "        accurateTrackBounce:true\n   });\n</script>\n"
        f'<noscript><div><img src="https://mc.yandex.ru/watch/{counter}" '
        'style="position:absolute; left:-9999px;" alt="" /></div></noscript>\n'
        "<!-- /Yandex.Metrika counter -->")


# ------------------------------------------------------------------------- news and home


def build_news(site: Site) -> None:
    rng = site.rng
    pool = [dict(zip(("title", "slug", "teaser", "body"), item, strict=True))
            for item in rng.sample(NEWS, 5)]
    mention = site.notes.get("member_organizations_mention")
    if mention:
        pool.insert(0, {"title": "Обмен опытом с коллегами", "slug": "obmen-opytom",
                        "teaser": f"Профсоюзный актив побывал в гостях у {mention}.",
                        "body": [f"Профсоюзный актив побывал в гостях у {mention}.",
                                 "Коллеги рассказали, как организуют летний отдых детей "
                                 "членов профсоюза."]})
    single = site.notes.get("fnpr_single_link")
    if single:
        pool.insert(0, {"title": "ФНПР выступила за повышение МРОТ", "slug": "mrot",
                        "teaser": "Федерация Независимых Профсоюзов России предлагает "
                                  "ускорить рост минимального размера оплаты труда. "
                                  f'<a href="{single}" target="_blank">Подробнее на сайте '
                                  "ФНПР</a>.",
                        "body": ["Профсоюзы настаивают на росте реальных доходов работников."]})
    items = site.news_items + pool
    budget = PAGE_LIMIT - len(site.pages) - 1 - len(site.reprints)
    with_pages = max(1, min(3, budget))
    nid = rng.randint(120, 900)
    day = dt.date(2025, 5, 28)
    for i, item in enumerate(items[:6] + site.reprints):
        day -= dt.timedelta(days=rng.randint(2, 9))
        item["date"] = day.strftime("%d.%m.%Y")
        nid -= rng.randint(1, 7)
        reprint = item in site.reprints
        if reprint or i < with_pages:
            item["path"] = site.news_path(item["slug"], item["date"], nid)
            body = "".join(f"<p>{p}</p>" for p in item["body"])
            if item.get("source"):
                body += '<p class="source">Источник: fnpr.ru</p>'
            page = Page(item["path"], item["title"], [body], kind="news")
            site.pages[page.path] = page
    site.news_items = items[:6]


def home_body(site: Site) -> str:
    rng, org = site.rng, site.org
    greeting = rng.choice(["Добро пожаловать на сайт нашей профсоюзной организации!",
                           "Официальный сайт профсоюзной организации.",
                           "Уважаемые члены профсоюза и коллеги!"])
    parts = [f"<p>{greeting} {org.name} защищает социально-трудовые права и интересы "
             "членов профсоюза.</p>"]
    news = []
    for item in site.news_items:
        title = item["title"]
        if item.get("path"):
            title = f'<a href="{item["path"]}">{title}</a>'
        news.append(f'<div class="news-item"><span class="date">{item["date"]}</span> '
                    f'<h3>{title}</h3><p>{item["teaser"]}</p></div>')
    blocks = list(site.home_blocks)
    if site.reprints:
        reprint_list = ul([f'<a href="{r["path"]}">{r["title"]}</a>' for r in site.reprints])
        blocks.append((None, "Новости ФНПР", reprint_list))
    rng.shuffle(blocks)
    news_block = (None, rng.choice(["Новости", "Последние новости", "Новости организации"]),
                  "\n".join(news))
    blocks.insert(rng.randint(0, len(blocks)), news_block)
    for anchor, title, html in blocks:
        attr = f' id="{anchor}"' if anchor else ""
        heading = f"<h2>{title}</h2>" if title else ""
        parts.append(f'<section class="block"{attr}>{heading}\n{html}\n</section>')
    if site.notes.get("share_where") == "home":
        parts.append(share_html(site, site.notes["share_kind"], "/"))
    return "\n".join(parts)


# ------------------------------------------------------------------------ CMS templates


def nav_items(site: Site, page: Page) -> list[tuple[str, str]]:
    items = [("Главная", "/")]
    for label, href in site.menu:
        if href.startswith("#") and len(href) > 1 and page.path != "/":
            href = "/" + href
        items.append((label, href))
    return items


def title_of(site: Site, page: Page) -> str:
    return site.org.name if page.kind == "home" else f"{page.title} — {site.org.short}"


def head_common(site: Site) -> str:
    charset = site.encoding if site.encoding == "utf-8" else "windows-1251"
    if site.cms in ("table", "ucoz"):
        return f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    if site.cms == "nextjs":
        return '<meta charSet="utf-8"/>'
    return '<meta charset="UTF-8">'


def page_content(site: Site, page: Page) -> str:
    content = "\n".join(page.body)
    if page.kind == "news":
        if site.notes.get("share_where") == "news":
            content += "\n" + share_html(site, site.notes["share_kind"], page.path)
        if site.notes.get("share_text_only"):
            content += '\n<p class="share-hint">Поделитесь этой новостью с коллегами!</p>'
        if site.notes.get("share_lookalike") == "copy_link":  # copies the address, no service
            content += ('\n<button class="copy-link" type="button" onclick="navigator.'
                        'clipboard.writeText(location.href)">Скопировать ссылку</button>')
        elif site.notes.get("share_lookalike") == "print_email":  # print and e-mail only
            content += ('\n<div class="article-tools"><button type="button" onclick="window.'
                        'print()">Версия для печати</button> <a href="mailto:?subject='
                        f'{quote(page.title)}">Отправить по e-mail</a></div>')
        elif site.notes.get("share_lookalike") == "rss_link":  # a feed to subscribe to
            content += ('\n<p class="rss"><a href="/rss.xml"><img src="'
                        f'{site.upload("rss.svg")}" alt="" width="16"> RSS-лента новостей</a></p>')
        elif site.notes.get("share_lookalike") == "views_rating":  # counters, nothing to share
            content += (f'\n<div class="entry-meta">Просмотров: {len(page.path) * 7 + 31} | '
                        "Комментарии: 0 | Рейтинг: 5.0/1</div>")
        elif site.notes.get("share_lookalike") == "add_favorite":  # the old «В избранное»
            content += ('\n<p class="bookmark"><a href="#" onclick="window.external.AddFavorite('
                        'location.href, document.title); return false;">Добавить в избранное'
                        "</a> (или нажмите Ctrl+D)</p>")
    return content


def render_wordpress(site: Site, page: Page) -> str:
    theme = site.style
    menu = "\n".join(
        f'<li id="menu-item-{20 + i}" class="menu-item menu-item-type-post_type '
        f'menu-item-object-page menu-item-{20 + i}"><a href="{h}">{label}</a></li>'
        for i, (label, h) in enumerate(nav_items(site, page)))
    nav = (f'<nav id="site-navigation" class="main-navigation" aria-label="Меню">'
           f'<ul id="primary-menu" class="menu">\n{menu}\n</ul></nav>')
    widgets = "\n".join(
        f'<section id="custom_html-{i}" class="widget_text widget widget_custom_html">'
        + (f'<h2 class="widget-title">{t}</h2>' if t else "")
        + f'<div class="textwidget custom-html-widget">{h}</div></section>'
        for i, (t, h) in enumerate(site.widgets, 2))
    if site.nav_place == "sidebar":
        widgets = ('<section id="nav_menu-2" class="widget widget_nav_menu">'
                   f'<div class="menu-main-container">{nav}</div></section>\n') + widgets
    body_class = "home page-template-default page" if page.kind == "home" else \
        "post-template-default single single-post" if page.kind == "news" else "page"
    return f"""<!DOCTYPE html>
<html lang="ru-RU">
<head>
{head_common(site)}
{site.viewport}
<title>{title_of(site, page)}</title>
<link rel='stylesheet' id='{theme}-style-css'
 href='/wp-content/themes/{theme}/style.css?ver=6.5.2' media='all' />
<link rel='stylesheet' id='wp-block-library-css'
 href='/wp-includes/css/dist/block-library/style.min.css?ver=6.5.2' media='all' />
<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<meta name="generator" content="WordPress 6.5.2" />
</head>
<body class="{body_class}">
<div id="page" class="site">
<header id="masthead" class="site-header">
<div class="site-branding"><p class="site-title"><a href="/" rel="home">{site.org.name}</a></p>
<p class="site-description">{site.org.tagline}</p></div>
{"".join(site.header_bits)}
{nav if site.nav_place == "header" else ""}
</header>
<div id="content" class="site-content">
<main id="main" class="site-main">
<article class="{'post' if page.kind == 'news' else 'page'} type-page status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{page.title}</h1></header>
<div class="entry-content">
{page_content(site, page)}
</div>
</article>
</main>
<aside id="secondary" class="widget-area">
{widgets}
</aside>
</div>
<footer id="colophon" class="site-footer">
{nav if site.nav_place == "footer" else ""}
{"".join(site.footer_bits)}
<div class="site-info">{site.address} · {site.phone}<br>© 2025 {site.org.name}</div>
</footer>
</div>
<script src="/wp-content/themes/{theme}/js/navigation.js?ver=20240412"
 id="{theme}-navigation-js"></script>
{site.metrica_html}
</body>
</html>
"""


def render_joomla(site: Site, page: Page) -> str:
    tpl = site.style.split(":")[1]
    menu = "\n".join(
        f'<li class="item-{101 + i}{" default current active" if h == "/" and page.kind == "home" else ""}">'  # noqa: E501
        f'<a href="{h}">{label}</a></li>' for i, (label, h) in enumerate(nav_items(site, page)))
    nav = f'<div class="moduletable_menu"><ul class="nav menu mod-list">\n{menu}\n</ul></div>'
    modules = "\n".join('<div class="moduletable">' + (f"<h3>{t}</h3>" if t else "")
                        + f'<div class="custom">{h}</div></div>' for t, h in site.widgets)
    if site.nav_place == "sidebar":
        modules = nav + "\n" + modules
    item_class = "blog-featured" if page.kind == "home" else "item-page"
    header_nav = f'<nav class="navigation">{nav}</nav>' if site.nav_place == "header" else ""
    return f"""<!DOCTYPE html>
<html lang="ru-ru" dir="ltr">
<head>
{site.viewport}
{head_common(site)}
<base href="/" />
<meta name="generator" content="Joomla! - Open Source Content Management" />
<title>{title_of(site, page)}</title>
<link href="/templates/{tpl}/favicon.ico" rel="shortcut icon" type="image/vnd.microsoft.icon" />
<link href="/templates/{tpl}/css/template.css?3c4d8e1f2a" rel="stylesheet" />
<script src="/media/jui/js/jquery.min.js?3c4d8e1f2a"></script>
<script src="/media/system/js/caption.js?3c4d8e1f2a"></script>
</head>
<body class="site com_content view-{'featured' if page.kind == 'home' else 'article'}">
<div class="body"><div class="container">
<header class="header" role="banner"><div class="header-inner clearfix">
<a class="brand pull-left" href="/"><span class="site-title">{site.org.name}</span></a>
<div class="header-search pull-right">{"".join(site.header_bits)}</div></div></header>
{header_nav}
<div class="row-fluid">
<main id="content" role="main" class="span9">
<div id="system-message-container"></div>
<div class="{item_class}"><div class="page-header"><h2>{page.title}</h2></div>
{page_content(site, page)}
</div>
</main>
<div id="aside" class="span3">
{modules}
</div>
</div>
</div></div>
<footer class="footer" role="contentinfo"><div class="container">
{nav if site.nav_place == "footer" else ""}
{"".join(site.footer_bits)}
<p>{site.address}, тел. {site.phone}</p>
<p class="pull-right"><a href="#top" id="back-top">Наверх</a></p>
<p>© 2025 {site.org.name}</p></div></footer>
{site.metrica_html}
</body>
</html>
"""


def render_bitrix(site: Site, page: Page) -> str:
    tpl = site.style
    menu = "\n".join(f'<li><a href="{h}" class="{"root-item-selected" if h == page.path else "root-item"}">{label}</a></li>'  # noqa: E501
                     for label, h in nav_items(site, page))
    nav = f'<ul id="horizontal-multilevel-menu">\n{menu}\n</ul>'
    side = "\n".join('<div class="sidebar-block">' + (f'<div class="sidebar-title">{t}</div>'
                                                      if t else "") + h + "</div>"
                     for t, h in site.widgets)
    return f"""<!DOCTYPE html>
<html xml:lang="ru" lang="ru">
<head>
{head_common(site)}
{site.viewport}
<title>{title_of(site, page)}</title>
<meta name="robots" content="index, follow" />
<link href="/bitrix/js/ui/design-tokens/dist/ui.design-tokens.min.css?171234567823"
 type="text/css" rel="stylesheet"/>
<link href="/bitrix/templates/{tpl}/components/bitrix/menu/top/style.css?17123456781120"
 type="text/css" rel="stylesheet"/>
<link href="/bitrix/templates/{tpl}/template_styles.css?171234567814210" type="text/css"
 rel="stylesheet" data-template-style="true"/>
<script type="text/javascript">if(!window.BX)window.BX={{}};
if(!window.BX.message)window.BX.message=function(mess){{if(typeof mess==='object'){{
for(let i in mess) {{BX.message[i]=mess[i];}} return true;}}}};</script>
<script type="text/javascript">(window.BX||top.BX).message({{'LANGUAGE_ID':'ru',
'FORMAT_DATE':'DD.MM.YYYY','SITE_ID':'s1','SITE_DIR':'/'}});</script>
<script type="text/javascript" src="/bitrix/js/main/core/core.min.js?1712345678223197"></script>
</head>
<body>
<div id="panel"></div>
<div class="wrapper">
<div class="header"><div class="logo">
<a href="/"><img src="/bitrix/templates/{tpl}/images/logo.png" alt=""></a>
<span class="logo-text">{site.org.name}</span></div>
<div class="header-right">{"".join(site.header_bits)}</div></div>
{'<div class="top-menu">' + nav + '</div>' if site.nav_place == "header" else ""}
<div class="workarea">
<div class="content">
<div class="breadcrumbs"><a href="/">Главная</a></div>
<h1>{page.title}</h1>
{'<div class="news-detail">' if page.kind == "news" else '<div class="page-content">'}
{page_content(site, page)}
</div>
</div>
<div class="sidebar">
{side}
</div>
</div>
<div class="footer">
{'<div class="bottom-menu">' + nav + '</div>' if site.nav_place == "footer" else ""}
{"".join(site.footer_bits)}
<div class="copyright">© 2025 {site.org.name}. {site.address}, тел.: {site.phone}</div>
</div>
</div>
{site.metrica_html}
</body>
</html>
"""


def render_ucoz(site: Site, page: Page) -> str:
    items = nav_items(site, page)
    menu = ('<div id="uMenuDiv1" class="uMenuV"><ul class="uMenuRoot">\n' + "\n".join(
        f'<li><a href="{h}"><span>{label}</span></a></li>' for label, h in items)
        + "\n</ul></div>")
    boxes = "\n".join('<table class="boxTable"><tr><td class="boxTitle"><b>'
                      f"{t or ''}</b></td></tr><tr><td class=\"boxContent\">{h}</td></tr>"
                      "</table>" for t, h in site.widgets)
    if site.nav_place == "sidebar":
        boxes = ('<table class="boxTable"><tr><td class="boxTitle"><b>Меню сайта</b></td>'
                 f'</tr><tr><td class="boxContent">{menu}</td></tr></table>\n') + boxes
    before_body = ""
    if site.nav_place == "before_body":
        before_body = '<div class="topmenu">' + " | ".join(
            f'<a href="{h}">{label}</a>' for label, h in items) + "</div>\n"
    header_menu = menu if site.nav_place == "header" else ""
    footer_menu = menu if site.nav_place == "footer" else ""
    return f"""<html>
<head>
{head_common(site)}
{site.viewport}
<title>{title_of(site, page)}</title>
<link type="text/css" rel="StyleSheet" href="/_st/my.css" />
<link rel="stylesheet" href="/.s/src/base.min.css" />
<link rel="stylesheet" href="/.s/src/layer7.min.css" />
<script src="/.s/src/jquery-1.12.4.min.js"></script>
<script src="/.s/src/uwnd.min.js"></script>
<script>window.uCoz={{"site":{{"id":"0prof{site.n}","domain":null,"host":"prof{site.n}.ucoz.ru"}},"language":"ru","country":"RU","module":"index"}};</script>
</head>
{before_body}<body>
<div id="utbr8214" rel="s746"></div>
<table border="0" cellpadding="0" cellspacing="0" width="100%">
<tr><td class="header"><h1 class="logo">{site.org.name}</h1>{"".join(site.header_bits)}</td></tr>
<tr><td>{header_menu}</td></tr>
</table>
<table border="0" cellpadding="0" cellspacing="0" width="100%"><tr>
<td valign="top" width="220" class="sidebar">
{boxes}
</td>
<td valign="top" class="content">
<div class="eTitle">{page.title}</div>
<div class="eMessage">
{page_content(site, page)}
</div>
</td>
</tr></table>
<div class="footer">{footer_menu}{"".join(site.footer_bits)}
<p>{site.address}, тел. {site.phone}</p>
Copyright {site.org.short} © 2025 | <!-- "' --><span class="pbU5gr1d">Хостинг от
<a href="https://www.ucoz.ru/" title="Создать сайт бесплатно">uCoz</a></span></div>
{site.metrica_html}
</body>
</html>
"""


def render_table(site: Site, page: Page) -> str:
    items = nav_items(site, page)
    links = "<br>\n".join(f'<a href="{h}">{label}</a>' for label, h in items)
    side = "".join(f"<p><b>{t or ''}</b></p>{h}<hr>" for t, h in site.widgets)
    left = ""
    if site.nav_place == "sidebar":
        left = f"<font size=\"2\">{links}</font><hr>"
    before_body = ""
    if site.nav_place == "before_body":
        before_body = f'<div align="center">{" | ".join(links.split("<br>"))}</div>\n'
    footer_menu = f'<p align="center">{" | ".join(links.split("<br>"))}</p>' \
        if site.nav_place == "footer" else ""
    return f"""<html>
<head>
{head_common(site)}
{site.viewport}
<title>{title_of(site, page)}</title>
<style>body{{font-family:Arial}} a{{color:#003399}}</style>
</head>
{before_body}<body bgcolor="#FFFFFF" text="#000000" link="#003399" vlink="#660099">
<table width="100%" border="0" cellpadding="6" cellspacing="0">
<tr><td colspan="2" bgcolor="#1F3F8F">
<font color="#FFFFFF" size="5"><b>{site.org.name}</b></font><br>
{"".join(site.header_bits)}</td></tr>
<tr><td width="230" valign="top" bgcolor="#EEF2FA">
{left}
{side}
</td>
<td valign="top">
<h2>{page.title}</h2>
{page_content(site, page)}
</td></tr>
<tr><td colspan="2" bgcolor="#EEEEEE"><font size="2">
{footer_menu}
{"".join(site.footer_bits)}
{site.address}, тел. {site.phone}<br>
&copy; {site.org.short}, 2025</font></td></tr>
</table>
{site.metrica_html}
</body>
</html>
"""


def render_drupal(site: Site, page: Page) -> str:
    menu = "\n".join(f'<li class="menu-item"><a href="{h}" data-drupal-link-system-path="'
                     f'{"<front>" if h == "/" else "node/" + str(10 + i)}">{label}</a></li>'
                     for i, (label, h) in enumerate(nav_items(site, page)))
    nav = ('<nav role="navigation" aria-labelledby="block-mainnavigation-menu" '
           'id="block-mainnavigation" class="block block-menu navigation menu--main">'
           f'<ul class="menu menu--main nav navbar-nav">\n{menu}\n</ul></nav>')
    blocks = "\n".join(f'<div id="block-custom-{i}" class="block block-block-content '
                       f'block-block-content{i:04x}">' + (f"<h2>{t}</h2>" if t else "")
                       + '<div class="clearfix text-formatted field field--name-body '
                       f'field--type-text-with-summary field__item">{h}</div></div>'
                       for i, (t, h) in enumerate(site.widgets))
    if site.nav_place == "sidebar":
        blocks = nav + "\n" + blocks
    settings = json.dumps({"path": {"baseUrl": "/", "pathPrefix": "", "currentPath": "node/1",
                                    "isFront": page.kind == "home", "currentLanguage": "ru"},
                           "user": {"uid": 0}}, separators=(",", ":"))
    path_class = "path-frontpage" if page.kind == "home" else "path-node page-node-type-" + (
        "article" if page.kind == "news" else "page")
    return f"""<!DOCTYPE html>
<html lang="ru" dir="ltr">
<head>
{head_common(site)}
<meta name="Generator" content="Drupal 10 (https://www.drupal.org)" />
<meta name="MobileOptimized" content="width" />
<meta name="HandheldFriendly" content="true" />
{site.viewport}
<title>{title_of(site, page)}</title>
<link rel="stylesheet" media="all"
 href="/sites/default/files/css/css_{site.n:02d}aF3kLq9x.css?delta=0&amp;theme=olivero" />
<script src="/core/assets/vendor/once/once.min.js?v=1.0.1"></script>
<script src="/core/misc/drupal.js?v=10.2.5"></script>
</head>
<body class="{path_class}">
<a href="#main-content" class="visually-hidden focusable skip-link">
Перейти к основному содержанию</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<div class="layout-container">
<header role="banner"><div class="region region-header">
<div id="block-sitebranding" class="block block-system block-system-branding-block">
<a href="/" rel="home" class="site-branding__name">{site.org.name}</a></div>
{"".join(site.header_bits)}
</div>
{'<div class="region region-primary-menu">' + nav + '</div>' if site.nav_place == "header" else ""}
</header>
<main role="main"><a id="main-content" tabindex="-1"></a>
<div class="layout-content"><div class="region region-content">
<h1 class="page-title"><span class="field field--name-title">{page.title}</span></h1>
<article class="node node--view-mode-full"><div class="node__content">
{page_content(site, page)}
</div></article>
</div></div>
<aside class="layout-sidebar-first" role="complementary"><div class="region region-sidebar-first">
{blocks}
</div></aside>
</main>
<footer role="contentinfo"><div class="region region-footer">
{nav if site.nav_place == "footer" else ""}
{"".join(site.footer_bits)}
<p>{site.address}, тел. {site.phone}</p><p>© 2025 {site.org.name}</p>
</div></footer>
</div></div>
<script type="application/json" data-drupal-selector="drupal-settings-json">{settings}</script>
<script src="/core/misc/drupalSettingsLoader.js?v=10.2.5"></script>
{site.metrica_html}
</body>
</html>
"""


def render_tilda(site: Site, page: Page) -> str:
    project = 4_000_000 + site.n * 1237
    page_id = 30_000_000 + site.n * 7919 + len(page.path)
    rec = [50_000_000 + site.n * 1000]

    def record(kind: int, inner: str, anchor: str | None = None) -> str:
        rec[0] += 17
        anchor_html = f'<a name="{anchor}" style="font-size:0;"></a>' if anchor else ""
        return (f'{anchor_html}<div id="rec{rec[0]}" class="r t-rec t-rec_pt_45 t-rec_pb_45" '
                f'data-record-type="{kind}"><div class="t-container"><div class="t-col '
                f't-col_10 t-prefix_1">{inner}</div></div></div>')

    menu = "".join(f'<li class="t228__list_item"><a class="t-menu__link-item" href="{h}" '
                   f'data-menu-submenu-hook="">{label}</a></li>'
                   for label, h in nav_items(site, page))
    header = (f'<div id="rec{rec[0]}" class="r t-rec" data-record-type="228">'
              '<div class="t228 t228__positionstatic"><div class="t228__maincontainer">'
              f'<div class="t228__leftcontainer"><a href="/" class="t228__logo">'
              f'{site.org.short}</a></div><div class="t228__centercontainer">'
              f'<ul class="t228__list">{menu if site.nav_place == "header" else ""}</ul></div>'
              f'<div class="t228__rightcontainer">{"".join(site.header_bits)}</div>'
              "</div></div></div>")
    zero = (f'<div id="rec{rec[0] + 5}" class="r t-rec" data-record-type="396"><div class="t396">'
            f'<div class="t396__artboard" data-artboard-recid="{rec[0] + 5}">'
            "<div class='t396__elem tn-elem' data-elem-type='text'><div class='tn-atom' "
            f"field='tn_text_1'><h1>{page.title if page.kind != 'home' else site.org.name}"
            "</h1></div></div></div></div></div>")
    blocks = []
    if page.kind == "home":
        for chunk in page.body:
            for section in re.split(r"(?=<section )", chunk):
                if section.strip():
                    anchor = re.match(r'<section class="block" id="([^"]+)"', section)
                    blocks.append(record(106, f'<div class="t-text t-text_md" field="text">'
                                              f"{section}</div>",
                                         anchor.group(1) if anchor else None))
    else:
        blocks.append(record(106, f'<div class="t-text t-text_md" field="text">'
                                  f"{page_content(site, page)}</div>"))
    for title, html in site.widgets:
        blocks.append(record(131, (f'<div class="t-title t-title_xs">{title}</div>'
                                   if title else "") + html))
    footer_menu = f'<ul class="t-footer__menu">{menu}</ul>' if site.nav_place == "footer" \
        else ""
    footer = record(345, f'<div class="t345">{footer_menu}{"".join(site.footer_bits)}'
                         f'<div class="t345__text t-descr">{site.address}, {site.phone}<br>'
                         f"© 2025 {site.org.name}</div></div>")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8" />
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
{site.viewport}
<!--metatextblock--><title>{title_of(site, page)}</title>
<meta property="og:title" content="{page.title}" /><!--/metatextblock-->
<meta name="format-detection" content="telephone=no" />
<link rel="stylesheet" href="/css/tilda-grid-3.0.min.css" type="text/css" media="all" />
<link rel="stylesheet" href="/css/tilda-blocks-page{page_id}.min.css?t=1712345678"
 type="text/css" media="all" />
<link rel="stylesheet" href="/css/tilda-forms-1.0.min.css" type="text/css" media="all" />
<script src="/js/tilda-scripts-3.0.min.js" charset="utf-8" defer></script>
<script src="/js/tilda-blocks-page{page_id}.min.js?t=1712345678" charset="utf-8" async></script>
<script src="/js/tilda-forms-1.0.min.js" charset="utf-8" async></script>
</head>
<body class="t-body" style="margin:0;">
<!--allrecords--><div id="allrecords" class="t-records"
 data-hook="blocks-collection-content-node" data-tilda-project-id="{project}"
 data-tilda-page-id="{page_id}" data-tilda-formskey="{site.n:02d}c0ffee{project:x}"
 data-tilda-lazy="yes">
{header}
{zero}
{"".join(blocks)}
{footer}
</div><!--/allrecords-->
{site.metrica_html}
</body></html>
"""


def render_nextjs(site: Site, page: Page) -> str:
    build = site.style
    route = "/" if page.kind == "home" else "/[slug]" if page.kind == "page" else "/news/[slug]"
    chunk = "index" if page.kind == "home" else "[slug]"
    links = "".join(f'<a class="Header_link__pQ2x1" href="{h}">{label}</a>'
                    for label, h in nav_items(site, page))
    aside = "".join('<section class="Widget_widget__Zt0bC">' + (
        f'<h3 class="Widget_title__h1S4k">{t}</h3>' if t else "") + h + "</section>"
        for t, h in site.widgets)
    nav_html = f'<nav class="Header_nav__k8LmQ">{links}</nav>'
    data = json.dumps({"props": {"pageProps": {"slug": page.path.strip("/")}},
                       "page": route, "query": {}, "buildId": build, "nextExport": True,
                       "autoExport": page.kind == "home", "isFallback": False,
                       "gsp": page.kind != "home", "scriptLoader": []}, ensure_ascii=False)
    scripts = ['<script defer="" nomodule="" '
               'src="/_next/static/chunks/polyfills-c67a75d1b6f99dc8.js"></script>']
    for name in (f"webpack-{build[:10]}", f"framework-{build[2:12]}", f"main-{build[4:14]}",
                 f"pages/_app-{build[6:16]}", f"pages/{chunk}-{build[1:11]}"):
        scripts.append(f'<script src="/_next/static/chunks/{name}.js" defer=""></script>')
    for name in ("_buildManifest", "_ssgManifest"):
        scripts.append(f'<script src="/_next/static/{build}/{name}.js" defer=""></script>')
    css = f"/_next/static/css/{build[:8]}c1.css"
    head = "".join([
        '<!DOCTYPE html><html lang="ru"><head>', head_common(site), site.viewport,
        f"<title>{title_of(site, page)}</title>", '<meta name="next-head-count" content="3"/>',
        f'<link rel="preload" href="{css}" as="style"/>',
        f'<link rel="stylesheet" href="{css}" data-n-g=""/>',
        '<noscript data-n-css=""></noscript>', *scripts, "</head>"])
    header_nav = nav_html if site.nav_place == "header" else ""
    footer_nav = nav_html if site.nav_place == "footer" else ""
    return f"""{head}
<body><div id="__next"><div class="Layout_wrap__3kF1a"><header class="Header_header__Xy12z">
<a class="Header_logo__1Ab2c" href="/">{site.org.name}</a>{header_nav}{"".join(site.header_bits)}
</header>
<main class="Layout_main__Zz9Pq"><h1 class="Page_title__aa1Qe">{page.title}</h1>
<div class="Page_content__u7Hn2">
{page_content(site, page)}
</div></main>
<aside class="Layout_aside__Qm3Rt">{aside}</aside>
<footer class="Footer_footer__Lp0Oq">{footer_nav}{"".join(site.footer_bits)}
<p>{site.address}, {site.phone}</p><p>© 2025 {site.org.name}</p></footer></div></div>
<script id="__NEXT_DATA__" type="application/json">{data}</script>
{site.metrica_html}
</body></html>
"""


RENDER = {"wordpress": render_wordpress, "joomla": render_joomla, "bitrix": render_bitrix,
          "ucoz": render_ucoz, "tilda": render_tilda, "drupal": render_drupal,
          "table": render_table, "nextjs": render_nextjs}
NAV_PLACES = {
    "wordpress": ["header", "header", "sidebar", "footer"],
    "joomla": ["header", "sidebar", "footer"],
    "bitrix": ["header", "header", "footer"],
    "ucoz": ["sidebar", "header", "before_body"],
    "tilda": ["header", "header", "footer"],
    "drupal": ["header", "sidebar", "footer"],
    "table": ["sidebar", "before_body", "footer"],
    "nextjs": ["header", "footer"],
}


# ------------------------------------------------------------------------------ one site


def build_site(n: int, planner: Planner) -> Site:
    rng = random.Random(n)
    part = "tune" if n <= ROUND5_LAST else "heldout"
    site = Site(n=n, cms=CMS_ORDER[(n - 1) % len(CMS_ORDER)], rng=rng, part=part)
    pool = site.pool

    def decide(code: str, forced: bool | None = None) -> None:
        present = planner.present(rng, pool, code, forced)
        site.plan[code] = (present, None if present else planner.absent_variant(rng, pool, code))

    decide("member_organizations")
    decide("collegial_bodies")
    decide("body_decisions", True if site.plan["collegial_bodies"][1] == "decisions_only"
           else None)
    decide("activist_materials")
    decide("fnpr_news")
    news_present, news_trap = site.plan["fnpr_news"]
    decide("fnpr_link", True if news_present or news_trap in NEWS_TRAPS_WITH_FNPR_LINK
           else None)
    decide("solidarnost_widget")
    decide("own_social_links")
    decide("share_button", True if site.plan["own_social_links"][1] == "share_only" else None)
    decide("ask_question")
    decide("mobile_layout")

    site.org = make_org(site)
    adj, _, city, base = site.org.region
    site.domain = rng.choice([f"prof-{base}.ru", f"{site.org.branch['slug']}-{base}.ru",
                              f"profkom-{base}.ru", f"{base}-profsoyuz.ru"])
    site.address = (f"{rng.randint(300000, 460000)}, г. {city}, ул. {rng.choice(STREETS)}, "
                    f"д. {rng.randint(1, 120)}, каб. {rng.randint(1, 40)}")
    site.phone = (f"+7 ({rng.randint(340, 499)}) {rng.randint(200, 799)}-"
                  f"{rng.randint(10, 99)}-{rng.randint(10, 99)}")
    if site.cms in ("ucoz", "table"):
        site.encoding = rng.choice(["windows-1251", "windows-1251", "utf-8"])
    site.style = {
        "wordpress": rng.choice(["twentyseventeen", "astra", "profsoyuz", "colormag"]),
        "joomla": rng.choice(["html", "indexphp"]) + ":" + rng.choice(["protostar", "prof",
                                                                        "beez3"]),
        "bitrix": rng.choice(["prof_main", "corp_services", "main"]),
        "ucoz": rng.choice(["plain", "named"]),
        "drupal": rng.choice(["node", "alias"]),
        "table": rng.choice(["htm", "html", "page"]),
        "nextjs": "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789_-") for _ in range(21)),
    }.get(site.cms, "")
    site.nav_place = rng.choice(NAV_PLACES[site.cms])

    builders = [
        ("member_organizations", build_member_organizations),
        ("collegial_bodies", build_collegial),
        ("body_decisions", build_decisions),
        ("activist_materials", build_activist),
        ("fnpr_news", build_fnpr_news),
        ("fnpr_link", build_fnpr_link),
        ("solidarnost_widget", build_solidarnost),
        ("own_social_links", build_own_social),
        ("share_button", build_share),
        ("ask_question", build_ask),
        ("mobile_layout", build_mobile),
    ]
    for code, builder in builders:
        present, trap = site.plan[code]
        builder(site, present, trap)
    if rng.random() < 0.45:
        site.metrica = str(rng.randint(20_000_000, 99_999_999))
    if len(site.pages) < 6 and rng.random() < 0.6:
        label, slug = rng.choice([("О нас", "o-nas"), ("Об организации", "ob-organizacii"),
                                  ("История", "istoriya")])
        site.add_page(label, slug, label, f"<p>{site.org.name} создана в "
                                          f"{rng.randint(1918, 1995)} году.</p><p>Сегодня "
                                          "организация ведёт колдоговорную работу, "
                                          "осуществляет правовой и технический контроль, "
                                          "организует оздоровление и отдых членов профсоюза."
                                          "</p>", "about")
    build_news(site)
    rng.shuffle(site.menu)  # the order of a real menu owes nothing to our criteria
    home = Page("/", site.org.name, [], kind="home")
    site.pages["/"] = home
    home.body.append(home_body(site))
    return site


# --------------------------------------------------------------------------- writing files


def file_for(path: str) -> str:
    path = path.split("#")[0].split("?")[0]
    if path in ("", "/"):
        return "index.html"
    if path.endswith("/"):
        return path.lstrip("/") + "index.html"
    return path.lstrip("/")


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = zlib.compress(b"\x00\xcc\xd6\xe8")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def tiny_pdf(title: str) -> bytes:
    return ("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
            f"4 0 obj<</Title({title})>>endobj\n"
            "trailer<</Root 1 0 R/Info 4 0 R>>\n%%EOF\n").encode("ascii")


def tiny_docx(title: str) -> bytes:
    files = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        "word/document.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            f'main"><w:body><w:p><w:r><w:t>{title}</w:t></w:r></w:p></w:body></w:document>',
    }
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def asset_bytes(path: str) -> bytes:
    name = path.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower()
    if ext == "png":
        return tiny_png()
    if ext == "ico":
        return tiny_png()
    if ext == "svg":
        return (b'<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32">'
                b'<rect width="32" height="32" rx="6" fill="#2a5885"/></svg>\n')
    if ext == "pdf":
        return tiny_pdf(name)
    if ext == "docx":
        return tiny_docx(name)
    if ext == "css":
        return b"/* " + name.encode() + b" */\nbody{margin:0}\n"
    if ext == "js":
        return b"/* " + name.encode() + b" */\n"
    if ext == "xml":
        return (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                b"<title>News</title></channel></rss>\n")
    raise ValueError(f"unknown asset {path}")


ASSET_EXT = ("png", "svg", "pdf", "docx", "css", "js", "ico", "xml")
ALLOWED_OUTSIDE_SOURCES = ("https://yastatic.net/share2/share.js", "https://www.solidarnost.org/",
                           "https://fnpr.ru/informer/", "https://mc.yandex.ru/",
                           # used by the sites 37-84 only
                           "https://solidarnost.org/", "https://vk.com/js/api/openapi.js",
                           "https://forms.yandex.ru/",
                           # used by the sites 61-84 only
                           "https://rutube.ru/play/embed/",
                           # used by the sites 85-108 only
                           "https://static.addtoany.com/menu/page.js",
                           "https://vk.com/js/api/share.js",
                           # used by the sites 109-132 only
                           "https://usocial.pro/usocial/")
LINK = re.compile(r"""\b(href|src|action)\s*=\s*["']([^"']*)["']""", re.I)


def check_and_collect_assets(site: Site, html_by_path: dict[str, str]) -> set[str]:
    """Every link inside the site resolves; nothing is loaded from outside but the allowed
    widgets; returns the local assets to write."""
    files = {file_for(p) for p in html_by_path}
    assets = set()
    for path, html in html_by_path.items():
        for attr, value in LINK.findall(html):
            if value.startswith(("http://", "https://", "//")):
                if attr.lower() == "src" and not value.startswith(ALLOWED_OUTSIDE_SOURCES):
                    raise SystemExit(f"site {site.n}: outside source {value}")
                if value.startswith("//"):
                    raise SystemExit(f"site {site.n}: protocol-relative {value}")
                continue
            if value in ("", "#") or value.startswith(("#", "tel:", "mailto:")):
                continue
            if not value.startswith("/"):
                raise SystemExit(f"site {site.n}: relative link {value} on {path}")
            target = value.split("#")[0].split("?")[0]
            if target.rsplit(".", 1)[-1].lower() in ASSET_EXT and "/" in target:
                assets.add(target)
            elif file_for(target) not in files:
                raise SystemExit(f"site {site.n}: broken link {value} on {path}")
    return assets


def write_site(site: Site, folder: Path) -> None:
    html_by_path = {path: RENDER[site.cms](site, page) for path, page in site.pages.items()}
    assets = check_and_collect_assets(site, html_by_path)
    if len(html_by_path) > PAGE_LIMIT:
        raise SystemExit(f"site {site.n}: {len(html_by_path)} pages")
    written: set[str] = set()
    for path, html in html_by_path.items():
        data = html.encode(site.encoding)
        if len(data) > PAGE_BYTES:
            raise SystemExit(f"site {site.n}: {path} is {len(data)} bytes")
        name = file_for(path)
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.add(name)
    for path in sorted(assets):
        name = file_for(path)
        target = folder / name
        if name in written:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(asset_bytes(path))
    labels = {"criteria": {code: bool(site.plan[code][0]) for code in CRITERIA},
              "metrica": site.metrica, "liveinternet": False, "cms": CMS_LABEL[site.cms],
              "part": site.part, "generated": True}
    if site.pool >= 1:
        labels = {**{k: v for k, v in labels.items() if k != "generated"},
                  "round": {1: 2, 2: 3, 3: 4}.get(site.pool, 5), "generated": True}
    if site.fresh3 and needs_browser(site):
        labels["needs_browser"] = needs_browser(site)
    (folder / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")


def needs_browser(site: Site) -> list[str]:
    """The criteria this site shows only through something that needs JavaScript."""
    notes, out = site.notes, []
    if site.plan["solidarnost_widget"][0] and notes.get("solidarnost_widget") in JS_SOLIDARNOST:
        out.append("solidarnost_widget")
    if site.plan["share_button"][0] and notes.get("share_kind") in JS_SHARE:
        out.append("share_button")
    if site.plan["own_social_links"][0] and notes.get("own_social_links") == "vk_widget":
        out.append("own_social_links")
    if site.plan["fnpr_news"][0] and notes.get("fnpr_news") == "informer_script":
        out.append("fnpr_news")
    if site.plan["ask_question"][0] and notes.get("ask_question") in JS_ASK:
        out.append("ask_question")
    if site.plan["mobile_layout"][0] and notes.get("mobile_layout") == "js_set":
        out.append("mobile_layout")
    return [code for code in CRITERIA if code in out]


def site_traps(site: Site) -> list[str]:
    return [f"{code}:{trap}" for code in CRITERIA
            for present, trap in [site.plan[code]] if not present and trap != "clean"]


def main() -> int:
    for old in sorted(CORPUS.glob("gen_*")):
        shutil.rmtree(old)
    planner = Planner()
    FRESH_USED.clear()
    sites = [build_site(n, planner) for n in range(1, SITES + 1)]
    for site in sites:
        write_site(site, CORPUS / f"gen_{site.n:02d}_{site.cms}")
    report(sites)
    return 0


def report(sites: list[Site]) -> None:
    problems = []
    print(f"{'site':<20} {'part':<8} {'cms':<11} {'enc':<13} {'nav':<12} traps")
    for site in sites:
        print(f"gen_{site.n:02d}_{site.cms:<12} {site.part:<8} {CMS_LABEL[site.cms] or '-':<11} "
              f"{site.encoding:<13} {site.nav_place:<12} {', '.join(site_traps(site))}")
    print("\nwhat each site shows for the criteria it has")
    for site in sites:
        shown = [f"{code}={site.notes.get(code, 'yes')}" for code in CRITERIA
                 if site.plan[code][0] and code in site.notes]
        js = needs_browser(site) if site.fresh3 else []
        print(f"gen_{site.n:02d}: {', '.join(shown)}"
              + (f"  [needs_browser: {', '.join(js)}]" if js else ""))
    names = [f"{first:02d}-{last:02d} true/false" for first, last in POOLS]
    print(f"\n{'criterion':<22} " + "   ".join(f"{n:<19}" for n in names))
    for code in CRITERIA:
        counts = []
        for pool, (first, last) in enumerate(POOLS):
            size = last - first + 1
            true = sum(s.plan[code][0] for s in sites if s.pool == pool)
            counts.append(f"{true:>2}/{size - true:<2}")
            if not 0.4 <= true / size <= 0.8:
                problems.append(f"{code}: {true} of {size} in sites {first:02d}-{last:02d}")
            if pool == 0:
                continue  # the first tuning part never promised every trap
            used = {s.plan[code][1] for s in sites if s.pool == pool and not s.plan[code][0]}
            for trap in pool_traps(pool, code):
                if trap not in used:
                    problems.append(f"{code}: trap {trap} missing from {first:02d}-{last:02d}")
        print(f"{code:<22} " + "   ".join(f"{c:<19}" for c in counts))
    unused = {key: [v for v in new if v not in FRESH_USED.get(key, set())]
              for key, new in NEW_LISTS.items()}
    print("\nnew variants no new site drew: "
          + (", ".join(f"{k}: {v}" for k, v in unused.items() if v) or "none"))
    if problems:
        raise SystemExit("corpus out of balance:\n" + "\n".join(problems))


if __name__ == "__main__":
    sys.exit(main())

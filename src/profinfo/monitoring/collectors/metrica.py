"""Яндекс.Метрика Reports API: visits, pageviews and users of a counter for a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..fetcher import Fetcher, FetchError
from .social import PlatformSettings, missing_setting

METRICS = ("ym:s:visits", "ym:s:pageviews", "ym:s:users")


FIRST_DAY = dt.date(2008, 1, 1)  # Яндекс.Метрика keeps nothing older


@dataclass
class Traffic:
    counter: str
    start: dt.date
    end: dt.date
    visits: int | None = None
    pageviews: int | None = None
    users: int | None = None
    sampled: bool = False
    error: FetchError | None = None


def api_error(status: int, payload, url: str = "") -> FetchError | None:
    if status < 400 and not (isinstance(payload, dict) and payload.get("errors")):
        return None
    message = payload.get("message", "") if isinstance(payload, dict) else ""
    if status in (401, 403):
        return FetchError("auth", "Метрика не приняла ключ доступа (PROFINFO_METRICA_TOKEN) "
                                  "или у него нет доступа к этому счётчику." +
                                  (f" Ответ Метрики: {message}" if message else ""), url=url)
    if status in (420, 429):
        return FetchError("rate_limited", "Исчерпана квота запросов к Метрике: проверка будет "
                                          "повторена позже.", url=url)
    if status == 404:
        return FetchError("not_found", "Счётчик Метрики не найден: проверьте его номер.",
                          url=url)
    return FetchError("http_status", f"Метрика ответила ошибкой {status}." +
                      (f" {message}" if message else ""), url=url)


def parse_totals(payload) -> tuple[list[int | None], bool]:
    if not isinstance(payload, dict) or not isinstance(payload.get("totals"), list):
        raise FetchError("parse", "Метрика ответила в неизвестном формате.")
    totals = [int(v) if isinstance(v, int | float) and v >= 0 else None
              for v in payload["totals"]]
    totals += [None] * (len(METRICS) - len(totals))
    return totals[:len(METRICS)], bool(payload.get("sampled"))


class MetricaClient:
    def __init__(self, fetcher: Fetcher, settings: PlatformSettings | None = None):
        self.fetcher = fetcher
        self.settings = settings or PlatformSettings()

    async def traffic(self, counter: str, start: dt.date, end: dt.date) -> Traffic:
        result = Traffic(counter, start, end)
        if not self.settings.metrica_token:
            result.error = missing_setting("PROFINFO_METRICA_TOKEN")
            return result
        if not counter.isdigit():
            result.error = FetchError("not_found", f"«{counter}» — не номер счётчика Метрики.")
            return result
        url = f"{self.settings.metrica_api_url.rstrip('/')}/stat/v1/data"
        params = {"ids": counter, "metrics": ",".join(METRICS), "date1": start.isoformat(),
                  "date2": end.isoformat(), "accuracy": "full"}
        headers = {"Authorization": f"OAuth {self.settings.metrica_token}"}
        try:
            response, payload = await self.fetcher.get_json(url, params=params,
                                                            headers=headers)
            if error := api_error(response.status, payload, url):
                raise error
            (result.visits, result.pageviews, result.users), result.sampled = \
                parse_totals(payload)
        except FetchError as error:
            result.error = error
        return result

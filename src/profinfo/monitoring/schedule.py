"""Regular runs: cron expressions from the settings, for `profinfo scheduler` (embedded
default) and for Celery beat alike."""

from __future__ import annotations

import datetime as dt

from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

JOBS = {  # name → (setting, run filters)
    "social": ("PROFINFO_SCHEDULE_SOCIAL", {"kind": "social"}),
    "sites": ("PROFINFO_SCHEDULE_SITES", {"kind": "site"}),
}


# Daily jobs of the apps above monitoring, which monitoring must not import: each registers
# its management command from its AppConfig.ready (the contest: stages by dates and letters).
COMMANDS: dict[str, tuple[str, str, str]] = {}  # name → (setting, label, management command)


def register_command(name: str, *, setting: str, label: str, command: str) -> None:
    COMMANDS[name] = (setting, label, command)


class ScheduleError(ValueError):
    pass


def parse(expression: str) -> crontab | None:
    """«0 2 * * *» → a crontab; an empty value or «off» switches the job off."""
    if not expression.strip() or expression.strip().lower() in ("off", "нет", "0"):
        return None
    parts = expression.split()
    if len(parts) != 5:
        raise ScheduleError(f"«{expression}»: нужно пять полей, как в cron: "
                            "минута час день месяц день_недели (например «0 2 * * *»).")
    minute, hour, day, month, weekday = parts
    try:
        return crontab(minute=minute, hour=hour, day_of_month=day, month_of_year=month,
                       day_of_week=weekday)
    except Exception as exc:  # celery raises ValueError subclasses for every bad field
        raise ScheduleError(f"«{expression}»: {exc}") from exc


def jobs() -> dict[str, tuple[crontab, dict]]:
    result = {}
    for name, (setting, filters) in JOBS.items():
        schedule = parse(getattr(settings, setting))
        if schedule is not None:
            result[name] = (schedule, filters)
    return result


def command_jobs() -> dict[str, tuple[crontab, str, str]]:
    """name → (schedule, label, command) of the registered commands that are switched on."""
    result = {}
    for name, (setting, label, command) in COMMANDS.items():
        schedule = parse(getattr(settings, setting))
        if schedule is not None:
            result[name] = (schedule, label, command)
    return result


def next_time(schedule: crontab, after: dt.datetime) -> dt.datetime:
    """The first moment after `after` when the cron expression matches (minute steps)."""
    moment = after.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    for _ in range(60 * 24 * 366):
        if (moment.minute in schedule.minute and moment.hour in schedule.hour
                and moment.day in schedule.day_of_month
                and moment.month in schedule.month_of_year
                and moment.isoweekday() % 7 in schedule.day_of_week):
            return moment
        moment += dt.timedelta(minutes=1)
    raise ScheduleError("Расписание никогда не срабатывает.")


def beat_schedule() -> dict:
    entries = {name: {"task": "profinfo.monitoring.tasks.scheduled_run", "schedule": schedule,
                      "args": (filters,)} for name, (schedule, filters) in jobs().items()}
    entries.update({name: {"task": "profinfo.monitoring.tasks.scheduled_command",
                           "schedule": schedule, "args": (command,)}
                    for name, (schedule, _, command) in command_jobs().items()})
    entries["watchdog"] = {"task": "profinfo.monitoring.tasks.watchdog", "schedule": 60.0}
    return entries


def now() -> dt.datetime:
    return timezone.localtime()

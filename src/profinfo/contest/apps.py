from django.apps import AppConfig


class ContestConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "profinfo.contest"
    verbose_name = "Смотр-конкурс"

    def ready(self):
        # monitoring runs the schedule but must not import the contest: the contest registers
        # its daily command there (stages moved by their dates, then the day's letters)
        from profinfo.monitoring import schedule

        schedule.register_command("contest", setting="PROFINFO_SCHEDULE_CONTEST",
                                  label="смотр-конкурс: этапы по датам и письма участникам",
                                  command="contest_daily")

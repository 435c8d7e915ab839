import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from profinfo.cli import ProfinfoCommand
from profinfo.demo import load_demo
from profinfo.organizations.models import Level, Organization, Role
from profinfo.organizations.services import membership_grant

ADMIN_LOGIN = "admin"


def admin_password_file():
    return settings.DATA_DIR / "admin-password.txt"


class Command(ProfinfoCommand):
    help = "Загрузить демонстрационные данные РОСПРОФПРОМ (повторный запуск ничего не дублирует)."

    def handle(self, *args, **options):
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Обновляю структуру базы данных…")
            call_command("migrate", verbosity=0, interactive=False)
        counts = load_demo(example_contest=True)
        self.stdout.write(
            f"Демонстрационные данные загружены: организаций — {counts['organizations']}, "
            f"ресурсов — {counts['resources']}, показателей из презентации 2022 — "
            f"{counts['observations']}"
            + (f"; пример смотра-конкурса {counts['example_contest']} года с опубликованными "
               "итогами." if counts["example_contest"] else ".")
        )
        password = ensure_demo_admin()
        if password:  # shown once, when it is made; never again in a log
            self.stdout.write(self.style.SUCCESS(
                f"Вход администратора: логин «{ADMIN_LOGIN}», пароль «{password}» "
                f"(сохранён в {admin_password_file()})."))
        else:
            self.stdout.write(f"Вход администратора: логин «{ADMIN_LOGIN}», пароль — в файле "
                              f"{admin_password_file()}.")


def ensure_demo_admin() -> str | None:
    """Create the demo administrator once, with a random password kept in the data folder;
    the password when it was made just now, else None."""
    user_model = get_user_model()
    password_file = admin_password_file()
    user = user_model.objects.filter(username=ADMIN_LOGIN).first()
    if user and password_file.exists():
        return None
    password = secrets.token_urlsafe(12)  # 16 characters
    if user is None:
        user = user_model(username=ADMIN_LOGIN, first_name="Администратор")
    user.set_password(password)
    user.save()
    root = Organization.objects.filter(level=Level.CENTRAL).order_by("path").first()
    membership_grant(user=user, org=root, role=Role.ADMIN)
    password_file.write_text(password + "\n")
    password_file.chmod(0o600)
    return password

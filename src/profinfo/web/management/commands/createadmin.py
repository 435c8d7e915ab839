from getpass import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from profinfo.cli import ProfinfoCommand
from profinfo.organizations.models import Organization, Role
from profinfo.organizations.services import membership_grant


class Command(ProfinfoCommand):
    help = "Создать администратора всего дерева организаций."

    def add_arguments(self, parser):
        parser.add_argument("login", metavar="ЛОГИН", help="имя для входа нового администратора")
        parser.add_argument("--password", help="без этого ключа пароль спрашивается")

    def handle(self, *args, login, password, **options):
        root = Organization.get_root_nodes().first()
        if root is None:
            raise CommandError("Сначала создайте головную организацию или выполните profinfo demo.")
        user_model = get_user_model()
        if user_model.objects.filter(username=login).exists():
            raise CommandError(f"Пользователь «{login}» уже есть.")
        password = password or getpass("Пароль: ")
        candidate = user_model(username=login)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError("Пароль не подходит: " + " ".join(exc.messages)) from exc
        user = user_model.objects.create_user(username=login, password=password)
        membership_grant(user=user, org=root, role=Role.ADMIN)
        self.stdout.write(self.style.SUCCESS(f"Администратор «{login}» создан."))

from django.conf import settings

from profinfo.cli import ProfinfoCommand
from profinfo.web.uploads import upload_limit

from .demo import ADMIN_LOGIN, admin_password_file


class Command(ProfinfoCommand):
    help = "Запустить веб-сервер ПрофИнфо (waitress)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1",
                            help="адрес, на котором слушать (по умолчанию 127.0.0.1 — только "
                                 "этот компьютер; 0.0.0.0 — вся сеть)")
        parser.add_argument("--port", type=int, default=8000, help="порт (по умолчанию 8000)")
        parser.add_argument("--threads", type=int, default=8,
                            help="сколько запросов обслуживать одновременно (по умолчанию 8)")

    def handle(self, *args, host, port, threads, **options):
        from waitress import serve

        from profinfo.wsgi import application

        self.stdout.write(f"ПрофИнфо работает: http://{host}:{port}/  (остановить — Ctrl+C)")
        if admin_password_file().exists():  # the password itself never goes into a log
            self.stdout.write(f"Вход администратора: логин «{ADMIN_LOGIN}», пароль — в файле "
                              f"{admin_password_file()}")
        self.stdout.write(f"Данные: {settings.DATA_DIR}")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="profinfo",
              max_request_body_size=upload_limit() + 1024 * 1024)

from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "profinfo.organizations"
    verbose_name = "Организации"

    def ready(self):
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        # Django saves the whole account to note a login, which would add an entry to the
        # account's edit history at every login; the login journal is django-axes' own.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(_note_login, dispatch_uid="profinfo_note_login")


def _note_login(sender, user, **kwargs):
    from django.utils import timezone

    type(user).objects.filter(pk=user.pk).update(last_login=timezone.now())

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ronghe.apps.accounts"
    label = "accounts"
    verbose_name = "账户 Accounts"

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.models import User

        from ronghe.apps.accounts import signals  # noqa: F401  (failed logins, admin changes → audit log)
        from ronghe.apps.accounts.forms import AdminLoginForm
        from ronghe.apps.accounts.validators import validate_username

        admin.site.login_form = AdminLoginForm  # the admin's login form is throttled like the others
        field = User._meta.get_field("username")
        if validate_username not in field.validators:  # user names made in the admin are checked too
            field.validators.append(validate_username)

"""What the audit log learns from Django itself: failed and successful logins (which also drive
the throttle) and every change made in the Django admin (its LogEntry, mirrored)."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ronghe.apps.accounts import throttle
from ronghe.apps.audit.models import record


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    throttle.record_failure(username, request)
    user = User.objects.filter(username=username).first()
    record("login.failed", target=user if user is not None else User, object_repr=username,
           address=throttle.address(request), locked=throttle.is_locked(username, request))


@receiver(user_logged_in)
def on_logged_in(sender, request, user, **kwargs):
    throttle.clear(user.get_username(), request)


_ADMIN_ACTIONS = {ADDITION: "admin.added", CHANGE: "admin.changed", DELETION: "admin.deleted"}


@receiver(post_save, sender=LogEntry)
def on_admin_change(sender, instance: LogEntry, created: bool, **kwargs):
    if not created:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    record(_ADMIN_ACTIONS.get(instance.action_flag, "admin.changed"), actor=instance.user,
           target=model or LogEntry, object_id=instance.object_id or "", object_repr=instance.object_repr,
           message=instance.get_change_message())


def _forget_roles(sender, **kwargs):
    """A membership or an expert role changed: the request's memo of roles is emptied (access.py)."""
    from ronghe.apps.accounts import access

    access.forget()


for _model in ("accounts.Membership", "programs.Expert"):
    post_save.connect(_forget_roles, sender=_model, dispatch_uid=f"forget-roles-{_model}")
    post_delete.connect(_forget_roles, sender=_model, dispatch_uid=f"forget-roles-delete-{_model}")


def _user_changed(sender, instance, raw=False, **kwargs):
    """A user row changed (a password, a flag, a login): the cached identity of its requests is retired
    (``access.identity``)."""
    from ronghe import pagecache

    pagecache.changed("users", {f"u{instance.pk}"})  # its own topic: a login retires no other cached part


post_save.connect(_user_changed, sender=User, dispatch_uid="identity-user-saved")
post_delete.connect(_user_changed, sender=User, dispatch_uid="identity-user-deleted")

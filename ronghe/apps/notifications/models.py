"""A notification: something a person should know or do, shown in the site and sent by e-mail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ronghe import pagecache


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.CASCADE,
                             related_name="notifications")
    verb = models.CharField(_("Kind"), max_length=64, help_text="a stable code, e.g. assessment.submitted")
    title = models.CharField(_("Title"), max_length=200)
    body = models.TextField(_("Text"), blank=True)
    url = models.CharField(_("Link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("Read at"), null=True, blank=True)

    objects = pagecache.TopicQuerySet.as_manager()
    cache_topic = "notifications"  # the header's unread badge, cached per user (ronghe/pagecache.py)

    class Meta:
        verbose_name = _("Notification")
        verbose_name_plural = _("Notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title

    def cache_parts(self) -> set[str]:
        return {f"u{self.user_id}"}

    @staticmethod
    def cache_parts_of(rows) -> set[str]:
        """The parts of a queryset's rows (marking them read touches only their users' badges)."""
        return {f"u{u}" for u in rows.order_by().values_list("user_id", flat=True).distinct()}

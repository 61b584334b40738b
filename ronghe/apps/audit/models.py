"""One audit log for every app.

Every audited model inherits :class:`AuditedModel`; its services call ``obj.log(...)`` inside the
same transaction as the change, so a change and its record are written together or not at all.
Events are append-only: the model refuses updates and deletes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One recorded change: who did what to which object, when, with the details as JSON."""

    at = models.DateTimeField(_("At"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Actor"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("Action"), max_length=64)
    content_type = models.ForeignKey(ContentType, verbose_name=_("Content type"), on_delete=models.PROTECT)
    object_id = models.CharField(_("Object id"), max_length=64)
    object_repr = models.CharField(_("Object repr"), max_length=200)
    data = models.JSONField(_("Data"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("Audit event")
        verbose_name_plural = _("Audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit events are append-only")


class AuditedModel(models.Model):
    """Base of every model whose changes must be traceable."""

    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        abstract = True

    def log(self, action: str, actor: Any = None, **data: Any) -> AuditEvent:
        """Record ``action`` on this object; call it inside the service's transaction."""
        return AuditEvent.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            content_type=ContentType.objects.get_for_model(type(self)),
            object_id=str(self.pk),
            object_repr=str(self)[:200],
            data=data,
        )

    def history(self) -> models.QuerySet[AuditEvent]:
        """This object's audit events, newest first."""
        return AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(type(self)), object_id=str(self.pk)
        )


def record(action: str, *, actor: Any = None, target: Any = None, object_id: str = "", object_repr: str = "",
           **data: Any) -> AuditEvent:
    """Record an event that is not a change made by a service on an :class:`AuditedModel`: a failed
    login, a change in the Django admin, an export. ``target`` is the model instance (or model
    class, with ``object_id``) the event concerns."""
    model = target if isinstance(target, type) else type(target) if target is not None else AuditEvent
    if target is not None and not isinstance(target, type):
        object_id = object_id or str(target.pk)
        object_repr = object_repr or str(target)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None, action=action,
        content_type=ContentType.objects.get_for_model(model), object_id=str(object_id)[:64],
        object_repr=str(object_repr)[:200], data=data)


def log_many(objects: list[Any], action: str, actor: Any = None, data: list[dict[str, Any]] | None = None) -> None:
    """``obj.log(action, actor, **data[i])`` for many objects of one model at once (a bulk import),
    in the caller's transaction."""
    if not objects:
        return
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    actor = actor if getattr(actor, "pk", None) else None
    AuditEvent.objects.bulk_create(
        [AuditEvent(actor=actor, action=action, content_type=content_type, object_id=str(o.pk),
                    object_repr=str(o)[:200], data=(data[k] if data else {})) for k, o in enumerate(objects)],
        batch_size=2000)

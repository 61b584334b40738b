"""Notifications over REST: yours, newest first, and marking them read."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from ninja.pagination import paginate

from ronghe.api.auth import AUTH
from ronghe.api.errors import responses
from ronghe.api.fields import Id
from ronghe.api.pagination import Pages
from ronghe.apps.notifications import services
from ronghe.apps.notifications.models import Notification

router = Router(tags=["notifications"], auth=AUTH)


class NotificationOut(Schema):
    id: int
    verb: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class ReadOut(Schema):
    marked: int


@router.get("/", response=responses(list[NotificationOut], 401), summary=_("Your notifications, newest first"),
            operation_id="notifications_list")
@paginate(Pages)
def list_notifications(request, unread: bool = False):
    qs = Notification.objects.filter(user=request.user)
    return qs.filter(read_at=None) if unread else qs


@router.post("/{notification_id}/read", response=responses(ReadOut, 401, 403, 404),
             summary=_("Mark one notification read"), operation_id="notifications_read")
def read_notification(request, notification_id: Id):
    from django.shortcuts import get_object_or_404

    n = get_object_or_404(Notification, pk=notification_id, user=request.user)
    return {"marked": services.mark_read(request.user, [n.pk])}

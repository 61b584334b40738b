"""The user's notifications: the list (opening it marks them read), and one followed by its link."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ronghe.apps.notifications import services
from ronghe.apps.notifications.models import Notification


@login_required
def notification_list(request):
    items = list(Notification.objects.filter(user=request.user)[:200])
    services.mark_read(request.user, [n.pk for n in items if n.read_at is None])
    return render(request, "notifications/list.html", {"items": items})


@login_required
@require_POST
def open_notification(request, pk: int):
    n = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(request.user, [n.pk])
    return redirect(n.url or "notifications:list")

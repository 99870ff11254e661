"""Pages that tell a worker something by SMS, as the pages of issue 15 do (interview invitations, codes):
tests/sms/test_pages.py makes the provider or the task queue fail under them."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST

from laborbrand.accounts.codes import Purpose, request_code
from laborbrand.accounts.models import Notification, User
from laborbrand.accounts.services import notify


@require_POST
def invite(request, pk):
    worker = User.objects.get(pk=pk)
    notify(recipient=worker, title="您被邀请面试", kind=Notification.Kind.INVITED_TO_INTERVIEW)
    return HttpResponse("invited")


@require_POST
def send_code(request, pk):
    worker = User.objects.get(pk=pk)
    request_code(phone=worker.phone, purpose=Purpose.SIGN_IN, address=request.META["REMOTE_ADDR"])
    return HttpResponse("code sent")


urlpatterns = [
    path("invite/<int:pk>/", invite, name="invite"),
    path("code/<int:pk>/", send_code, name="send_code"),
]

"""X webhooks in Django: a view built on verify_signature and parse_webhook.

In a project, put ``x_webhook`` in a views module and route it in urls.py:
``path("x/webhook/", views.x_webhook)``. Run alone, this file is a one-file
project: ``X_CONSUMER_SECRET=... python webhook_django.py runserver``.
Register https://<your host>/x/webhook/ with X.
"""

import os
import sys

from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from tweepy_dm.webhooks import SIGNATURE_HEADER, crc_response, parse_webhook, verify_signature

CONSUMER_SECRET = os.environ["X_CONSUMER_SECRET"]


def handle(event):
    message = event.direct_message
    if message is not None:  # dm.received, dm.sent
        print(f"{event.event_type} for {event.user_id}: {message.text}")
    else:  # typing, read receipts, and the other events of your subscriptions
        print(event.event_type)


@csrf_exempt  # X cannot send Django's CSRF token; the signature proves the sender
def x_webhook(request):
    if request.method == "GET":  # X's CRC
        token = request.GET.get("crc_token")
        if not token:
            return HttpResponseBadRequest("crc_token is missing")
        return JsonResponse(crc_response(CONSUMER_SECRET, token))
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    # request.body is the raw bytes X signed: verify before parsing.
    if not verify_signature(CONSUMER_SECRET, request.body, request.headers.get(SIGNATURE_HEADER)):
        return HttpResponseForbidden()
    try:
        events = parse_webhook(request.body)
    except (TypeError, ValueError):
        return HttpResponseBadRequest("not an X payload")
    for event in events:
        # X delivers again after a failure (an exception here answers 500) and
        # on replay: skip the events whose event_uuid (or, for Account Activity,
        # DM id) your database has seen already.
        handle(event)
    return HttpResponse(status=200)


urlpatterns = [path("x/webhook/", x_webhook)]

if __name__ == "__main__":
    from django.conf import settings
    from django.core.management import execute_from_command_line

    settings.configure(
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(","),
        # Django insists on a key; this view signs nothing with it.
        SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or os.urandom(32).hex(),
    )
    execute_from_command_line(sys.argv)

"""Signed-in sessions that end when the desk is left alone.

SESSION_COOKIE_AGE is counted from the session's last save. Saving on every request
(SESSION_SAVE_EVERY_REQUEST) would cost a database write per admin page; renewing a signed-in
session once every few minutes keeps it alive just as well while it is in use.
"""

import time

from django.contrib.auth import SESSION_KEY

RENEW_EVERY_SECONDS = 300
RENEWED_AT = "_renewed_at"


def mark_renewed(sender, request, user, **kwargs):
    """Signing in saves the session anyway: count the renewal from there."""
    request.session[RENEWED_AT] = int(time.time())


class SessionRenewalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # Only a session the request already read: this adds no load to a reader's cached page.
        if session.accessed and session.get(SESSION_KEY):
            now = int(time.time())
            if now - session.get(RENEWED_AT, 0) >= RENEW_EVERY_SECONDS:
                session[RENEWED_AT] = now  # SessionMiddleware saves it, with a new expiry
        return response

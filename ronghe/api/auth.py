"""How API callers prove who they are: a bearer token (``Authorization: Bearer <key>``, made with
``manage.py api_tokens create`` or on the tokens page) or the browser's session.

A request with neither is 401. A signed-in browser that writes must also send its CSRF token
(403 otherwise), as on the pages; a bearer token needs none.
"""

from ninja.security import HttpBearer, SessionAuth

from ronghe.apps.accounts.services import user_for_key


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_key(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(SessionAuth):
    """Django's session, asked only when there is a signed-in user: without one the answer is 401
    (who are you?), not a CSRF failure."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


AUTH = [TokenAuth(), BrowserSession()]

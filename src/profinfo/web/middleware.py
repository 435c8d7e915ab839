"""Session lifetime and caching rules for everything a signed-in person is shown."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import patch_cache_control

SEEN_KEY = "profinfo_seen"
STARTED_KEY = "profinfo_started"
SEEN_RESOLUTION = 60  # seconds: the last request's time is written at most once a minute


class SessionTimeoutMiddleware:
    """Ends a session after PROFINFO_SESSION_IDLE_MINUTES without a request and, whatever
    happens, PROFINFO_SESSION_MAX_HOURS after the login (ASVS 3.3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(STARTED_KEY, now)
            seen = request.session.get(SEEN_KEY, now)
            idle = now - seen > settings.PROFINFO_SESSION_IDLE_MINUTES * 60
            if idle or now - started > settings.PROFINFO_SESSION_MAX_HOURS * 3600:
                logout(request)
                messages.info(request, "Сеанс завершён: слишком долго не было действий. "
                                       "Войдите снова." if idle else
                              "Сеанс завершён по истечении срока. Войдите снова.")
                return redirect_to_login(request.get_full_path())
            if now - seen >= SEEN_RESOLUTION or SEEN_KEY not in request.session:
                request.session[SEEN_KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages and files shown to a signed-in person, and every download, are never kept by a
    browser's or a proxy's cache (ASVS 8.2.1)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.has_header("Content-Disposition"):
            patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response


def client_address(request) -> str:
    """The address a request came from. Behind PROFINFO_TRUSTED_PROXIES reverse proxies, the
    one the nearest of them saw (it appends it to X-Forwarded-For): what a client writes into
    that header itself stands further left and is never taken."""
    proxies = settings.PROFINFO_TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from profinfo.caching import cached
from profinfo.monitoring.selectors import stale_resources
from profinfo.organizations.selectors import level_counts, roots_for
from profinfo.registry.selectors import counts_by_kind, counts_by_network, public_resources

from .access import member_required, scope


def healthz(request):
    """For load balancers and monitoring: the app answers, without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("public")


@member_required
def dashboard(request):
    user_scope = scope(request)
    key = f"dashboard:{user_scope.cache_key}"
    kinds, networks, levels, stale_count, stale = cached(key, lambda: (
        counts_by_kind(user_scope), counts_by_network(user_scope),
        list(level_counts(user_scope).items()), stale_resources(scope=user_scope).count(),
        list(stale_resources(scope=user_scope)[:20])))
    return render(request, "web/dashboard.html", {
        "nav": "dashboard",
        "kinds": kinds, "kinds_max": max((n for _, n in kinds), default=0),
        "networks": networks, "networks_max": max((n for _, n in networks), default=0),
        "levels": levels,
        "stale": stale, "stale_count": stale_count,
        "stale_days": settings.PROFINFO_STALE_DAYS,
        "roots": roots_for(user_scope),
    })


def public_registry(request):
    page = Paginator(public_resources(), 100).get_page(request.GET.get("page"))
    return render(request, "web/public.html", {"nav": "public", "page": page})


@member_required
def reports(request):
    return render(request, "web/reports.html", {"nav": "reports"})

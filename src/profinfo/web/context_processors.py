from profinfo.monitoring.criteria import CRITERIA
from profinfo.organizations.scoping import scope_of


def navigation(request):
    return {"scope": scope_of(getattr(request, "user", None)), "criteria_count": len(CRITERIA)}

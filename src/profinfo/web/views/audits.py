from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from profinfo.contest.services import expert_may_override, override_refusal
from profinfo.monitoring.selectors import criteria_matrix
from profinfo.monitoring.services import criterion_override
from profinfo.registry.models import Resource
from profinfo.reports import render as files
from profinfo.reports.queries import criteria_matrix_report

from ..downloads import attachment
from ..forms import CriterionOverrideForm
from .access import member_required, scope, subtree_from
from .params import ROWS_PER_PAGE


@member_required
@require_POST
def override(request, pk):
    """An administrator's decision on a criterion; while the organization takes part in a
    running contest, only the organizers and the experts assigned to it decide (integrity:
    a participant never changes its own scores)."""
    resource = get_object_or_404(Resource.objects.select_related("organization"), pk=pk)
    organization = resource.organization
    if not expert_may_override(request.user, organization):
        user_scope = scope(request)
        if not user_scope.can_read(organization):
            raise Http404("Ресурс не найден.")
        if not user_scope.can_administer(organization):
            raise PermissionDenied("Решения по критериям принимают администраторы.")
        refusal = override_refusal(user_scope, organization)
        if refusal:
            raise PermissionDenied(refusal)
    form = CriterionOverrideForm(request.POST)
    if form.is_valid():
        try:
            criterion_override(resource=resource, code=form.cleaned_data["code"],
                               present=form.cleaned_data["present"],
                               reason=form.cleaned_data["reason"], user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Решение по критерию сохранено.")
    else:
        messages.error(request, "Решение не сохранено: укажите причину.")
    if not scope(request).can_read(organization):  # an expert outside their own subtree
        back = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
            return redirect(back)
    return redirect("resource-detail", pk=resource.pk)


@member_required
def matrix(request):
    subtree = subtree_from(request)
    criteria, rows = criteria_matrix(scope(request), subtree)
    if request.GET.get("format") == "xlsx":
        report = criteria_matrix_report(criteria, rows)
        return attachment(files.to_xlsx(report), "profinfo-site-criteria", "xlsx")
    return render(request, "web/criteria_matrix.html", {
        "nav": "reports", "criteria": criteria, "subtree": subtree,
        "page": Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))})

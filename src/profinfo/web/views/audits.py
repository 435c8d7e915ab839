from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from profinfo.monitoring.selectors import criteria_matrix
from profinfo.monitoring.services import criterion_override
from profinfo.reports import render as files
from profinfo.reports.queries import criteria_matrix_report

from ..downloads import attachment
from ..forms import CriterionOverrideForm
from .access import editable_resource, member_required, scope, subtree_from
from .params import ROWS_PER_PAGE


@member_required
@require_POST
def override(request, pk):
    resource = editable_resource(request, pk)
    if not scope(request).can_administer(resource.organization):
        raise PermissionDenied("Решения по критериям принимают администраторы.")
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

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from profinfo import spreadsheets

from ..downloads import attachment
from ..forms import UploadForm
from .access import member_required, scope
from .params import filters_from, freshness_from, listed_resources


def _staged(request, token: str) -> Path:
    path = spreadsheets.upload_staged(user_id=request.user.pk, token=token)
    if path is None:
        raise Http404("Загруженный файл не найден: загрузите его снова.")
    return path


def _require_writer(request):
    if not scope(request).can_write_anything:
        raise PermissionDenied("Загружать таблицы могут администраторы и редакторы.")


@member_required
def import_upload(request):
    _require_writer(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.PROFINFO_IMPORT_MAX_BYTES:
            form.add_error("file", "Файл слишком большой: разделите его на части.")
        else:
            token, path = spreadsheets.upload_stage(user_id=request.user.pk,
                                                    chunks=upload.chunks(),
                                                    filename=upload.name)
            return _preview(request, path, token, upload.name)
    return render(request, "web/import.html", {"nav": "import", "form": form})


def _preview(request, path: Path, token: str, filename: str):
    try:
        with spreadsheets.import_slot(request.user.pk):
            plan, _ = spreadsheets.plan_import(path.read_bytes(), filename,
                                               scope=scope(request), user=request.user)
    except spreadsheets.ImportBusy as busy:
        path.unlink(missing_ok=True)
        messages.error(request, str(busy))
        return render(request, "web/import.html", {"nav": "import", "form": UploadForm()})
    if not plan.ok:
        path.unlink(missing_ok=True)
    return render(request, "web/import_preview.html", {
        "nav": "import", "plan": plan, "token": token, "filename": filename,
        "form": UploadForm(),
    })


@member_required
@require_POST
def import_commit(request):
    _require_writer(request)
    token = request.POST.get("token", "")
    filename = request.POST.get("filename", "")[:200]
    path = _staged(request, token)
    try:
        with spreadsheets.import_slot(request.user.pk):
            plan = spreadsheets.import_file(path.read_bytes(), filename, scope=scope(request),
                                            user=request.user)
    except spreadsheets.ImportBusy as busy:
        messages.error(request, str(busy))  # the checked file stays: commit it again later
        return redirect("import")
    path.unlink(missing_ok=True)
    if not plan.ok:
        messages.error(request, "За время проверки данные в реестре изменились, и в таблице "
                       "появились ошибки. Ничего не загружено — посмотрите список ниже.")
        return render(request, "web/import_preview.html", {
            "nav": "import", "plan": plan, "filename": filename, "form": UploadForm()})
    messages.success(request, "Таблица загружена. " + " ".join(plan.summary()))
    return redirect("resource-list")


@member_required
def import_template(request):
    return attachment(spreadsheets.template_workbook(), "profinfo-shablon", "xlsx")


@member_required
def export_page(request):
    return render(request, "web/export.html", {"nav": "export",
                                               "datasets": spreadsheets.DATASETS.values()})


@member_required
def export_file(request, dataset, fmt):
    if dataset not in spreadsheets.DATASETS or fmt not in spreadsheets.EXPORT_FORMATS:
        raise Http404("Такой выгрузки нет.")
    user_scope = scope(request)
    narrowed = (listed_resources(user_scope, filters_from(request), freshness_from(request))
                if dataset == "resources" and request.GET else None)
    body = spreadsheets.export(dataset, fmt, scope=user_scope, queryset=narrowed)
    return attachment(body, f"profinfo-{dataset}", fmt)

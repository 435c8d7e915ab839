import time
import uuid
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
from .params import listed_resources

UPLOAD_LIFETIME_SECONDS = 24 * 3600


def _uploads() -> Path:
    folder = settings.DATA_DIR / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_abandoned_uploads() -> None:
    """Files checked but never committed are removed after a day."""
    cutoff = time.time() - UPLOAD_LIFETIME_SECONDS
    for path in _uploads().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue  # another request's file, gone since the folder was listed


def _upload_path(request, token: str) -> Path:
    try:
        uuid.UUID(token)
    except ValueError as exc:
        raise Http404("Файл не найден.") from exc
    matches = list(_uploads().glob(f"{request.user.pk}-{token}.*"))
    if not matches:
        raise Http404("Загруженный файл не найден: загрузите его снова.")
    return matches[0]


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
            _forget_abandoned_uploads()
            token = str(uuid.uuid4())
            suffix = Path(upload.name).suffix.lower()[:6] or ".bin"
            path = _uploads() / f"{request.user.pk}-{token}{suffix}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
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
    path = _upload_path(request, token)
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
    narrowed = (listed_resources(request, user_scope)
                if dataset == "resources" and request.GET else None)
    body = spreadsheets.export(dataset, fmt, scope=user_scope, queryset=narrowed)
    return attachment(body, f"profinfo-{dataset}", fmt)

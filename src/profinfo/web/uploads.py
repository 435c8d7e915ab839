"""Uploaded files are counted as they arrive: past the limit nothing more is kept."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


def upload_limit() -> int:
    return max(settings.PROFINFO_FILE_MAX_BYTES, settings.PROFINFO_IMPORT_MAX_BYTES)


class SizeLimitedUploadHandler(FileUploadHandler):
    """First of the upload handlers. Up to the limit chunks pass on to Django's own handlers;
    past it they are dropped, and the file is replaced by an empty stand-in of the size that
    arrived, which the forms refuse as too large (never a truncated file taken as whole)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data if self.received <= upload_limit() else None

    def file_complete(self, file_size):
        if self.received <= upload_limit():
            return None  # the next handler's file stands
        return UploadedFile(io.BytesIO(b""), name=self.file_name, size=self.received,
                            content_type=self.content_type, charset=self.charset)

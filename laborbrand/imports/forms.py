from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laborbrand.imports import files
from laborbrand.imports.engine import ImportFileError

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": XLSX_ACCEPT}),
        error_messages={
            "required": gettext_lazy("Choose the filled-in workbook to upload."),
            "empty": gettext_lazy("The file is empty."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx workbook of at most %(size)s and %(rows)s rows, laid out as the template."
        ) % {"size": filesizeformat(settings.IMPORT_MAX_BYTES), "rows": f"{settings.IMPORT_MAX_ROWS:,}"}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            files.check_upload(upload, size=upload.size)
        except ImportFileError as refusal:
            raise ValidationError(str(refusal), code="refused") from None
        return upload

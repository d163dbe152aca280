"""Form parts every app uses for uploads: several files in one field, checked one by one, with the files of
an earlier failed submit carried along (helpdesk.files)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .files import uploads_stage, validate_upload
from .models import StagedUpload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, list | tuple) else [data]) if f]


class AttachmentsFormMixin(forms.Form):
    """Files checked one by one: the accepted ones are kept in `accepted_files` even when another file or
    field fails, so the view can stage them (helpdesk.files.uploads_stage) and the user need not send them
    again. `staged` carries the files staged by an earlier failed submit."""

    files = MultipleFileField(
        label=_("Attachments"), help_text=_("Up to 25 MB per file; programs and scripts are refused.")
    )
    staged = forms.ModelMultipleChoiceField(
        queryset=StagedUpload.objects.none(), required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["staged"].queryset = StagedUpload.objects.filter(user=user)
        self.accepted_files = []

    def clean_files(self):
        errors = []
        for upload in self.cleaned_data["files"]:
            try:
                validate_upload(upload, by=self.user)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                self.accepted_files.append(upload)
        if errors:
            raise ValidationError(errors)
        return self.accepted_files

    def staged_after_failure(self) -> list[StagedUpload]:
        """The files to show as attached after a failed submit: earlier ones and this submit's good ones."""
        earlier = list(self.cleaned_data.get("staged", [])) if hasattr(self, "cleaned_data") else []
        return earlier + uploads_stage(user=self.user, files=self.accepted_files)

"""Forms of the portal's settings pages; each builds only from the representative's own client."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Briefing, CannedReply, Client, FaqEntry
from clients.services import BRIEFING_FIELDS
from portal.services import MAX_CATEGORY_CHARS, MAX_REMINDER_HOURS, CategoryEdit
from reports.models import NormalReportTiming, category_label


class BriefingForm(forms.ModelForm):
    class Meta:
        model = Briefing
        fields = BRIEFING_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in BRIEFING_FIELDS}


class ClientScopedFormSet(forms.BaseModelFormSet):
    """A model formset over one client's rows: a submitted id outside them is an error, never a write."""

    def __init__(self, *args, client: Client, **kwargs):
        self.client = client
        kwargs["queryset"] = self.model.objects.filter(client=client)
        super().__init__(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if any(form.instance.pk is None for form in self.forms[: self.initial_form_count()]):
            raise ValidationError(_("One of these entries no longer exists. Reload the page and try again."))


FaqFormSet = forms.modelformset_factory(
    FaqEntry,
    formset=ClientScopedFormSet,
    fields=["order", "question", "answer"],
    extra=2,
    can_delete=True,
    widgets={"answer": forms.Textarea(attrs={"rows": 3}), "order": forms.NumberInput(attrs={"class": "order"})},
)

CannedReplyFormSet = forms.modelformset_factory(
    CannedReply,
    formset=ClientScopedFormSet,
    fields=["shortcut", "title", "body"],
    extra=2,
    can_delete=True,
    widgets={"body": forms.Textarea(attrs={"rows": 3}), "shortcut": forms.TextInput(attrs={"placeholder": "/hours"})},
)


class CategoryForm(forms.Form):
    previous = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("Category"), required=False, max_length=MAX_CATEGORY_CHARS)


class BaseCategoryFormSet(forms.BaseFormSet):
    def edits(self) -> list[CategoryEdit]:
        """The kept rows, in order; blank new rows are ignored."""
        return [
            CategoryEdit(previous=form.cleaned_data.get("previous", ""), name=form.cleaned_data.get("name", ""))
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.cleaned_data.get("name") or form.cleaned_data.get("previous"))
        ]


CategoryFormSet = forms.formset_factory(CategoryForm, formset=BaseCategoryFormSet, extra=2, can_delete=True)


class ReportSettingsForm(forms.Form):
    normal_reports = forms.ChoiceField(
        label=gettext_lazy("Send normal reports"), choices=NormalReportTiming.choices, widget=forms.RadioSelect
    )
    reminder_after_hours = forms.IntegerField(
        label=gettext_lazy("Remind after (hours)"),
        min_value=1,
        max_value=MAX_REMINDER_HOURS,
        help_text=gettext_lazy("Representatives are reminded of escalations nobody acknowledged for this long."),
    )


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language of my emails"), choices=settings.LANGUAGES)
    receives_emails = forms.BooleanField(label=gettext_lazy("Email me reports and reminders"), required=False)
    subscribed_categories = forms.MultipleChoiceField(
        label=gettext_lazy("Categories I am told about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tick none to hear about every category."),
    )

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subscribed_categories"].choices = [(code, category_label(code)) for code in categories]

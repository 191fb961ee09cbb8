"""The owner's page for engaging visitors: live tracking on or off, and the proactive invitation rules.

Forms come only from the owner's own client (ClientScopedFormSet); writes go through
chats.visits.services, as the admin's do. Each rule's invitation is one text box per language
of settings.LANGUAGES, stored as the `en: …` lines the widget reads (chats.visits.models)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chats.visits import services as visit_services
from chats.visits.models import (
    ProactiveRule,
    format_invitation_texts,
    parse_invitation_texts,
    validate_invitation_texts,
)
from portal.requesters import settings_owner_required
from portal.settings_forms import ClientScopedFormSet


def text_field_name(language: str) -> str:
    return f"text_{language}"


class ProactiveRuleForm(forms.ModelForm):
    """A rule with a text box per language; texts in other languages (set in the admin) are kept."""

    class Meta:
        model = ProactiveRule
        fields = [
            "name",
            "is_active",
            "min_seconds_on_page",
            "url_contains",
            "min_cart_value",
            "returning_only",
            "min_pages_seen",
            "language",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_texts = parse_invitation_texts(self.instance.invitation_texts or "")
        for language, name in settings.LANGUAGES:
            self.fields[text_field_name(language)] = forms.CharField(
                label=format_lazy(gettext_lazy("Invitation in {language}"), language=name),
                required=False,
                max_length=500,
                initial=self.stored_texts.get(language, ""),
                widget=forms.Textarea(attrs={"rows": 2, "lang": language}),
            )

    def text_fields(self) -> list[forms.BoundField]:
        """The boxes in the stored order (its first text is what other languages get), then the rest."""
        languages = [language for language, _name in settings.LANGUAGES]
        ordered = [language for language in self.stored_texts if language in languages]
        return [self[text_field_name(language)] for language in ordered + [x for x in languages if x not in ordered]]

    def condition_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self._meta.fields]

    def clean(self) -> dict:
        """The boxes back into `en: …` lines, the stored order first (its first language is the
        fallback), checked by the model's own validator."""
        cleaned = super().clean()
        typed = {language: cleaned.get(text_field_name(language), "") for language, _name in settings.LANGUAGES}
        texts = {language: typed.get(language, text) for language, text in self.stored_texts.items()}
        texts.update({language: text for language, text in typed.items() if language not in texts})
        self.instance.invitation_texts = format_invitation_texts(texts)
        try:
            validate_invitation_texts(self.instance.invitation_texts)
        except ValidationError:
            raise ValidationError(_("Write the invitation in at least one language.")) from None
        return cleaned


RuleFormSet = forms.modelformset_factory(
    ProactiveRule, form=ProactiveRuleForm, formset=ClientScopedFormSet, extra=1, can_delete=True
)


class TrackingForm(forms.Form):
    tracks_visitors_before_chat = forms.BooleanField(
        label=gettext_lazy("Show live visitors before they chat"),
        required=False,
        help_text=gettext_lazy(
            "Needed for invitations. Off: the widget sends nothing until the visitor opens the chat."
        ),
    )


@settings_owner_required
def invitation_rules(request: HttpRequest, representative) -> HttpResponse:
    client = representative.client
    data = request.POST if request.method == "POST" else None
    tracking = TrackingForm(data, initial={"tracks_visitors_before_chat": client.tracks_visitors_before_chat})
    rules = RuleFormSet(data, client=client, prefix="rules")
    if data is not None and tracking.is_valid() and rules.is_valid():
        changed = rules.save(commit=False)  # builds the instances and `deleted_objects`; writes nothing
        try:
            visit_services.save_proactive_rules(client=client, rules=changed, deleted=rules.deleted_objects)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            visit_services.set_visitor_tracking(
                client=client, enabled=tracking.cleaned_data["tracks_visitors_before_chat"]
            )
            messages.success(request, _("Saved. Visitors get the new rules on their next page."))
            return redirect("portal:invitations")
    return render(
        request,
        "portal/settings_invitations.html",
        {"representative": representative, "tracking": tracking, "rules": rules},
    )

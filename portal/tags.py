"""The portal's tag list: a client's owner names the tags agents put on its chats (chats.teamwork.tags)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chats.teamwork.models import Tag
from chats.teamwork.tags import set_client_tags
from core.errors import RelevoError
from portal.requesters import settings_owner_required


class TagListForm(forms.Form):
    tags = forms.CharField(
        label=gettext_lazy("Tags, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
    )


@settings_owner_required
def tag_settings(request: HttpRequest, representative) -> HttpResponse:
    """Owners edit the list; a tag taken off the list is taken off its chats too."""
    current = "\n".join(Tag.objects.filter(client_id=representative.client_id).values_list("name", flat=True))
    form = TagListForm(request.POST or None, initial={"tags": current})
    if request.method == "POST" and form.is_valid():
        try:
            set_client_tags(client_id=representative.client_id, names=form.cleaned_data["tags"].splitlines())
        except RelevoError as error:
            form.add_error("tags", error.detail)
        else:
            messages.success(request, _("Tags saved."))
            return redirect("portal:tags")
    return render(request, "portal/settings_tags.html", {"representative": representative, "form": form})

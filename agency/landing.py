"""The landing page: sends each kind of user where their work is (wiring: it knows every app's pages)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from agency.models import Agent
from clients.selectors import is_agency_wide, is_client_side


def home(request: HttpRequest) -> HttpResponse:
    """Client owners and representatives → the portal; agency admins and supervisors
    → the floor; agents → the console; other staff → the admin."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "agency/home.html")
    if is_client_side(user):
        return redirect("portal:portal")
    if is_agency_wide(user):
        return redirect("floor:floor")
    if Agent.objects.filter(user=user).exists():
        return redirect("console")
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "agency/home.html")


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links; the icon is an SVG in static/."""
    return redirect(static("favicon.svg"), permanent=True)

"""The landing page: sends each kind of user where their work is."""
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from agency.models import Agent


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "agency/home.html")
    if Agent.objects.filter(user=request.user).exists():
        return redirect("console")
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "agency/home.html")

"""Prizes of an edition, their jury and winners; honours of an edition."""

from .views import jury, manage, public

app_name = "prizes"

urlpatterns = public.urlpatterns + jury.urlpatterns + manage.urlpatterns

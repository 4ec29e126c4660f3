"""Consultation workshops, the regional action plan and the territorial pole's shared services."""

from .views import manage, plan, public

app_name = "consult"

urlpatterns = public.urlpatterns + manage.urlpatterns + plan.urlpatterns

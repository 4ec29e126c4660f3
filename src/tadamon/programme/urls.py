"""Sessions of an edition's programme: conferences, trainings, AGORA, shows; their speakers and
spaces, registrations, attendance, certificates and feedback."""

from .views import attendance, manage, public

app_name = "programme"

urlpatterns = public.urlpatterns + manage.urlpatterns + attendance.urlpatterns

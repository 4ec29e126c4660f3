"""Support programmes (Mowakaba, Tamkine, the cooperative incubator): the public incubator page and
calls, the applicant's and coach's screens, and the programme team's back office."""

from .views import manage, plan, public

app_name = "support"

urlpatterns = public.urlpatterns + plan.urlpatterns + manage.urlpatterns

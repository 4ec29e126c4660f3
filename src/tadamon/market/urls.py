"""The market's pages: the public catalogue, basket and orders, and the sellers' space."""

from .views import public, sell

app_name = "market"

urlpatterns = public.urlpatterns + sell.urlpatterns

"""The portal's URLs plus /bare/, the benchmark's baseline view."""

from django.urls import path

from bench.baseline import bare
from laborbrand.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("bare/", bare, name="bench_bare"), *portal_urlpatterns]

"""The /api/v1/ router: every app registers its viewsets here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = [] + router.urls

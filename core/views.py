from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.static import serve


@login_required
def home(request):
    return redirect("projects:list")


@login_required
def media(request, path):
    """Uploaded photos and evidence, for logged-in users only, also in production.

    MEDIA_ROOT is read per request (not captured when the URLconf loads), so a changed setting,
    as in the test suite, is honoured.
    """
    return serve(request, path, document_root=settings.MEDIA_ROOT)

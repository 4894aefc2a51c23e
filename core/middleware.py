"""The pages speak zh-hans unless the user picked another language.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a PC with an English
browser would get English pages. The product's interface is zh-hans first: for the HTML pages
only an explicit choice (the language cookie set by /i18n/setlang/) switches language. The API
keeps honouring Accept-Language, which is how API clients ask for a language.
"""

from django.conf import settings


class DefaultLanguageMiddleware:
    """Place just before django.middleware.locale.LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

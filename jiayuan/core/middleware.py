from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import translation


class LanguageMiddleware:
    """Chinese unless the user chose English with the language switch (kept in a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language header; here
    the interface language is the product's default until the user picks another.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        with translation.override(language):  # restored afterwards: nothing leaks into the thread
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy on every response: scripts, styles and everything else from the platform
    itself, no inline script or style (settings.CONTENT_SECURITY_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class RequestSizeLimitMiddleware:
    """A request body over settings.MAX_REQUEST_BYTES is answered 413 from its Content-Length, before any of
    it is read (each upload route has its own, smaller cap on top: rosters, appeal photos)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            message = translation.gettext("The request is larger than %(max)s MB.") % {
                "max": settings.MAX_REQUEST_BYTES // (1024 * 1024)
            }
            if request.path.startswith(("/api/", "/open311/")):
                return JsonResponse({"detail": [{"field": "__all__", "message": message}]}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

"""``Cache-Control: no-store, private`` on every response to a signed-in person (ASVS 8.2.1).

Council PCs are shared: a page or a download (report PDF, CSV, XLSX, One Story PDF) that shows
a family or a worker must not stay in the browser's cache or a proxy's for the next person.
Static files never get here (WhiteNoise answers them first, before the session is read), and
/healthz keeps its own header."""

from django.utils.cache import patch_cache_control

UNAFFECTED_PATHS = ("/healthz",)


class NoStoreForSignedInMiddleware:
    """After AuthenticationMiddleware, so that ``request.user`` is there. It adds to a header
    a view has set (``never_cache``, the story PDF's) rather than replacing it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in UNAFFECTED_PATHS:
            return self.get_response(request)
        signed_in_before = request.user.is_authenticated
        response = self.get_response(request)
        # Asked again after the view, as signing in changes request.user.
        if signed_in_before or request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

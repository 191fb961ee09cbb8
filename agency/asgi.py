"""ASGI entry point: HTTP through Django, websockets through Channels."""
import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
# WhiteNoise 6 serves static files with a sync iterator; under ASGI Django warns
# on every such response although it works. Nothing else streams here.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from chats.log_redaction import redact_server_logs  # noqa: E402
from chats.routing import websocket_urlpatterns  # noqa: E402

redact_server_logs()  # no visitor token in the server's access and handshake lines

application = ProtocolTypeRouter({
    "http": django_asgi_app,
    # Origins are checked per socket: the agent socket against our own hosts,
    # the visitor socket against the client's allowed origins.
    "websocket": AuthMiddlewareStack(URLRouter(websocket_urlpatterns)),
})

"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2).

    GET  discovery.{fmt}                 service discovery
    GET  services.{fmt}                  the service list
    GET  services/{service_code}.{fmt}   a service definition
    GET  requests.{fmt}                  service requests (service_request_id, service_code,
                                         start_date, end_date, status filters)
    POST requests.{fmt}                  create a service request (api_key required)
    GET  requests/{service_request_id}.{fmt}
    GET  tokens/{token}.{fmt}

`{fmt}` is `json` or `xml`. Element names, the error format (`<errors><error><code>…`)
and HTTP statuses (400 bad input, 403 missing or invalid api_key, 404 unknown resource)
are the specification's, so existing Open311 clients work unchanged. Decisions:

- One jurisdiction (the city): `jurisdiction_id` is optional and ignored, as the spec allows.
- Services are the appeal categories that are active and have no active children (level 3
  where the catalogue goes that deep); service_code is the category code, group the
  level-1 name, description the path, keywords the names along the path. Every service is
  `realtime` and has `metadata` true: its definition has one optional attribute,
  `compound`, a pick list of compounds (a free code above COMPOUND_LIST_LIMIT of them).
- Reading needs no key: requests are public in Open311. Every appeal is listed, with public
  fields only, the same for every caller: number (service_request_id), open/closed
  (workflow.PUBLIC_CLOSED is closed), status_notes from the latest event shown to residents,
  category, the resident's description (its phone and ID numbers masked, and without the
  fields an Open311 POST appended), the handling unit as agency_responsible, the compound's
  address and code (never the building or room), lat/long rounded to about 100 m, and a
  posted media_url. Never: contact name, phone or e-mail, reporter, photos, internal events,
  rating, supervision. Times are ISO 8601 in the platform's zone (+08:00);
  expected_datetime is the end of the deadline day. Without start_date/end_date the last
  90 days are listed, newest first, at most 1000; a wider range is refused (400).
- Posting needs an api_key (apikeys.py, `jiayuan apikey`), sent form-encoded as the spec
  says (in the query string too). The compound comes from address_id (its code), else
  attribute[compound], else an address_string that is a compound's code or contains its
  name; lat/long alone cannot be placed in a compound without geodata (400). lat/long are
  stored on the appeal; first_name/last_name, phone and email become its protected contact
  fields; device_id and account_id are ignored. The appeal has no column for
  address_string and media_url: they are appended to its description as `name: value`
  lines (staff see them; the remote media is never fetched). An uploaded `media` file, as
  some clients send, is checked and stored as a photo. An unknown service_code is a 400
  naming service_code. The appeal is recorded by appeal_submit with channel open311 and
  no actor; the answer is the service_request_id at once (status 200), so no client needs
  a token: tokens/{token} resolves a request's own service_request_id to itself.
- CSRF is off for these views: they use no session, the api_key authenticates a POST.
"""

from django.urls import re_path

from . import views

app_name = "open311"

FMT = r"\.(?P<fmt>[A-Za-z]+)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]+?)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.service_requests, name="requests"),
    re_path(r"^requests/(?P<number>[^/]+?)" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FMT, views.token, name="token"),
]

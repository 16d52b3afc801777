"""The baseline views: the least a Django view can do against the appeals table.

Mounted under /bench/ only when settings.JIAYUAN_BENCH is true (see config/urls.py), on
the same server, middleware and database as the pages they are compared with:

    GET  /bench/ping/            "ok", no query (readiness check)
    GET  /bench/select/<pk>/     one indexed SELECT by primary key
    POST /bench/insert/          one INSERT of an appeal-sized row (form fields compound, unit, category)
"""

from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .measure import insert_appeal_row


@require_GET
def ping(request):
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def select_one(request, pk: int):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, number, status, title, unit_id, deadline FROM appeals_appeal WHERE id = %s", [pk])
        row = cursor.fetchone()
    if row is None:
        return JsonResponse({"error": "no such appeal"}, status=404)
    return JsonResponse(
        {"id": row[0], "number": row[1], "status": row[2], "title": row[3], "unit": row[4], "deadline": str(row[5])}
    )


@csrf_exempt
@require_POST
def insert_one(request):
    try:
        values = {name: int(request.POST[name]) for name in ("compound", "unit", "category")}
    except (KeyError, ValueError):
        return HttpResponseBadRequest("compound, unit and category must be integers")
    pk = insert_appeal_row(compound_id=values["compound"], unit_id=values["unit"], category_id=values["category"])
    return JsonResponse({"id": pk}, status=201)

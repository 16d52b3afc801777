"""A printable page as PDF: a Django template rendered to HTML, then laid out by WeasyPrint with a Chinese font
installed on the machine (WenQuanYi Micro Hei on Debian, `fonts-wqy-microhei`), so a notice can be posted on a
compound's board. Nothing is fetched from the network: the stylesheet is inline and there are no remote images."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango costs a moment the other pages do not need

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=None).write_pdf()


def pdf_response(template: str, context: dict, *, filename: str, request=None) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

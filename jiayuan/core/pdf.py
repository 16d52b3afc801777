"""A printable page as PDF: a Django template rendered to HTML, then laid out by WeasyPrint with a Chinese font
installed on the machine (WenQuanYi Micro Hei on Debian, `fonts-wqy-microhei`), so a notice can be posted on a
compound's board. Nothing is fetched from the network: the stylesheet is read from the app's static files
(`jiayuan/notice.css`, so templates keep no inline style) and there are no remote images."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

STYLESHEET = "jiayuan/notice.css"


def render_pdf(template: str, context: dict, *, request=None) -> bytes:
    from weasyprint import CSS, HTML  # imported here: loading Pango costs a moment the other pages do not need

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=None).write_pdf(stylesheets=[CSS(filename=finders.find(STYLESHEET))])


def pdf_response(template: str, context: dict, *, filename: str, request=None) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

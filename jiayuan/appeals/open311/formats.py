"""The two GeoReport v2 output formats, and its error format.

XML is schemaless, without a namespace, preceded by the UTF-8 declaration; JSON is the
spec's mapping of the same tree (the Spark convention): a list for a repeated element,
the element's fields as an object. `None` is an empty element in XML and `null` in JSON;
booleans are `true`/`false` in both.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element that repeats inside a list-valued field, e.g. <attributes><attribute>…
ITEM_TAGS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Open311Error(Exception):
    """An answer in the standard error format: HTTP `status`, one <error> per message."""

    def __init__(self, status: int, *messages: str):
        super().__init__("; ".join(messages))
        self.status = status
        self.messages = messages


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for name, child in value.items():
            node = ET.SubElement(element, name)
            if isinstance(child, (list, tuple)):
                for item in child:
                    _fill(ET.SubElement(node, ITEM_TAGS[name]), item)
            else:
                _fill(node, child)
    else:
        element.text = _text(value)


def to_xml(payload, *, root: str, item: str | None = None) -> bytes:
    """`payload` (a list of `item` records, or one record) as an XML document under `root`."""
    element = ET.Element(root)
    if isinstance(payload, list):
        for record in payload:
            _fill(ET.SubElement(element, item), record)
    else:
        _fill(element, payload)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def render(payload, *, fmt: str, root: str, item: str | None = None, status: int = 200) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(payload, ensure_ascii=False, default=_json_default).encode("utf-8")
    else:
        body = to_xml(payload, root=root, item=item)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_error(error: Open311Error, *, fmt: str) -> HttpResponse:
    errors = [{"code": error.status, "description": message} for message in error.messages]
    return render(errors, fmt=fmt if fmt in FORMATS else "xml", root="errors", item="error", status=error.status)

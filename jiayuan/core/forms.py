"""Form fields every app's pages share."""

from __future__ import annotations

from django import forms


class _Described:
    """A choice shown by its name and what tells it apart from others of the same name (a person's rooms or
    posts, a compound's community): `describe` maps a primary key to that detail. Never ID or phone numbers."""

    def __init__(self, *args, describe=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe = describe or {}

    def label_from_instance(self, obj):
        detail = self.describe.get(obj.pk)
        name = getattr(obj, "name", None) or str(obj)
        return f"{name} · {detail}" if detail else name


class DescribedChoiceField(_Described, forms.ModelChoiceField):
    pass


class DescribedMultipleChoiceField(_Described, forms.ModelMultipleChoiceField):
    pass

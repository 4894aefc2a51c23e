"""Browser forms for locations: they parse the input; the rules live in geo.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from geo.coords import Datum

DEGREE_INPUT = {"step": "any", "inputmode": "decimal"}


class LocationForm(forms.Form):
    datum = forms.ChoiceField(
        label=_("Coordinates are in"),
        choices=Datum.choices,
        initial=Datum.WGS84,
        widget=forms.RadioSelect,
        help_text=_(
            "Coordinates copied from AMap or Tencent Maps are GCJ-02; from a GPS device or the city's GIS, WGS-84."
        ),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=12, decimal_places=8, widget=forms.NumberInput(attrs=DEGREE_INPUT)
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=12, decimal_places=8, widget=forms.NumberInput(attrs=DEGREE_INPUT)
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    site = forms.CharField(
        label=_("Site outline (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("Optional: a GeoJSON Polygon of the site, in the same datum as the point."),
    )


class BoundaryForm(forms.Form):
    datum = forms.ChoiceField(
        label=_("Coordinates are in"), choices=Datum.choices, initial=Datum.WGS84, widget=forms.RadioSelect
    )
    geometry = forms.CharField(
        label=_("Boundary (GeoJSON)"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_("A GeoJSON Polygon or MultiPolygon, e.g. exported from the city's GIS."),
    )
